package org.bilevel4j.apps.perf;

import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.DoubleAdder;
import org.bilevel4j.linalg.Gemm;
import org.bilevel4j.solver.binno.Binno;
import org.ejml.data.DMatrixRMaj;

/**
 * What this machine can do at best, measured in the running process: the memory bandwidth of a
 * streaming read and the rate of a large dense matrix product through {@link Gemm}. Together they
 * give the floor of the performance model (DESIGN.md, "Performance model"): an iteration that
 * must stream B bytes and do F flops cannot take less than {@code max(B / bandwidth, F / rate)}.
 *
 * <p>Bandwidth: every thread ({@link Gemm#threads()} of them) sums its own contiguous slice of one
 * large double array with eight independent accumulators; the time runs from releasing the
 * threads together to the last one finishing; the best of a few repetitions counts. Multiply
 * rate: {@code 2 s^3 / seconds} for an s x s product {@code C = A B} through {@link Gemm} (native
 * BLAS where present, else the pure-Java kernels), best of a few repetitions after one warm-up.
 * Both are best cases, so the floor is optimistic and a ratio to it errs on the high side.
 */
public final class MachineFloor {

    /** Default size of the streamed array: 256 MiB, far beyond any cache. */
    public static final long DEFAULT_BANDWIDTH_BYTES = 256L << 20;

    /** Default side of the square product. */
    public static final int DEFAULT_GEMM_SIZE = 1500;

    /** Default timed repetitions of the bandwidth read (after one warm-up). */
    public static final int BANDWIDTH_REPETITIONS = 7;

    /** Default timed repetitions of the square product (after one warm-up). */
    public static final int GEMM_REPETITIONS = 3;

    private static final int BLOCK = 1 << 16;

    private static volatile double sink;

    private MachineFloor() {
    }

    /**
     * One measurement of the machine.
     *
     * @param bandwidth streaming-read bandwidth, bytes per second
     * @param gemmRate dense multiply rate, flops per second
     * @param threads threads used by both measurements
     * @param bandwidthBytes size of the streamed array, bytes
     * @param gemmSize side of the square product
     * @param backend the product kernel ({@link Gemm#backend()})
     */
    public record Measurement(double bandwidth, double gemmRate, int threads, long bandwidthBytes, int gemmSize,
            String backend) {

        /** @return bandwidth in GB/s (10^9 bytes per second) */
        public double bandwidthGBs() {
            return bandwidth / 1e9;
        }

        /** @return multiply rate in GFLOP/s */
        public double gemmGflops() {
            return gemmRate / 1e9;
        }

        /**
         * @param bytes the bytes read
         * @return seconds to stream {@code bytes} at the measured bandwidth, {@code bytes / bandwidth}
         */
        public double streamSeconds(double bytes) {
            return bytes / bandwidth;
        }

        /**
         * @param flops the floating-point operations
         * @return seconds for {@code flops} at the measured multiply rate, {@code flops / rate}
         */
        public double computeSeconds(double flops) {
            return flops / gemmRate;
        }

        /**
         * The floor of one BINNO iteration on an m x n matrix at rank r: two passes over M
         * ({@code 16 m n} bytes) and the products with M ({@link Binno#productFlops}: {@code 6 m n r}
         * flops, or {@code 4 m n r + 2 r n^2} where {@code m >= 2n}),
         * {@code max(16 m n / bandwidth, flops / rate)}.
         *
         * @param m the rows of M
         * @param n the columns of M
         * @param r the rank
         * @return the floor in seconds
         */
        public double binnoFloorSeconds(int m, int n, int r) {
            double mn = (double) m * n;
            return Math.max(streamSeconds(16 * mn), computeSeconds(Binno.productFlops(m, n, r)));
        }
    }

    /** @return a measurement with the default sizes */
    public static Measurement measure() {
        return measure(DEFAULT_BANDWIDTH_BYTES, DEFAULT_GEMM_SIZE);
    }

    /**
     * @param bandwidthBytes size of the streamed array in bytes, at least 8
     * @param gemmSize side of the square product, at least 1
     * @return the measured bandwidth and multiply rate, with the threads, sizes and GEMM backend used
     */
    public static Measurement measure(long bandwidthBytes, int gemmSize) {
        int threads = Gemm.threads();
        double bw = bandwidth(bandwidthBytes, threads, BANDWIDTH_REPETITIONS);
        double rate = gemmRate(gemmSize, GEMM_REPETITIONS);
        return new Measurement(bw, rate, threads, bandwidthBytes, gemmSize, Gemm.backend());
    }

