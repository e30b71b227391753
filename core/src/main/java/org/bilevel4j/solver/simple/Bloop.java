package org.bilevel4j.solver.simple;

import java.util.Objects;
import org.bilevel4j.linalg.MatOps;
import org.bilevel4j.problem.SimpleBilevelProblem;
import org.bilevel4j.solver.IterativeSolver;
import org.bilevel4j.solver.SolverOptions;
import org.ejml.data.DMatrixRMaj;

/**
 * BLOOP (Hsieh et al., 2024), a projection baseline for {@code min f subject to x in argmin g}: descend
 * on the lower level and add the part of {@code grad f} orthogonal to it,
 * <pre>
 *   m_k     = grad g(x_k)                                  (averaging = 0)
 *   m_k     = mu m_{k-1} + (1 - mu) grad g(x_k),  m_0 = grad g(x_0)     (averaging = mu in (0, 1))
 *   d_k     = grad g(x_k) + lam pi(grad f(x_k); m_k),     pi(a; b) = a - (&lt;a, b&gt; / ||b||^2) b
 *   x_{k+1} = P_C(x_k - eta_{k+1} d_k).
 * </pre>
 * The exponential moving average {@code m_k} is the stochastic version's device for a less noisy
 * projection direction; with exact gradients {@code averaging = 0} is the plain method.
 *
 * <p>Same state and trace columns as {@link Dbgd} ({@code lambda} holds lam). Note on the stop test:
 * with {@code averaging = 0}, {@code ||d||^2 = ||grad g||^2 + lam^2 ||grad f_perp||^2}, so
 * {@code ||d|| <= eps_f} bounds {@code lam ||grad f_perp||}: it certifies Definition 3.1 up to the
 * sign of the multiplier ({@code grad f_perp = grad f + mu grad g} for a real, not necessarily
 * nonnegative, {@code mu}); {@link SimpleBilevelMeasures#stationarityResidual} gives the exact
 * residual when that matters.
 *
 * <p>Reference: Y.-G. Hsieh, J. Thornton, E. Ndiaye, M. Klein, M. Cuturi, P. Ablin, "Careful with
 * that scalpel: improving gradient surgery with an EMA", ICML 2024.
 *
 * <p>Thread-safety: immutable; one instance may run several problems at once in different threads
 * (each run has its own state).
 *
 * @param lam weight of the projected upper-level gradient, positive and finite
 * @param step the step-size rule
 * @param averaging the moving-average weight {@code mu} in [0, 1); 0 projects on {@code grad g} itself
 * @param stationarity the stopping tolerances
 */
public record Bloop(double lam, StepSize step, double averaging, Stationarity stationarity)
        implements IterativeSolver<SimpleBilevelProblem, DMatrixRMaj, SimpleBilevelState> {

    /**
     * Validates lam and the averaging weight, rejects nulls.
     *
     * @param lam weight of the projected upper-level gradient, positive and finite
     * @param step the step-size rule
     * @param averaging the moving-average weight {@code mu} in [0, 1); 0 projects on {@code grad g} itself
     * @param stationarity the stopping tolerances
     */
    public Bloop {
        if (!(lam > 0) || Double.isInfinite(lam)) {
            throw new IllegalArgumentException("lam must be positive and finite, got " + lam);
        }
        if (!(averaging >= 0 && averaging < 1)) {
            throw new IllegalArgumentException("averaging must be in [0, 1), got " + averaging);
        }
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(stationarity, "stationarity");
    }

    /**
     * @param lam the weight lam, positive
     * @param eta the constant step, positive
     * @param stationarity the stopping tolerances
     * @return BLOOP without averaging and with the constant step {@code eta}
     */
    public static Bloop of(double lam, double eta, Stationarity stationarity) {
        return new Bloop(lam, StepSize.constant(eta), 0.0, stationarity);
    }

    /**
     * @param mu the moving-average weight
     * @return this solver with the moving-average weight {@code mu}
     */
    public Bloop withAveraging(double mu) {
        return new Bloop(lam, step, mu, stationarity);
    }

    @Override
    public String name() {
        return "BLOOP";
    }

    @Override
    public SimpleBilevelState init(SimpleBilevelProblem problem, DMatrixRMaj start, SolverOptions options) {
        SimpleBilevelState s = new SimpleBilevelState(problem, start, stationarity);
        if (averaging > 0) {
            s.average = s.gradG.copy();
        }
        direction(s);
        return s;
    }

    @Override
    public void step(SimpleBilevelProblem problem, SimpleBilevelState s) {
        s.advance();
        if (averaging > 0) {
            MatOps.combine(averaging, s.average, 1 - averaging, s.gradG, s.average);
        }
        direction(s);
    }

    private void direction(SimpleBilevelState s) {
        if (averaging > 0) {
            SimpleBilevelMeasures.orthogonalPart(s.gradF, s.average, s.d);
            MatOps.combine(1.0, s.gradG, lam, s.d, s.d);
        } else {
            MatOps.combine(1.0, s.gradG, lam, s.perp, s.d);
        }
        s.setDirection(lam, Double.NaN, step.at(s.iteration + 1));
    }
}
