package org.bilevel4j.solver.simple;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import org.bilevel4j.linalg.MatOps;
import org.bilevel4j.problem.SimpleBilevelProblem;
import org.bilevel4j.solver.IterativeSolver;
import org.bilevel4j.solver.SolverOptions;
import org.ejml.data.DMatrixRMaj;

/**
 * Dynamic barrier gradient descent (DBGD) for the simple bilevel problem
 * {@code min f(x) subject to x in argmin g}, with {@code f} and {@code g} smooth and possibly
 * nonconvex (a {@link SimpleBilevelProblem}).
 *
 * <p>At {@code x_k} the direction is the projection of {@code grad f} onto the half-space of
 * directions that decrease {@code g} fast enough,
 * <pre>
 *   d_k = argmin_v 1/2 ||v - grad f(x_k)||^2   subject to   &lt;grad g(x_k), v&gt; &gt;= phi(x_k),
 * </pre>
 * in closed form
 * <pre>
 *   d_k      = grad f + lambda_k grad g,
 *   lambda_k = max((phi(x_k) - &lt;grad f, grad g&gt;) / ||grad g||^2, 0)     (0 when ||grad g||^2 &lt; 1e-300),
 *   x_{k+1}  = P_C(x_k - eta_{k+1} d_k).
 * </pre>
 * When {@code lambda_k > 0} the direction is formed as {@code grad f_perp + (phi / ||grad g||^2) grad g},
 * which equals {@code grad f + lambda_k grad g} but stays accurate when {@code lambda_k} is huge and
 * {@code grad g} tiny; then {@code <grad g, d_k> = phi} exactly in exact arithmetic, and
 * {@code <grad g, d_k> >= phi} when {@code lambda_k = 0}. The barrier is a {@link Barrier}
 * ({@code beta ||grad g||^2}, or the original {@code min(alpha (g - g_hat), beta ||grad g||^2)});
 * the step a {@link StepSize} (constant {@code eta <= 1 / max(L_f, L_g)}, or {@code eta0 / k^(1/3)}).
 *
 * <p>In "case II", where {@code grad f} points against {@code grad g} at the solution
 * ({@code cos(theta) -> -1}), {@code lambda_k} grows without bound as {@code ||grad g|| -> 0}: this is
 * the method working, not a bug. With a constant step DBGD has a floor
 * {@code ||grad g||^2 ~ L eta ||grad f_perp||^2 / (2 beta)} where the lower level cannot be solved exactly.
 *
 * <p>Stops with {@code CONVERGED} when {@code ||grad g(x_k)|| <= eps_g} and {@code ||d_k|| <= eps_f}
 * ({@link Stationarity}, Definition 3.1 of [1]); trace columns: {@link SimpleBilevelState#COLUMNS}.
 *
 * <p>References: [1] J. Cao, R. Jiang, E. Y. Hamedani, A. Mokhtari, "On the complexity of finding
 * stationary points in nonconvex simple bilevel optimization", arXiv:2507.23155 (NeurIPS 2025);
 * [2] C. Gong, X. Liu, Q. Liu, "Automatic and harmless regularization with constrained and
 * lexicographic optimization: a dynamic barrier approach", NeurIPS 2021.
 *
 * <p>The run's message warns when the step is outside the stable range
 * ({@link #stabilityWarnings}); a start of the wrong shape or outside the set is refused
 * ({@link SimpleBilevelProblem#checkStart}).
 *
 * <p>Thread-safety: immutable; one instance may run several problems in parallel threads.
 *
 * @param barrier the barrier {@code phi}
 * @param step the step-size rule
 * @param stationarity the stopping tolerances
 */
