package org.bilevel4j.apps.perf;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import org.bilevel4j.apps.factorization.SparseLowRank;
import org.bilevel4j.apps.factorization.SyntheticFactorization;
import org.bilevel4j.problem.BlockCompositeBilevelProblem;
import org.bilevel4j.problem.FactorizationCoupling;
import org.bilevel4j.solver.SolverOptions;
import org.bilevel4j.solver.binno.Binno;
import org.bilevel4j.solver.binno.BinnoState;
import org.bilevel4j.solver.binno.BinnoWeights;
import org.ejml.data.DMatrixRMaj;

/**
 * Seconds per BINNO iteration against the machine floor (DESIGN.md, "Performance model").
 *
 * <p>For each size: a synthetic sparse low-rank matrix ({@link SyntheticFactorization}, rank r,
 * 30% nonzero factors, noise 0.01), the sparse low-rank problem of the traffic-video experiment
 * (upper level {@code 0.05 ||X||_1 + 0.05 ||Y||_1}, lower level {@code 0.01 ||X||_* + 0.01 ||Y||_*}),
 * BINNO with midpoint weights from the uniform start; warm-up iterations, then every iteration
 * timed on its own, and the median reported. The floor is measured in the same process first
 * ({@link MachineFloor}); {@code ratio = seconds per iteration / floor}.
 */
public final class BinnoBench {

    /** Least seconds of warm-up iterations before timing (JIT compilation). */
    public static final double WARMUP_SECONDS = 3.0;

    /** Upper-level (l1) weight of the benchmark problem. */
    public static final double LAMBDA = 0.05;

    /** Lower-level (nuclear norm) weight of the benchmark problem. */
    public static final double GAMMA = 0.01;

    private BinnoBench() {
    }

    /**
     * The benchmark sizes: a small clip (48 x 48 pixels, 50 frames), the shapes of the papers' own
     * experiments (the synthetic problem, the traffic clip, the escalator clip) and a 320 x 240 clip
     * of 500 frames.
     */
    public enum Size {
        /** 100 x 80, rank 5: the synthetic experiment of the BINNO paper. */
        DEMO("demo", 100, 80, 5, 20000, 2000),
        /** 2304 x 50, rank 9. */
        SMALL("small", 2304, 50, 9, 50, 200),
        /** 2304 x 51, rank 9: the UCSD traffic clip (48 x 48 pixels, 51 frames). */
        TRAFFIC("traffic", 2304, 51, 9, 2000, 400),
        /** 20800 x 198, rank 9: the escalator clip (130 x 160 pixels, 198 frames). */
        ESCALATOR("escalator", 20800, 198, 9, 10, 60),
        /** 76800 x 500, rank 10. */
        LARGE("large", 76800, 500, 10, 4, 15);

        private final String label;
        private final int m;
        private final int n;
        private final int r;
        private final int warmup;
        private final int iterations;

        Size(String label, int m, int n, int r, int warmup, int iterations) {
            this.label = label;
            this.m = m;
            this.n = n;
            this.r = r;
            this.warmup = warmup;
            this.iterations = iterations;
        }

        /** @return the name used on the command line */
        public String label() {
            return label;
        }

        /** @return rows of M */
        public int m() {
            return m;
        }

        /** @return columns of M */
        public int n() {
            return n;
        }

        /** @return the rank */
        public int r() {
            return r;
        }

        /** @return warm-up iterations before timing */
        public int warmup() {
            return warmup;
        }

        /** @return timed iterations by default */
        public int defaultIterations() {
            return iterations;
        }

        /**
         * @param label the size's name, as {@code --sizes} takes it
         * @return the size named {@code label} (case-insensitive)
         * @throws IllegalArgumentException for an unknown name, listing the known ones
         */
        public static Size of(String label) {
            for (Size s : values()) {
                if (s.label.equalsIgnoreCase(label.trim())) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown size '" + label + "': expected one of "
                    + Arrays.stream(values()).map(Size::label).toList());
        }
    }

    /**
     * One row of the table.
     *
     * @param size the size's name
     * @param m rows of M
     * @param n columns of M
     * @param r rank
     * @param iterations timed iterations
     * @param secondsPerIteration median seconds per iteration
     * @param minSecondsPerIteration fastest iteration
     * @param bandwidthGBs the machine's bandwidth, GB/s
     * @param gemmGflops the machine's multiply rate, GFLOP/s
     * @param floorSeconds {@code max(16 m n / bandwidth, Binno.productFlops(m, n, r) / rate)}
     * @param ratio {@code secondsPerIteration / floorSeconds}
     */
    public record Row(String size, int m, int n, int r, int iterations, double secondsPerIteration,
            double minSecondsPerIteration, double bandwidthGBs, double gemmGflops, double floorSeconds, double ratio) {
    }

    /**
     * A whole run.
     *
     * @param machine the floor measurement
     * @param rows one row a size, in the order asked
     * @param loadBefore system load average (1 minute) before the run, -1 if unknown
     * @param loadAfter system load average after the run, -1 if unknown
     * @param processors available processors
     */
    public record Report(MachineFloor.Measurement machine, List<Row> rows, double loadBefore, double loadAfter,
            int processors) {

        /** @return whether other work competed for the processors (load average above their number) */
        public boolean contended() {
            return Math.max(loadBefore, loadAfter) > processors + 0.5;
        }
    }

