package org.bilevel4j.solver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The shared loop's stop rules on scripted fake states: the objective values after each step are
 * given in advance, so every stop (bound, non-finite value, relative change, own test, limits,
 * cancellation) happens at an iteration computed by hand from the rule.
 */
class DriverRulesTest {

    /** Objectives {@code script[k]} after k steps; the solution is the iteration number of the iterate. */
    static final class Scripted implements SolverState<Integer> {
        final double[][] script;
        int k;
        int good = -1; // no commit yet
        int nonFiniteIterateAt = -1;
        int convergedAt = -1;
        List<String> names;
        List<String> warnings = List.of();

        Scripted(double[]... script) {
            this.script = script;
        }

        @Override
        public List<String> traceColumns() {
            List<String> c = new ArrayList<>();
            for (int i = 0; i < script[0].length; i++) {
                c.add("v" + i);
            }
            return c;
        }

        @Override
        public void traceValues(double[] out) {
            System.arraycopy(script[k], 0, out, 0, out.length);
        }

        @Override
        public double[] objectives() {
            return script[k].clone();
        }

        @Override
        public List<String> objectiveNames() {
            return names == null ? SolverState.super.objectiveNames() : names;
        }

        @Override
        public List<String> warnings() {
            return warnings;
        }

        @Override
        public boolean isFinite() {
            return k != nonFiniteIterateAt;
        }

        @Override
        public void commit() {
            good = k;
        }

        @Override
        public void rollback() {
            k = good;
        }

        @Override
        public Integer solution() {
            return k;
        }

        @Override
        public boolean converged() {
            return k == convergedAt;
        }
    }

    /** Steps through the script, optionally sleeping in every step. */
    static final class Stepper implements IterativeSolver<Void, Integer, Scripted> {
        final long sleepMillis;

        Stepper(long sleepMillis) {
            this.sleepMillis = sleepMillis;
        }

        @Override
        public String name() {
            return "stepper";
        }

        @Override
        public Scripted init(Void problem, Integer start, SolverOptions options) {
            throw new UnsupportedOperationException("the tests pass an initialized state");
        }

