package org.bilevel4j.solver.composite;

import org.bilevel4j.function.BoxedQuadratic;
import org.bilevel4j.linalg.MatOps;
import org.bilevel4j.problem.BlockCompositeBilevelProblem;
import org.bilevel4j.problem.BlockCoupling;
import org.bilevel4j.problem.BlockIterate;
import org.bilevel4j.solver.IterativeSolver;
import org.bilevel4j.solver.SolverOptions;

/**
 * Tikhonov continuation for a simple bilevel problem on two blocks: for a decreasing sequence
 * {@code eps_k -> 0} minimize
 * <pre>
 *   Phi_k(X, Y) = Psi2(X, Y) + eps_k Psi1(X, Y)
 *               = (f2 + eps_k f1)(X) + (g2 + eps_k g1)(Y) + (1 + eps_k) H(X, Y)
 * </pre>
 * by FISTA on the joint variable (X, Y), each stage warm-started at the previous stage's point.
 * For a convex lower level and a strongly convex upper level the minimizers of {@code Phi_k}
 * converge to the minimizer of Psi1 over {@code argmin Psi2} as {@code eps_k -> 0}
 * (Tikhonov regularization of ill-posed problems; for the selection property see [1], and for
 * the bilevel reading [2]).
 *
 * <p>Each stage: FISTA [3] with step {@code 1/L_k}, {@code L_k = (1 + eps_k)(L_X + L_Y)} (the
 * sum of the block constants bounds the joint constant of a convex coupling's gradient), the
 * prox of the summed terms, and the adaptive (gradient) restart of O'Donoghue and Candès [4]:
 * the momentum resets when {@code <Z_k - W_{k+1}, W_{k+1} - W_k> > 0}.
 *
 * <p>The stage test has two parts, and a stage ends when both hold, or after
 * {@code maxStageIterations}: (1) the gradient-mapping step {@code ||W_{k+1} - Z_k|| / max(1, ||W_{k+1}||)}
 * is at most {@code stageTolerance}, and (2) the upper level has stopped improving: over the last
 * window of {@code upperWindow} iterations of the stage Psi1 changed by at most
 * {@code upperTolerance * max(1, |Psi1|)} (checked at the end of each window; no stage ends before
 * its first window). A change, not a decrease: when eps drops, Psi1 first rises while the iterate
 * moves towards the lower level's solution set, and FISTA's Psi1 is not monotone; neither is a
 * stall. Part (1) alone is not enough when the lower level's solution set is a face on
 * which {@code Phi_k} is nearly flat: there the step is {@code 1/L_k}, with {@code L_k} set by the
 * stiff lower level, and the curvature along the face is {@code eps_k} times the upper level's
 * (the market's emissions preference: {@code eps_k mu delta}), so the gradient-mapping step falls
 * below any tolerance while the iterate is still travelling along the face, and later stages, with
 * smaller {@code eps_k}, travel slower still. Part (2) keeps a stage running while that travel still
 * lowers Psi1. Then {@code eps <- eps * factor}. The run converges when a stage with
 * {@code eps <= epsMin} ends by both tests.
 *
 * <p>The prox of {@code f2 + eps f1} is needed in closed form: this class takes problems whose four
 * terms are {@link BoxedQuadratic} with equal boxes per block (the upper and lower terms then sum
 * to one {@link BoxedQuadratic}) and says so otherwise.
 *
 * <p>Trace columns: {@code psi1, psi2, weight} (eps), {@code residual} (the gradient-mapping
 * step), {@code restarts}.
 *
 * <p>References: [1] A. N. Tikhonov, V. Y. Arsenin, <i>Solutions of Ill-Posed Problems</i>, 1977.
 * [2] M. Solodov, "An explicit descent method for bilevel convex optimization", J. Convex Anal.
 * 14 (2007). [3] A. Beck, M. Teboulle, "A fast iterative shrinkage-thresholding algorithm", SIAM J.
 * Imaging Sci. 2 (2009). [4] B. O'Donoghue, E. Candès, "Adaptive restart for accelerated gradient
 * schemes", Found. Comput. Math. 15 (2015).
 *
 * <p>Thread-safety: immutable; one instance may run several problems at once in different threads
 * (each run has its own state).
 *
 * @param eps0 the first weight, positive
 * @param factor the decrease per stage, in (0, 1)
 * @param epsMin the last weight, positive, at most eps0
 * @param maxStageIterations FISTA iterations per stage at most, at least 1
 * @param stageTolerance the gradient-mapping tolerance ending a stage, positive
 * @param upperWindow iterations per window of the upper-progress test, at least 1
 * @param upperTolerance the relative change of Psi1 per window at or below which the upper level has
 *     stopped improving, nonnegative
 */
