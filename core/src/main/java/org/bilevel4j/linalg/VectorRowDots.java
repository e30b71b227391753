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
 * vector instructions (3 to 5).
 *
 * <p>{@link #gram} does the same for {@link JavaGemm#gramRows}, the r x r Gram matrices of thin factors: lanes
 * along a row of the result, each the running sum that the 3 x 3 tiles form. Package-private.
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

    /**
     * The upper triangle of {@code sum_{i in [i0, i1)} a_i^T a_i} for the rows a_i (length n) of a row-major
     * matrix, as {@link JavaGemm#gramRows} sums it: each entry {@code (p, q)}, q at least p, is the running sum
     * {@code s = fma(a_i[p], a_i[q], s)} over i in increasing order from zero, so the bits are the same. Four rows
     * of the result at a time, their columns from the vector that holds the diagonal on, two vectors per pass
     * over the rows (eight accumulators), the columns past the last whole vector in four scalar chains per pass;
     * entries below the diagonal may hold partial sums and are not to be read, as there. Every pass stores all
     * four of its result rows, so the array has three rows of scratch after the n x n matrix (a test per row
     * made C2 hoist it out of the loops on the profile of one width and deoptimize at the next).
     *
     * @param ad the matrix, row-major, rows of length n
     * @param n the columns
     * @param i0 the first row
     * @param i1 one past the last row
     * @return n x n, row-major, then 3 rows of scratch
     */
    static double[] gram(double[] ad, int n, int i0, int i1) {
        double[] g = new double[(n + 3) * n]; // three scratch rows: each pass stores four result rows
        int whole = S.loopBound(n);
        for (int p = 0; p < n; p += 4) {
            // pairs of vectors of columns, then the last one alone (not a test inside the loop: see above)
            int q = (p / L) * L;
            for (; q + L < whole; q += 2 * L) {
                gramPass2(ad, n, i0, i1, p, q, g);
            }
            if (q < whole) {
                gramPass1(ad, n, i0, i1, p, q, g);
            }
            for (int c = Math.max(whole, p); c < n; c++) {
                gramColumn(ad, n, i0, i1, p, c, g);
            }
        }
        return g;
    }

    /** Rows p to p + 3 of the Gram matrix in column q, four scalar chains in one pass (rows past n - 1: scratch). */
    private static void gramColumn(double[] ad, int n, int i0, int i1, int p, int q, double[] g) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int p1 = Math.min(p + 1, n - 1);
        int p2 = Math.min(p + 2, n - 1);
        int p3 = Math.min(p + 3, n - 1);
        for (int i = i0, o = i0 * n; i < i1; i++, o += n) {
            double w = ad[o + q];
            s0 = Math.fma(ad[o + p], w, s0);
            s1 = Math.fma(ad[o + p1], w, s1);
            s2 = Math.fma(ad[o + p2], w, s2);
            s3 = Math.fma(ad[o + p3], w, s3);
        }
        g[p * n + q] = s0;
        g[(p + 1) * n + q] = s1;
        g[(p + 2) * n + q] = s2;
        g[(p + 3) * n + q] = s3;
    }

    /** Rows p to p + 3 of the Gram matrix, columns q to q + 2L - 1, in one pass (rows past n - 1: scratch). */
    private static void gramPass2(double[] ad, int n, int i0, int i1, int p, int q, double[] g) {
        DoubleVector s00 = DoubleVector.zero(S);
        DoubleVector s01 = s00;
        DoubleVector s10 = s00;
        DoubleVector s11 = s00;
        DoubleVector s20 = s00;
        DoubleVector s21 = s00;
        DoubleVector s30 = s00;
        DoubleVector s31 = s00;
        int p1 = Math.min(p + 1, n - 1);
        int p2 = Math.min(p + 2, n - 1);
        int p3 = Math.min(p + 3, n - 1);
        for (int i = i0, o = i0 * n; i < i1; i++, o += n) {
            DoubleVector w0 = DoubleVector.fromArray(S, ad, o + q);
            DoubleVector w1 = DoubleVector.fromArray(S, ad, o + q + L);
            DoubleVector u0 = DoubleVector.broadcast(S, ad[o + p]);
            DoubleVector u1 = DoubleVector.broadcast(S, ad[o + p1]);
            DoubleVector u2 = DoubleVector.broadcast(S, ad[o + p2]);
            DoubleVector u3 = DoubleVector.broadcast(S, ad[o + p3]);
            s00 = u0.fma(w0, s00);
            s01 = u0.fma(w1, s01);
            s10 = u1.fma(w0, s10);
            s11 = u1.fma(w1, s11);
            s20 = u2.fma(w0, s20);
            s21 = u2.fma(w1, s21);
            s30 = u3.fma(w0, s30);
            s31 = u3.fma(w1, s31);
        }
        // each vector stored by name: an array of vectors would make the JIT box them
        s00.intoArray(g, p * n + q);
        s01.intoArray(g, p * n + q + L);
        s10.intoArray(g, (p + 1) * n + q);
        s11.intoArray(g, (p + 1) * n + q + L);
        s20.intoArray(g, (p + 2) * n + q);
        s21.intoArray(g, (p + 2) * n + q + L);
        s30.intoArray(g, (p + 3) * n + q);
        s31.intoArray(g, (p + 3) * n + q + L);
    }

    /** Rows p to p + 3 of the Gram matrix, columns q to q + L - 1, in one pass (rows past n - 1: scratch). */
    private static void gramPass1(double[] ad, int n, int i0, int i1, int p, int q, double[] g) {
        DoubleVector s0 = DoubleVector.zero(S);
        DoubleVector s1 = s0;
        DoubleVector s2 = s0;
        DoubleVector s3 = s0;
        int p1 = Math.min(p + 1, n - 1);
        int p2 = Math.min(p + 2, n - 1);
        int p3 = Math.min(p + 3, n - 1);
        for (int i = i0, o = i0 * n; i < i1; i++, o += n) {
            DoubleVector w = DoubleVector.fromArray(S, ad, o + q);
            s0 = DoubleVector.broadcast(S, ad[o + p]).fma(w, s0);
            s1 = DoubleVector.broadcast(S, ad[o + p1]).fma(w, s1);
            s2 = DoubleVector.broadcast(S, ad[o + p2]).fma(w, s2);
            s3 = DoubleVector.broadcast(S, ad[o + p3]).fma(w, s3);
        }
        s0.intoArray(g, p * n + q);
        s1.intoArray(g, (p + 1) * n + q);
        s2.intoArray(g, (p + 2) * n + q);
        s3.intoArray(g, (p + 3) * n + q);
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