        @Override
        public void step(Void problem, Scripted s) {
            s.k++;
            if (sleepMillis > 0) {
                try {
                    Thread.sleep(sleepMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private static Result<Integer> run(Scripted s, SolverOptions o) {
        return Driver.run(new Stepper(0), null, s, o, IterationListener.none());
    }

    private static SolverOptions maxIter(int n) {
        return SolverOptions.builder().maxIterations(n).build();
    }

    private static String boundMessage(String name, double value, int k, double bound, double start, int kept) {
        return name + " = " + value + " at iteration " + k + " is beyond the divergence bound " + bound
                + " (min(1e100, 1e50 max(1, |start value|)), start value " + start + "); kept the iterate of iteration "
                + kept;
    }

    /**
     * Start value 1e10: bound min(1e100, 1e50 * 1e10) = 1e60. |v| = 1e60 is on the bound (allowed, also
     * negative); the next double above it is beyond it. The run keeps iterate 2 and traces row 3.
     */
    @Test
    void theGrowthBoundIsRelativeToTheStartValueAndInclusive() {
        double bound = 1e50 * 1e10; // 1e60 up to the rounding of the product
        double over = -Math.nextUp(bound);
        Scripted s = new Scripted(new double[] {1e10}, new double[] {bound}, new double[] {-bound}, new double[] {over},
                new double[] {0});
        Result<Integer> r = run(s, maxIter(10));
        assertThat(r.stopReason()).isEqualTo(StopReason.DIVERGED);
        assertThat(r.ok()).isFalse();
        assertThat(r.iterations()).isEqualTo(2);
        assertThat(r.solution()).isEqualTo(2);
        assertThat(r.message()).isEqualTo(boundMessage("objective[0]", over, 3, bound, 1e10, 2));
        assertThat(r.trace().size()).isEqualTo(3);
        assertThat(r.trace().last()).containsExactly(3.0, r.trace().lastValue("seconds"), over);
        assertThat(r.trace().column("v0")).containsExactly(bound, -bound, over);
    }

    /**
     * Start values 0.5 and 1e60: bounds 1e50 (max(1, 0.5) = 1) and min(1e100, 1e110) = 1e100. The
     * second value leaves its bound at iteration 2 while the first sits on its own: the message names
     * objective[1] (default name), its value, bound and start value.
     */
    @Test
    void eachValueHasItsOwnBoundAndTheMessageNamesTheOneThatLeftIt() {
        Scripted s = new Scripted(new double[] {0.5, 1e60}, new double[] {1e50, 1e100}, new double[] {-1e50, -1.5e100},
                new double[] {0, 0});
        assertThat(s.objectiveNames()).containsExactly("objective[0]", "objective[1]");
        Result<Integer> r = run(s, maxIter(10));
        assertThat(r.stopReason()).isEqualTo(StopReason.DIVERGED);
        assertThat(r.solution()).isEqualTo(1);
        assertThat(r.message()).isEqualTo(boundMessage("objective[1]", -1.5e100, 2, 1e100, 1e60, 1));
        assertThat(r.trace().last()).containsExactly(2.0, r.trace().lastValue("seconds"), -1e50, -1.5e100);

        // given names are used; a value without a name gets the default one
        Scripted named = new Scripted(new double[] {1, 1}, new double[] {2e50, 0}, new double[] {0, 0});
        named.names = List.of("psi1");
        assertThat(run(named, maxIter(10)).message()).isEqualTo(boundMessage("psi1", 2e50, 1, 1e50, 1, 0));
        Scripted unnamed = new Scripted(new double[] {1, 1}, new double[] {0, 2e50}, new double[] {0, 0});
        unnamed.names = List.of("psi1");
        assertThat(run(unnamed, maxIter(10)).message()).isEqualTo(boundMessage("objective[1]", 2e50, 1, 1e50, 1, 0));
    }

    @Test
    void aNonFiniteObjectiveOfAFiniteIterateIsDivergence() {
        Scripted s = new Scripted(new double[] {1}, new double[] {0.5}, new double[] {Double.POSITIVE_INFINITY},
                new double[] {0});
        Result<Integer> r = run(s, maxIter(10));
        assertThat(r.stopReason()).isEqualTo(StopReason.DIVERGED);
        assertThat(r.solution()).isEqualTo(1);
        assertThat(r.iterations()).isEqualTo(1);
        assertThat(r.message()).isEqualTo("non-finite value at iteration 2; kept the iterate of iteration 1");
        assertThat(r.trace().column("iteration")).containsExactly(1, 2);
        assertThat(r.trace().lastValue("v0")).isInfinite();
    }

    /** A non-finite first step rolls back to the start, which the driver committed before the loop. */
    @Test
    void aNonFiniteFirstStepKeepsTheStart() {
        Scripted s = new Scripted(new double[] {1}, new double[] {2}, new double[] {3});
        s.nonFiniteIterateAt = 1;
        Result<Integer> r = run(s, maxIter(10));
        assertThat(r.stopReason()).isEqualTo(StopReason.DIVERGED);
        assertThat(r.solution()).isZero();
        assertThat(r.iterations()).isZero();
        assertThat(r.message()).isEqualTo("non-finite value at iteration 1; kept the iterate of iteration 0");
        assertThat(r.trace().size()).isEqualTo(1);

        Scripted bad = new Scripted(new double[] {1}, new double[] {2});
        bad.nonFiniteIterateAt = 0;
        assertThatThrownBy(() -> run(bad, maxIter(10))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("stepper: the start point has non-finite values");
    }

    /** The change is measured relative to max(1, |previous|): 100 -> 99 is a change of 1/100. */
    @Test
    void theRelativeChangeIsScaledByThePreviousValue() {
        Scripted s = new Scripted(new double[] {100}, new double[] {99}, new double[] {0});
        Result<Integer> r = run(s, SolverOptions.builder().maxIterations(2).relativeTolerance(0.0101).build());
        assertThat(r.stopReason()).isEqualTo(StopReason.CONVERGED);
        assertThat(r.iterations()).isEqualTo(1);
        assertThat(r.message()).isEqualTo("converged after 1 iterations");
        assertThat(Driver.relativeChange(new double[] {100, -0.5}, new double[] {99, 0.25})).isEqualTo(0.75);
        assertThat(Driver.relativeChange(new double[] {-200, 0}, new double[] {-100, 0})).isEqualTo(0.5);
    }

    /** Changes 1/2, 1/4, 1/8: a tolerance of exactly 1/4 stops at iteration 2 (the test is "at most"). */
    @Test
    void aChangeEqualToTheToleranceConverges() {
        Scripted s = new Scripted(new double[] {1}, new double[] {0.5}, new double[] {0.25}, new double[] {0.125});
        Result<Integer> r = run(s, SolverOptions.builder().maxIterations(3).relativeTolerance(0.25).build());
        assertThat(r.stopReason()).isEqualTo(StopReason.CONVERGED);
        assertThat(r.iterations()).isEqualTo(2);
    }

    /** A constant objective has change 0 from the first step, but the test may fire only from minIterations on. */
    @Test
    void theRelativeChangeTestWaitsForMinIterations() {
        double[][] script = new double[6][];
        Arrays.fill(script, new double[] {1});
        Result<Integer> r = run(new Scripted(script),
                SolverOptions.builder().maxIterations(5).relativeTolerance(1e-3).minIterations(3).build());
        assertThat(r.stopReason()).isEqualTo(StopReason.CONVERGED);
        assertThat(r.iterations()).isEqualTo(3);
    }

    /** With no watched values the relative change is infinite: only the limits stop the run. */
    @Test
    void withoutObjectivesTheRelativeChangeTestNeverFires() {
        double[][] script = new double[4][0];
        Result<Integer> r = run(new Scripted(script), SolverOptions.builder().maxIterations(3).relativeTolerance(0.5)
                .build());
        assertThat(r.stopReason()).isEqualTo(StopReason.MAX_ITERATIONS);
        assertThat(r.iterations()).isEqualTo(3);
        assertThat(r.ok()).isTrue();
        assertThat(Driver.relativeChange(new double[0], new double[0])).isInfinite();
    }

    @Test
    void theStatesOwnTestStopsTheRunAndWarningsAreAppended() {
        double[][] script = new double[6][];
        for (int k = 0; k < 6; k++) {
            script[k] = new double[] {k};
        }
        Scripted s = new Scripted(script);
        s.convergedAt = 2;
        s.warnings = List.of("step above 1/L", "fallback in 1 iteration");
        Result<Integer> r = run(s, maxIter(5));
        assertThat(r.stopReason()).isEqualTo(StopReason.CONVERGED);
        assertThat(r.solution()).isEqualTo(2);
        assertThat(r.message()).isEqualTo(
                "converged after 2 iterations; warning: step above 1/L; warning: fallback in 1 iteration");
        Scripted t = new Scripted(script);
        t.warnings = List.of("w");
        assertThat(run(t, maxIter(5)).message()).isEqualTo("reached the iteration limit of 5; warning: w");
    }

    /** A finite time limit that is not reached: the iteration limit stops the run. */
    @Test
    void aFiniteTimeLimitThatIsNotReachedLetsTheIterationLimitStop() {
        double[][] script = new double[6][];
        Arrays.fill(script, new double[] {1});
        Result<Integer> r = run(new Scripted(script),
                SolverOptions.builder().maxIterations(5).timeLimit(Duration.ofHours(1)).build());
        assertThat(r.stopReason()).isEqualTo(StopReason.MAX_ITERATIONS);
        assertThat(r.iterations()).isEqualTo(5);
        assertThat(r.message()).isEqualTo("reached the iteration limit of 5");
    }

    /**
     * Steps of at least 20 ms against a limit of 100 ms: every traced iteration but the last was
     * inside the limit, the run's seconds are at least the limit and at most the wall time the test
     * measured around it, and the listener sees the trace's seconds and the result's.
     */
    @Test
    void theTimeLimitStopsAfterTheStepThatReachesIt() {
        double[][] script = new double[1001][];
        Arrays.fill(script, new double[] {1});
        List<Double> seen = new ArrayList<>();
        double[] finished = new double[2];
        IterationListener l = new IterationListener() {
            @Override
            public void onIteration(IterationInfo info) {
                seen.add(info.seconds());
            }

            @Override
            public void onFinish(StopReason reason, int iterations, double seconds) {
                finished[0] = iterations;
                finished[1] = seconds;
            }
        };
        long before = System.nanoTime();
        Result<Integer> r = Driver.run(new Stepper(20), null, new Scripted(script),
                SolverOptions.builder().maxIterations(1000).timeLimit(Duration.ofMillis(100)).build(), l);
        double wall = (System.nanoTime() - before) * 1e-9;
        assertThat(r.stopReason()).isEqualTo(StopReason.TIME_LIMIT);
        assertThat(r.message()).isEqualTo("reached the time limit after " + r.iterations() + " iterations");
        // every step sleeps at least 20 ms, so the 100 ms are up after the fifth step at the latest (sooner
        // when sleeps overrun on a loaded machine); it stops at the first step that reaches them
        assertThat(r.iterations()).isBetween(1, 5);
        assertThat(r.seconds()).isBetween(0.1, wall);
        double[] sec = r.trace().column("seconds");
        assertThat(sec).hasSize(r.iterations());
        for (int i = 0; i < sec.length; i++) {
            assertThat(sec[i]).as("row %d", i).isGreaterThanOrEqualTo(0.02 * (i + 1)).isLessThanOrEqualTo(r.seconds());
            if (i < sec.length - 1) {
                assertThat(sec[i]).as("row %d", i).isLessThan(0.1);
            }
            assertThat(seen.get(i)).isEqualTo(sec[i]);
        }
        assertThat(finished).containsExactly(r.iterations(), r.seconds());
    }

    /** The listener hears the start with the solver's name and options, and can cancel the run. */
    @Test
    void aListenerSeesTheStartAndCancels() {
        double[][] script = new double[11][];
        Arrays.fill(script, new double[] {1});
        SolverOptions o = maxIter(10);
        List<String> events = new ArrayList<>();
        IterationListener l = new IterationListener() {
            @Override
            public void onStart(String solver, SolverOptions options) {
                events.add("start " + solver + " " + (options == o));
            }

            @Override
            public void onIteration(IterationInfo info) {
                events.add("it " + info.iteration());
            }

            @Override
            public boolean isCancelled() {
                return events.size() > 3;
            }

            @Override
            public void onFinish(StopReason reason, int iterations, double seconds) {
                events.add(reason + " " + iterations);
            }
        };
        Result<Integer> r = Driver.run(new Stepper(0), null, new Scripted(script), o, l);
        assertThat(events).containsExactly("start stepper true", "it 1", "it 2", "it 3", "CANCELLED 3");
        assertThat(r.stopReason()).isEqualTo(StopReason.CANCELLED);
        assertThat(r.ok()).isFalse();
        assertThat(r.solution()).isEqualTo(3);
        assertThat(r.message()).isEqualTo("cancelled after 3 iterations");
        assertThat(r.solver()).isEqualTo("stepper");
        assertThat(r.trace().column("iteration")).containsExactly(1, 2, 3);
    }

    @Test
    void okIsFalseExactlyForDivergedAndCancelled() {
        for (StopReason reason : StopReason.values()) {
            Result<Integer> r = new Result<>(0, new Trace(List.of()), reason, 0, 0, "s", "m");
            assertThat(r.ok()).as(reason.name())
                    .isEqualTo(reason != StopReason.DIVERGED && reason != StopReason.CANCELLED);
        }
    }
}
