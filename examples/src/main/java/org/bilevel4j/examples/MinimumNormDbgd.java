package org.bilevel4j.examples;

import org.bilevel4j.function.GradientCheck;
import org.bilevel4j.function.LeastSquares;
import org.bilevel4j.problem.SimpleBilevelProblem;
import org.bilevel4j.solver.Result;
import org.bilevel4j.solver.SolverOptions;
import org.bilevel4j.solver.simple.Dbgd;
import org.bilevel4j.solver.simple.Stationarity;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The minimum-norm solution of an underdetermined least-squares problem by DBGD:
 * <pre>
 *   minimize 1/2 ||x||^2   over   x in argmin 1/2 ||A x - b||^2,
 *   A = [1 1 0; 0 1 1],  b = (1, 2),   closed form  x* = A^T (A A^T)^{-1} b = (0, 1, 1).
 * </pre>
 * With a constant step DBGD stalls at a floor {@code ||grad g||^2 ~ L eta ||grad f_perp||^2 / (2 beta)}
 * (see {@link Dbgd}): a large barrier weight {@code beta} and a small step {@code eta} lower it, as long
 * as {@code beta eta L_g < 2} (else the run diverges, and its message says why). With
 * {@code beta = 100, eta = 1e-3} ({@code beta eta L_g = 0.3}) the error is about 7e-4 after 20000 iterations.
 */
public final class MinimumNormDbgd {

    private MinimumNormDbgd() {
    }

    /** The closed-form answer. */
    public static final double[] EXACT = {0, 1, 1};

    /**
     * Solves the problem.
     *
     * @param maxIterations the iteration limit
     * @return DBGD's result
     */
    public static Result<DMatrixRMaj> solve(int maxIterations) {
        LeastSquares g = LeastSquares.of(new double[][] {{1, 1, 0}, {0, 1, 1}}, new double[] {1, 2});
        LeastSquares f = new LeastSquares(CommonOps_DDRM.identity(3), new DMatrixRMaj(3, 1)); // 1/2 ||x||^2
        SimpleBilevelProblem problem = SimpleBilevelProblem.builder().upper(f).lower(g).build();

        DMatrixRMaj start = new DMatrixRMaj(3, 1, true, 1, -1, 2);
        GradientCheck.check(problem, start).forEach(r -> r.requireBelow(GradientCheck.DEFAULT_TOLERANCE));

        // inside the stable range: eta <= 1 / max(L_f, L_g) = 1/3 and beta eta L_g = 0.3 < 2
        Dbgd dbgd = Dbgd.of(100, 1e-3, Stationarity.of(1e-9));
        return dbgd.solve(problem, start, SolverOptions.builder().maxIterations(maxIterations).build());
    }

    /**
     * Prints the solution next to the closed form.
     *
     * @param args none
     */
    public static void main(String[] args) {
        Result<DMatrixRMaj> r = solve(20_000);
        System.out.println(r.stopReason() + " after " + r.iterations() + " iterations: " + r.message());
        System.out.printf("x = (%.6f, %.6f, %.6f), closed form (0, 1, 1)%n", r.solution().get(0), r.solution().get(1),
                r.solution().get(2));
    }
}
