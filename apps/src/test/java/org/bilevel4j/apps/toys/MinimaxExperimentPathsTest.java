package org.bilevel4j.apps.toys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.bilevel4j.apps.toys.MinimaxExperiment.Outcome;
import org.bilevel4j.apps.toys.MinimaxExperiment.PathPoint;
import org.bilevel4j.apps.toys.MinimaxExperiment.Settings;
import org.bilevel4j.problem.MinimaxBilevelPoint;
import org.bilevel4j.solver.Result;
import org.bilevel4j.solver.SolverOptions;
import org.bilevel4j.solver.StopReason;
import org.bilevel4j.solver.minimax.PenaltyMinimax;
import org.bilevel4j.solver.minimax.PenaltyMinimaxState;
import org.bilevel4j.solver.minimax.StochasticPenaltyMinimax;
import org.junit.jupiter.api.Test;

/**
 * The experiment driver's bookkeeping on short runs: the stochastic variant against the solver's own
 * {@code solve} (same seed, same budget rule), the number of outer steps the budget buys, the path's
 * first point (the start) and its geometric spacing, and the seconds against the caller's own clock.
 */
class MinimaxExperimentPathsTest {

    private static final double RHO = 30;

    private static StochasticPenaltyMinimax solver(Settings s) {
        return StochasticPenaltyMinimax.builder(s.rho()).epsConstant(s.effectiveEps() * s.rho()).batchSize(s.batch())
                .componentBudget(s.budget()).build();
    }

    /** Component calls of the start-up (the Jacobian estimate) for a seed. */
    private static long startupCalls(long seed) {
        Settings s = Settings.stochastic(RHO, 10, 1_000_000, seed);
        T1FiniteSum fs = new T1FiniteSum(MinimaxExperiment.FINITE_SUM_COMPONENTS, 1.0, 42);
        return solver(s).init(fs.sampled(), fs.deterministic().start(), SolverOptions.builder().seed(seed).build())
                .componentCalls();
    }

    private static void checkPath(Outcome o, MinimaxToy toy, long startCalls, MinimaxBilevelPoint start) {
        List<PathPoint> path = o.path();
        assertThat(path.get(0).gradientCalls()).isEqualTo(startCalls);
        assertThat(path.get(0).error()).isEqualTo(toy.error(start));
        assertThat(path.get(0).gap()).isEqualTo(toy.lowerGap(start));
        // recorded each time the calls grow by 5 %; the final point closes the path
        for (int i = 1; i < path.size() - 1; i++) {
            assertThat((double) path.get(i).gradientCalls()).as("point %d", i)
                    .isGreaterThanOrEqualTo(1.05 * path.get(i - 1).gradientCalls());
        }
        PathPoint last = path.get(path.size() - 1);
        assertThat(last.gradientCalls()).isEqualTo(o.gradientCalls());
        assertThat(last.error()).isEqualTo(o.error());
        assertThat(last.gap()).isEqualTo(o.gap());
    }

    @Test
    void aStochasticRunIsTheSolversOwnRunWithinTheBudget() {
        long seed = 3;
        long startup = startupCalls(seed);
        Settings probe = Settings.stochastic(RHO, 10, 1_000_000, seed);
        long perStep = solver(probe).callsPerOuterStep();
        // buys exactly 40 outer steps: past the first few, the calls grow by less than 5 % a step, so the path
        // skips steps and its last point is added at the end
        long budget = startup + 40 * perStep + perStep / 2;
        Settings s = Settings.stochastic(RHO, 10, budget, seed);
        long t0 = System.nanoTime();
        Outcome o = MinimaxExperiment.run(s);
        double elapsed = (System.nanoTime() - t0) * 1e-9;
        assertThat(o.iterations()).isEqualTo(40);
        assertThat(o.stopReason()).isEqualTo(StopReason.MAX_ITERATIONS);
        assertThat(o.gradientCalls()).isEqualTo(startup + 40 * perStep).isLessThanOrEqualTo(budget);
        assertThat(o.gradientCalls()).isEqualTo((long) o.trace().lastValue("component_calls"));
        assertThat(o.seconds()).isPositive().isLessThanOrEqualTo(elapsed);
        assertThat(o.callsUnit()).isEqualTo("component-gradient calls");
        assertThat(o.note()).isEqualTo("finite-sum T1: N = 100, minibatch 10, seed 3, budget " + budget);
        // the same run through the solver's own solve, which applies the same budget rule
        T1FiniteSum fs = new T1FiniteSum(100, 1.0, 42);
        Result<MinimaxBilevelPoint> r = solver(s).solve(fs.sampled(), fs.deterministic().start(),
                SolverOptions.builder().maxIterations(Integer.MAX_VALUE).seed(seed).build());
        assertThat(r.iterations()).isEqualTo(40);
        assertThat(o.path().size()).isLessThan(41);
        assertThat(o.solution().toArray()).containsExactly(r.solution().toArray());
        MinimaxToy t1 = new T1StronglyConvexConcave();
        assertThat(o.error()).isEqualTo(t1.error(r.solution()));
        assertThat(o.description()).isEqualTo(t1.description());
        checkPath(o, t1, startup, t1.start());
    }

    @Test
    void aBudgetOfExactlyOneOuterStepRunsOneAndOneCallLessIsRefused() {
        long seed = 5;
        long startup = startupCalls(seed);
        long perStep = solver(Settings.stochastic(RHO, 10, 1_000_000, seed)).callsPerOuterStep();
        Outcome one = MinimaxExperiment.run(Settings.stochastic(RHO, 10, startup + perStep, seed));
        assertThat(one.iterations()).isEqualTo(1);
        assertThat(one.gradientCalls()).isEqualTo(startup + perStep);
        assertThatThrownBy(() -> MinimaxExperiment.run(Settings.stochastic(RHO, 10, startup + perStep - 1, seed)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("budget " + (startup + perStep - 1) + " does not cover one outer step");
    }

    @Test
    void aDeterministicRunsPathStartsAtTheStartAndItsSecondsAreItsOwn() {
        Settings s = new Settings("T1", 10, Double.NaN, false, 10, 1, 0, 300);
        MinimaxToy t1 = new T1StronglyConvexConcave();
        PenaltyMinimax pm = PenaltyMinimax.builder(s.rho()).eps(s.effectiveEps()).build();
        PenaltyMinimaxState st = pm.init(t1.problem(), t1.start(),
                SolverOptions.builder().maxIterations(s.maxIterations()).build());
        long t0 = System.nanoTime();
        Outcome o = MinimaxExperiment.run(s);
        double elapsed = (System.nanoTime() - t0) * 1e-9;
        assertThat(o.callsUnit()).isEqualTo("gradient calls");
        assertThat(o.note()).isEmpty();
        assertThat(o.seconds()).isPositive().isLessThanOrEqualTo(elapsed);
        assertThat(o.path().size()).isGreaterThan(3);
        checkPath(o, t1, st.gradientCalls(), st.solution());
    }
}
