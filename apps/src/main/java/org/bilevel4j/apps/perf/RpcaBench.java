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
import org.bilevel4j.solver.baseline.Nmf;
import org.bilevel4j.solver.baseline.NmfState;
import org.bilevel4j.solver.baseline.RobustPca;
import org.bilevel4j.solver.baseline.RobustPcaState;
import org.bilevel4j.solver.baseline.StablePcp;
import org.bilevel4j.solver.baseline.StablePcpState;
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
        /** 2304 x 51: the shape of the UCSD traffic clip (48 x 48 pixels, 51 frames). */
        TRAFFIC("traffic", 48, 48, 51, 200, 40),
        /** 20800 x 198: the shape of the escalator clip (130 x 160 pixels, 198 frames). */
        ESCALATOR("escalator", 130, 160, 198, 3, 10),
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

        /**
         * @param label the size's name, as {@code --size} takes it
         * @return the size named {@code label}
         */
        public static Size of(String label) {
            for (Size s : values()) {
                if (s.label.equals(label)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown size '" + label + "': expected one of "
                    + Arrays.stream(values()).map(Size::label).toList());
        }
    }

    /** The method timed: robust PCA (the default), stable PCP or NMF, each with its defaults. */
    public enum Method {
        /** Robust PCA, inexact ALM ({@link RobustPca}). */
        RPCA("rpca", "robust PCA (inexact ALM, partial SVD)"),
        /** Stable PCP, accelerated proximal gradient with continuation ({@link StablePcp}). */
        PCP("pcp", "stable PCP (APG with continuation)"),
        /** Lee-Seung multiplicative updates at rank 9 ({@link Nmf}). */
        NMF("nmf", "NMF (multiplicative updates, rank 9)");

        private final String label;
        private final String description;

        Method(String label, String description) {
            this.label = label;
            this.description = description;
        }

        /** @return the name used on the command line */
        public String label() {
            return label;
        }

        /** @return a description for the report */
        public String description() {
            return description;
        }

        /**
         * @param label the method's name, as {@code --method} takes it
         * @return the method named {@code label} (case-insensitive)
         */
        public static Method of(String label) {
            for (Method m : values()) {
                if (m.label.equalsIgnoreCase(label.trim())) {
                    return m;
                }
            }
            throw new IllegalArgumentException("unknown method '" + label + "': expected one of "
                    + Arrays.stream(values()).map(Method::label).toList());
        }
    }

    /**
     * One size's timing.
     *
     * @param size the size's name
     * @param m rows of M
     * @param n columns of M
     * @param secondsPerIteration median of the timed iterations (wall time)
     * @param cpuSecondsPerIteration the CPU time of the JVM's threads over the timed iterations
     *     together, divided by their number (NaN where the JVM does not report it)
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

    /**
     * @param size the clip's shape
     * @param seed seed of the clip and of the corruption
     * @return the corrupted synthetic clip of a size (the matrix the video experiment would see)
     */
    public static DMatrixRMaj data(Size size, long seed) {
        Clip clip = SyntheticClip.generate(size.height, size.width, size.frames, 4, seed);
        return Corruption.paper().apply(clip.data(), seed).observed();
    }

    /**
     * Measures the bandwidth, then times robust PCA.
     *
     * @param size the clip's shape
     * @param iterations timed iterations; 0 for the size's default
     * @param seed seed of the clip and of the corruption
     * @param bandwidthBytes array size for the bandwidth measurement
     * @param progress receives one line per stage
     * @return the seconds of each iteration, their median, CPU seconds per iteration, the seconds of one
     *     pass over the data and the load
     */
    public static Row run(Size size, int iterations, long seed, long bandwidthBytes, Consumer<String> progress) {
        return run(size, Method.RPCA, iterations, seed, bandwidthBytes, progress);
    }

    /**
     * Measures the bandwidth, then times one method's iterations ({@link Method#RPCA}: as
     * {@link #run(Size, int, long, long, Consumer)}). NMF reports 0 triplets.
     *
     * @param size the clip's shape
     * @param method the method timed
     * @param iterations timed iterations; 0 for the size's default
     * @param seed seed of the clip and of the corruption
     * @param bandwidthBytes array size for the bandwidth measurement
     * @param progress receives one line per stage
     * @return the seconds of each iteration, their median, CPU seconds per iteration, the seconds of one
     *     pass over the data and the load
     */
    public static Row run(Size size, Method method, int iterations, long seed, long bandwidthBytes,
            Consumer<String> progress) {
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
        progress.accept(String.format(Locale.ROOT, "timing %s: %d warm-up + %d iterations", method.label, size.warmup,
                it));
        SolverOptions options = SolverOptions.builder().maxIterations(size.warmup + it).seed(seed).build();
        Runnable step;
        java.util.function.IntSupplier tripletsNow;
        java.util.function.BooleanSupplier finite;
        switch (method) {
            case PCP -> {
                StablePcp pcp = new StablePcp();
                StablePcpState st = pcp.init(m, LowRankSparse.zeros(m.numRows, m.numCols), options);
                double[] tr = new double[st.traceColumns().size()];
                int col = st.traceColumns().indexOf("svd_rank");
                step = () -> pcp.step(m, st);
                tripletsNow = () -> {
                    st.traceValues(tr);
                    return (int) tr[col];
                };
                finite = st::isFinite;
            }
            case NMF -> {
                Nmf nmf = new Nmf();
                NmfState st = nmf.init(m, Nmf.uniformStart(m.numRows, m.numCols, 9, seed), options);
                step = () -> nmf.step(m, st);
                tripletsNow = () -> 0;
                finite = st::isFinite;
            }
            default -> {
                RobustPca rpca = new RobustPca();
                RobustPcaState st = rpca.init(m, LowRankSparse.zeros(m.numRows, m.numCols), options);
                double[] tr = new double[st.traceColumns().size()];
                int col = st.traceColumns().indexOf("svd_rank");
                step = () -> rpca.step(m, st);
                tripletsNow = () -> {
                    st.traceValues(tr);
                    return (int) tr[col];
                };
                finite = st::isFinite;
            }
        }
        // the size's warm-up iterations and at least BinnoBench.WARMUP_SECONDS of them (JIT compilation)
        long w0 = System.nanoTime();
        int warm = 0;
        while (warm < size.warmup || (System.nanoTime() - w0) * 1e-9 < BinnoBench.WARMUP_SECONDS) {
            step.run();
            warm++;
        }
        double[] t = new double[it];
        long cpuStart = processCpuNanos();
        int[] triplets = new int[it];
        for (int i = 0; i < it; i++) {
            long t0 = System.nanoTime();
            step.run();
            t[i] = (System.nanoTime() - t0) * 1e-9;
            triplets[i] = tripletsNow.getAsInt();
            if (t[i] > 0.05) {
                progress.accept(String.format(Locale.ROOT, "  iteration %d: %.3f s, %d triplets", warm + i + 1,
                        t[i], triplets[i]));
            }
        }
        if (!finite.getAsBoolean()) {
            throw new IllegalStateException("the benchmark run diverged");
        }
        double pass = 8.0 * m.numRows * m.numCols / bandwidth;
        // process CPU time over all timed iterations, per iteration: the counter's granularity (often
        // 10 ms) is coarser than one iteration at the small sizes
        double cpuPerIteration = cpuStart < 0 ? Double.NaN : (processCpuNanos() - cpuStart) * 1e-9 / it;
        return new Row(size.label, m.numRows, m.numCols, median(t), cpuPerIteration, t, triplets, pass,
                bandwidth / 1e9,
                loadBefore, loadAverage());
    }

    private static double median(double[] v) {
        double[] sorted = v.clone();
        Arrays.sort(sorted);
        int k = sorted.length;
        return k % 2 == 1 ? sorted[k / 2] : 0.5 * (sorted[k / 2 - 1] + sorted[k / 2]);
    }

    /**
     * @return the CPU time of the JVM's live threads in nanoseconds (the calling thread and the pool of
     *     the product kernels; per-thread clocks have nanosecond resolution, the process clock often
     *     only 10 ms), the process CPU time where per-thread times are not supported, or -1
     */
    private static long processCpuNanos() {
        var threads = ManagementFactory.getThreadMXBean();
        if (threads.isThreadCpuTimeSupported() && threads.isThreadCpuTimeEnabled()) {
            long total = 0;
            for (long id : threads.getAllThreadIds()) {
                long t = threads.getThreadCpuTime(id);
                if (t > 0) {
                    total += t;
                }
            }
            return total;
        }
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
