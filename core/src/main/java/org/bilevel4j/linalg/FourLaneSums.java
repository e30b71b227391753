package org.bilevel4j.linalg;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The long sums of {@link MatOps} (inner product, sum of absolute values, the finiteness probe) on the
 * JDK's Vector API with the scalar kernels' bits. Those keep four partial sums, entry i going to sum
 * {@code i mod 4} (counted from the first index), finish the entries past the last whole group of four
 * into the first sum, and return {@code (s0 + s1) + (s2 + s3)}; here one vector of four lanes is those
 * four sums, each lane updated by a product (or absolute value) rounded on its own and then added, as
 * the scalar {@code s += a * b} does (never a fused multiply-add, which Java's scalar arithmetic does not
 * do either). So the results are the same bits as the scalar kernels', on every machine, for every
 * input (NaN and infinities included). What changes is the speed: C2 on JDK 17 never vectorizes a
 * floating-point sum, and its scalar loop of four sums ran 0.4 to 0.7 ns an entry, against 0.24 to 0.29
 * here (20736 to 768000 entries; 2 vCPUs of an AMD EPYC, AVX2), where the four lanes' additions are one
 * instruction.
 *
 * <p><b>Chunks.</b> The vector loop runs over at most {@link #CHUNK} entries per call of its own method,
 * the four sums passing from chunk to chunk through a small array (the same additions in the same order).
 * A single loop over a long slice made C2 compile it on-stack (the first calls run long), and that
 * compilation kept the loop's vector in a heap object, allocated at every step: 0.3 to 0.4 ms a call
 * at 117504 entries against 0.03 ms, for thousands of calls (a young collection every 200 calls), where
 * the same kernel compiled as a method ran allocation-free. With chunks, no call runs long enough for an
 * on-stack compilation of the vector loop, and the loop that can be compiled on-stack carries no vector.
 *
 * <p><b>Only where four lanes are the preferred shape.</b> Loaded only when {@link PanelKernels#AVAILABLE} (the
 * class names the module's types); used where {@link #usable()} also holds: a vector of four doubles is the
 * platform's preferred vector (AVX2, SVE of 256 bits), the shape of every other kernel of this package. Where the
 * preferred vector is wider (AVX-512: eight lanes), these sums stay scalar, though four lanes would run natively
 * ({@link #runsNatively()}): two shapes of {@code DoubleVector} in one process make the type profiles inside the
 * Vector API's shared methods (the {@code vspecies()} call in {@code DoubleVector.intoArray}, for one) bimorphic,
 * and C2, which types a loop's vector variables by their declared class when it parses a loop, then inlines both
 * shapes at such a call, so the lane count is no longer a constant and the intrinsic gives up: the loop's vectors
 * become heap objects, allocated at every step. Which kernels it hits depends on the order in which C2 compiles
 * them; on 2 vCPUs of an Intel Xeon with AVX-512, {@code bench binno --sizes large} (the large size first in its
 * process) ran 0.44 to 0.53 s an iteration in 9 of 11 runs (0.045 and 0.048 s in the other two), allocating about
 * 15 GB/s in {@code VectorRowDots.rows4x2}; {@code --sizes escalator} alone 53 ms in one of two runs (4.8 ms);
 * {@code bilevel4j factorize} of a 76800 x 500 matrix, 60 iterations, 37.5 s of wall time in one of two runs (10
 * s). With these sums scalar there: ten runs of the large size first, 0.043 to 0.046 s; factorize 7.7 and 8.1 s;
 * the small sizes no slower; and the large size after the demo (where the four-lane sums had run without the
 * collapse) 0.043 to 0.044 s against 0.046 to 0.049 s in six of seven alternating pairs. Package-private.
 */
final class FourLaneSums {

    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_256;

    /** Most entries per call of a vector loop (a multiple of four). */
    static final int CHUNK = 1024;

    /** Which sum: products, absolute values, products with zero. */
    private static final int DOT = 0;
    private static final int ABS = 1;
    private static final int ZERO = 2;

    private FourLaneSums() {
    }

    /** @return whether the platform's vectors hold at least four doubles, so that four lanes run natively */
    static boolean runsNatively() {
        return DoubleVector.SPECIES_PREFERRED.vectorBitSize() >= S.vectorBitSize();
    }

    /**
     * @return whether {@link MatOps} takes these kernels: four doubles are exactly the platform's preferred vector,
     *     so that no other shape of {@code DoubleVector} runs in the process (see the class comment)
     */
    static boolean usable() {
        return DoubleVector.SPECIES_PREFERRED.vectorBitSize() == S.vectorBitSize();
    }

    /**
     * {@code sum_{from <= i < to} a[i] b[i]} in the order of {@link MatOps#dot(double[], double[], int, int)}.
     *
     * @param a an array, not modified
     * @param b an array, not modified
     * @param from the first index
     * @param to one past the last index
     * @return the sum
     */
    static double dot(double[] a, double[] b, int from, int to) {
        double[] lanes = wholeGroups(DOT, a, b, from, to);
        double s0 = lanes[0];
        for (int i = from + ((to - from) & ~3); i < to; i++) {
            s0 += a[i] * b[i];
        }
        return (s0 + lanes[1]) + (lanes[2] + lanes[3]);
    }

    /**
     * {@code sum_{from <= i < to} |d[i]|} in the order of {@link MatOps#sumAbs(double[], int, int)}.
     *
     * @param d an array, not modified
     * @param from the first index
     * @param to one past the last index
     * @return the sum
     */
    static double sumAbs(double[] d, int from, int to) {
        double[] lanes = wholeGroups(ABS, d, d, from, to);
        double s0 = lanes[0];
        for (int i = from + ((to - from) & ~3); i < to; i++) {
            s0 += Math.abs(d[i]);
        }
        return (s0 + lanes[1]) + (lanes[2] + lanes[3]);
    }

    /**
     * {@code sum_{from <= i < to} d[i] * 0}: zero when every entry is finite, NaN otherwise (an infinite or
     * NaN entry times zero is NaN), in the order of {@link MatOps#sumTimesZero(double[], int, int)}.
     *
     * @param d an array, not modified
     * @param from the first index
     * @param to one past the last index
     * @return the sum
     */
    static double sumTimesZero(double[] d, int from, int to) {
        double[] lanes = wholeGroups(ZERO, d, d, from, to);
        double s0 = lanes[0];
        for (int i = from + ((to - from) & ~3); i < to; i++) {
            s0 += d[i] * 0.0;
        }
        return (s0 + lanes[1]) + (lanes[2] + lanes[3]);
    }

    /** The four lane sums of the whole groups of four in [from, to), chunk by chunk. */
    private static double[] wholeGroups(int kind, double[] a, double[] b, int from, int to) {
        double[] lanes = new double[4];
        int whole = from + ((to - from) & ~3);
        for (int c = from; c < whole; c += CHUNK) {
            int end = Math.min(whole, c + CHUNK);
            if (kind == DOT) {
                dotChunk(a, b, c, end, lanes);
            } else if (kind == ABS) {
                absChunk(a, c, end, lanes);
            } else {
                zeroChunk(a, c, end, lanes);
            }
        }
        return lanes;
    }

    /** {@code lanes[q] += a[i] b[i]} (rounded product, then the sum) for i = c + q + 4t below end. */
    private static void dotChunk(double[] a, double[] b, int c, int end, double[] lanes) {
        DoubleVector acc = DoubleVector.fromArray(S, lanes, 0);
        for (int i = c; i < end; i += 4) {
            acc = acc.add(DoubleVector.fromArray(S, a, i).mul(DoubleVector.fromArray(S, b, i)));
        }
        acc.intoArray(lanes, 0);
    }

    /** {@code lanes[q] += |d[i]|} for i = c + q + 4t below end. */
    private static void absChunk(double[] d, int c, int end, double[] lanes) {
        DoubleVector acc = DoubleVector.fromArray(S, lanes, 0);
        for (int i = c; i < end; i += 4) {
            acc = acc.add(DoubleVector.fromArray(S, d, i).lanewise(VectorOperators.ABS));
        }
        acc.intoArray(lanes, 0);
    }

    /** {@code lanes[q] += d[i] * 0} for i = c + q + 4t below end. */
    private static void zeroChunk(double[] d, int c, int end, double[] lanes) {
        DoubleVector acc = DoubleVector.fromArray(S, lanes, 0);
        for (int i = c; i < end; i += 4) {
            acc = acc.add(DoubleVector.fromArray(S, d, i).mul(0.0));
        }
        acc.intoArray(lanes, 0);
    }
}
