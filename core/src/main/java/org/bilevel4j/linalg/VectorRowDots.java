package org.bilevel4j.linalg;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link JavaGemm}'s tall-A kernel for a small inner dimension on the JDK's Vector API
 * ({@code jdk.incubator.vector}), loaded only when {@link JavaGemm#VECTOR_ROWS}: the module is present and
 * {@code Math.fma} is a hardware instruction. {@code C = alpha A B + beta C} with A m x k and B k x n
 * row-major and k small: the products {@code X (Y Y^T)}, {@code Z W} and {@code W (H H^T)} of BINNO and NMF,
 * an m x r factor times an r x r matrix.
 *
 * <p>The lanes run along a row of C: four rows of A at a time, and for each inner index p one load of
 * {@code B[p, j : j + L]} and one broadcast of {@code A[i, p]} per row, so that each lane keeps the running
 * sum of its own entry, {@code s = fma(A[i, p], B[p, j], s)} for p = 0, 1, ..., from zero. A lanewise fused
 * multiply-add rounds once as {@code Math.fma} does, and the columns past the last whole vector run the same
 * chain in scalar code (four rows at a time, four independent chains), so every entry gets exactly the bits
 * of {@link JavaGemm#rowDots} (whose dot products sum in the same order), then {@code alpha s + beta C} as
 * there. The dot-product kernel spends most of its time on the short loops of a 9-term dot product (1.3 to
 * 1.8 multiply-adds per nanosecond on an m x 9 by 9 x 9 product, one thread); here the work per row is a few
 * vector instructions (3 to 5). Package-private.
 */
final class VectorRowDots {

    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorRowDots() {
    }

    /** @return the lanes of a vector of double here */
    static int lanes() {
        return L;
    }

    /**
     * {@code C[i, :] = alpha A[i, :] B + beta C[i, :]} for rows i in [i0, i1); with {@code beta == 0} the old
     * contents of C are ignored.
     *
     * @param alpha the factor of the product
     * @param ad A, row-major m x k
     * @param k the inner dimension
     * @param b B, row-major k x n
     * @param n the columns of B and C
     * @param beta the factor of the old C
     * @param cd C, row-major m x n
     * @param i0 the first row
     * @param i1 one past the last row
     */
    static void rows(double alpha, double[] ad, int k, double[] b, int n, double beta, double[] cd, int i0, int i1) {
        int whole = S.loopBound(n);
        int i = i0;
        for (; i + 3 < i1; i += 4) {
            int a0 = i * k;
            int a1 = a0 + k;
            int a2 = a1 + k;
            int a3 = a2 + k;
            for (int j = 0; j < whole; j += L) {
                DoubleVector s0 = DoubleVector.zero(S);
                DoubleVector s1 = s0;
                DoubleVector s2 = s0;
                DoubleVector s3 = s0;
                for (int p = 0; p < k; p++) {
                    DoubleVector w = DoubleVector.fromArray(S, b, p * n + j);
                    s0 = DoubleVector.broadcast(S, ad[a0 + p]).fma(w, s0);
                    s1 = DoubleVector.broadcast(S, ad[a1 + p]).fma(w, s1);
                    s2 = DoubleVector.broadcast(S, ad[a2 + p]).fma(w, s2);
                    s3 = DoubleVector.broadcast(S, ad[a3 + p]).fma(w, s3);
                }
                store(alpha, s0, beta, cd, i * n + j);
                store(alpha, s1, beta, cd, (i + 1) * n + j);
                store(alpha, s2, beta, cd, (i + 2) * n + j);
                store(alpha, s3, beta, cd, (i + 3) * n + j);
            }
            for (int j = whole; j < n; j++) {
                double s0 = 0;
                double s1 = 0;
                double s2 = 0;
                double s3 = 0;
                for (int p = 0; p < k; p++) {
                    double w = b[p * n + j];
                    s0 = Math.fma(ad[a0 + p], w, s0);
                    s1 = Math.fma(ad[a1 + p], w, s1);
                    s2 = Math.fma(ad[a2 + p], w, s2);
                    s3 = Math.fma(ad[a3 + p], w, s3);
                }
                store(alpha, s0, beta, cd, i * n + j);
                store(alpha, s1, beta, cd, (i + 1) * n + j);
                store(alpha, s2, beta, cd, (i + 2) * n + j);
                store(alpha, s3, beta, cd, (i + 3) * n + j);
            }
        }
        for (; i < i1; i++) {
            int a0 = i * k;
            for (int j = 0; j < whole; j += L) {
                DoubleVector s0 = DoubleVector.zero(S);
                for (int p = 0; p < k; p++) {
                    s0 = DoubleVector.broadcast(S, ad[a0 + p]).fma(DoubleVector.fromArray(S, b, p * n + j), s0);
                }
                store(alpha, s0, beta, cd, i * n + j);
            }
            for (int j = whole; j < n; j++) {
                double s0 = 0;
                for (int p = 0; p < k; p++) {
                    s0 = Math.fma(ad[a0 + p], b[p * n + j], s0);
                }
                store(alpha, s0, beta, cd, i * n + j);
            }
        }
    }

    /** {@code C[o : o + L] = alpha s + beta C[o : o + L]}, as JavaGemm's store: the product, then the sum. */
    private static void store(double alpha, DoubleVector s, double beta, double[] cd, int o) {
        DoubleVector v = s.mul(alpha);
        if (beta != 0.0) {
            v = v.add(DoubleVector.fromArray(S, cd, o).mul(beta));
        }
        v.intoArray(cd, o);
    }

    /** {@code C[o] = alpha s + beta C[o]}, the scalar columns past the last whole vector. */
    private static void store(double alpha, double s, double beta, double[] cd, int o) {
        double v = alpha * s;
        cd[o] = beta == 0.0 ? v : v + beta * cd[o];
    }
}
