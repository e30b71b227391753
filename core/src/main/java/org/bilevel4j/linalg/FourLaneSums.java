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
 * floating-point sum, and its scalar loop of four sums ran 1.6 entries per nanosecond, against 3.8 here
 * (20736 entries, the traffic clip's X; 2 vCPUs of an AMD EPYC, AVX2), where the four lanes' additions
 * are one instruction.
 *
 * <p>Loaded only when {@link PanelKernels#AVAILABLE} (the class names the module's types); used where
 * {@link #usable()} also holds, i.e. where a vector of four doubles is native (AVX and later, SVE of 256
 * bits and more). Package-private.
 */
final class FourLaneSums {

    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_256;

    private FourLaneSums() {
    }

    /** @return whether the platform's vectors hold at least four doubles, so that four lanes run natively */
    static boolean usable() {
        return DoubleVector.SPECIES_PREFERRED.vectorBitSize() >= S.vectorBitSize();
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
        DoubleVector acc = DoubleVector.zero(S);
        int i = from;
        int whole = from + ((to - from) & ~3);
        for (; i < whole; i += 4) {
            acc = acc.add(DoubleVector.fromArray(S, a, i).mul(DoubleVector.fromArray(S, b, i)));
        }
        double s0 = acc.lane(0);
        for (; i < to; i++) {
            s0 += a[i] * b[i];
        }
        return (s0 + acc.lane(1)) + (acc.lane(2) + acc.lane(3));
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
        DoubleVector acc = DoubleVector.zero(S);
        int i = from;
        int whole = from + ((to - from) & ~3);
        for (; i < whole; i += 4) {
            acc = acc.add(DoubleVector.fromArray(S, d, i).lanewise(VectorOperators.ABS));
        }
        double s0 = acc.lane(0);
        for (; i < to; i++) {
            s0 += Math.abs(d[i]);
        }
        return (s0 + acc.lane(1)) + (acc.lane(2) + acc.lane(3));
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
        DoubleVector acc = DoubleVector.zero(S);
        int i = from;
        int whole = from + ((to - from) & ~3);
        for (; i < whole; i += 4) {
            acc = acc.add(DoubleVector.fromArray(S, d, i).mul(0.0));
        }
        double s0 = acc.lane(0);
        for (; i < to; i++) {
            s0 += d[i] * 0.0;
        }
        return (s0 + acc.lane(1)) + (acc.lane(2) + acc.lane(3));
    }
}
