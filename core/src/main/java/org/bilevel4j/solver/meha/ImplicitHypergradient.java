package org.bilevel4j.solver.meha;

import java.util.Objects;
import org.bilevel4j.linalg.MatOps;
import org.bilevel4j.problem.BilevelProblem;
import org.bilevel4j.problem.LowerHessianProducts;
import org.bilevel4j.problem.PairIterate;
import org.bilevel4j.solver.IterativeSolver;
import org.bilevel4j.solver.SolverOptions;
import org.ejml.data.DMatrixRMaj;

/**
 * Gradient descent on the hyperobjective {@code h(x) = F(x, y*(x))} with the implicit
 * hypergradient, for a smooth lower level f that is strongly convex in y (no g, Y the whole space):
 * <pre>
 *   grad h(x) = grad_x F(x, y*) - grad^2_xy f(x, y*) q,   grad^2_yy f(x, y*) q = grad_y F(x, y*).
 * </pre>
 * One iteration: solve the lower level from the previous y by gradient steps until
 * {@code ||grad_y f|| <= innerTolerance}; solve the adjoint system for q by
 * {@link ConjugateGradient} on Hessian-vector products (warm-started); step
 * {@code x+ = proj_X(x - outerStep grad h(x))}. The products come from the problem when it
 * implements {@link LowerHessianProducts}, and from
 * {@link FiniteDifferenceHessianProducts} otherwise (see {@link #hessianProductsOf}).
 *
 * <p>Trace columns: {@code F, hypergradient_norm, inner_iterations, inner_grad_norm,
 * cg_iterations, cg_residual}, and the reference errors when the problem has a reference.
 *
 * <p>Thread-safety: immutable; one instance may run several problems at once in different threads
 * (each run has its own state).
 */
public final class ImplicitHypergradient
        implements IterativeSolver<BilevelProblem, PairIterate, ImplicitHypergradientState> {

    private final ImplicitHypergradientOptions options;

    /** @param options the configuration */
    public ImplicitHypergradient(ImplicitHypergradientOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /** @return the configuration */
    public ImplicitHypergradientOptions options() {
        return options;
    }

    @Override
    public String name() {
        return "implicit-CG";
    }

    /**
     * @return the problem itself when it implements {@link LowerHessianProducts} (analytic
     *     products), else central finite differences of its gradients
     * @param problem the problem
     */
    public static LowerHessianProducts hessianProductsOf(BilevelProblem problem) {
        return problem instanceof LowerHessianProducts h ? h : new FiniteDifferenceHessianProducts(problem);
    }

    private static void requireSmoothUnconstrained(BilevelProblem problem) {
        if (problem.hasNonsmoothLower() || problem.constrainedY()) {
            throw new IllegalArgumentException("the implicit hypergradient needs a smooth, unconstrained lower level"
                    + " (g = 0, Y the whole space): use MEHA or BOME for this problem");
        }
    }

    @Override
    public ImplicitHypergradientState init(BilevelProblem problem, PairIterate start, SolverOptions solverOptions) {
        requireSmoothUnconstrained(problem);
        return new ImplicitHypergradientState(problem, start, hessianProductsOf(problem));
    }

    @Override
    public void step(BilevelProblem problem, ImplicitHypergradientState s) {
        ImplicitHypergradientOptions o = options;
        int inner = solveLower(problem, s.x, s.y, s.gy, o.innerStep(), o.innerMaxIterations(), o.innerTolerance());
        s.innerIterations = inner;
        s.innerGradNorm = Math.sqrt(MatOps.normSq(s.gy));
        ConjugateGradient.Outcome cg = hypergradient(problem, s.hessian, s.x, s.y, s.adjoint, o.cgMaxIterations(),
                o.cgTolerance(), s.hypergradient);
        s.cgIterations = cg.iterations();
        s.cgResidual = cg.relativeResidual();
        s.hypergradientNorm = Math.sqrt(MatOps.normSq(s.hypergradient));
        MatOps.combine(1.0, s.x, -o.outerStep(), s.hypergradient, s.x);
        problem.projectX(s.x, s.x);
        s.iteration++;
        s.upperValue = problem.upperValue(s.x, s.y);
    }

    /**
     * Gradient descent on {@code f(x, .)} from y until {@code ||grad_y f(x, y)|| <= tolerance}.
     *
     * @param y modified: start on entry, the approximate minimizer on exit
     * @param gy modified: {@code grad_y f(x, y)} at the returned y
     * @return the number of steps taken
     * @param problem the problem
     * @param x the point x, not modified
     * @param step the gradient step, positive
     * @param maxIterations the iteration limit
     * @param tolerance the tolerance on {@code ||grad_y f||}
     */
    public static int solveLower(BilevelProblem problem, DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj gy, double step,
            int maxIterations, double tolerance) {
        problem.lowerSmoothGradientY(x, y, gy);
        int k = 0;
        while (k < maxIterations && Math.sqrt(MatOps.normSq(gy)) > tolerance) {
            MatOps.combine(1.0, y, -step, gy, y);
            problem.lowerSmoothGradientY(x, y, gy);
            k++;
        }
        return k;
    }

    /**
     * The implicit hypergradient at (x, y), y a lower-level solution:
     * {@code out = grad_x F(x, y) - grad^2_xy f(x, y) q} with {@code grad^2_yy f(x, y) q = grad_y F(x, y)}.
     *
     * @param adjoint modified: start of the CG solve on entry (warm start; zeros for none), q on exit
     * @param out modified: the hypergradient
     * @return the outcome of the CG solve
     * @param problem the problem
     * @param hessian the Hessian-vector products of the lower level
     * @param x the point x, not modified
     * @param y the point y, not modified
     * @param cgMaxIterations the iteration limit of conjugate gradients
     * @param cgTolerance the residual tolerance of conjugate gradients
     */
    public static ConjugateGradient.Outcome hypergradient(BilevelProblem problem, LowerHessianProducts hessian,
            DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj adjoint, int cgMaxIterations, double cgTolerance,
            DMatrixRMaj out) {
        requireSmoothUnconstrained(problem);
        DMatrixRMaj b = new DMatrixRMaj(y.numRows, y.numCols);
        problem.upperGradientY(x, y, b);
        ConjugateGradient.Outcome cg = ConjugateGradient.solve((v, hv) -> hessian.hessianYY(x, y, v, hv), b, adjoint,
                cgMaxIterations, cgTolerance);
        DMatrixRMaj cross = new DMatrixRMaj(x.numRows, x.numCols);
        hessian.crossXY(x, y, adjoint, cross);
        problem.upperGradientX(x, y, out);
        MatOps.combine(1.0, out, -1.0, cross, out);
        return cg;
    }
}
