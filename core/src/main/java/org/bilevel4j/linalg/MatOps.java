package org.bilevel4j.linalg;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Small dense kernels on EJML matrices that EJML does not offer in the form the solvers need.
 * Every method documents which arguments it modifies; all others are not modified.
 */
public final class MatOps {

    private MatOps() {
    }

    /**
     * @param a a matrix, not modified
     * @param b a matrix of the same shape, not modified
     * @return the Frobenius inner product {@code <a, b> = sum_ij a_ij b_ij}.
     */
    public static double dot(DMatrixRMaj a, DMatrixRMaj b) {
        checkSameShape(a, b);
        return dot(a.data, b.data, 0, a.getNumElements());
    }

    /**
     * Shortest slice for which the long sums ({@link #dot(double[], double[], int, int)}, {@link #sumAbs},
     * {@link #sumTimesZero}) run on the Vector API's four lanes ({@code FourLaneSums}, the same bits, 0.25
     * against 0.4 to 0.7 ns an entry once compiled). Below it the scalar loop: until C2 has compiled the
     * vector loop (some hundred calls), the interpreter and C1 run it a hundred times slower than the scalar
     * loop (every vector is an object), about 0.1 s of CPU at 20736 entries a call, which a run of a few
     * thousand calls at that size never wins back (BINNO on the traffic clip saves about 2.5 us a call). From
     * 2^18 entries a call saves 0.1 ms or more and the warm-up is a few calls.
     */
    static final int FOUR_LANE_MIN = 1 << 18;

    /**
     * Whether the long sums may run on four vector lanes: the module is there and four doubles are the preferred
     * vector ({@link FourLaneSums#usable()}; with eight lanes preferred they stay scalar).
     */
    static final boolean FOUR_LANES = PanelKernels.AVAILABLE && FourLaneSums.usable();

    /**
     * The inner product of two slices, with four accumulators in a fixed order (the same bits for the
     * same inputs on every call, on every machine): entry {@code from + i} goes to sum {@code i mod 4}, the
     * entries past the last whole group of four to the first sum, and the result is
     * {@code (s0 + s1) + (s2 + s3)}; each product is rounded before it is added (no fused multiply-add).
     * On slices of at least {@value #FOUR_LANE_MIN} entries the four sums are the lanes of one vector of the
     * Vector API where the JVM has its module (about twice as fast once compiled, the same bits).
     *
     * @param a an array, not modified
     * @param b an array, not modified
     * @param from the first index
     * @param to one past the last index
     * @return {@code sum_{from <= i < to} a[i] b[i]}
     */
    public static double dot(double[] a, double[] b, int from, int to) {
        if (FOUR_LANES && to - from >= FOUR_LANE_MIN) {
            return FourLaneSums.dot(a, b, from, to);
        }
        return dotScalar(a, b, from, to);
    }

