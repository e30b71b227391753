package org.bilevel4j.examples;

import org.bilevel4j.function.GradientCheck;
import org.bilevel4j.function.Quadratic;
import org.bilevel4j.problem.Box;
import org.bilevel4j.problem.MinimaxBilevelPoint;
import org.bilevel4j.problem.MinimaxBilevelProblem;
import org.bilevel4j.solver.Result;
import org.bilevel4j.solver.SolverOptions;
import org.bilevel4j.solver.minimax.PenaltyMinimax;

/**
 * A scalar bilevel problem by the penalty minimax method:
 * <pre>
 *   minimize_{x in [-3, 3]}  1/2 x^2 + 1/2 (y - 2)^2   subject to   y in argmin_{y in [-3, 3]} 1/2 (y - x)^2,
 * </pre>
 * whose lower level gives {@code y = x}, so the closed form is {@code x* = y* = 1}, value 1. The
 * penalty method's solution is {@code O(1/rho)} away from the bilevel one: {@code |x - 1| rho} stays
 * below 1 (about 0.62, 0.39, 0.33 at rho = 10, 100, 1000).
 */
public final class PenaltyMinimaxScalar {

    private PenaltyMinimaxScalar() {
    }

    /** The closed-form answer x* = y*. */
    public static final double EXACT = 1.0;

    /**
     * Solves the problem at one penalty level.
     *
     * @param rho the penalty parameter
     * @param maxIterations the iteration limit
     * @return the penalty method's result
     */
    public static Result<MinimaxBilevelPoint> solve(double rho, int maxIterations) {
        // upper level f on [x; y]: 1/2 x^2 + 1/2 y^2 - 2 y (+ 2, a constant the method does not need)
        // lower level ft on [x; y]: 1/2 (y - x)^2 = 1/2 [x y] [1 -1; -1 1] [x y]^T
        MinimaxBilevelProblem problem = MinimaxBilevelProblem.builder(Box.cube(1, -3, 3), Box.none(),
                        Box.cube(1, -3, 3), Box.none())
                .upper(Quadratic.of(new double[][] {{1, 0}, {0, 1}}, new double[] {0, -2}))
                .lower(Quadratic.of(new double[][] {{1, -1}, {-1, 1}}, new double[] {0, 0}))
                .build();
        MinimaxBilevelPoint start = problem.centerPoint();
        GradientCheck.check(problem, MinimaxBilevelPoint.of(new double[] {0.3}, new double[0], new double[] {-0.2},
                new double[0])).forEach(r -> r.requireBelow(GradientCheck.DEFAULT_TOLERANCE));
        return PenaltyMinimax.of(rho).solve(problem, start, SolverOptions.builder().maxIterations(maxIterations)
                .build());
    }

    /**
     * Prints the solutions at growing rho next to the closed form.
     *
     * @param args none
     */
    public static void main(String[] args) {
        for (double rho : new double[] {10, 100, 1000}) {
            Result<MinimaxBilevelPoint> r = solve(rho, 20_000);
            double x = r.solution().x1().get(0);
            System.out.printf("rho = %6.0f: x = %.6f, y = %.6f, |x - 1| rho = %.3f (%s)%n", rho, x,
                    r.solution().y1().get(0), Math.abs(x - EXACT) * rho, r.stopReason());
        }
    }
}
