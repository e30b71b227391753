package org.bilevel4j.examples;

import org.bilevel4j.function.GradientCheck;
import org.bilevel4j.function.IndNonnegative;
import org.bilevel4j.function.LeastSquares;
import org.bilevel4j.function.NormL1;
import org.bilevel4j.problem.BilevelProblem;
import org.bilevel4j.problem.PairIterate;
import org.bilevel4j.solver.Result;
import org.bilevel4j.solver.SolverOptions;
import org.bilevel4j.solver.meha.Meha;
import org.bilevel4j.solver.meha.MehaOptions;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The weight of a lasso-type (soft-threshold) lower level chosen by MEHA:
 * <pre>
 *   minimize_{x >= 0}  1/2 ||y - c||^2   subject to   y in argmin_y 1/2 ||y - a||^2 + x ||y||_1,
 * </pre>
 * whose lower level has the solution {@code y(x) = soft(a, x)}. With {@code a = (3, 1)} and
 * {@code c = (2.5, 0.5)}, for {@code 0 <= x <= 1}: {@code y(x) = (3 - x, 1 - x)} and the upper value is
 * {@code (1/2 - x)^2}, so the closed form is {@code x* = 1/2}, {@code y* = (2.5, 0.5)}, value 0.
 */
public final class LassoHyperparameterMeha {

    private LassoHyperparameterMeha() {
    }

    /** The closed-form weight. */
    public static final double EXACT_X = 0.5;

    /** The closed-form lower-level solution. */
    public static final double[] EXACT_Y = {2.5, 0.5};

    /**
     * Solves the problem.
     *
     * @param maxIterations the iteration limit
     * @return MEHA's result
     */
    public static Result<PairIterate> solve(int maxIterations) {
        DMatrixRMaj a = new DMatrixRMaj(2, 1, true, 3, 1);
        DMatrixRMaj c = new DMatrixRMaj(2, 1, true, 2.5, 0.5);
        BilevelProblem problem = BilevelProblem.builder(1, 2)
                .upperOfY(new LeastSquares(CommonOps_DDRM.identity(2), c))        // F = 1/2 ||y - c||^2
                .lowerSmoothOfY(new LeastSquares(CommonOps_DDRM.identity(2), a))  // f = 1/2 ||y - a||^2
                .lowerNonsmoothWeightedByX(new NormL1(1.0))                      // g = x ||y||_1
                .setX(new IndNonnegative())
                .build();

        PairIterate start = new PairIterate(new DMatrixRMaj(1, 1, true, 0.1), new DMatrixRMaj(2, 1));
        GradientCheck.check(problem, start.x(), start.y())
                .forEach(r -> r.requireBelow(GradientCheck.DEFAULT_TOLERANCE));

        Meha meha = new Meha(MehaOptions.paper());
        return meha.solve(problem, start, SolverOptions.builder().maxIterations(maxIterations).build());
    }

    /**
     * Prints the solution next to the closed form.
     *
     * @param args none
     */
    public static void main(String[] args) {
        Result<PairIterate> r = solve(20_000);
        System.out.println(r.stopReason() + " after " + r.iterations() + " iterations: " + r.message());
        System.out.printf("x = %.6f (closed form 0.5), y = (%.6f, %.6f) (closed form (2.5, 0.5))%n",
                r.solution().x().get(0), r.solution().y().get(0), r.solution().y().get(1));
    }
}
