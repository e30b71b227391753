package org.bilevel4j.solver.binno;

/**
 * How BINNO combines the two levels' candidates, {@code X+ = alpha Xu + (1 - alpha) Xl} and
 * {@code Y+ = beta Yu + (1 - beta) Yl}.
 */
public sealed interface BinnoWeights permits BinnoWeights.Midpoint, BinnoWeights.Linesearch {

    /** The authors' code: the midpoints of the weight windows. */
    BinnoWeights MIDPOINT = new Midpoint();

    /** The paper's description: backtracking towards the level that failed to decrease. */
    BinnoWeights LINESEARCH = new Linesearch(30);

    /** @return a short name for tables and reports */
    String label();

    /**
     * {@code alpha = (alpha_min + alpha_max) / 2}, {@code beta = (beta_min + beta_max) / 2}, clipped
     * to [0, 1]. Needs the Lipschitz constants of all four terms: undefined when one is an
     * indicator.
     */
    record Midpoint() implements BinnoWeights {
        @Override
        public String label() {
            return "midpoint";
        }
    }

    /**
     * Choose {@code alpha, beta} in [0, 1] (inside the windows when those exist and are not empty) so
     * that both Psi1 and Psi2 decrease. Start at the midpoint of the admissible interval; while
     * the upper level fails to decrease, move each weight halfway towards the upper end (more of
     * the upper level's candidate), while the lower level fails, halfway towards the lower end.
     * After {@code maxBacktracks} trials without simultaneous descent, take the trial with the
     * smallest worse relative increase and record that descent failed.
     *
     * @param maxBacktracks trials after the first, at least 0
     */
    record Linesearch(int maxBacktracks) implements BinnoWeights {
        /** Validates. */
        public Linesearch {
            if (maxBacktracks < 0) {
                throw new IllegalArgumentException("maxBacktracks must be nonnegative, got " + maxBacktracks);
            }
        }

        @Override
        public String label() {
            return "linesearch";
        }
    }
}
