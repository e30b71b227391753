package org.bilevel4j.solver.minimax;

import static org.assertj.core.api.Assertions.assertThat;

import org.bilevel4j.function.Quadratic;
import org.bilevel4j.problem.Box;
import org.bilevel4j.problem.MinimaxBilevelPoint;
import org.bilevel4j.problem.MinimaxBilevelProblem;
import org.bilevel4j.solver.Result;
import org.bilevel4j.solver.SolverOptions;
import org.junit.jupiter.api.Test;

/** Issue 15: PenaltyMinimax says in the result's message that it projected a start outside the boxes. */
class StartOutsideBoxTest {

    @Test
    void aStartOutsideTheBoxIsReported() {
        // upper 1/2 (x - 1)^2 + 1/2 (y - 1)^2 over [-2, 2], lower 1/2 (y - x)^2 over [-2, 2]:
        // stacked [x; y] for the upper level, [x; y] for the lower level
        MinimaxBilevelProblem p = MinimaxBilevelProblem.builder(Box.cube(1, -2, 2), Box.none(), Box.cube(1, -2, 2),
                        Box.none())
                .upper(Quadratic.of(new double[][] {{1, 0}, {0, 1}}, new double[] {-1, -1}))
                .lower(Quadratic.of(new double[][] {{1, -1}, {-1, 1}}, new double[] {0, 0}))
                .build();
        MinimaxBilevelPoint start = MinimaxBilevelPoint.of(new double[] {5}, new double[0], new double[] {0},
                new double[0]);
        Result<MinimaxBilevelPoint> r = PenaltyMinimax.of(10).solve(p, start,
                SolverOptions.builder().maxIterations(3).build());
        assertThat(r.message()).contains("warning: the start's x1 = [5.0] lies outside X1 = ")
                .contains("the run started from its projection onto the box");
        Result<MinimaxBilevelPoint> inside = PenaltyMinimax.of(10).solve(p, p.centerPoint(),
                SolverOptions.builder().maxIterations(3).build());
        assertThat(inside.message()).doesNotContain("warning");
    }
}
