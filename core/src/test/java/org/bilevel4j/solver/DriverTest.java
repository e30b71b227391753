package org.bilevel4j.solver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared loop on a scalar fixed-point iteration x+ = x / 2 (+ a NaN on demand). */
class DriverTest {

    static final class HalvingState implements SolverState<Double> {
        double x;
        double good;
        int k;
        int nanAt = -1;

        HalvingState(double x0) {
            x = x0;
        }

        @Override
        public List<String> traceColumns() {
            return List.of("x");
        }

        @Override
        public void traceValues(double[] out) {
            out[0] = x;
        }

        @Override
        public double[] objectives() {
            return new double[] {x};
        }

        @Override
        public boolean isFinite() {
            return Double.isFinite(x);
        }

        @Override
        public void commit() {
            good = x;
        }

        @Override
        public void rollback() {
            x = good;
        }

        @Override
        public Double solution() {
            return x;
        }
    }

    static final class Halving implements IterativeSolver<Void, Double, HalvingState> {
        final int nanAt;
        final long sleepMillis;

        Halving(int nanAt, long sleepMillis) {
            this.nanAt = nanAt;
            this.sleepMillis = sleepMillis;
        }

        @Override
        public String name() {
            return "halving";
        }

        @Override
        public HalvingState init(Void problem, Double start, SolverOptions options) {
            return new HalvingState(start);
        }

        @Override
        public void step(Void problem, HalvingState s) {
            s.k++;
            s.x = s.k == nanAt ? Double.NaN : s.x / 2;
            if (sleepMillis > 0) {
                try {
                    Thread.sleep(sleepMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    @Test
    void runsToTheIterationLimitAndTracesEveryRow() {
        Result<Double> r = new Halving(-1, 0).solve(null, 1.0, SolverOptions.builder().maxIterations(10).build());
        assertThat(r.stopReason()).isEqualTo(StopReason.MAX_ITERATIONS);
        assertThat(r.iterations()).isEqualTo(10);
        assertThat(r.solution()).isEqualTo(1.0 / 1024);
        assertThat(r.trace().size()).isEqualTo(10);
        assertThat(r.trace().column("iteration")).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        assertThat(r.trace().columns()).containsExactly("iteration", "seconds", "x");
    }

    @Test
    void relativeChangeTestStopsWithConverged() {
        // |x_k - x_{k-1}| / max(1, |x_{k-1}|) = 2^-k <= 1e-3 first at k = 10
        Result<Double> r = new Halving(-1, 0).solve(null, 1.0,
                SolverOptions.builder().maxIterations(100).relativeTolerance(1e-3).build());
        assertThat(r.stopReason()).isEqualTo(StopReason.CONVERGED);
        assertThat(r.iterations()).isEqualTo(10);
    }

    @Test
    void zeroToleranceSwitchesTheRelativeChangeTestOff() {
        // x reaches 0 after about 1075 halvings and then stops changing: the run must go on anyway
        Result<Double> r = new Halving(-1, 0).solve(null, 1.0, SolverOptions.builder().maxIterations(2000).build());
        assertThat(r.stopReason()).isEqualTo(StopReason.MAX_ITERATIONS);
        assertThat(r.iterations()).isEqualTo(2000);
    }

    @Test
    void nonFiniteValueRollsBackToTheLastGoodIterate() {
        Result<Double> r = new Halving(4, 0).solve(null, 1.0, SolverOptions.builder().maxIterations(100).build());
        assertThat(r.stopReason()).isEqualTo(StopReason.DIVERGED);
        assertThat(r.iterations()).isEqualTo(3);
        assertThat(r.solution()).isEqualTo(0.125);
        assertThat(r.trace().size()).isEqualTo(4);
        assertThat(r.trace().lastValue("x")).isNaN();
    }

    @Test
    void timeLimitStopsTheRun() {
        Result<Double> r = new Halving(-1, 20).solve(null, 1.0,
                SolverOptions.builder().maxIterations(1_000_000).timeLimit(Duration.ofMillis(100)).build());
        assertThat(r.stopReason()).isEqualTo(StopReason.TIME_LIMIT);
        assertThat(r.iterations()).isBetween(1, 50);
        // it stops after the first iteration that ends past the limit, not before: the last recorded time is at
        // the limit (less the moment between the two clock readings), the one before it below the limit
        double[] seconds = r.trace().column("seconds");
        assertThat(r.trace().column("iteration")).hasSize(r.iterations());
        assertThat(seconds[seconds.length - 1]).isGreaterThanOrEqualTo(0.099);
        if (seconds.length > 1) {
            assertThat(seconds[seconds.length - 2]).isLessThan(0.1);
        }
    }

    @Test
    void traceEveryKeepsFirstLastAndMultiples() {
        Result<Double> r = new Halving(-1, 0).solve(null, 1.0,
                SolverOptions.builder().maxIterations(23).traceEvery(10).build());
        assertThat(r.trace().column("iteration")).containsExactly(1, 10, 20, 23);
    }

    @Test
    void csvHasHeaderAndExactValues(@TempDir Path dir) throws IOException {
        Result<Double> r = new Halving(-1, 0).solve(null, 3.0, SolverOptions.builder().maxIterations(3).build());
        Path csv = dir.resolve("trace.csv");
        r.trace().writeCsv(csv);
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).isEqualTo("iteration,seconds,x");
        String[] last = lines.get(3).split(",");
        assertThat(last[0]).isEqualTo("3");
        assertThat(Double.parseDouble(last[2])).isEqualTo(0.375);
        try (var files = Files.list(dir)) {
            assertThat(files.count()).as("no temporary file left").isEqualTo(1);
        }
    }

    @Test
    void listenerSeesEveryIterationAndTheFinish() {
        int[] seen = new int[1];
        StopReason[] finished = new StopReason[1];
        IterationListener l = new IterationListener() {
            @Override
            public void onIteration(IterationInfo info) {
                seen[0]++;
                assertThat(info.get("x")).isCloseTo(Math.pow(0.5, info.iteration()), within(1e-15));
            }

            @Override
            public void onFinish(StopReason reason, int iterations, double seconds) {
                finished[0] = reason;
            }
        };
        new Halving(-1, 0).solve(null, 1.0, SolverOptions.builder().maxIterations(12).build(), l);
        assertThat(seen[0]).isEqualTo(12);
        assertThat(finished[0]).isEqualTo(StopReason.MAX_ITERATIONS);
    }
}