    /** {@link #dot(double[], double[], int, int)} in scalar arithmetic (the definition of its order). */
    static double dotScalar(double[] a, double[] b, int from, int to) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = from;
        for (; i + 3 < to; i += 4) {
            s0 += a[i] * b[i];
            s1 += a[i + 1] * b[i + 1];
            s2 += a[i + 2] * b[i + 2];
            s3 += a[i + 3] * b[i + 3];
        }
        for (; i < to; i++) {
            s0 += a[i] * b[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * The sum of the absolute values of a slice, in the order of {@link #dot(double[], double[], int, int)}
     * (four interleaved sums; on the Vector API's four lanes from {@value #FOUR_LANE_MIN} entries, the same
     * bits).
     *
     * @param d an array, not modified
     * @param from the first index
     * @param to one past the last index
     * @return {@code sum_{from <= i < to} |d[i]|}
     */
    public static double sumAbs(double[] d, int from, int to) {
        if (FOUR_LANES && to - from >= FOUR_LANE_MIN) {
            return FourLaneSums.sumAbs(d, from, to);
        }
        return sumAbsScalar(d, from, to);
    }

    /** {@link #sumAbs} in scalar arithmetic (the definition of its order). */
    static double sumAbsScalar(double[] d, int from, int to) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = from;
        for (; i + 3 < to; i += 4) {
            s0 += Math.abs(d[i]);
            s1 += Math.abs(d[i + 1]);
            s2 += Math.abs(d[i + 2]);
            s3 += Math.abs(d[i + 3]);
        }
        for (; i < to; i++) {
            s0 += Math.abs(d[i]);
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * {@code sum_{from <= i < to} d[i] * 0}, in the order of {@link #dot(double[], double[], int, int)}: a
     * zero (of either sign) exactly when every entry is finite, NaN when one is infinite or NaN. A probe for
     * finiteness at the cost of a sum, with no branch per entry.
     *
     * @param d an array, not modified
     * @param from the first index
     * @param to one past the last index
     * @return zero or NaN
     */
    static double sumTimesZero(double[] d, int from, int to) {
        if (FOUR_LANES && to - from >= FOUR_LANE_MIN) {
            return FourLaneSums.sumTimesZero(d, from, to);
        }
        return sumTimesZeroScalar(d, from, to);
    }

    /** {@link #sumTimesZero} in scalar arithmetic. */
    static double sumTimesZeroScalar(double[] d, int from, int to) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = from;
        for (; i + 3 < to; i += 4) {
            s0 += d[i] * 0.0;
            s1 += d[i + 1] * 0.0;
            s2 += d[i + 2] * 0.0;
            s3 += d[i + 3] * 0.0;
        }
        for (; i < to; i++) {
            s0 += d[i] * 0.0;
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * @param a the matrix, not modified
     * @return the squared Frobenius norm {@code ||a||_F^2}.
     */
    public static double normSq(DMatrixRMaj a) {
        return dot(a, a);
    }

    /**
     * @param a a matrix, not modified
     * @param b a matrix of the same shape, not modified
     * @return {@code ||a - b||_F}.
     */
    public static double distance(DMatrixRMaj a, DMatrixRMaj b) {
        checkSameShape(a, b);
        double s = 0;
        for (int i = 0; i < a.getNumElements(); i++) {
            double d = a.data[i] - b.data[i];
            s += d * d;
        }
        return Math.sqrt(s);
    }

    /**
     * {@code out = alpha a + beta b}. Modified: out (may alias a or b).
     *
     * @param alpha the weight of a
     * @param a a matrix, not modified unless aliased by out
     * @param beta the weight of b
     * @param b a matrix of the same shape, not modified unless aliased by out
     * @param out modified: receives the result
     */
    public static void combine(double alpha, DMatrixRMaj a, double beta, DMatrixRMaj b, DMatrixRMaj out) {
        checkSameShape(a, b);
        checkSameShape(a, out);
        double[] x = a.data;
        double[] y = b.data;
        double[] o = out.data;
        for (int i = 0; i < a.getNumElements(); i++) {
            o[i] = alpha * x[i] + beta * y[i];
        }
    }

    /**
     * Soft thresholding of one entry, {@code sign(v) max(|v| - t, 0)} for {@code t >= 0}, written
     * {@code v - clamp(v, -t, t)}: the same numbers ({@code v - t} and {@code v + t} round as
     * {@code |v| - t} does; zero, never -0, inside the threshold), and a loop of it with one output is
     * one that C2 vectorizes. A NaN v gives NaN.
     *
     * @param v the entry
     * @param t the threshold, at least 0
     * @return the thresholded entry
     */
    public static double softThreshold(double v, double t) {
        return v - Math.max(-t, Math.min(t, v));
    }

    /**
     * @param a the matrix, not modified
     * @return whether every entry is finite.
     */
    public static boolean isFinite(DMatrixRMaj a) {
        for (int i = 0; i < a.getNumElements(); i++) {
            if (!Double.isFinite(a.data[i])) {
                return false;
            }
        }
        return true;
    }

    /** Largest side for which {@link #spectralNormPsd} runs the cyclic Jacobi eigenvalue method. */
    static final int JACOBI_MAX = 32;

    /**
     * Largest eigenvalue of a symmetric positive semidefinite matrix, which is its spectral norm.
     * Used for block Lipschitz constants {@code ||Y Y^T||_2} of r x r Gram matrices. Up to 32 x 32
     * by the cyclic Jacobi eigenvalue method (orthogonal rotations until every off-diagonal entry is
     * below {@code eps sqrt(|a_pp a_qq|)}; accurate to {@code O(eps) ||gram||}, no allocation but a
     * copy), above that by EJML's symmetric eigendecomposition.
     *
     * @param gram symmetric PSD, not modified
     * @return {@code ||gram||_2}
     */
    public static double spectralNormPsd(DMatrixRMaj gram) {
        if (gram.numRows != gram.numCols) {
            throw new IllegalArgumentException("Gram matrix must be square, got " + gram.numRows + "x" + gram.numCols);
        }
        int n = gram.numRows;
        if (n == 0) {
            return 0.0;
        }
        if (n == 1) {
            return Math.abs(gram.get(0, 0));
        }
        if (n <= JACOBI_MAX) {
            return ThinFactorSvd.maxEigenvaluePsd(gram.data, n);
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, false, true);
        DMatrixRMaj copy = gram.copy();
        if (!eig.decompose(copy)) {
            return powerIteration(gram);
        }
        double max = 0;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, Math.abs(eig.getEigenvalue(i).real));
        }
        return max;
    }

    /**
     * Spectral norm {@code ||a||_2} of any matrix, via the Gram matrix of its smaller side.
     *
     * @param a the matrix, not modified
     * @return {@code ||a||_2}
     */
    public static double spectralNorm(DMatrixRMaj a) {
        DMatrixRMaj gram;
        if (a.numRows >= a.numCols) {
            gram = new DMatrixRMaj(a.numCols, a.numCols);
            Gemm.multTransA(a, a, gram);
        } else {
            gram = new DMatrixRMaj(a.numRows, a.numRows);
            Gemm.multTransB(a, a, gram);
        }
        return Math.sqrt(spectralNormPsd(gram));
    }

    private static double powerIteration(DMatrixRMaj s) {
        int n = s.numRows;
        DMatrixRMaj v = new DMatrixRMaj(n, 1);
        DMatrixRMaj w = new DMatrixRMaj(n, 1);
        CommonOps_DDRM.fill(v, 1.0 / Math.sqrt(n));
        double lambda = 0;
        for (int it = 0; it < 500; it++) {
            CommonOps_DDRM.mult(s, v, w);
            double norm = Math.sqrt(normSq(w));
            if (norm == 0) {
                return 0;
            }
            CommonOps_DDRM.scale(1.0 / norm, w, v);
            if (Math.abs(norm - lambda) <= 1e-14 * norm) {
                return norm;
            }
            lambda = norm;
        }
        return lambda;
    }

    /**
     * @throws IllegalArgumentException unless a and b have the same shape
     *
     * @param a a matrix
     * @param b another matrix
     */
    public static void checkSameShape(DMatrixRMaj a, DMatrixRMaj b) {
        if (a.numRows != b.numRows || a.numCols != b.numCols) {
            throw new IllegalArgumentException("shape mismatch: " + a.numRows + "x" + a.numCols + " vs "
                    + b.numRows + "x" + b.numCols);
        }
    }
}
