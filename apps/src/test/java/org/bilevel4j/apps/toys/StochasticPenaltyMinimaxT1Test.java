package org.bilevel4j.apps.toys;

import static org.assertj.core.api.Assertions.assertThat;

import org.bilevel4j.problem.MinimaxBilevelPoint;
import org.bilevel4j.solver.Result;
import org.bilevel4j.solver.SolverOptions;
import org.bilevel4j.solver.StopReason;
import org.bilevel4j.solver.minimax.StochasticPenaltyMinimax;
import org.junit.jupiter.api.Test;

/** Issue 7: finite-sum T1 (N = 100), minibatch 10, rho = 30, within 2 million component-gradient calls. */
class StochasticPenaltyMinimaxT1Test {

    private static final long BUDGET = 2_000_000;

    private static Result<MinimaxBilevelPoint> run(T1FiniteSum fs, long seed) {
        StochasticPenaltyMinimax s = StochasticPenaltyMinimax.builder(30).batchSize(10).componentBudget(BUDGET)
                .build();
        return s.solve(fs.sampled(), fs.deterministic().start(),
                SolverOptions.builder().maxIterations(Integer.MAX_VALUE).seed(seed).traceEvery(100).build());
    }

    @Test
    void meanErrorOverFiveSeedsIsBelow5e2WithinTheBudget() {
        T1FiniteSum fs = new T1FiniteSum(100, 1.0, 42);
        double sum = 0;
        for (long seed = 1; seed <= 5; seed++) {
            Result<MinimaxBilevelPoint> r = run(fs, seed);
            assertThat(r.stopReason()).isEqualTo(StopReason.MAX_ITERATIONS);
            double calls = r.trace().lastValue("component_calls");
            assertThat(calls).isLessThanOrEqualTo(BUDGET).isGreaterThan(0.99 * BUDGET);
            double err = fs.deterministic().error(r.solution());
            assertThat(err).isLessThan(0.1);
            sum += err;
        }
        assertThat(sum / 5).isLessThan(5e-2);
    }

    @Test
    void theSameSeedGivesTheSameRunAndAnotherSeedAnotherOne() {
        T1FiniteSum fs = new T1FiniteSum(100, 1.0, 42);
        StochasticPenaltyMinimax s = StochasticPenaltyMinimax.builder(30).componentBudget(100_000).build();
        SolverOptions o = SolverOptions.builder().maxIterations(Integer.MAX_VALUE).seed(3).build();
        MinimaxBilevelPoint a = s.solve(fs.sampled(), fs.deterministic().start(), o).solution();
        MinimaxBilevelPoint b = s.solve(fs.sampled(), fs.deterministic().start(), o).solution();
        MinimaxBilevelPoint c = s.solve(fs.sampled(), fs.deterministic().start(), o.withSeed(4)).solution();
        assertThat(a.toArray()).containsExactly(b.toArray());
        assertThat(a.toArray()).isNotEqualTo(c.toArray());
    }
}