public record Dbgd(Barrier barrier, StepSize step, Stationarity stationarity)
        implements IterativeSolver<SimpleBilevelProblem, DMatrixRMaj, SimpleBilevelState> {

    /**
     * Rejects nulls.
     *
     * @param barrier the barrier {@code phi}
     * @param step the step-size rule
     * @param stationarity the stopping tolerances
     */
    public Dbgd {
        Objects.requireNonNull(barrier, "barrier");
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(stationarity, "stationarity");
    }

    /**
     * @param beta the barrier weight, positive
     * @param eta the constant step, positive
     * @param stationarity the stopping tolerances
     * @return DBGD with the analysed barrier {@code beta ||grad g||^2} and the constant step {@code eta}
     */
    public static Dbgd of(double beta, double eta, Stationarity stationarity) {
        return new Dbgd(Barrier.gradientNorm(beta), StepSize.constant(eta), stationarity);
    }

    /**
     * @param b the barrier
     * @return this solver with another barrier
     */
    public Dbgd withBarrier(Barrier b) {
        return new Dbgd(b, step, stationarity);
    }

    /**
     * @param s the step rule
     * @return this solver with another step rule
     */
    public Dbgd withStep(StepSize s) {
        return new Dbgd(barrier, s, stationarity);
    }

    /**
     * @param s the tolerances
     * @return this solver with other tolerances
     */
    public Dbgd withStationarity(Stationarity s) {
        return new Dbgd(barrier, step, s);
    }

    @Override
    public String name() {
        return "DBGD";
    }

    @Override
    public SimpleBilevelState init(SimpleBilevelProblem problem, DMatrixRMaj start, SolverOptions options) {
        SimpleBilevelState s = new SimpleBilevelState(problem, start, stationarity);
        s.warnings.addAll(stabilityWarnings(problem));
        direction(s);
        return s;
    }

    /**
     * Checks the step against the Lipschitz constants the problem's functions declare (nothing is
     * checked for a function without one). Two conditions:
     * <ul>
     *   <li>{@code beta eta L_g < 2}: near the lower-level solution set, where {@code lambda_k > 0},
     *       the update moves along {@code grad g} like gradient descent on g with the step
     *       {@code beta eta}, which diverges when {@code beta eta L_g > 2};</li>
     *   <li>{@code eta <= 1 / max(L_f, L_g)}: the step of the analysis of [1].</li>
     * </ul>
     * {@code eta} is the first (largest) step of the rule; {@code beta} the barrier's.
     *
     * @param problem the problem
     * @return one sentence per violated condition (empty when none is violated or nothing is known)
     */
    public List<String> stabilityWarnings(SimpleBilevelProblem problem) {
        List<String> out = new ArrayList<>();
        double eta = step.at(1);
        double beta = barrier instanceof Barrier.GradientNorm gn ? gn.beta()
                : ((Barrier.Original) barrier).beta();
        OptionalDouble lg = problem.lower().lipschitzConstant();
        OptionalDouble lf = problem.upper().lipschitzConstant();
        if (lg.isPresent() && beta * eta * lg.getAsDouble() >= 2) {
            out.add(String.format("beta eta L_g = %.4g * %.4g * %.4g = %.4g >= 2 is outside the stable range"
                    + " (near argmin g DBGD is gradient descent on g with step beta eta; take beta eta L_g < 2)",
                    beta, eta, lg.getAsDouble(), beta * eta * lg.getAsDouble()));
        }
        double l = Math.max(lf.orElse(0), lg.orElse(0));
        if (l > 0 && eta * l > 1 + 1e-12) {
            out.add(String.format("eta = %.4g is above 1 / max(L_f, L_g) = %.4g, the step of DBGD's analysis",
                    eta, 1 / l));
        }
        return out;
    }

    @Override
    public void step(SimpleBilevelProblem problem, SimpleBilevelState s) {
        s.advance();
        direction(s);
    }

    private void direction(SimpleBilevelState s) {
        double phi = barrier.value(s.g, s.gradGNormSq);
        double lambda = SimpleBilevelMeasures.dbgdMultiplier(phi, s.inner, s.gradGNormSq);
        if (lambda > 0) {
            // grad f + lambda grad g = grad f_perp + (phi / ||grad g||^2) grad g
            MatOps.combine(1.0, s.perp, phi / s.gradGNormSq, s.gradG, s.d);
        } else {
            System.arraycopy(s.gradF.data, 0, s.d.data, 0, s.d.getNumElements());
        }
        s.setDirection(lambda, phi, step.at(s.iteration + 1));
    }
}
