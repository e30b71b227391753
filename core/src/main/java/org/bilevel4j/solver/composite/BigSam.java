package org.bilevel4j.solver.composite;

import org.bilevel4j.function.BoxedQuadratic;
import org.bilevel4j.linalg.MatOps;
import org.bilevel4j.problem.BlockCompositeBilevelProblem;
import org.bilevel4j.problem.BlockCoupling;
import org.bilevel4j.problem.BlockIterate;
import org.bilevel4j.solver.IterativeSolver;
import org.bilevel4j.solver.SolverOptions;

/**
 * BiG-SAM, the bilevel gradient sequential averaging method of Sabach and Shtern [1], on the joint
 * variable W = (X, Y) of a {@link BlockCompositeBilevelProblem}:
 * <pre>
 *   inner problem  min Psi2 = H + f2 + g2     (H smooth, f2, g2 prox-friendly)
 *   outer problem  min omega over argmin Psi2, omega smooth and sigma-strongly convex
 *
 *   V_{k+1} = prox_{t (f2 + g2)}(W_k - t grad H(W_k)),      t = 1 / L_H
 *   Z_{k+1} = W_k - s grad omega(W_k),                      s = 2 / (L_omega + sigma)
 *   W_{k+1} = alpha_{k+1} Z_{k+1} + (1 - alpha_{k+1}) V_{k+1},
 *   alpha_k = min(1, alpha0 / (k (1 - gamma))),   gamma = (L_omega - sigma) / (L_omega + sigma)
 * </pre>
 * where gamma is the contraction factor of the outer gradient step (with {@code alpha0 = 2} this is
 * the choice of [1], section 5, written with the contraction factor; the weights stay 1 for the
 * first {@code 2 / (1 - gamma)}, about the condition number of omega, iterations)
 * (the paper's conditions: {@code alpha_k -> 0}, {@code sum alpha_k = infinity},
 * {@code alpha_{k+1}/alpha_k -> 1}). The outer function is the smooth part of the upper level:
 * {@code omega = q(f1) + q(g1)}, the {@link BoxedQuadratic#smoothValue} of f1 and g1 (their boxes
 * are dropped, as [1] takes omega smooth on the whole space), plus H when
 * {@code outerIncludesCoupling}. Leaving H out changes nothing where H is constant on the lower
 * level's solution set (the market: every minimizer has the same balance residuals) and keeps
 * {@code L_omega / sigma} small.
 *
 * <p>The reported point is {@code V_k}, the inner prox step, which lies in the domain of f2, g2
 * (W_k itself may leave the boxes); both converge to the same limit [1, Theorem 5.2].
 *
 * <p>Trace columns: {@code psi1, psi2} at V_k, {@code weight} (alpha_k), {@code residual}
 * ({@code ||V_{k+1} - W_k|| / max(1, ||V_{k+1}||)}), {@code restarts} (always 0).
 *
 * <p>Reference: [1] S. Sabach, S. Shtern, "A first order method for solving convex bilevel
 * optimization problems", SIAM J. Optim. 27(2), 640-660, 2017.
 *
 * <p>Thread-safety: immutable; one instance may run several problems at once in different threads
 * (each run has its own state).
 *
 * @param alpha0 the numerator of {@code alpha_k = min(1, alpha0 / (k (1 - gamma)))}, positive (2 in [1])
 * @param outerIncludesCoupling whether omega contains H
 */