public record TikhonovContinuation(double eps0, double factor, double epsMin, int maxStageIterations,
        double stageTolerance, int upperWindow, double upperTolerance)
        implements IterativeSolver<BlockCompositeBilevelProblem, BlockIterate, CompositeState> {

    /**
     * Validates.
     *
     * @param eps0 the first weight, positive
     * @param factor the decrease per stage, in (0, 1)
     * @param epsMin the last weight, positive, at most eps0
     * @param maxStageIterations FISTA iterations per stage at most, at least 1
     * @param stageTolerance the gradient-mapping tolerance ending a stage, positive
     * @param upperWindow iterations per window of the upper-progress test, at least 1
     * @param upperTolerance the relative change of Psi1 per window at or below which the upper level has
     *     stopped improving, nonnegative
     */
    public TikhonovContinuation {
        if (!(eps0 > 0) || !(epsMin > 0) || epsMin > eps0 || Double.isInfinite(eps0)) {
            throw new IllegalArgumentException("need 0 < epsMin <= eps0 < infinity, got eps0 = " + eps0
                    + ", epsMin = " + epsMin);
        }
        if (!(factor > 0 && factor < 1)) {
            throw new IllegalArgumentException("factor must be in (0, 1), got " + factor);
        }
        if (maxStageIterations < 1) {
            throw new IllegalArgumentException("maxStageIterations must be at least 1, got " + maxStageIterations);
        }
        if (!(stageTolerance > 0)) {
            throw new IllegalArgumentException("stageTolerance must be positive, got " + stageTolerance);
        }
        if (upperWindow < 1) {
            throw new IllegalArgumentException("upperWindow must be at least 1, got " + upperWindow);
        }
        if (!(upperTolerance >= 0) || Double.isInfinite(upperTolerance)) {
            throw new IllegalArgumentException("upperTolerance must be finite and nonnegative, got " + upperTolerance);
        }
    }

    /**
     * With the default upper-progress test: windows of {@link #DEFAULT_UPPER_WINDOW} iterations,
     * tolerance {@link #DEFAULT_UPPER_TOLERANCE}.
     *
     * @param eps0 the first Tikhonov weight eps_0, positive
     * @param factor the factor that divides eps between stages, above 1
     * @param epsMin the smallest eps, positive
     * @param maxStageIterations the iteration limit of one stage
     * @param stageTolerance the gradient-mapping tolerance that ends a stage
     */
    public TikhonovContinuation(double eps0, double factor, double epsMin, int maxStageIterations,
            double stageTolerance) {
        this(eps0, factor, epsMin, maxStageIterations, stageTolerance, DEFAULT_UPPER_WINDOW, DEFAULT_UPPER_TOLERANCE);
    }

    /** Default iterations per window of the upper-progress test. */
    public static final int DEFAULT_UPPER_WINDOW = 1000;

    /**
     * Default relative change of Psi1 per window at or below which the upper level has stopped
     * improving: tight, because along a nearly flat face Psi1 changes little per window while the
     * iterate is still far (the change per window is about the remaining gap times the window
     * over the number of iterations the face needs).
     */
    public static final double DEFAULT_UPPER_TOLERANCE = 1e-12;

    /**
     * eps from 1 down to 1e-9 by factors of 10, gradient-mapping tolerance 1e-11, the upper-progress
     * test with windows of 1000 iterations and tolerance 1e-12, at most 1 000 000 iterations per stage
     * (a safety net: the tests end the stages).
     *
     * @return the method with these defaults
     */
    public static TikhonovContinuation defaults() {
        return new TikhonovContinuation(1.0, 0.1, 1e-9, 1_000_000, 1e-11);
    }

    @Override
    public String name() {
        return "Tikhonov";
    }

    @Override
    public CompositeState init(BlockCompositeBilevelProblem problem, BlockIterate start, SolverOptions options) {
        requireBoxedQuadratic(problem);
        BoxedQuadratic.combine(1, (BoxedQuadratic) problem.f2(), 1, (BoxedQuadratic) problem.f1());
        BoxedQuadratic.combine(1, (BoxedQuadratic) problem.g2(), 1, (BoxedQuadratic) problem.g1());
        CompositeState s = new CompositeState(problem, start);
        s.weight = eps0;
        s.windowPsi1 = s.psi1;
        return s;
    }

    static void requireBoxedQuadratic(BlockCompositeBilevelProblem p) {
        if (!(p.f1() instanceof BoxedQuadratic) || !(p.f2() instanceof BoxedQuadratic)
                || !(p.g1() instanceof BoxedQuadratic) || !(p.g2() instanceof BoxedQuadratic)) {
            throw new IllegalArgumentException("Tikhonov continuation needs the prox of f2 + eps f1 and g2 + eps g1:"
                    + " all four terms must be BoxedQuadratic with equal boxes per block, got f1 = " + p.f1()
                    + ", f2 = " + p.f2() + ", g1 = " + p.g1() + ", g2 = " + p.g2());
        }
    }

    @Override
    public void step(BlockCompositeBilevelProblem p, CompositeState s) {
        double eps = s.weight;
        if (s.cachedEps != eps) {
            s.fx = BoxedQuadratic.combine(1, (BoxedQuadratic) p.f2(), eps, (BoxedQuadratic) p.f1());
            s.fy = BoxedQuadratic.combine(1, (BoxedQuadratic) p.g2(), eps, (BoxedQuadratic) p.g1());
            s.cachedEps = eps;
        }
        BoxedQuadratic fx = s.fx;
        BoxedQuadratic fy = s.fy;
        BlockCoupling h = p.coupling();
        // momentum point Z = (xMom, yMom); previous iterate W_k = (x, y) is kept in (xAux, yAux)
        double lip = (1 + eps) * (h.lipschitzX(s.yMom) + h.lipschitzY(s.xMom));
        double step = 1.0 / lip;
        h.gradientX(s.xMom, s.yMom, s.gx);
        h.gradientY(s.xMom, s.yMom, s.gy);
        s.xAux.setTo(s.x);
        s.yAux.setTo(s.y);
        MatOps.combine(1.0, s.xMom, -step * (1 + eps), s.gx, s.x);
        MatOps.combine(1.0, s.yMom, -step * (1 + eps), s.gy, s.y);
        fx.prox(s.x, step, s.x);
        fy.prox(s.y, step, s.y);
        // gradient-mapping step and restart test
        double moved = Math.sqrt(MatOps.normSq(diff(s.x, s.xMom, s.gx2)) + MatOps.normSq(diff(s.y, s.yMom, s.gy2)));
        double size = Math.sqrt(MatOps.normSq(s.x) + MatOps.normSq(s.y));
        s.residual = moved / Math.max(1.0, size);
        // <Z - W+, W+ - W>: gx2 = W+ - Z, so the test is <-(gx2), W+ - W> > 0
        double inner = -innerDiff(s.gx2, s.x, s.xAux) - innerDiff(s.gy2, s.y, s.yAux);
        double tPrev = s.momentum;
        s.evaluate();
        if (inner > 0) {
            s.momentum = 1.0;
            s.restarts++;
            s.xMom.setTo(s.x);
            s.yMom.setTo(s.y);
        } else {
            double tNext = 0.5 * (1 + Math.sqrt(1 + 4 * tPrev * tPrev));
            double beta = (tPrev - 1) / tNext;
            s.momentum = tNext;
            MatOps.combine(1 + beta, s.x, -beta, s.xAux, s.xMom);
            MatOps.combine(1 + beta, s.y, -beta, s.yAux, s.yMom);
        }
        s.iteration++;
        s.stageIteration++;
        if (s.stageIteration % upperWindow == 0) {
            double change = Math.abs(s.windowPsi1 - s.psi1) / Math.max(1.0, Math.abs(s.psi1));
            s.upperStalled = change <= upperTolerance;
            s.windowPsi1 = s.psi1;
        }
        boolean converged = s.residual <= stageTolerance && s.upperStalled;
        if (converged || s.stageIteration >= maxStageIterations) {
            if (eps <= epsMin * (1 + 1e-12)) {
                s.done = converged;
                if (!s.done) {
                    newStage(s);
                }
            } else {
                s.weight = Math.max(epsMin, eps * factor);
                newStage(s);
                s.momentum = 1.0;
                s.xMom.setTo(s.x);
                s.yMom.setTo(s.y);
            }
        }
    }

    private static void newStage(CompositeState s) {
        s.stageIteration = 0;
        s.upperStalled = false;
        s.windowPsi1 = s.psi1;
    }

    private static org.ejml.data.DMatrixRMaj diff(org.ejml.data.DMatrixRMaj a, org.ejml.data.DMatrixRMaj b,
            org.ejml.data.DMatrixRMaj out) {
        MatOps.combine(1.0, a, -1.0, b, out);
        return out;
    }

    private static double innerDiff(org.ejml.data.DMatrixRMaj d, org.ejml.data.DMatrixRMaj a,
            org.ejml.data.DMatrixRMaj b) {
        double s = 0;
        for (int i = 0; i < d.getNumElements(); i++) {
            s += d.data[i] * (a.data[i] - b.data[i]);
        }
        return s;
    }
}
