package org.bilevel4j.apps.perf;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import org.bilevel4j.apps.video.Clip;
import org.bilevel4j.apps.video.Corruption;
import org.bilevel4j.apps.video.SyntheticClip;
import org.bilevel4j.linalg.Gemm;
import org.bilevel4j.solver.SolverOptions;
import org.bilevel4j.solver.baseline.LowRankSparse;
import org.bilevel4j.solver.baseline.RobustPca;
import org.bilevel4j.solver.baseline.RobustPcaState;
import org.ejml.data.DMatrixRMaj;

/**
 * Seconds per iteration of robust PCA (inexact ALM of Lin, Chen and Ma 2010,
 * {@link RobustPca}, with its partial SVD) on the matrix of the video experiment: a clip generated
 * by {@link SyntheticClip} (static textured background, moving discs) corrupted by the BINNO
 * paper's protocol ({@link Corruption#paper()}: rank-9 truncation L0, 5% of the entries get
 * {@code 0.33 * sign * |L0|}). One iteration is
 * <pre>
 *   S+ = shrink_{lambda/mu}(M - L + Y/mu),  L+ = SVT_{1/mu}(M - S+ + Y/mu),  Y+ = Y + mu (M - L+ - S+)
 * </pre>
 * so besides the singular value thresholding it makes a handful of elementwise passes over m x n
 * matrices; the SVT computes only the leading triplets (randomized range finder with power
 * iterations) while the predicted rank is small. The report gives each timed iteration's seconds
 * and the number of triplets its SVT computed, and the seconds of one streaming pass over M
 * ({@code 8 m n} bytes at the measured bandwidth, {@link MachineFloor}) as a yardstick.
 */
public final class RpcaBench {

    private RpcaBench() {
    }

    /** The sizes: a small clip (48 x 48 pixels, 50 frames) and the full-resolution one (320 x 240, 500 frames). */
    public enum Size {
        /** 2304 x 50. */
        SMALL("small", 48, 48, 50, 1, 5),
        /** 76800 x 500. */
        LARGE("large", 240, 320, 500, 1, 4);

        private final String label;
        private final int height;
        private final int width;
        private final int frames;
        private final int warmup;
        private final int iterations;

        Size(String label, int height, int width, int frames, int warmup, int iterations) {
            this.label = label;
            this.height = height;
            this.width = width;
            this.frames = frames;
            this.warmup = warmup;
            this.iterations = iterations;
        }

        /** @return the name used on the command line */
        public String label() {
            return label;
        }

        /** @return rows of M (pixels) */
        public int m() {
            return height * width;
        }

        /** @return columns of M (frames) */
        public int n() {
            return frames;
        }

        /** @return untimed iterations before the timed ones */
        public int warmup() {
            return warmup;
        }

        /** @return timed iterations by default */
        public int defaultIterations() {
            return iterations;
        }

        /** @return the size named {@code label} */
        public static Size of(String label) {
            for (Size s : values()) {
                if (s.label.equals(label)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown size '" + label + "' (expected small or large)");
        }
    }

    /**
     * One size's timing.
     *
     * @param size the size's name
     * @param m rows of M
     * @param n columns of M
     * @param secondsPerIteration median of the timed iterations (wall time)
     * @param cpuSecondsPerIteration median of the timed iterations' process CPU time (all threads;
     *     NaN where the JVM does not report it)
     * @param seconds each timed iteration's seconds, in order
     * @param triplets the singular triplets each timed iteration's SVT computed ({@code min(m, n)}
     *     for a full SVD)
     * @param passSeconds one streaming read of M at the measured bandwidth
     * @param bandwidthGBs the measured bandwidth
     * @param loadBefore load average before the run
     * @param loadAfter load average after it
     */
    public record Row(String size, int m, int n, double secondsPerIteration, double cpuSecondsPerIteration,
            double[] seconds, int[] triplets,
            double passSeconds, double bandwidthGBs, double loadBefore, double loadAfter) {

        /** @return the median iteration in passes over M */
        public double passes() {
            return secondsPerIteration / passSeconds;
        }

        /** @return whether other work competed for the processors */
        public boolean contended() {
            return Math.max(loadBefore, loadAfter) > Runtime.getRuntime().availableProcessors() + 0.5;
        }
    }

    /** @return the corrupted synthetic clip of a size (the matrix the video experiment would see) */
    public static DMatrixRMaj data(Size size, long seed) {
        Clip clip = SyntheticClip.generate(size.height, size.width, size.frames, 4, seed);
        return Corruption.paper().apply(clip.data(), seed).observed();
    }

    /**
     * Measures the bandwidth, then times robust PCA.
     *
     * @param iterations timed iterations; 0 for the size's default
     * @param bandwidthBytes array size for the bandwidth measurement
     * @param progress receives one line per stage
     */
    public static Row run(Size size, int iterations, long seed, long bandwidthBytes, Consumer<String> progress) {
        Objects.requireNonNull(progress, "progress");
        if (iterations < 0) {
            throw new IllegalArgumentException("iterations must be nonnegative, got " + iterations);
        }
        int it = iterations > 0 ? iterations : size.defaultIterations();
        double loadBefore = loadAverage();
        int threads = Gemm.threads();
        progress.accept("measuring the bandwidth (" + (bandwidthBytes >> 20) + " MiB read)");
        double bandwidth = MachineFloor.bandwidth(bandwidthBytes, threads,
                MachineFloor.BANDWIDTH_REPETITIONS);
        progress.accept(String.format(Locale.ROOT, "generating the %s clip (%d x %d) and its corruption", size.label,
                size.m(), size.n()));
        DMatrixRMaj m = data(size, seed);
        progress.accept(String.format(Locale.ROOT, "timing robust PCA: %d warm-up + %d iterations", size.warmup, it));
        RobustPca rpca = new RobustPca();
        RobustPcaState state = rpca.init(m, LowRankSparse.zeros(m.numRows, m.numCols),
                SolverOptions.builder().maxIterations(size.warmup + it).seed(seed).build());
        double[] trace = new double[state.traceColumns().size()];
        int tripletColumn = state.traceColumns().indexOf("svd_rank");
        for (int i = 0; i < size.warmup; i++) {
            rpca.step(m, state);
        }
        double[] t = new double[it];
        double[] cpu = new double[it];
        int[] triplets = new int[it];
        for (int i = 0; i < it; i++) {
            long c0 = processCpuNanos();
            long t0 = System.nanoTime();
            rpca.step(m, state);
            t[i] = (System.nanoTime() - t0) * 1e-9;
            cpu[i] = c0 < 0 ? Double.NaN : (processCpuNanos() - c0) * 1e-9;
            state.traceValues(trace);
            triplets[i] = (int) trace[tripletColumn];
            progress.accept(String.format(Locale.ROOT, "  iteration %d: %.3f s, %d triplets", size.warmup + i + 1,
                    t[i], triplets[i]));
        }
        if (!state.isFinite()) {
            throw new IllegalStateException("the benchmark run diverged");
        }
        double pass = 8.0 * m.numRows * m.numCols / bandwidth;
        return new Row(size.label, m.numRows, m.numCols, median(t), median(cpu), t, triplets, pass, bandwidth / 1e9,
                loadBefore, loadAverage());
    }

    private static double median(double[] v) {
        double[] sorted = v.clone();
        Arrays.sort(sorted);
        int k = sorted.length;
        return k % 2 == 1 ? sorted[k / 2] : 0.5 * (sorted[k / 2 - 1] + sorted[k / 2]);
    }

    /** @return the process CPU time in nanoseconds, or -1 where the JVM does not report it */
    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
