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
 * along a row of the result, each the running sum that the 3 x 3 tiles form.
 *
 * <p>{@link #reduce} and {@link #columns4} are the two passes over a data matrix M of the factorization
 * solvers, {@code X^T M} ({@link JavaGemm#reduceInner}) and {@code M Y^T} from the copy by columns
 * ({@link TransposedMatrix}), for products of at least {@link JavaGemm#VECTOR_PASS_WORK} multiply-adds: two
 * result rows per pass, the sums of the scalar kernels bit for bit. {@link #rowsPadded} is {@link #rows} for a
 * long inner dimension ({@code M Y^T} from M itself, where no copy by columns is kept). Package-private.
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
     * contents of C are ignored. Four rows at a time, one vector of C's row per pass over the inner dimension and
     * the columns past the last whole vector as scalar chains; where {@code beta == 0} and a row of C is more than
     * one and at most three vectors long but not a whole number of them (the m x r by r x r products at r = 5 to
     * 11 with four lanes), all of it in one pass ({@link #rows4Overlap3}, {@link #rows4Overlap2}: the last vector
     * ends at column n - 1, overlapping the one before, so there are no scalar columns and no partial stores; 76800
     * x 10 by 10 x 10 on one thread in 1.0 to 1.1 ms against 1.6 ms). Every entry is the running sum
     * {@code s = fma(A[i, p], B[p, j], s)} from zero in p, then {@code alpha s + beta C}, on every path.
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
        if (beta == 0.0 && whole < n && n > L && n <= 3 * L) {
            // C's row in two or three whole vectors, the last one ending at column n - 1 (overlapping the one
            // before): no scalar columns; the columns in both get the same sum twice
            for (; i + 3 < i1; i += 4) {
                if (n > 2 * L) {
                    rows4Overlap3(alpha, ad, i, k, b, n, cd);
                } else {
                    rows4Overlap2(alpha, ad, i, k, b, n, cd);
                }
            }
        }
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
     * Rows i to i + 3 of {@code C = alpha A B} for {@link #rows} where C's rows are more than two and at most three
     * vectors long but not a whole number of them: the vectors at columns 0, L and n - L (the last overlapping the
     * second), twelve accumulators. Each entry is the running sum {@code s = fma(A[i, p], B[p, j], s)} from zero in
     * p, then {@code alpha s}; the overlapped columns are stored twice with the same value.
     */
    private static void rows4Overlap3(double alpha, double[] ad, int i, int k, double[] b, int n, double[] cd) {
        int a0 = i * k;
        int a1 = a0 + k;
        int a2 = a1 + k;
        int a3 = a2 + k;
        int j2 = n - L;
        DoubleVector s00 = DoubleVector.zero(S);
        DoubleVector s01 = s00;
        DoubleVector s02 = s00;
        DoubleVector s10 = s00;
        DoubleVector s11 = s00;
        DoubleVector s12 = s00;
        DoubleVector s20 = s00;
        DoubleVector s21 = s00;
        DoubleVector s22 = s00;
        DoubleVector s30 = s00;
        DoubleVector s31 = s00;
        DoubleVector s32 = s00;
        for (int p = 0; p < k; p++) {
            int o = p * n;
            DoubleVector w0 = DoubleVector.fromArray(S, b, o);
            DoubleVector w1 = DoubleVector.fromArray(S, b, o + L);
            DoubleVector w2 = DoubleVector.fromArray(S, b, o + j2);
            DoubleVector x = DoubleVector.broadcast(S, ad[a0 + p]);
            s00 = x.fma(w0, s00);
            s01 = x.fma(w1, s01);
            s02 = x.fma(w2, s02);
            x = DoubleVector.broadcast(S, ad[a1 + p]);
            s10 = x.fma(w0, s10);
            s11 = x.fma(w1, s11);
            s12 = x.fma(w2, s12);
            x = DoubleVector.broadcast(S, ad[a2 + p]);
            s20 = x.fma(w0, s20);
            s21 = x.fma(w1, s21);
            s22 = x.fma(w2, s22);
            x = DoubleVector.broadcast(S, ad[a3 + p]);
            s30 = x.fma(w0, s30);
            s31 = x.fma(w1, s31);
            s32 = x.fma(w2, s32);
        }
        int c0 = i * n;
        store(alpha, s00, 0.0, cd, c0);
        store(alpha, s01, 0.0, cd, c0 + L);
        store(alpha, s02, 0.0, cd, c0 + j2);
        store(alpha, s10, 0.0, cd, c0 + n);
        store(alpha, s11, 0.0, cd, c0 + n + L);
        store(alpha, s12, 0.0, cd, c0 + n + j2);
        store(alpha, s20, 0.0, cd, c0 + 2 * n);
        store(alpha, s21, 0.0, cd, c0 + 2 * n + L);
        store(alpha, s22, 0.0, cd, c0 + 2 * n + j2);
        store(alpha, s30, 0.0, cd, c0 + 3 * n);
        store(alpha, s31, 0.0, cd, c0 + 3 * n + L);
        store(alpha, s32, 0.0, cd, c0 + 3 * n + j2);
    }

    /** {@link #rows4Overlap3} for rows more than one and less than two vectors long: vectors at 0 and n - L. */
    private static void rows4Overlap2(double alpha, double[] ad, int i, int k, double[] b, int n, double[] cd) {
        int a0 = i * k;
        int a1 = a0 + k;
        int a2 = a1 + k;
        int a3 = a2 + k;
        int j1 = n - L;
        DoubleVector s00 = DoubleVector.zero(S);
        DoubleVector s01 = s00;
        DoubleVector s10 = s00;
        DoubleVector s11 = s00;
        DoubleVector s20 = s00;
        DoubleVector s21 = s00;
        DoubleVector s30 = s00;
        DoubleVector s31 = s00;
        for (int p = 0; p < k; p++) {
            int o = p * n;
            DoubleVector w0 = DoubleVector.fromArray(S, b, o);
            DoubleVector w1 = DoubleVector.fromArray(S, b, o + j1);
            DoubleVector x = DoubleVector.broadcast(S, ad[a0 + p]);
            s00 = x.fma(w0, s00);
            s01 = x.fma(w1, s01);
            x = DoubleVector.broadcast(S, ad[a1 + p]);
            s10 = x.fma(w0, s10);
            s11 = x.fma(w1, s11);
            x = DoubleVector.broadcast(S, ad[a2 + p]);
            s20 = x.fma(w0, s20);
            s21 = x.fma(w1, s21);
            x = DoubleVector.broadcast(S, ad[a3 + p]);
            s30 = x.fma(w0, s30);
            s31 = x.fma(w1, s31);
        }
        int c0 = i * n;
        store(alpha, s00, 0.0, cd, c0);
        store(alpha, s01, 0.0, cd, c0 + j1);
        store(alpha, s10, 0.0, cd, c0 + n);
        store(alpha, s11, 0.0, cd, c0 + n + j1);
        store(alpha, s20, 0.0, cd, c0 + 2 * n);
        store(alpha, s21, 0.0, cd, c0 + 2 * n + j1);
        store(alpha, s30, 0.0, cd, c0 + 3 * n);
        store(alpha, s31, 0.0, cd, c0 + 3 * n + j1);
    }

    /**
     * {@link #rows} for any inner dimension k, with B given padded to whole vectors: {@code C[i, :] = alpha
     * A[i, :] B + beta C[i, :]} for rows i in [i0, i1), B row-major k x np with {@code np} a multiple of the
     * lanes and columns n to np - 1 zero. Four rows of A at a time and up to three vectors of C's row (12
     * columns with four lanes) per pass over the inner dimension: twelve accumulators, four broadcasts and
     * three loads of B per twelve multiply-adds, and no scalar columns (the padding lanes are computed and
     * dropped); where two vectors are left (a row of 5 to 8 columns on four lanes, 9 to 16 on eight) they go in
     * one pass too, eight accumulators ({@code M Y^T} at 76800 x 500 by 10 on eight lanes, two threads: 10 to 13
     * against 20 to 38 ms as two passes of one vector, performance.md "Thirteenth pass"). The four rows of a pass
     * are i, i + q, i + 2q and i + 3q, q a quarter of the range's rows (the rest one at a time after them): A is
     * read as four runs of consecutive rows, each in order from its start, rather than four streams that restart
     * at every fourth row (the same product a few percent faster, in eight of ten alternating runs, there). Every
     * entry is the running sum {@code s = fma(A[i, p], B[p, j], s)} for p = 0, 1, ..., from
     * zero, then {@code alpha s + beta C}: the bits of {@link JavaGemm#rowDots} and of {@link #rows}. This is
     * {@code M Y^T} with M row-major (B = Y^T padded) where the copy of M by columns is not kept.
     *
     * @param alpha the factor of the product
     * @param ad A, row-major m x k
     * @param k the inner dimension
     * @param bp B padded, row-major k x np
     * @param np the padded columns of B, a multiple of {@link #lanes()}
     * @param n the columns of C, at most np
     * @param beta the factor of the old C
     * @param cd C, row-major m x n
     * @param i0 the first row
     * @param i1 one past the last row
     */
    static void rowsPadded(double alpha, double[] ad, int k, double[] bp, int np, int n, double beta, double[] cd,
            int i0, int i1) {
        double[] lanes = new double[L];
        // rows i, i + q, i + 2q, i + 3q per pass: four long runs of A's rows, each read in order from start to end
        int q = (i1 - i0) / 4;
        for (int i = i0; i < i0 + q; i++) {
            for (int j = 0; j < np; j += 3 * L) {
                int vectors = Math.min(3, (np - j) / L);
                if (vectors == 3) {
                    rows4x3(alpha, ad, i, q, k, bp, np, j, n, beta, cd, lanes);
                } else if (vectors == 2) {
                    rows4x2(alpha, ad, i, q, k, bp, np, j, n, beta, cd, lanes);
                } else {
                    rows4x1(alpha, ad, i, q, k, bp, np, j, n, beta, cd, lanes);
                }
            }
        }
        for (int i = i0 + 4 * q; i < i1; i++) {
            int a0 = i * k;
            for (int j = 0; j < np; j += L) {
                DoubleVector s0 = DoubleVector.zero(S);
                for (int p = 0; p < k; p++) {
                    s0 = DoubleVector.broadcast(S, ad[a0 + p]).fma(DoubleVector.fromArray(S, bp, p * np + j), s0);
                }
                put(alpha, s0, beta, cd, i * n, j, n, lanes);
            }
        }
    }

    /** Rows i, i + q, i + 2q, i + 3q of C, columns j to j + 3 L (three vectors), for {@link #rowsPadded}. */
    private static void rows4x3(double alpha, double[] ad, int i, int q, int k, double[] bp, int np, int j, int n,
            double beta, double[] cd, double[] lanes) {
        int a0 = i * k;
        int a1 = a0 + q * k;
        int a2 = a1 + q * k;
        int a3 = a2 + q * k;
        DoubleVector s00 = DoubleVector.zero(S);
        DoubleVector s01 = s00;
        DoubleVector s02 = s00;
        DoubleVector s10 = s00;
        DoubleVector s11 = s00;
        DoubleVector s12 = s00;
        DoubleVector s20 = s00;
        DoubleVector s21 = s00;
        DoubleVector s22 = s00;
        DoubleVector s30 = s00;
        DoubleVector s31 = s00;
        DoubleVector s32 = s00;
        for (int p = 0; p < k; p++) {
            int o = p * np + j;
            DoubleVector w0 = DoubleVector.fromArray(S, bp, o);
            DoubleVector w1 = DoubleVector.fromArray(S, bp, o + L);
            DoubleVector w2 = DoubleVector.fromArray(S, bp, o + 2 * L);
            DoubleVector x = DoubleVector.broadcast(S, ad[a0 + p]);
            s00 = x.fma(w0, s00);
            s01 = x.fma(w1, s01);
            s02 = x.fma(w2, s02);
            x = DoubleVector.broadcast(S, ad[a1 + p]);
            s10 = x.fma(w0, s10);
            s11 = x.fma(w1, s11);
            s12 = x.fma(w2, s12);
            x = DoubleVector.broadcast(S, ad[a2 + p]);
            s20 = x.fma(w0, s20);
            s21 = x.fma(w1, s21);
            s22 = x.fma(w2, s22);
            x = DoubleVector.broadcast(S, ad[a3 + p]);
            s30 = x.fma(w0, s30);
            s31 = x.fma(w1, s31);
            s32 = x.fma(w2, s32);
        }
        int c0 = i * n;
        int c1 = c0 + q * n;
        int c2 = c1 + q * n;
        int c3 = c2 + q * n;
        put(alpha, s00, beta, cd, c0, j, n, lanes);
        put(alpha, s01, beta, cd, c0, j + L, n, lanes);
        put(alpha, s02, beta, cd, c0, j + 2 * L, n, lanes);
        put(alpha, s10, beta, cd, c1, j, n, lanes);
        put(alpha, s11, beta, cd, c1, j + L, n, lanes);
        put(alpha, s12, beta, cd, c1, j + 2 * L, n, lanes);
        put(alpha, s20, beta, cd, c2, j, n, lanes);
        put(alpha, s21, beta, cd, c2, j + L, n, lanes);
        put(alpha, s22, beta, cd, c2, j + 2 * L, n, lanes);
        put(alpha, s30, beta, cd, c3, j, n, lanes);
        put(alpha, s31, beta, cd, c3, j + L, n, lanes);
        put(alpha, s32, beta, cd, c3, j + 2 * L, n, lanes);
    }

    /** Rows i, i + q, i + 2q, i + 3q of C, columns j to j + 2 L (two vectors), for {@link #rowsPadded}. */
    private static void rows4x2(double alpha, double[] ad, int i, int q, int k, double[] bp, int np, int j, int n,
            double beta, double[] cd, double[] lanes) {
        int a0 = i * k;
        int a1 = a0 + q * k;
        int a2 = a1 + q * k;
        int a3 = a2 + q * k;
        DoubleVector s00 = DoubleVector.zero(S);
        DoubleVector s01 = s00;
        DoubleVector s10 = s00;
        DoubleVector s11 = s00;
        DoubleVector s20 = s00;
        DoubleVector s21 = s00;
        DoubleVector s30 = s00;
        DoubleVector s31 = s00;
        for (int p = 0; p < k; p++) {
            int o = p * np + j;
            DoubleVector w0 = DoubleVector.fromArray(S, bp, o);
            DoubleVector w1 = DoubleVector.fromArray(S, bp, o + L);
            DoubleVector x = DoubleVector.broadcast(S, ad[a0 + p]);
            s00 = x.fma(w0, s00);
            s01 = x.fma(w1, s01);
            x = DoubleVector.broadcast(S, ad[a1 + p]);
            s10 = x.fma(w0, s10);
            s11 = x.fma(w1, s11);
            x = DoubleVector.broadcast(S, ad[a2 + p]);
            s20 = x.fma(w0, s20);
            s21 = x.fma(w1, s21);
            x = DoubleVector.broadcast(S, ad[a3 + p]);
            s30 = x.fma(w0, s30);
            s31 = x.fma(w1, s31);
        }
        int c0 = i * n;
        int c1 = c0 + q * n;
        int c2 = c1 + q * n;
        int c3 = c2 + q * n;
        put(alpha, s00, beta, cd, c0, j, n, lanes);
        put(alpha, s01, beta, cd, c0, j + L, n, lanes);
        put(alpha, s10, beta, cd, c1, j, n, lanes);
        put(alpha, s11, beta, cd, c1, j + L, n, lanes);
        put(alpha, s20, beta, cd, c2, j, n, lanes);
        put(alpha, s21, beta, cd, c2, j + L, n, lanes);
        put(alpha, s30, beta, cd, c3, j, n, lanes);
        put(alpha, s31, beta, cd, c3, j + L, n, lanes);
    }

    /** Rows i, i + q, i + 2q, i + 3q of C, columns j to j + L (one vector), for {@link #rowsPadded}. */
    private static void rows4x1(double alpha, double[] ad, int i, int q, int k, double[] bp, int np, int j, int n,
            double beta, double[] cd, double[] lanes) {
        int a0 = i * k;
        int a1 = a0 + q * k;
        int a2 = a1 + q * k;
        int a3 = a2 + q * k;
        DoubleVector s0 = DoubleVector.zero(S);
        DoubleVector s1 = s0;
        DoubleVector s2 = s0;
        DoubleVector s3 = s0;
        for (int p = 0; p < k; p++) {
            DoubleVector w = DoubleVector.fromArray(S, bp, p * np + j);
            s0 = DoubleVector.broadcast(S, ad[a0 + p]).fma(w, s0);
            s1 = DoubleVector.broadcast(S, ad[a1 + p]).fma(w, s1);
            s2 = DoubleVector.broadcast(S, ad[a2 + p]).fma(w, s2);
            s3 = DoubleVector.broadcast(S, ad[a3 + p]).fma(w, s3);
        }
        int c0 = i * n;
        put(alpha, s0, beta, cd, c0, j, n, lanes);
        put(alpha, s1, beta, cd, c0 + q * n, j, n, lanes);
        put(alpha, s2, beta, cd, c0 + 2 * q * n, j, n, lanes);
        put(alpha, s3, beta, cd, c0 + 3 * q * n, j, n, lanes);
    }

    /**
     * Columns j to j + L of the row of C that starts at c0, those below n: a whole vector through {@link #store},
     * a part of one lane by lane through the scalar store (the same operations on each entry).
     */
    private static void put(double alpha, DoubleVector s, double beta, double[] cd, int c0, int j, int n,
            double[] lanes) {
        if (j + L <= n) {
            store(alpha, s, beta, cd, c0 + j);
            return;
        }
        if (j >= n) {
            return;
        }
        s.intoArray(lanes, 0);
        for (int l = 0; j + l < n; l++) {
            store(alpha, lanes[l], beta, cd, c0 + j + l);
        }
    }

    /**
     * The upper triangle of {@code sum_{i in [i0, i1)} a_i^T a_i} for the rows a_i (length n) of a row-major
     * matrix, as {@link JavaGemm#gramRows} sums it: each entry {@code (p, q)}, q at least p, is the running sum
     * {@code s = fma(a_i[p], a_i[q], s)} over i in increasing order from zero, so the bits are the same. At most
     * three vectors of columns ({@link #gramNarrow}): one pass over the rows per group of four result rows. Wider:
     * four rows of the result at a time, their columns from the vector that holds the diagonal on, two vectors per
     * pass over the rows (eight accumulators), the columns past the last whole vector in four scalar chains per pass;
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
        if (n <= 3 * L) {
            return gramNarrow(ad, n, i0, i1);
        }
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

    /**
     * {@link #gram} for at most three vectors of columns (n up to 12 with four lanes: the factors' Gram matrices at
     * ranks up to 12): one pass over the rows per group of four result rows, with all of the group's columns from
     * the vector that holds its diagonal on (up to twelve accumulators), instead of a pass per pair of vectors and
     * one per scalar column. Each entry is the same running sum {@code s = fma(a_i[p], a_i[q], s)} over the rows in
     * order, so the bits do not change. The last vector of a row reads past its end into the next row (lanes past
     * column n - 1, whose sums are dropped); rows whose reads would pass the end of the array continue the sums one
     * lane at a time.
     */
    private static double[] gramNarrow(double[] ad, int n, int i0, int i1) {
        double[] g = new double[(n + 3) * n];
        double[] t = new double[4 * 3 * L];
        for (int p = 0; p < n; p += 4) {
            int q0 = (p / L) * L;
            int vectors = (n - q0 + L - 1) / L;
            // rows whose last vector ends inside the array
            long fit = Math.floorDiv(ad.length - q0 - (long) vectors * L, (long) n) + 1;
            int iv = (int) Math.max(i0, Math.min(i1, fit));
            int p1 = Math.min(p + 1, n - 1);
            int p2 = Math.min(p + 2, n - 1);
            int p3 = Math.min(p + 3, n - 1);
            if (vectors == 3) {
                gramGroup3(ad, n, i0, iv, p, p1, p2, p3, q0, t);
            } else if (vectors == 2) {
                gramGroup2(ad, n, i0, iv, p, p1, p2, p3, q0, t);
            } else {
                gramGroup1(ad, n, i0, iv, p, p1, p2, p3, q0, t);
            }
            int w = 3 * L;
            int[] rowOf = {p, p1, p2, p3};
            for (int i = iv, o = iv * n; i < i1; i++, o += n) {
                for (int k = 0; k < 4; k++) {
                    double u = ad[o + rowOf[k]];
                    for (int j = 0; q0 + j < n; j++) {
                        t[k * w + j] = Math.fma(u, ad[o + q0 + j], t[k * w + j]);
                    }
                }
            }
            for (int k = 0; k < 4 && p + k < n; k++) {
                for (int q = Math.max(q0, p + k); q < n; q++) {
                    g[(p + k) * n + q] = t[k * w + q - q0];
                }
            }
        }
        return g;
    }

    /** Rows u0..u3 of one group of {@link #gramNarrow} against three vectors of columns from q0, rows [i0, i1). */
    private static void gramGroup3(double[] ad, int n, int i0, int i1, int u0, int u1, int u2, int u3, int q0,
            double[] t) {
        DoubleVector s00 = DoubleVector.zero(S);
        DoubleVector s01 = s00;
        DoubleVector s02 = s00;
        DoubleVector s10 = s00;
        DoubleVector s11 = s00;
        DoubleVector s12 = s00;
        DoubleVector s20 = s00;
        DoubleVector s21 = s00;
        DoubleVector s22 = s00;
        DoubleVector s30 = s00;
        DoubleVector s31 = s00;
        DoubleVector s32 = s00;
        for (int i = i0, o = i0 * n; i < i1; i++, o += n) {
            DoubleVector w0 = DoubleVector.fromArray(S, ad, o + q0);
            DoubleVector w1 = DoubleVector.fromArray(S, ad, o + q0 + L);
            DoubleVector w2 = DoubleVector.fromArray(S, ad, o + q0 + 2 * L);
            DoubleVector x = DoubleVector.broadcast(S, ad[o + u0]);
            s00 = x.fma(w0, s00);
            s01 = x.fma(w1, s01);
            s02 = x.fma(w2, s02);
            x = DoubleVector.broadcast(S, ad[o + u1]);
            s10 = x.fma(w0, s10);
            s11 = x.fma(w1, s11);
            s12 = x.fma(w2, s12);
            x = DoubleVector.broadcast(S, ad[o + u2]);
            s20 = x.fma(w0, s20);
            s21 = x.fma(w1, s21);
            s22 = x.fma(w2, s22);
            x = DoubleVector.broadcast(S, ad[o + u3]);
            s30 = x.fma(w0, s30);
            s31 = x.fma(w1, s31);
            s32 = x.fma(w2, s32);
        }
        int w = 3 * L;
        s00.intoArray(t, 0);
        s01.intoArray(t, L);
        s02.intoArray(t, 2 * L);
        s10.intoArray(t, w);
        s11.intoArray(t, w + L);
        s12.intoArray(t, w + 2 * L);
        s20.intoArray(t, 2 * w);
        s21.intoArray(t, 2 * w + L);
        s22.intoArray(t, 2 * w + 2 * L);
        s30.intoArray(t, 3 * w);
        s31.intoArray(t, 3 * w + L);
        s32.intoArray(t, 3 * w + 2 * L);
    }

    /** {@link #gramGroup3} with two vectors of columns. */
    private static void gramGroup2(double[] ad, int n, int i0, int i1, int u0, int u1, int u2, int u3, int q0,
            double[] t) {
        DoubleVector s00 = DoubleVector.zero(S);
        DoubleVector s01 = s00;
        DoubleVector s10 = s00;
        DoubleVector s11 = s00;
        DoubleVector s20 = s00;
        DoubleVector s21 = s00;
        DoubleVector s30 = s00;
        DoubleVector s31 = s00;
        for (int i = i0, o = i0 * n; i < i1; i++, o += n) {
            DoubleVector w0 = DoubleVector.fromArray(S, ad, o + q0);
            DoubleVector w1 = DoubleVector.fromArray(S, ad, o + q0 + L);
            DoubleVector x = DoubleVector.broadcast(S, ad[o + u0]);
            s00 = x.fma(w0, s00);
            s01 = x.fma(w1, s01);
            x = DoubleVector.broadcast(S, ad[o + u1]);
            s10 = x.fma(w0, s10);
            s11 = x.fma(w1, s11);
            x = DoubleVector.broadcast(S, ad[o + u2]);
            s20 = x.fma(w0, s20);
            s21 = x.fma(w1, s21);
            x = DoubleVector.broadcast(S, ad[o + u3]);
            s30 = x.fma(w0, s30);
            s31 = x.fma(w1, s31);
        }
        int w = 3 * L;
        s00.intoArray(t, 0);
        s01.intoArray(t, L);
        s10.intoArray(t, w);
        s11.intoArray(t, w + L);
        s20.intoArray(t, 2 * w);
        s21.intoArray(t, 2 * w + L);
        s30.intoArray(t, 3 * w);
        s31.intoArray(t, 3 * w + L);
    }

    /** {@link #gramGroup3} with one vector of columns. */
    private static void gramGroup1(double[] ad, int n, int i0, int i1, int u0, int u1, int u2, int u3, int q0,
            double[] t) {
        DoubleVector s0 = DoubleVector.zero(S);
        DoubleVector s1 = s0;
        DoubleVector s2 = s0;
        DoubleVector s3 = s0;
        for (int i = i0, o = i0 * n; i < i1; i++, o += n) {
            DoubleVector w0 = DoubleVector.fromArray(S, ad, o + q0);
            s0 = DoubleVector.broadcast(S, ad[o + u0]).fma(w0, s0);
            s1 = DoubleVector.broadcast(S, ad[o + u1]).fma(w0, s1);
            s2 = DoubleVector.broadcast(S, ad[o + u2]).fma(w0, s2);
            s3 = DoubleVector.broadcast(S, ad[o + u3]).fma(w0, s3);
        }
        int w = 3 * L;
        s0.intoArray(t, 0);
        s1.intoArray(t, w);
        s2.intoArray(t, 2 * w);
        s3.intoArray(t, 3 * w);
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

    /**
     * {@link JavaGemm#reduceInner}'s chunk on the Vector API: adds {@code op(A)[i, p] B[p, :]} for p in
     * [p0, p1) to {@code acc[i]}, every entry the same running sum as {@link JavaGemm#reduceChunk} forms,
     * bit for bit: rows of B four at a time, and for each row i of the result the four products added by
     * one fused multiply-add each in increasing p ({@code s = fma(a, b, s)}), the group skipped when its four
     * coefficients are zero; the last rows of B one at a time, skipped when the coefficient is zero (the
     * scalar kernel's eight-row passes are two such groups of four). Two rows of the result per pass over
     * the columns: each vector of B loaded once for both, six loads and two stores per eight multiply-adds
     * instead of nine and one; B is read where it lies, without the scalar kernel's copies.
     *
     * @param ad A's data; {@code op(A)[i, p]} is {@code ad[p * rs + i * cs]}
     * @param rs the step of p in ad
     * @param cs the step of i in ad
     * @param bd B, row-major, rows of length n
     * @param n the columns of B and of the result
     * @param m the rows of the result
     * @param p0 the first row of B
     * @param p1 one past the last row of B
     * @param acc the m partial rows, each of length n, added to
     */
    static void reduce(double[] ad, int rs, int cs, double[] bd, int n, int m, int p0, int p1, double[][] acc) {
        int whole = S.loopBound(n);
        int p = p0;
        for (; p + 3 < p1; p += 4) {
            int b0 = p * n;
            int i = 0;
            for (; i + 1 < m; i += 2) {
                int o = p * rs + i * cs;
                double a0 = ad[o];
                double a1 = ad[o + rs];
                double a2 = ad[o + 2 * rs];
                double a3 = ad[o + 3 * rs];
                int u = o + cs;
                double c0 = ad[u];
                double c1 = ad[u + rs];
                double c2 = ad[u + 2 * rs];
                double c3 = ad[u + 3 * rs];
                boolean x = a0 != 0.0 || a1 != 0.0 || a2 != 0.0 || a3 != 0.0;
                boolean y = c0 != 0.0 || c1 != 0.0 || c2 != 0.0 || c3 != 0.0;
                if (x && y) {
                    pair4(a0, a1, a2, a3, c0, c1, c2, c3, bd, b0, n, whole, acc[i], acc[i + 1]);
                } else if (x) {
                    one4(a0, a1, a2, a3, bd, b0, n, whole, acc[i]);
                } else if (y) {
                    one4(c0, c1, c2, c3, bd, b0, n, whole, acc[i + 1]);
                }
            }
            if (i < m) {
                int o = p * rs + i * cs;
                double a0 = ad[o];
                double a1 = ad[o + rs];
                double a2 = ad[o + 2 * rs];
                double a3 = ad[o + 3 * rs];
                if (a0 != 0.0 || a1 != 0.0 || a2 != 0.0 || a3 != 0.0) {
                    one4(a0, a1, a2, a3, bd, b0, n, whole, acc[i]);
                }
            }
        }
        for (; p < p1; p++) {
            int b0 = p * n;
            for (int i = 0; i < m; i++) {
                double a0 = ad[p * rs + i * cs];
                if (a0 != 0.0) {
                    double[] y = acc[i];
                    DoubleVector v0 = DoubleVector.broadcast(S, a0);
                    for (int j = 0; j < whole; j += L) {
                        v0.fma(DoubleVector.fromArray(S, bd, b0 + j), DoubleVector.fromArray(S, y, j)).intoArray(y, j);
                    }
                    for (int j = whole; j < n; j++) {
                        y[j] = Math.fma(a0, bd[b0 + j], y[j]);
                    }
                }
            }
        }
    }

    /**
     * {@link TransposedMatrix}'s update of the r output slices of a block from four columns of M:
     * {@code pt[k][i] += Y[k, j] c0[i] + Y[k, j+1] c1[i] + Y[k, j+2] c2[i] + Y[k, j+3] c3[i]} for i below len,
     * the four terms added by one fused multiply-add each in that order, as {@link JavaGemm#axpy4} adds them (the
     * same bits). Two outputs per pass over the slices: each vector of the columns loaded once for both, six
     * loads and two stores per eight multiply-adds instead of five and one per four (C2 does not vectorize the
     * scalar loop with two outputs; here the vectors are explicit). Its loop is its own rather than
     * {@link #reduce}'s pair kernel with offsets: with one kernel for both passes over M a BINNO iteration at
     * 76800 x 500 took 82 to 111 ms against 65 to 82 ms (four alternating runs of {@code bench binno}).
     *
     * @param yd Y, row-major r x n
     * @param n the columns of Y
     * @param j the first of the four columns
     * @param c0 column j of M over the block's rows
     * @param c1 column j + 1
     * @param c2 column j + 2
     * @param c3 column j + 3
     * @param pt the r output slices, each at least len long, added to
     * @param r the rows of Y
     * @param len the block's rows
     */
    static void columns4(double[] yd, int n, int j, double[] c0, double[] c1, double[] c2, double[] c3, double[][] pt,
            int r, int len) {
        int whole = S.loopBound(len);
        int k = 0;
        for (; k + 1 < r; k += 2) {
            int o = k * n + j;
            int u = o + n;
            double a0 = yd[o];
            double a1 = yd[o + 1];
            double a2 = yd[o + 2];
            double a3 = yd[o + 3];
            double e0 = yd[u];
            double e1 = yd[u + 1];
            double e2 = yd[u + 2];
            double e3 = yd[u + 3];
            double[] y = pt[k];
            double[] z = pt[k + 1];
            DoubleVector va0 = DoubleVector.broadcast(S, a0);
            DoubleVector va1 = DoubleVector.broadcast(S, a1);
            DoubleVector va2 = DoubleVector.broadcast(S, a2);
            DoubleVector va3 = DoubleVector.broadcast(S, a3);
            DoubleVector ve0 = DoubleVector.broadcast(S, e0);
            DoubleVector ve1 = DoubleVector.broadcast(S, e1);
            DoubleVector ve2 = DoubleVector.broadcast(S, e2);
            DoubleVector ve3 = DoubleVector.broadcast(S, e3);
            for (int i = 0; i < whole; i += L) {
                DoubleVector w0 = DoubleVector.fromArray(S, c0, i);
                DoubleVector w1 = DoubleVector.fromArray(S, c1, i);
                DoubleVector w2 = DoubleVector.fromArray(S, c2, i);
                DoubleVector w3 = DoubleVector.fromArray(S, c3, i);
                va3.fma(w3, va2.fma(w2, va1.fma(w1, va0.fma(w0, DoubleVector.fromArray(S, y, i))))).intoArray(y, i);
                ve3.fma(w3, ve2.fma(w2, ve1.fma(w1, ve0.fma(w0, DoubleVector.fromArray(S, z, i))))).intoArray(z, i);
            }
            for (int i = whole; i < len; i++) {
                y[i] = Math.fma(a3, c3[i], Math.fma(a2, c2[i], Math.fma(a1, c1[i], Math.fma(a0, c0[i], y[i]))));
                z[i] = Math.fma(e3, c3[i], Math.fma(e2, c2[i], Math.fma(e1, c1[i], Math.fma(e0, c0[i], z[i]))));
            }
        }
        if (k < r) {
            int o = k * n + j;
            JavaGemm.axpy4(yd[o], c0, yd[o + 1], c1, yd[o + 2], c2, yd[o + 3], c3, pt[k], len);
        }
    }

    /** Four rows of B (from b0, rows of length n) into two rows of the result, y with a0..a3 and z with c0..c3. */
    private static void pair4(double a0, double a1, double a2, double a3, double c0, double c1, double c2, double c3,
            double[] bd, int b0, int n, int whole, double[] y, double[] z) {
        int b1 = b0 + n;
        int b2 = b1 + n;
        int b3 = b2 + n;
        DoubleVector va0 = DoubleVector.broadcast(S, a0);
        DoubleVector va1 = DoubleVector.broadcast(S, a1);
        DoubleVector va2 = DoubleVector.broadcast(S, a2);
        DoubleVector va3 = DoubleVector.broadcast(S, a3);
        DoubleVector vc0 = DoubleVector.broadcast(S, c0);
        DoubleVector vc1 = DoubleVector.broadcast(S, c1);
        DoubleVector vc2 = DoubleVector.broadcast(S, c2);
        DoubleVector vc3 = DoubleVector.broadcast(S, c3);
        for (int j = 0; j < whole; j += L) {
            DoubleVector w0 = DoubleVector.fromArray(S, bd, b0 + j);
            DoubleVector w1 = DoubleVector.fromArray(S, bd, b1 + j);
            DoubleVector w2 = DoubleVector.fromArray(S, bd, b2 + j);
            DoubleVector w3 = DoubleVector.fromArray(S, bd, b3 + j);
            va3.fma(w3, va2.fma(w2, va1.fma(w1, va0.fma(w0, DoubleVector.fromArray(S, y, j))))).intoArray(y, j);
            vc3.fma(w3, vc2.fma(w2, vc1.fma(w1, vc0.fma(w0, DoubleVector.fromArray(S, z, j))))).intoArray(z, j);
        }
        for (int j = whole; j < n; j++) {
            double w0 = bd[b0 + j];
            double w1 = bd[b1 + j];
            double w2 = bd[b2 + j];
            double w3 = bd[b3 + j];
            y[j] = Math.fma(a3, w3, Math.fma(a2, w2, Math.fma(a1, w1, Math.fma(a0, w0, y[j]))));
            z[j] = Math.fma(c3, w3, Math.fma(c2, w2, Math.fma(c1, w1, Math.fma(c0, w0, z[j]))));
        }
    }

    /** Four rows of B (from b0, rows of length n) into one row y of the result, with a0..a3. */
    private static void one4(double a0, double a1, double a2, double a3, double[] bd, int b0, int n, int whole,
            double[] y) {
        int b1 = b0 + n;
        int b2 = b1 + n;
        int b3 = b2 + n;
        DoubleVector va0 = DoubleVector.broadcast(S, a0);
        DoubleVector va1 = DoubleVector.broadcast(S, a1);
        DoubleVector va2 = DoubleVector.broadcast(S, a2);
        DoubleVector va3 = DoubleVector.broadcast(S, a3);
        for (int j = 0; j < whole; j += L) {
            DoubleVector s = va0.fma(DoubleVector.fromArray(S, bd, b0 + j), DoubleVector.fromArray(S, y, j));
            s = va1.fma(DoubleVector.fromArray(S, bd, b1 + j), s);
            s = va2.fma(DoubleVector.fromArray(S, bd, b2 + j), s);
            va3.fma(DoubleVector.fromArray(S, bd, b3 + j), s).intoArray(y, j);
        }
        for (int j = whole; j < n; j++) {
            y[j] = Math.fma(a3, bd[b3 + j], Math.fma(a2, bd[b2 + j], Math.fma(a1, bd[b1 + j], Math.fma(a0, bd[b0 + j],
                    y[j]))));
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
