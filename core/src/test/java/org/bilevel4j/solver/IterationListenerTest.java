package org.bilevel4j.solver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Listener composition: {@link IterationListener#every} and {@link IterationListener#andThen}. */
class IterationListenerTest {

    /** Records every call as a line, with a fixed answer to isCancelled. */
    static class Recorder implements IterationListener {
        final String tag;
        final List<String> log;
        boolean cancel;

        Recorder(String tag, List<String> log) {
            this.tag = tag;
            this.log = log;
        }

        @Override
        public void onStart(String solver, SolverOptions options) {
            log.add(tag + " start " + solver + " " + options.maxIterations());
        }

        @Override
        public void onIteration(IterationInfo info) {
            log.add(tag + " " + info.iteration());
        }

        @Override
        public boolean isCancelled() {
            return cancel;
        }

        @Override
        public void onFinish(StopReason reason, int iterations, double seconds) {
            log.add(tag + " " + reason + " " + iterations + " " + seconds);
        }
    }

    private static IterationInfo info(int k) {
        return new IterationInfo(k, 0.5 * k, List.of("x"), new double[] {k});
    }

    private static void drive(IterationListener l, int iterations) {
        l.onStart("s", SolverOptions.builder().maxIterations(iterations).build());
        for (int k = 1; k <= iterations; k++) {
            l.onIteration(info(k));
        }
        l.onFinish(StopReason.MAX_ITERATIONS, iterations, 2.5);
    }

    @Test
    void everyForwardsTheMultiplesOfKAndEveryOtherCall() {
        List<String> log = new ArrayList<>();
        Recorder inner = new Recorder("a", log);
        IterationListener l = IterationListener.every(3, inner);
        drive(l, 7);
        assertThat(log).containsExactly("a start s 7", "a 3", "a 6", "a MAX_ITERATIONS 7 2.5");
        assertThat(l.isCancelled()).isFalse();
        inner.cancel = true;
        assertThat(l.isCancelled()).isTrue();

        log.clear();
        drive(IterationListener.every(1, new Recorder("b", log)), 2);
        assertThat(log).containsExactly("b start s 2", "b 1", "b 2", "b MAX_ITERATIONS 2 2.5");
        assertThatThrownBy(() -> IterationListener.every(0, inner)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("k must be at least 1, got 0");
    }

    @Test
    void andThenCallsThisOneThenTheOtherAndCancelsIfEitherDoes() {
        List<String> log = new ArrayList<>();
        Recorder a = new Recorder("a", log);
        Recorder b = new Recorder("b", log);
        IterationListener both = a.andThen(b);
        drive(both, 2);
        assertThat(log).containsExactly("a start s 2", "b start s 2", "a 1", "b 1", "a 2", "b 2",
                "a MAX_ITERATIONS 2 2.5", "b MAX_ITERATIONS 2 2.5");
        for (int mask = 0; mask < 4; mask++) {
            a.cancel = (mask & 1) != 0;
            b.cancel = (mask & 2) != 0;
            assertThat(both.isCancelled()).as("a %s, b %s", a.cancel, b.cancel).isEqualTo(mask != 0);
        }
    }

    /** In a run: every(2, ...) composed with a cancelling listener stops the driver. */
    @Test
    void composedListenersDriveARun() {
        List<String> log = new ArrayList<>();
        Recorder counter = new Recorder("c", log) {
            @Override
            public boolean isCancelled() {
                return log.size() >= 4; // start + iterations 2, 4, 6 forwarded
            }
        };
        double[][] script = new double[11][];
        java.util.Arrays.fill(script, new double[] {1});
        Result<Integer> r = Driver.run(new DriverRulesTest.Stepper(0), null, new DriverRulesTest.Scripted(script),
                SolverOptions.builder().maxIterations(10).build(),
                IterationListener.none().andThen(IterationListener.every(2, counter)));
        assertThat(r.stopReason()).isEqualTo(StopReason.CANCELLED);
        assertThat(r.iterations()).isEqualTo(6);
        assertThat(log.subList(0, 4)).containsExactly("c start stepper 10", "c 2", "c 4", "c 6");
        assertThat(log.get(4)).startsWith("c CANCELLED 6 ");
    }
}