    /**
     * Measures the floor, then times every size.
     *
     * @param sizes the sizes, in order
     * @param iterations timed iterations per size; 0 for each size's default
     * @param seed seed of the data and the start
     * @param bandwidthBytes array size for the bandwidth measurement
     * @param gemmSize side of the square product
     * @param progress receives one line per stage (may ignore it)
     * @return the floor measurement, one row per size, and the load average before and after
     */
    public static Report run(List<Size> sizes, int iterations, long seed, long bandwidthBytes, int gemmSize,
            Consumer<String> progress) {
        Objects.requireNonNull(progress, "progress");
        if (iterations < 0) {
            throw new IllegalArgumentException("iterations must be nonnegative, got " + iterations);
        }
        double loadBefore = loadAverage();
        progress.accept("measuring the machine floor (bandwidth of a " + (bandwidthBytes >> 20)
                + " MiB read, " + gemmSize + "^2 product)");
        MachineFloor.Measurement machine = MachineFloor.measure(bandwidthBytes, gemmSize);
        List<Row> rows = new ArrayList<>();
        for (Size s : sizes) {
            int it = iterations > 0 ? iterations : s.defaultIterations();
            progress.accept(String.format(Locale.ROOT, "timing %s (%d x %d, r = %d): %d warm-up + %d iterations",
                    s.label(), s.m(), s.n(), s.r(), untimedIterations(s.warmup(), s.m(), s.n(), s.r()), it));
            rows.add(time(s, s.warmup(), it, seed, machine));
        }
        return new Report(machine, List.copyOf(rows), loadBefore, loadAverage(),
                Runtime.getRuntime().availableProcessors());
    }

    /**
     * Times one size against a floor measurement.
     *
     * @param s the size (m, n, r)
     * @param warmup untimed iterations before the timed ones (at least {@link #WARMUP_SECONDS} of them run)
     * @param iterations timed iterations, at least 1
     * @param seed seed of the data and the start
     * @param machine the floor measured in the same run
     * @return the median and fastest seconds per iteration and the ratio of the median to the floor
     */
    public static Row time(Size s, int warmup, int iterations, long seed, MachineFloor.Measurement machine) {
        double[] t = iterationSeconds(s.m(), s.n(), s.r(), warmup, iterations, seed);
        double[] sorted = t.clone();
        Arrays.sort(sorted);
        double median = median(sorted);
        double floor = machine.binnoFloorSeconds(s.m(), s.n(), s.r());
        return new Row(s.label(), s.m(), s.n(), s.r(), iterations, median, sorted[0], machine.bandwidthGBs(),
                machine.gemmGflops(), floor, median / floor);
    }

    /**
     * @param m rows of the data matrix
     * @param n columns of the data matrix
     * @param r the rank of the data and of the factors
     * @param seed seed of the synthetic data
     * @return the benchmark problem on a synthetic m x n matrix of rank r
     */
    public static BlockCompositeBilevelProblem problem(int m, int n, int r, long seed) {
        DMatrixRMaj data = SyntheticFactorization.generate(m, n, r, 0.3, 0.01, seed).observed();
        return SparseLowRank.problem(new FactorizationCoupling(data, r), LAMBDA, LAMBDA, GAMMA, GAMMA);
    }

    /**
     * Seconds of each of {@code iterations} BINNO (midpoint) iterations after {@code warmup}
     * untimed ones (and at least {@link #WARMUP_SECONDS} of them, and at least {@link Binno#settlingIterations},
     * so that the timed ones are the steady state that the floor counts),
     * on the benchmark problem.
     *
     * @param m rows of the data matrix
     * @param n columns of the data matrix
     * @param r the rank of the data and of the factors
     * @param warmup untimed iterations, at least 0
     * @param iterations timed iterations, at least 1
     * @param seed seed of the data and the start
     * @return the seconds of each timed iteration, in order
     */
    public static double[] iterationSeconds(int m, int n, int r, int warmup, int iterations, long seed) {
        if (iterations < 1 || warmup < 0) {
            throw new IllegalArgumentException("need at least one timed iteration and no negative warm-up");
        }
        BlockCompositeBilevelProblem problem = problem(m, n, r, seed);
        Binno binno = new Binno(BinnoWeights.MIDPOINT);
        BinnoState state = binno.init(problem, problem.uniformStart(seed),
                SolverOptions.builder().maxIterations(warmup + iterations).seed(seed).build());
        // warm up for the iterations asked and at least WARMUP_SECONDS, so that the JIT has compiled
        // the kernels (at 100 x 80 an iteration takes tens of microseconds)
        int untimed = untimedIterations(warmup, m, n, r);
        long w0 = System.nanoTime();
        for (int i = 0; i < untimed || (System.nanoTime() - w0) * 1e-9 < WARMUP_SECONDS; i++) {
            binno.step(problem, state);
        }
        double[] t = new double[iterations];
        for (int i = 0; i < iterations; i++) {
            long t0 = System.nanoTime();
            binno.step(problem, state);
            t[i] = (System.nanoTime() - t0) * 1e-9;
        }
        if (!Double.isFinite(state.psi1()) || !Double.isFinite(state.psi2())) {
            throw new IllegalStateException("the benchmark run diverged");
        }
        return t;
    }

    /** The untimed iterations before the timed ones: those asked, and at least {@link Binno#settlingIterations}. */
    private static int untimedIterations(int warmup, int m, int n, int r) {
        return Math.max(warmup, Binno.settlingIterations(m, n, r));
    }

    private static double median(double[] sorted) {
        int k = sorted.length;
        return k % 2 == 1 ? sorted[k / 2] : 0.5 * (sorted[k / 2 - 1] + sorted[k / 2]);
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
