import java.util.Locale;
import java.util.Random;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * How close the pass {@code X^T M} of BINNO comes to the hardware, one core at a time (docs/performance.md,
 * "Ninth pass"). Prints three rates in fused multiply-adds (of doubles) per second on one thread:
 *
 * <ol>
 *   <li>peak: twelve independent chains of lanewise fused multiply-adds on registers, no memory;</li>
 *   <li>in cache: the pass's inner loop as {@code VectorRowDots.pair4} runs it (four rows of M, two rows of
 *       the result, each entry's four products chained in order) over 96 rows of 500 columns (375 KB, in
 *       the second-level cache) again and again, 38400 rows' worth a round;</li>
 *   <li>from memory: the same loop once over 38400 distinct rows (154 MB), half of the 76800 x 500 matrix
 *       of {@code bench binno --sizes large}, what one of two threads reads in one pass;</li>
 * </ol>
 * and one streaming read of those 154 MB (sums, four accumulators), in GB/s. Medians of 9 rounds after
 * 6 of warm-up.
 *
 * <p>Usage, from the repository root (JDK 17 or later, no build needed):
 * {@code java --add-modules jdk.incubator.vector docs/scripts/FmaPeak.java}
 */
public final class FmaPeak {

    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int N = 500;
    private static final int ROWS = 38400;
    private static final int R = 10;

    private FmaPeak() {
    }

    public static void main(String[] args) {
        Random rnd = new Random(1);
        double[] big = new double[ROWS * N];
        for (int i = 0; i < big.length; i++) {
            big[i] = rnd.nextGaussian();
        }
        double[] coef = new double[ROWS * R];
        for (int i = 0; i < coef.length; i++) {
            coef[i] = rnd.nextGaussian();
        }
        double[][] acc = new double[R][N];
        long fmas = (long) ROWS * N * R;
        double peak = median(() -> chains(50_000_000) / 1e9);
        double peakRate = 12.0 * L * 50_000_000 / peak;
        double hot = median(() -> {
            for (int q = 0; q < ROWS / 96; q++) {
                pass(coef, big, 96, acc);
            }
            return 0.0;
        });
        double cold = median(() -> {
            pass(coef, big, ROWS, acc);
            return 0.0;
        });
        double read = median(() -> read(big));
        System.out.printf(Locale.ROOT, "lanes %d (%d-bit vectors)%n", L, L * 64);
        System.out.printf(Locale.ROOT, "peak (12 chains, registers)   %6.2f GFMA/s  (%.3f ns per %d-lane fma)%n",
                peakRate / 1e9, 1e9 * L / peakRate, L);
        System.out.printf(Locale.ROOT, "pass kernel, in cache         %6.2f GFMA/s  %5.1f%% of peak  (%.1f ms)%n",
                fmas / hot / 1e9, 100 * fmas / hot / peakRate, hot * 1e3);
        System.out.printf(Locale.ROOT, "pass kernel, from memory      %6.2f GFMA/s  %5.1f%% of peak  (%.1f ms)%n",
                fmas / cold / 1e9, 100 * fmas / cold / peakRate, cold * 1e3);
        System.out.printf(Locale.ROOT, "streaming read of the 154 MB  %6.2f GB/s             (%.1f ms)%n",
                8.0 * big.length / read / 1e9, read * 1e3);
        System.out.printf(Locale.ROOT, "one thread; %d x %d rows of M, r = %d; medians of 9 rounds%n", ROWS, N, R);
    }

    /** Seconds of one round (median of 9 after 6 untimed). */
    private static double median(java.util.function.DoubleSupplier round) {
        double sink = 0;
        for (int i = 0; i < 6; i++) {
            sink += round.getAsDouble();
        }
        double[] t = new double[9];
        for (int i = 0; i < t.length; i++) {
            long t0 = System.nanoTime();
            sink += round.getAsDouble();
            t[i] = (System.nanoTime() - t0) * 1e-9;
        }
        if (sink == 42.0) {
            System.out.println();
        }
        java.util.Arrays.sort(t);
        return t[t.length / 2];
    }

