package org.bilevel4j.problem;

import java.util.Objects;

/**
 * A {@link MinimaxBilevelProblem} whose lower-level gradient is only available through a
 * {@link LowerGradientSampler}. The problem's own lower-level methods serve diagnostics (values, the
 * gap); solvers of this class take gradients of ft from the sampler only.
 *
 * <p>Thread-safety: as safe to share as its problem and sampler; give each concurrent run its own
 * unless both say they are thread-safe.
 *
 * @param problem the problem (domains, upper level, exact lower-level values)
 * @param sampler the lower-level gradient estimates
 */
public record SampledMinimaxBilevelProblem(MinimaxBilevelProblem problem, LowerGradientSampler sampler) {

    /**
     * Rejects nulls.
     *
     * @param problem the problem (domains, upper level, exact lower-level values)
     * @param sampler the lower-level gradient estimates
     */
    public SampledMinimaxBilevelProblem {
        Objects.requireNonNull(problem, "problem");
        Objects.requireNonNull(sampler, "sampler");
    }
}