public record BigSam(double alpha0, boolean outerIncludesCoupling)
        implements IterativeSolver<BlockCompositeBilevelProblem, BlockIterate, CompositeState> {

    /**
     * Validates.
     *
     * @param alpha0 the numerator of {@code alpha_k = min(1, alpha0 / (k (1 - gamma)))}, positive (2 in [1])
     * @param outerIncludesCoupling whether omega contains H
     */
    public BigSam {
        if (!(alpha0 > 0) || Double.isInfinite(alpha0)) {
            throw new IllegalArgumentException("alpha0 must be positive and finite, got " + alpha0);
        }
    }

    @Override
    public String name() {
        return "BiG-SAM";
    }

    @Override
    public CompositeState init(BlockCompositeBilevelProblem problem, BlockIterate start, SolverOptions options) {
        if (!(problem.f1() instanceof BoxedQuadratic f1) || !(problem.g1() instanceof BoxedQuadratic g1)) {
            throw new IllegalArgumentException("BiG-SAM needs a smooth strongly convex outer function: f1 and g1 must"
                    + " be BoxedQuadratic, got f1 = " + problem.f1() + ", g1 = " + problem.g1());
        }
        if (!(Math.min(f1.smoothStrongConvexity(), g1.smoothStrongConvexity()) > 0)) {
            throw new IllegalArgumentException("BiG-SAM needs a strongly convex outer function: the curvatures of f1"
                    + " and g1 must be positive");
        }
        CompositeState s = new CompositeState(problem, start);
        s.xAux.setTo(s.x);
        s.yAux.setTo(s.y);
        s.weight = 1.0;
        return s;
    }

    @Override
    public void step(BlockCompositeBilevelProblem p, CompositeState s) {
        BoxedQuadratic f1 = (BoxedQuadratic) p.f1();
        BoxedQuadratic g1 = (BoxedQuadratic) p.g1();
        BlockCoupling h = p.coupling();
        // W_k lives in (xAux, yAux); the reported V_k in (x, y)
        double lh = h.lipschitzX(s.yAux) + h.lipschitzY(s.xAux);
        double t = 1.0 / lh;
        double sigma = Math.min(f1.smoothStrongConvexity(), g1.smoothStrongConvexity());
        double lOmega = Math.max(f1.smoothLipschitz(), g1.smoothLipschitz()) + (outerIncludesCoupling ? lh : 0);
        double sOuter = 2.0 / (lOmega + sigma);
        h.gradientX(s.xAux, s.yAux, s.gx);
        h.gradientY(s.xAux, s.yAux, s.gy);
        // inner: V = prox(W - t grad H)
        MatOps.combine(1.0, s.xAux, -t, s.gx, s.x);
        MatOps.combine(1.0, s.yAux, -t, s.gy, s.y);
        p.f2().prox(s.x, t, s.x);
        p.g2().prox(s.y, t, s.y);
        // outer: Z = W - s grad omega, into (gx2, gy2)
        f1.smoothGradient(s.xAux, s.gx2);
        g1.smoothGradient(s.yAux, s.gy2);
        if (outerIncludesCoupling) {
            MatOps.combine(1.0, s.gx2, 1.0, s.gx, s.gx2);
            MatOps.combine(1.0, s.gy2, 1.0, s.gy, s.gy2);
        }
        MatOps.combine(1.0, s.xAux, -sOuter, s.gx2, s.gx2);
        MatOps.combine(1.0, s.yAux, -sOuter, s.gy2, s.gy2);
        s.iteration++;
        double gamma = (lOmega - sigma) / (lOmega + sigma);
        double alpha = Math.min(1.0, alpha0 / (s.iteration * (1 - gamma)));
        s.weight = alpha;
        // residual before W moves
        double moved = 0;
        for (int i = 0; i < s.x.getNumElements(); i++) {
            moved += Math.pow(s.x.data[i] - s.xAux.data[i], 2);
        }
        for (int i = 0; i < s.y.getNumElements(); i++) {
            moved += Math.pow(s.y.data[i] - s.yAux.data[i], 2);
        }
        s.residual = Math.sqrt(moved) / Math.max(1.0, Math.sqrt(MatOps.normSq(s.x) + MatOps.normSq(s.y)));
        MatOps.combine(alpha, s.gx2, 1 - alpha, s.x, s.xAux);
        MatOps.combine(alpha, s.gy2, 1 - alpha, s.y, s.yAux);
        s.evaluate();
    }
}