    /**
     * Best streaming-read bandwidth over {@code repetitions} timed reads (after one warm-up) of a
     * {@code bytes}-byte array split between {@code threads} threads.
     *
     * @param bytes the array size in bytes, from 8 to 16 GiB
     * @param threads the reading threads, at least 1
     * @param repetitions the timed reads, at least 1
     * @return bytes per second
     * @throws IllegalArgumentException for sizes or counts out of range
     */
    public static double bandwidth(long bytes, int threads, int repetitions) {
        if (bytes < 8 || bytes / 8 > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("array size must be between 8 bytes and 16 GiB, got " + bytes);
        }
        if (threads < 1 || repetitions < 1) {
            throw new IllegalArgumentException("threads and repetitions must be positive");
        }
        double[] a = new double[(int) (bytes / 8)];
        for (int i = 0; i < a.length; i++) {
            a[i] = i & 1023; // touch every page
        }
        double best = Double.POSITIVE_INFINITY;
        for (int rep = 0; rep <= repetitions; rep++) {
            double t = timedRead(a, threads);
            if (rep > 0) {
                best = Math.min(best, t);
            }
        }
        return 8.0 * a.length / best;
    }

    /** Seconds for threads to read their slices of a, released together. */
    private static double timedRead(double[] a, int threads) {
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(threads);
        DoubleAdder total = new DoubleAdder();
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int from = (int) ((long) a.length * t / threads);
            int to = (int) ((long) a.length * (t + 1) / threads);
            workers[t] = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    done.countDown();
                    return;
                }
                double s = 0;
                for (int i = from; i < to; i += BLOCK) {
                    s += sum(a, i, Math.min(to, i + BLOCK));
                }
                total.add(s);
                done.countDown();
            }, "bilevel4j-bandwidth-" + t);
            workers[t].setDaemon(true);
            workers[t].start();
        }
        try {
            Thread.sleep(5); // let every worker reach the latch
            long t0 = System.nanoTime();
            go.countDown();
            done.await();
            long t1 = System.nanoTime();
            sink += total.sum();
            return (t1 - t0) * 1e-9;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while measuring bandwidth", e);
        }
    }

    /** Sum of a[from, to) with eight independent accumulators, so loads, not adds, limit it. */
    static double sum(double[] a, int from, int to) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int i = from;
        for (; i + 7 < to; i += 8) {
            s0 += a[i];
            s1 += a[i + 1];
            s2 += a[i + 2];
            s3 += a[i + 3];
            s4 += a[i + 4];
            s5 += a[i + 5];
            s6 += a[i + 6];
            s7 += a[i + 7];
        }
        for (; i < to; i++) {
            s0 += a[i];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /**
     * Best rate of an s x s product {@code C = A B} through {@link Gemm} over {@code repetitions}
     * timed runs after one warm-up.
     *
     * @param size s, the side of the square matrices, at least 1
     * @param repetitions the timed runs, at least 1
     * @return flops per second, counting {@code 2 s^3} flops a product
     * @throws IllegalArgumentException when size or repetitions is below 1
     */
    public static double gemmRate(int size, int repetitions) {
        if (size < 1 || repetitions < 1) {
            throw new IllegalArgumentException("size and repetitions must be positive");
        }
        SplittableRandom rnd = new SplittableRandom(1);
        DMatrixRMaj a = new DMatrixRMaj(size, size);
        DMatrixRMaj b = new DMatrixRMaj(size, size);
        DMatrixRMaj c = new DMatrixRMaj(size, size);
        for (int i = 0; i < a.data.length; i++) {
            a.data[i] = rnd.nextDouble(-1, 1);
            b.data[i] = rnd.nextDouble(-1, 1);
        }
        double best = Double.POSITIVE_INFINITY;
        for (int rep = 0; rep <= repetitions; rep++) {
            long t0 = System.nanoTime();
            Gemm.mult(a, b, c);
            double t = (System.nanoTime() - t0) * 1e-9;
            if (rep > 0) {
                best = Math.min(best, t);
            }
        }
        sink += c.data[0];
        return 2.0 * size * size * (double) size / best;
    }
}