    /** Twelve independent chains of {@code x = fma(x, a, b)}, n steps each; returns a sum to keep them live. */
    private static double chains(int n) {
        DoubleVector a = DoubleVector.broadcast(S, 0.9999999);
        DoubleVector b = DoubleVector.broadcast(S, 1e-9);
        DoubleVector x0 = DoubleVector.broadcast(S, 1.0);
        DoubleVector x1 = x0;
        DoubleVector x2 = x0;
        DoubleVector x3 = x0;
        DoubleVector x4 = x0;
        DoubleVector x5 = x0;
        DoubleVector x6 = x0;
        DoubleVector x7 = x0;
        DoubleVector x8 = x0;
        DoubleVector x9 = x0;
        DoubleVector x10 = x0;
        DoubleVector x11 = x0;
        for (int i = 0; i < n; i++) {
            x0 = x0.fma(a, b);
            x1 = x1.fma(a, b);
            x2 = x2.fma(a, b);
            x3 = x3.fma(a, b);
            x4 = x4.fma(a, b);
            x5 = x5.fma(a, b);
            x6 = x6.fma(a, b);
            x7 = x7.fma(a, b);
            x8 = x8.fma(a, b);
            x9 = x9.fma(a, b);
            x10 = x10.fma(a, b);
            x11 = x11.fma(a, b);
        }
        return x0.add(x1).add(x2).add(x3).add(x4).add(x5).add(x6).add(x7).add(x8).add(x9).add(x10).add(x11)
                .reduceLanes(VectorOperators.ADD);
    }

    /** {@code acc[i] += sum over p < rows of coef[p, i] M[p, :]}: four rows of M, two of acc at a time. */
    private static void pass(double[] coef, double[] m, int rows, double[][] acc) {
        int whole = S.loopBound(N);
        for (int p = 0; p + 3 < rows; p += 4) {
            int b0 = p * N;
            for (int i = 0; i + 1 < R; i += 2) {
                int o = p * R + i;
                pair(coef[o], coef[o + R], coef[o + 2 * R], coef[o + 3 * R], coef[o + 1], coef[o + 1 + R],
                        coef[o + 1 + 2 * R], coef[o + 1 + 3 * R], m, b0, whole, acc[i], acc[i + 1]);
            }
        }
    }

    private static void pair(double a0, double a1, double a2, double a3, double c0, double c1, double c2, double c3,
            double[] m, int b0, int whole, double[] y, double[] z) {
        int b1 = b0 + N;
        int b2 = b1 + N;
        int b3 = b2 + N;
        DoubleVector va0 = DoubleVector.broadcast(S, a0);
        DoubleVector va1 = DoubleVector.broadcast(S, a1);
        DoubleVector va2 = DoubleVector.broadcast(S, a2);
        DoubleVector va3 = DoubleVector.broadcast(S, a3);
        DoubleVector vc0 = DoubleVector.broadcast(S, c0);
        DoubleVector vc1 = DoubleVector.broadcast(S, c1);
        DoubleVector vc2 = DoubleVector.broadcast(S, c2);
        DoubleVector vc3 = DoubleVector.broadcast(S, c3);
        for (int j = 0; j < whole; j += L) {
            DoubleVector w0 = DoubleVector.fromArray(S, m, b0 + j);
            DoubleVector w1 = DoubleVector.fromArray(S, m, b1 + j);
            DoubleVector w2 = DoubleVector.fromArray(S, m, b2 + j);
            DoubleVector w3 = DoubleVector.fromArray(S, m, b3 + j);
            va3.fma(w3, va2.fma(w2, va1.fma(w1, va0.fma(w0, DoubleVector.fromArray(S, y, j))))).intoArray(y, j);
            vc3.fma(w3, vc2.fma(w2, vc1.fma(w1, vc0.fma(w0, DoubleVector.fromArray(S, z, j))))).intoArray(z, j);
        }
    }

    private static double read(double[] d) {
        DoubleVector s0 = DoubleVector.zero(S);
        DoubleVector s1 = s0;
        DoubleVector s2 = s0;
        DoubleVector s3 = s0;
        int i = 0;
        for (; i + 4 * L <= d.length; i += 4 * L) {
            s0 = s0.add(DoubleVector.fromArray(S, d, i));
            s1 = s1.add(DoubleVector.fromArray(S, d, i + L));
            s2 = s2.add(DoubleVector.fromArray(S, d, i + 2 * L));
            s3 = s3.add(DoubleVector.fromArray(S, d, i + 3 * L));
        }
        return s0.add(s1).add(s2).add(s3).reduceLanes(VectorOperators.ADD);
    }
}
