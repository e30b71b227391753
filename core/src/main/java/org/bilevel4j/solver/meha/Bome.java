package org.bilevel4j.solver.meha;

import java.util.Objects;
import org.bilevel4j.linalg.MatOps;
import org.bilevel4j.problem.BilevelProblem;
import org.bilevel4j.problem.PairIterate;
import org.bilevel4j.solver.IterativeSolver;
import org.bilevel4j.solver.SolverOptions;

/**
 * BOME, the first-order value-function method with a dynamic barrier, for general bilevel problems
 * ({@link BilevelProblem}). The lower level is written as the constraint
 * {@code q(x, y) = phi(x, y) - phi*(x) <= 0}, with {@code phi*(x)} estimated by
 * {@code phi(x, y_T)}, where {@code y_T} comes from T steps on {@code phi(x, .)} started at y:
 * <pre>
 *   y_{t+1} = prox_{s g(x,.) + ind_Y}(y_t - s grad_y f(x, y_t)),   s = innerStep.
 * </pre>
 * With {@code y_T} held fixed, {@code grad q = (grad_x phi(x, y) - grad_x phi(x, y_T), G_y)} where
 * {@code G_y} is the lower level's gradient in y at (x, y): {@code grad_y f(x, y)} when g = 0 and Y
 * is the whole space, and in general its proximal-gradient mapping
 * {@code (y - prox_{s g(x,.) + ind_Y}(y - s grad_y f(x, y))) / s}, which reduces to it. The step on
 * (x, y) is the {@link DynamicBarrier} direction {@code d = grad F + lambda grad q}, then
 * {@code x+ = proj_X(x - stepX d_x)}, {@code y+ = proj_Y(y - stepY d_y)}.
 *
 * <p>Trace columns: {@code F, phi} at the current point, {@code q} and {@code lambda} and
 * {@code grad_q_norm} of the last step, and the reference errors when the problem has a reference.
 *
 * <p>Reference: [1] B. Liu, M. Ye, S. Wright, P. Stone, Q. Liu, "BOME! Bilevel Optimization Made
 * Easy: A Simple First-Order Approach", NeurIPS 2022.
 *
 * <p>Thread-safety: immutable; one instance may run several problems at once in different threads
 * (each run has its own state).
 */
public final class Bome implements IterativeSolver<BilevelProblem, PairIterate, BomeState> {

    private final BomeOptions options;

    /** @param options the configuration */
    public Bome(BomeOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /** @return the configuration */
    public BomeOptions options() {
        return options;
    }

    @Override
    public String name() {
        return "BOME";
    }

    @Override
    public BomeState init(BilevelProblem problem, PairIterate start, SolverOptions solverOptions) {
        return new BomeState(problem, start);
    }

    @Override
    public void step(BilevelProblem problem, BomeState s) {
        BomeOptions o = options;
        double step = o.innerStep();
        // y_T: T (proximal-)gradient steps on phi(x, .) from y
        s.yT.setTo(s.y);
        for (int t = 0; t < o.innerSteps(); t++) {
            problem.lowerSmoothGradientY(s.x, s.yT, s.gy);
            MatOps.combine(1.0, s.yT, -step, s.gy, s.yWork);
            problem.lowerProx(s.x, s.yWork, step, s.yT);
        }
        double phiT = problem.lowerValue(s.x, s.yT);
        s.q = s.lowerValue - phiT;

        // grad q = (grad_x phi(x, y) - grad_x phi(x, y_T), G_y(x, y))
        problem.lowerSmoothGradientX(s.x, s.y, s.gxQ);
        problem.lowerSmoothGradientX(s.x, s.yT, s.gx);
        MatOps.combine(1.0, s.gxQ, -1.0, s.gx, s.gxQ);
        if (problem.hasNonsmoothLower()) {
            problem.lowerNonsmoothGradientX(s.x, s.y, s.gx);
            MatOps.combine(1.0, s.gxQ, 1.0, s.gx, s.gxQ);
            problem.lowerNonsmoothGradientX(s.x, s.yT, s.gx);
            MatOps.combine(1.0, s.gxQ, -1.0, s.gx, s.gxQ);
        }
        problem.lowerSmoothGradientY(s.x, s.y, s.gyQ);
        if (problem.hasNonsmoothLower() || problem.constrainedY()) {
            MatOps.combine(1.0, s.y, -step, s.gyQ, s.yWork);
            problem.lowerProx(s.x, s.yWork, step, s.yWork);
            MatOps.combine(1.0 / step, s.y, -1.0 / step, s.yWork, s.gyQ);
        }

        // grad F and the dynamic-barrier weight
        problem.upperGradientX(s.x, s.y, s.gxF);
        problem.upperGradientY(s.x, s.y, s.gyF);
        double dot = MatOps.dot(s.gxF, s.gxQ) + MatOps.dot(s.gyF, s.gyQ);
        double nq = MatOps.normSq(s.gxQ) + MatOps.normSq(s.gyQ);
        s.lambda = DynamicBarrier.lambda(o.eta(), dot, nq);
        s.gradQNorm = Math.sqrt(nq);

        // (x, y) <- (proj_X(x - stepX d_x), proj_Y(y - stepY d_y)), d = grad F + lambda grad q
        for (int i = 0; i < s.x.data.length; i++) {
            s.x.data[i] -= o.stepX() * (s.gxF.data[i] + s.lambda * s.gxQ.data[i]);
        }
        problem.projectX(s.x, s.x);
        for (int i = 0; i < s.y.data.length; i++) {
            s.y.data[i] -= o.stepY() * (s.gyF.data[i] + s.lambda * s.gyQ.data[i]);
        }
        problem.projectY(s.y, s.y);
        s.iteration++;
        s.evaluate();
    }
}
