package org.bilevel4j.solver.simple;

import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import org.bilevel4j.linalg.MatOps;
import org.bilevel4j.problem.SimpleBilevelProblem;
import org.bilevel4j.solver.IterativeSolver;
import org.bilevel4j.solver.SolverOptions;
import org.ejml.data.DMatrixRMaj;

/**
 * The penalty baseline for {@code min f subject to x in argmin g}: gradient descent on
 * {@code f + gamma g} with a fixed {@code gamma > 0},
 * <pre>
 *   d_k     = grad f(x_k) + gamma grad g(x_k)
 *   x_{k+1} = P_C(x_k - s_{k+1} d_k),   s_k = eta_k / gamma if scaleStepByInverseGamma and gamma &gt; 1, else eta_k.
 * </pre>
 * The 1/gamma scaling keeps the step below {@code 1 / L(f + gamma g)} when {@code g} dominates.
 * The iterates go to a stationary point of {@code f + gamma g}, where
 * {@code grad g = -grad f / gamma} plateaus above zero unless {@code grad f} vanishes there: the
 * comparison point of Figure 1 and Figure 2 of Cao, Jiang, Hamedani and Mokhtari
 * (arXiv:2507.23155).
 *
 * <p>Same state, trace columns ({@code lambda} holds gamma) and {@link Stationarity} test as
 * {@link Dbgd}; since {@code d_k = grad f + gamma grad g} with {@code gamma >= 0}, a passed test
 * certifies Definition 3.1.
 *
 * <p>The run's message warns when the step is outside the stable range ({@link #stabilityWarnings}).
 *
 * <p>Thread-safety: immutable; one instance may run several problems in parallel threads.
 *
 * @param gamma the penalty weight, positive and finite
 * @param step the step-size rule (before the optional 1/gamma scaling)
 * @param scaleStepByInverseGamma whether to divide the step by gamma when gamma &gt; 1
 * @param stationarity the stopping tolerances
 */
public record PenaltyMethod(double gamma, StepSize step, boolean scaleStepByInverseGamma, Stationarity stationarity)
        implements IterativeSolver<SimpleBilevelProblem, DMatrixRMaj, SimpleBilevelState> {

    /**
     * Validates gamma and rejects nulls.
     *
     * @param gamma the penalty weight, positive and finite
     * @param step the step-size rule (before the optional 1/gamma scaling)
     * @param scaleStepByInverseGamma whether to divide the step by gamma when gamma &gt; 1
     * @param stationarity the stopping tolerances
     */
    public PenaltyMethod {
        if (!(gamma > 0) || Double.isInfinite(gamma)) {
            throw new IllegalArgumentException("gamma must be positive and finite, got " + gamma);
        }
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(stationarity, "stationarity");
    }

    /**
     * @param gamma the penalty weight, positive
     * @param eta the constant step, positive
     * @param stationarity the stopping tolerances
     * @return the penalty method with constant step {@code eta}, scaled by 1/gamma when gamma &gt; 1
     */
    public static PenaltyMethod of(double gamma, double eta, Stationarity stationarity) {
        return new PenaltyMethod(gamma, StepSize.constant(eta), true, stationarity);
    }

    /**
     * @param k the update number, at least 1
     * @return the step of update k after the optional scaling
     */
    public double stepAt(int k) {
        double eta = step.at(k);
        return scaleStepByInverseGamma && gamma > 1 ? eta / gamma : eta;
    }

    @Override
    public String name() {
        return "penalty";
    }

    @Override
    public SimpleBilevelState init(SimpleBilevelProblem problem, DMatrixRMaj start, SolverOptions options) {
        SimpleBilevelState s = new SimpleBilevelState(problem, start, stationarity);
        s.warnings.addAll(stabilityWarnings(problem));
        direction(s);
        return s;
    }

    /**
     * Checks the first (largest) step {@code s_1} against the Lipschitz constant of the gradient of
     * {@code f + gamma g}, at most {@code L_f + gamma L_g} (with {@code L_f = 0} when f declares none):
     * gradient descent is stable for {@code s_1 (L_f + gamma L_g) < 2}.
     *
     * @param problem the problem
     * @return one sentence when the condition fails and {@code L_g} is known; empty otherwise
     */
    public List<String> stabilityWarnings(SimpleBilevelProblem problem) {
        OptionalDouble lg = problem.lower().lipschitzConstant();
        if (lg.isEmpty()) {
            return List.of();
        }
        double l = problem.upper().lipschitzConstant().orElse(0) + gamma * lg.getAsDouble();
        double s = stepAt(1);
        if (s * l >= 2) {
            return List.of(String.format("step * (L_f + gamma L_g) = %.4g * %.4g = %.4g >= 2 is outside the stable"
                    + " range of gradient descent on f + gamma g; take a step below %.4g", s, l, s * l, 2 / l));
        }
        return List.of();
    }

    @Override
    public void step(SimpleBilevelProblem problem, SimpleBilevelState s) {
        s.advance();
        direction(s);
    }

    private void direction(SimpleBilevelState s) {
        MatOps.combine(1.0, s.gradF, gamma, s.gradG, s.d);
        s.setDirection(gamma, Double.NaN, stepAt(s.iteration + 1));
    }
}
