package org.bilevel4j.linalg;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * Pure-Java products {@code C = alpha op(A) op(B) + beta C}, used when no native BLAS is present.
 * Package-private: use {@link Gemm}.
 *
 * <p>Three kernels, chosen by shape (op(A) is m x k, op(B) is k x n):
 * <ul>
 *   <li><b>long inner dimension</b> ({@code op(B) = B}, k large, C small), e.g. {@code [Xu Xl]^T M}:
 *       the k rows of B are cut into a fixed number of chunks; each chunk streams its rows of B
 *       once and accumulates a partial C with vectorizable axpy updates ({@code C[i,:] += a B[p,:]},
 *       four rows of B at a time); the partials are added in chunk order at the end.</li>
 *   <li><b>tall A, thin result</b> ({@code op(A) = A}, n at most 20, or at most 64 with an inner
 *       dimension above 2n), e.g. {@code M Y^T}: each C entry is
 *       a dot product of a row of A with a row of {@code op(B)^T}; rows of A are split between the
 *       threads, and a 4 x 4 register block of dot products (16 independent accumulators) reads
 *       each element of A once per four columns of C. On the Vector API ({@link #VECTOR_ROWS}) the same
 *       sums run with lanes along a row of C: for an inner dimension up to {@link #VECTOR_ROWS_MAX_K}
 *       ({@link VectorRowDots#rows}), and for a longer one with at least {@link #VECTOR_PASS_WORK}
 *       multiply-adds ({@link #paddedRows}; {@link VectorRowDots#rowsPadded}, op(B) copied padded to whole
 *       vectors): {@code M Y^T} where no copy of M by columns is kept and the video baselines'
 *       {@code B V_p} at 20800 x 198; at 76800 x 500 by 20, 32 and 64 columns 2.5 to 4 times faster than the
 *       dot products (medians of 57 to 66 against 143 to 163 ms, 52 against 218, 95 to 104 against 395 to
 *       401 ms, two threads).</li>
 *   <li><b>everything else</b> (large square products): op(B) is packed panel by panel into
 *       separate row arrays, and blocks of rows of C (kept in row buffers) are updated with the
 *       same axpy kernel; the rows of C are split between the threads.</li>
 * </ul>
 * A Gram matrix {@code A^T A} of a tall A with at most {@link #GRAM_MAX_N} columns (the r x r
 * Gram matrices of BINNO's factors) has its own kernel: the upper triangle only, in tiles of 3 x 3
 * entries with one pass over the rows each, over fixed chunks of rows added in chunk order.
 * Products with less than {@link #SMALL_WORK} multiply-adds use EJML's single-threaded kernels,
 * except {@code A^T B} with a long inner dimension (Gram matrices {@code X^T X} of a tall factor),
 * where EJML walks A by columns.
 *
 * <p>Why separate row arrays: HotSpot's C2 (JDK 17) vectorizes {@code y[j] += a x[j]} only when
 * all array indices in the loop are the loop variable plus the same offset; an inner loop over
 * one row of a row-major matrix with its own offset stays scalar. Copying a row into a buffer
 * (System.arraycopy) costs far less than the multiply-adds that then run on 4 or 8 lanes.
 *
 * <p>Like the reference BLAS, the long-inner kernel skips a group of four rows of B whose
 * coefficients in op(A) are all zero (sparse factors after soft thresholding), so there a NaN
 * in B times a zero coefficient does not propagate; everywhere else IEEE arithmetic applies.
 *
 * <p>Threads: {@code bilevel4j.threads - 1} daemon helper threads ({@link Parallel}; system property,
 * default the number of available processors) plus the calling thread. Work is split into tasks
 * whose boundaries depend only on the shapes, and each output entry is summed in a fixed order,
 * so results are bit-for-bit reproducible and independent of the number of threads.
 *
 * <p>Memory: no temporary of the size of A is allocated, nor of B except in the tall-A kernels (at most 64
 * columns of C): the dot products with {@code op(B) = B} work on a transposed copy of B, and the padded
 * kernel on the Vector API on a copy of op(B) padded to whole vectors (either layout; fewer more columns
 * than a vector has lanes). The other
 * buffers are a panel of op(B) (at most 2048 x 256), rows of C, and the partial C of each
 * chunk.
 */
final class JavaGemm {

    /** Multiply-adds below which EJML's single-threaded kernels run. */
    static final long SMALL_WORK = 200_000L;

    /**
     * Multiply-adds below which the Java kernels run on the calling thread only. The helpers of
     * {@link Parallel} wait for work spinning for a while before they sleep, so handing work over
     * costs about a microsecond while a solver keeps them busy (tens of microseconds to wake a
     * sleeping thread, more on a virtual machine). At 2304 x 51 (the traffic clip) the two passes over M
     * (1 and 2 million multiply-adds) and the m x r products and Gram matrices (about 100 000) all
     * gain from the second core: a BINNO iteration there took 0.92 ms on one thread, 0.63 ms
     * with these thresholds (bench binno, same machine, alternately).
     */
    static final long PARALLEL_WORK = 100_000L;

    /**
     * Fewest rows of A for which a small product {@code A op(B)} with at most {@link #THIN_MAX_N}
     * columns and inner dimension still goes to the tall-A kernel (X (Y Y^T), X W: EJML's small
     * kernel keeps one accumulator per entry and waits on its latency).
     */
    static final int TALL_MIN_ROWS = 256;

    /**
     * Largest n for which the tall-A kernel (dot products) runs whatever the inner dimension; from
     * there up to {@link #THIN_MAX_N} only for an inner dimension above 2n: a square-ish small
     * factor ({@code A W} with W 51 x 51, singular value thresholding) runs faster in the blocked
     * kernel, whose updates along rows of C vectorize.
     */
    static final int DOTS_MAX_N = 20;

    /** Fewest columns of B for which a small {@code A^T B} (k at least m) takes the long-inner kernel. */
    static final int REDUCE_MIN_N = 16;

    /** Largest side of a Gram matrix {@code A^T A} for the symmetric Gram kernel. */
    static final int GRAM_MAX_N = 32;

    /** Fewest rows of A per chunk of the symmetric Gram kernel. */
    static final int GRAM_MIN_ROWS = 1024;

    /**
     * Multiply-adds of the symmetric Gram kernel ({@code rows n (n + 1) / 2}) from which its chunks
     * run on the helpers. Lower than {@link #PARALLEL_WORK}: the kernel's short rows run at a
     * fraction of the products' rate, so the r x r Gram matrix of a 2304 x 9 factor (103 680
     * multiply-adds, two chunks of {@link #GRAM_MIN_ROWS}) already gains from the second core. The
     * chunks do not depend on the threads, so neither do the sums.
     */
    static final long GRAM_PARALLEL_WORK = 50_000L;

    /** Largest C (entries) for the long-inner-dimension kernel. */
    static final int REDUCE_MAX_C = 1 << 16;

    /** Largest n for the tall-A kernel. */
    static final int THIN_MAX_N = 64;

    /** Most chunks of the long inner dimension (each holds a partial C). */
    static final int REDUCE_MAX_CHUNKS = 16;

    /** Fewest rows of B per chunk of the long inner dimension. */
    static final int REDUCE_MIN_ROWS = 512;

    /**
     * Multiply-adds from which a pass over a data matrix ({@link #reduceInner}, {@link TransposedMatrix}'s sweep)
     * runs on the Vector API where {@link #VECTOR_ROWS}. Below, at the traffic clip's 2304 x 51 by rank 9 (1.1
     * million), the vector kernels are faster once compiled (0.126 against 0.158 ms for {@code X^T M} on one
     * thread) but a cold run pays their warm-up: in eight alternating pairs of the video command the methods
     * took 10.6 against 10.0 s of CPU (median) and the compilers 0.3 s more. From 20800 x 198 by rank 9 (37
     * million) on they gain in every run.
     */
    static final long VECTOR_PASS_WORK = 4_000_000L;

    /**
     * @param multiplyAdds the multiply-adds of a pass over a data matrix
     * @return whether it runs on the Vector API: {@link #VECTOR_ROWS} and at least {@link #VECTOR_PASS_WORK}
     */
    static boolean vectorPass(long multiplyAdds) {
        return VECTOR_ROWS && multiplyAdds >= VECTOR_PASS_WORK;
    }

    /** Rows of C per task in the tall-A kernel. */
    static final int THIN_ROWS_PER_TASK = 256;

    /** Inner-dimension block of the tall-A kernel (keeps four rows of A in L1). */
    static final int THIN_KB = 1024;

    /** Columns of C per panel in the general kernel. */
    static final int NC = 256;

    /** Inner dimension per panel in the general kernel. */
    static final int KC = 2048;

    /** Rows of C updated together while four packed rows of op(B) sit in L1. */
    static final int MR = 8;

    /** Rows of C per task in the general kernel. */
    static final int MC = 64;

    /** Whether Math.fma is a hardware instruction here (otherwise it is very slow). */
    static final boolean FMA = fmaIsIntrinsic();

    /**
     * Whether the tall-A products with an inner dimension up to {@link #VECTOR_ROWS_MAX_K}, the thin Gram
     * matrices ({@link #gramRows}) and the long inner dimension ({@link #reduceInner}) run on the Vector API
     * ({@link VectorRowDots}, the same bits as {@link #rowDots}, the Gram tiles and {@link #reduceChunk}): the
     * module is present ({@link PanelKernels#AVAILABLE}) and {@link #FMA}.
     */
    static final boolean VECTOR_ROWS = FMA && PanelKernels.AVAILABLE;

    /** Largest inner dimension of the tall-A products on the Vector API (an m x r factor times r x r). */
    static final int VECTOR_ROWS_MAX_K = 64;

    private JavaGemm() {
    }

    private static boolean fmaIsIntrinsic() {
        String forced = System.getProperty("bilevel4j.fma");
        if (forced != null) {
            return Boolean.parseBoolean(forced);
        }
        try {
            var bean = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            return bean != null && Boolean.parseBoolean(bean.getVMOption("UseFMA").getValue());
        } catch (Throwable e) {
            return false;
        }
    }

    /** {@code a b + c}, fused when the hardware has it. The branch folds away in compiled code. */
    static double fma(double a, double b, double c) {
        return FMA ? Math.fma(a, b, c) : a * b + c;
    }

    /** {@code a b + c} in binary32, fused when the hardware has it. */
    static float fma(float a, float b, float c) {
        return FMA ? Math.fma(a, b, c) : a * b + c;
    }

    /**
     * {@code c = alpha op(a) op(b) + beta c}. Shapes are checked by {@link Gemm}; m, n, k are
     * positive. With {@code beta == 0} the old contents of c are ignored (NaN included).
     */
    static void gemm(boolean ta, boolean tb, double alpha, DMatrixRMaj a, DMatrixRMaj b, double beta,
            DMatrixRMaj c) {
        int m = c.numRows;
        int n = c.numCols;
        int k = ta ? a.numRows : a.numCols;
        long work = (long) m * n * k;
        if (ta && !tb && a == b && n <= GRAM_MAX_N && beta == 0.0) {
            gramThin(alpha, a, c, (long) k * n * (n + 1) / 2 >= GRAM_PARALLEL_WORK && Parallel.threads() > 1);
            return;
        }
        boolean longInner = !tb && (long) m * n <= REDUCE_MAX_C && k >= 2 * Math.max(m, n)
                && k >= 2 * REDUCE_MIN_ROWS;
        // A^T B with rows of B long enough to vectorize: EJML's kernel walks A by columns
        longInner |= ta && !tb && (long) m * n <= REDUCE_MAX_C && n >= REDUCE_MIN_N && k >= m;
        boolean tallThin = !ta && n <= DOTS_MAX_N && m >= TALL_MIN_ROWS && k <= THIN_MAX_N;
        if (work < SMALL_WORK && !(longInner && ta) && !tallThin) {
            // EJML's A^T B walks A by columns: the long-inner kernel is faster even for small work
            ejml(ta, tb, alpha, a, b, beta, c);
            return;
        }
        boolean parallel = parallel(work);
        if (longInner) {
            reduceInner(ta, alpha, a, b, beta, c, m, n, k, parallel);
        } else if (!ta && n <= THIN_MAX_N && (n <= DOTS_MAX_N || k > 2 * n)) {
            if (VECTOR_ROWS && k <= VECTOR_ROWS_MAX_K && n >= VectorRowDots.lanes()) {
                double[] bk = tb ? CommonOps_DDRM.transpose(b, null).data : b.data;
                rowTasks(m, parallel, (i0, i1) -> VectorRowDots.rows(alpha, a.data, k, bk, n, beta, c.data, i0, i1));
                return;
            }
            if (paddedRows(m, k, n)) {
                // a long inner dimension (M Y^T where M's copy by columns is not kept): B padded to whole vectors
                int lanes = VectorRowDots.lanes();
                int np = (n + lanes - 1) / lanes * lanes;
                double[] bp = padded(b, tb, k, n, np);
                rowTasks(m, parallel,
                        (i0, i1) -> VectorRowDots.rowsPadded(alpha, a.data, k, bp, np, n, beta, c.data, i0, i1));
                return;
            }
            double[] bt = tb ? b.data : CommonOps_DDRM.transpose(b, null).data;
            rowDots(alpha, a.data, m, k, bt, n, beta, c.data, parallel);
        } else {
            blocked(ta, tb, alpha, a, b, beta, c, m, n, k, parallel);
        }
    }

    private static boolean parallel(long work) {
        return work >= PARALLEL_WORK && Parallel.threads() > 1;
    }

    /**
     * {@code C = alpha A^T A} for a tall A with at most {@link #GRAM_MAX_N} columns: only the upper
     * triangle is summed (about half the multiply-adds), in tiles of 3 x 3 entries ({@link #gramRows}), over
     * fixed chunks of rows whose partial triangles are added in chunk order; then mirrored.
     */
    static void gramThin(double alpha, DMatrixRMaj a, DMatrixRMaj c, boolean parallel) {
        int rows = a.numRows;
        int n = a.numCols;
        int chunks = Math.max(1, Math.min(REDUCE_MAX_CHUNKS, rows / GRAM_MIN_ROWS));
        double[][] partial = new double[chunks][];
        Parallel.forEach(chunks, parallel, t -> {
            int i0 = (int) ((long) rows * t / chunks);
            int i1 = (int) ((long) rows * (t + 1) / chunks);
            partial[t] = gramRows(a.data, n, i0, i1);
        });
        double[] cd = c.data;
        for (int p = 0; p < n; p++) {
            for (int q = p; q < n; q++) {
                double v = partial[0][p * n + q];
                for (int t = 1; t < chunks; t++) {
                    v += partial[t][p * n + q];
                }
                v *= alpha;
                cd[p * n + q] = v;
                cd[q * n + p] = v;
            }
        }
    }

    /**
     * Upper triangle of {@code sum_{i in [i0, i1)} a_i^T a_i} (row-major n x n, on the Vector API followed by
     * scratch rows; entries below the diagonal may hold partial sums and are not read) for rows a_i of length n,
     * in tiles of 3 x 3 entries: one pass over the rows per tile with nine independent accumulators (six loads
     * and nine fused multiply-adds a row), then tiles of 3 x 1 and single entries for the last {@code n mod 3}
     * columns. Each entry is summed row by row in row order with fused multiply-adds. (A kernel that
     * swept four rows at a time over the triangle, in inner loops of at most n, was 2.5 to 3 times
     * slower at n = 9: too short to vectorize and bound by its loads and loop overhead.)
     */
    static double[] gramRows(double[] ad, int n, int i0, int i1) {
        if (VECTOR_ROWS && n >= VectorRowDots.lanes()) {
            return VectorRowDots.gram(ad, n, i0, i1); // the same sums on the Vector API
        }
        double[] g = new double[n * n];
        int full = n - n % 3;
        for (int p = 0; p < full; p += 3) {
            for (int q = p; q < full; q += 3) {
                gramTile33(ad, n, i0, i1, p, q, g);
            }
            for (int q = full; q < n; q++) {
                gramTile31(ad, n, i0, i1, p, q, g);
            }
        }
        for (int p = full; p < n; p++) {
            for (int q = p; q < n; q++) {
                double s = 0;
                for (int i = i0, o = i0 * n; i < i1; i++, o += n) {
                    s = fma(ad[o + p], ad[o + q], s);
                }
                g[p * n + q] = s;
            }
        }
        return g;
    }

    /** Entries (p..p+2, q..q+2) of the Gram matrix of rows [i0, i1). */
    private static void gramTile33(double[] ad, int n, int i0, int i1, int p, int q, double[] g) {
        double s00 = 0, s01 = 0, s02 = 0;
        double s10 = 0, s11 = 0, s12 = 0;
        double s20 = 0, s21 = 0, s22 = 0;
        for (int i = i0, o = i0 * n; i < i1; i++, o += n) {
            double u0 = ad[o + p];
            double u1 = ad[o + p + 1];
            double u2 = ad[o + p + 2];
            double w0 = ad[o + q];
            double w1 = ad[o + q + 1];
            double w2 = ad[o + q + 2];
            s00 = fma(u0, w0, s00);
            s01 = fma(u0, w1, s01);
            s02 = fma(u0, w2, s02);
            s10 = fma(u1, w0, s10);
            s11 = fma(u1, w1, s11);
            s12 = fma(u1, w2, s12);
            s20 = fma(u2, w0, s20);
            s21 = fma(u2, w1, s21);
            s22 = fma(u2, w2, s22);
        }
        int g0 = p * n + q;
        int g1 = g0 + n;
        int g2 = g1 + n;
        g[g0] = s00;
        g[g0 + 1] = s01;
        g[g0 + 2] = s02;
        g[g1] = s10;
        g[g1 + 1] = s11;
        g[g1 + 2] = s12;
        g[g2] = s20;
        g[g2 + 1] = s21;
        g[g2 + 2] = s22;
    }

    /** Entries (p..p+2, q) of the Gram matrix of rows [i0, i1). */
    private static void gramTile31(double[] ad, int n, int i0, int i1, int p, int q, double[] g) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        for (int i = i0, o = i0 * n; i < i1; i++, o += n) {
            double w = ad[o + q];
            s0 = fma(ad[o + p], w, s0);
            s1 = fma(ad[o + p + 1], w, s1);
            s2 = fma(ad[o + p + 2], w, s2);
        }
        g[p * n + q] = s0;
        g[(p + 1) * n + q] = s1;
        g[(p + 2) * n + q] = s2;
    }

    /** EJML's single-threaded kernels; beta is applied first so no temporary is needed. */
    static void ejml(boolean ta, boolean tb, double alpha, DMatrixRMaj a, DMatrixRMaj b, double beta,
            DMatrixRMaj c) {
        if (beta == 0.0) {
            if (!ta && !tb) {
                CommonOps_DDRM.mult(alpha, a, b, c);
            } else if (ta && !tb) {
                CommonOps_DDRM.multTransA(alpha, a, b, c);
            } else if (!ta) {
                CommonOps_DDRM.multTransB(alpha, a, b, c);
            } else {
                CommonOps_DDRM.multTransAB(alpha, a, b, c);
            }
            return;
        }
        if (beta != 1.0) {
            CommonOps_DDRM.scale(beta, c);
        }
        if (!ta && !tb) {
            CommonOps_DDRM.multAdd(alpha, a, b, c);
        } else if (ta && !tb) {
            CommonOps_DDRM.multAddTransA(alpha, a, b, c);
        } else if (!ta) {
            CommonOps_DDRM.multAddTransB(alpha, a, b, c);
        } else {
            CommonOps_DDRM.multAddTransAB(alpha, a, b, c);
        }
    }

    // ---------------------------------------------------------------- axpy kernels (vectorized)

    /** {@code y[j] += a0 x0[j] + a1 x1[j] + a2 x2[j] + a3 x3[j]} for j below len. */
    static void axpy4(double a0, double[] x0, double a1, double[] x1, double a2, double[] x2, double a3,
            double[] x3, double[] y, int len) {
        axpy4(a0, x0, a1, x1, a2, x2, a3, x3, y, 0, len);
    }

    /** {@link #axpy4} for j in [from, to). */
    static void axpy4(double a0, double[] x0, double a1, double[] x1, double a2, double[] x2, double a3,
            double[] x3, double[] y, int from, int to) {
        for (int j = from; j < to; j++) {
            y[j] = fma(a3, x3[j], fma(a2, x2[j], fma(a1, x1[j], fma(a0, x0[j], y[j]))));
        }
    }

    /**
     * {@code y[j] += a0 x0[j] + ... + a7 x7[j]} for j below len, the eight products added in that order
     * (the same rounding as two calls of {@link #axpy4}).
     */
    static void axpy8(double a0, double[] x0, double a1, double[] x1, double a2, double[] x2, double a3,
            double[] x3, double a4, double[] x4, double a5, double[] x5, double a6, double[] x6, double a7,
            double[] x7, double[] y, int len) {
        for (int j = 0; j < len; j++) {
            double t = fma(a3, x3[j], fma(a2, x2[j], fma(a1, x1[j], fma(a0, x0[j], y[j]))));
            y[j] = fma(a7, x7[j], fma(a6, x6[j], fma(a5, x5[j], fma(a4, x4[j], t))));
        }
    }

    /** {@code y[j] += a0 x0[j]} for j below len. */
    static void axpy1(double a0, double[] x0, double[] y, int len) {
        axpy1(a0, x0, y, 0, len);
    }

    /** {@link #axpy1} for j in [from, to). */
    static void axpy1(double a0, double[] x0, double[] y, int from, int to) {
        for (int j = from; j < to; j++) {
            y[j] = fma(a0, x0[j], y[j]);
        }
    }

    // ---------------------------------------------------------------- long inner dimension

    /**
     * {@code C = alpha op(A) B + beta C} with k (rows of B) large and C small: fixed chunks of the
     * rows of B, one partial C per chunk, partials added in chunk order. A chunk runs on the Vector API where
     * {@link #VECTOR_ROWS}, B is at least a vector wide and the product has {@link #VECTOR_PASS_WORK}
     * multiply-adds ({@link VectorRowDots#reduce}: at 76800 x 500 by rank 10 about 21 against 30 ms on two
     * threads), else in {@link #reduceChunk}; the same sums either way.
     */
    static void reduceInner(boolean ta, double alpha, DMatrixRMaj a, DMatrixRMaj b, double beta, DMatrixRMaj c,
            int m, int n, int k, boolean parallel) {
        int byMemory = Math.max(1, (4 * REDUCE_MAX_C) / (m * n));
        int chunks = Math.max(1, Math.min(Math.min(REDUCE_MAX_CHUNKS, k / REDUCE_MIN_ROWS), byMemory));
        double[][][] partial = new double[chunks][][];
        // vectorPass first: VectorRowDots must not be loaded where the module is missing
        boolean vector = vectorPass((long) m * n * k) && n >= VectorRowDots.lanes();
        Parallel.forEach(chunks, parallel, t -> {
            int p0 = (int) ((long) k * t / chunks);
            int p1 = (int) ((long) k * (t + 1) / chunks);
            partial[t] = vector ? reduceVector(ta, a, b, m, n, p0, p1) : reduceChunk(ta, a, b, m, n, p0, p1);
        });
        double[] cd = c.data;
        double[] sum = new double[n];
        for (int i = 0; i < m; i++) {
            System.arraycopy(partial[0][i], 0, sum, 0, n);
            for (int t = 1; t < chunks; t++) {
                double[] row = partial[t][i];
                for (int j = 0; j < n; j++) {
                    sum[j] += row[j];
                }
            }
            int co = i * n;
            if (beta == 0.0) {
                for (int j = 0; j < n; j++) {
                    cd[co + j] = alpha * sum[j];
                }
            } else {
                for (int j = 0; j < n; j++) {
                    cd[co + j] = alpha * sum[j] + beta * cd[co + j];
                }
            }
        }
    }

    /** {@link #reduceChunk}'s sums on the Vector API ({@link VectorRowDots#reduce}), the same bits. */
    private static double[][] reduceVector(boolean ta, DMatrixRMaj a, DMatrixRMaj b, int m, int n, int p0, int p1) {
        double[][] acc = new double[m][n];
        int lda = a.numCols;
        VectorRowDots.reduce(a.data, ta ? lda : 1, ta ? 1 : lda, b.data, n, m, p0, p1, acc);
        return acc;
    }

    /** {@code sum over p in [p0, p1) of op(A)[:, p] B[p, :]}, m x n, as row arrays. */
    static double[][] reduceChunk(boolean ta, DMatrixRMaj a, DMatrixRMaj b, int m, int n, int p0, int p1) {
        double[][] acc = new double[m][n];
        double[] b0 = new double[n];
        double[] b1 = new double[n];
        double[] b2 = new double[n];
        double[] b3 = new double[n];
        double[] ad = a.data;
        double[] bd = b.data;
        int lda = a.numCols;
        // op(A)[i, p] is ad[p * rs + i * cs]
        int rs = ta ? lda : 1;
        int cs = ta ? 1 : lda;
        int p = p0;
        // eight rows of B per pass (one load and store of the partial row per eight multiply-adds);
        // each half of four rows is skipped or applied exactly as a pass of four would, so the sums
        // are the same, bit for bit, as four rows per pass
        double[] b4 = new double[n];
        double[] b5 = new double[n];
        double[] b6 = new double[n];
        double[] b7 = new double[n];
        for (; p + 7 < p1; p += 8) {
            System.arraycopy(bd, p * n, b0, 0, n);
            System.arraycopy(bd, (p + 1) * n, b1, 0, n);
            System.arraycopy(bd, (p + 2) * n, b2, 0, n);
            System.arraycopy(bd, (p + 3) * n, b3, 0, n);
            System.arraycopy(bd, (p + 4) * n, b4, 0, n);
            System.arraycopy(bd, (p + 5) * n, b5, 0, n);
            System.arraycopy(bd, (p + 6) * n, b6, 0, n);
            System.arraycopy(bd, (p + 7) * n, b7, 0, n);
            for (int i = 0; i < m; i++) {
                int o = p * rs + i * cs;
                double a0 = ad[o];
                double a1 = ad[o + rs];
                double a2 = ad[o + 2 * rs];
                double a3 = ad[o + 3 * rs];
                double a4 = ad[o + 4 * rs];
                double a5 = ad[o + 5 * rs];
                double a6 = ad[o + 6 * rs];
                double a7 = ad[o + 7 * rs];
                boolean lo = a0 != 0.0 || a1 != 0.0 || a2 != 0.0 || a3 != 0.0;
                boolean hi = a4 != 0.0 || a5 != 0.0 || a6 != 0.0 || a7 != 0.0;
                if (lo && hi) {
                    axpy8(a0, b0, a1, b1, a2, b2, a3, b3, a4, b4, a5, b5, a6, b6, a7, b7, acc[i], n);
                } else if (lo) {
                    axpy4(a0, b0, a1, b1, a2, b2, a3, b3, acc[i], n);
                } else if (hi) {
                    axpy4(a4, b4, a5, b5, a6, b6, a7, b7, acc[i], n);
                }
            }
        }
        for (; p + 3 < p1; p += 4) {
            System.arraycopy(bd, p * n, b0, 0, n);
            System.arraycopy(bd, (p + 1) * n, b1, 0, n);
            System.arraycopy(bd, (p + 2) * n, b2, 0, n);
            System.arraycopy(bd, (p + 3) * n, b3, 0, n);
            for (int i = 0; i < m; i++) {
                int o = p * rs + i * cs;
                double a0 = ad[o];
                double a1 = ad[o + rs];
                double a2 = ad[o + 2 * rs];
                double a3 = ad[o + 3 * rs];
                if (a0 != 0.0 || a1 != 0.0 || a2 != 0.0 || a3 != 0.0) {
                    axpy4(a0, b0, a1, b1, a2, b2, a3, b3, acc[i], n);
                }
            }
        }
        for (; p < p1; p++) {
            System.arraycopy(bd, p * n, b0, 0, n);
            for (int i = 0; i < m; i++) {
                double a0 = ad[p * rs + i * cs];
                if (a0 != 0.0) {
                    axpy1(a0, b0, acc[i], n);
                }
            }
        }
        return acc;
    }

    // ---------------------------------------------------------------- tall A, thin result

    /**
     * {@code C = alpha A Bt^T + beta C}: A m x k, Bt n x k (both row-major), C m x n with n small.
     * Each entry is a dot product of a row of A and a row of Bt, summed as one running sum of fused
     * multiply-adds in increasing order of the inner index (whatever the register block and the
     * blocks of {@link #THIN_KB}): the order of {@link TransposedMatrix#multTransB}, so that a solver
     * gets the same bits with or without its copy of M by columns.
     */
    static void rowDots(double alpha, double[] ad, int m, int k, double[] bt, int n, double beta, double[] cd,
            boolean parallel) {
        rowTasks(m, parallel, (i0, i1) -> rowDotsRange(alpha, ad, k, bt, n, beta, cd, i0, i1));
    }

    /** A kernel of the tall-A products on the rows [i0, i1) of C. */
    @FunctionalInterface
    private interface RowRange {
        void run(int i0, int i1);
    }

    /**
     * The tall-A products' split of C's m rows into tasks of {@link #THIN_ROWS_PER_TASK} rows, by shape only:
     * {@link #rowDots} and its Vector API forms ({@link VectorRowDots#rows}, {@link VectorRowDots#rowsPadded})
     * share it, and each entry's sum does not depend on it.
     */
    private static void rowTasks(int m, boolean parallel, RowRange kernel) {
        int tasks = (m + THIN_ROWS_PER_TASK - 1) / THIN_ROWS_PER_TASK;
        Parallel.forEach(tasks, parallel, t -> {
            int i0 = t * THIN_ROWS_PER_TASK;
            kernel.run(i0, Math.min(m, i0 + THIN_ROWS_PER_TASK));
        });
    }

    /**
     * Whether {@link #gemm} forms {@code C = A op(B)} (C m x n, A m x k row-major, op(B) k x n) with
     * {@link VectorRowDots#rowsPadded}: {@link #VECTOR_ROWS}, the shapes of the tall-A kernel (n at most
     * {@link #DOTS_MAX_N}, or at most {@link #THIN_MAX_N} with k above 2n), k above {@link #VECTOR_ROWS_MAX_K}
     * (below, the small-inner kernel) and {@link #vectorPass} of its m n k multiply-adds. (Where a native BLAS
     * is loaded, {@link Gemm} sends such products there instead.)
     *
     * @param m rows of A and C
     * @param k the inner dimension
     * @param n columns of C
     * @return whether the padded kernel runs
     */
    static boolean paddedRows(int m, int k, int n) {
        return VECTOR_ROWS && n >= 1 && n <= THIN_MAX_N && (n <= DOTS_MAX_N || k > 2L * n)
                && k > VECTOR_ROWS_MAX_K && vectorPass((long) m * n * k);
    }

    /** Fewest columns of {@code M Y^T} for which {@link #paddedRowsAsFastAsCopy} can hold. */
    static final int PADDED_OVER_COPY_MIN_N = 8;

    /**
     * Whether {@link #paddedRows} forms {@code M Y^T} (M m x k row-major, Y n x k) at least as fast as
     * {@link TransposedMatrix#multTransB} does from a copy of M by columns, in BINNO's iteration: it runs and P has
     * at least {@link #PADDED_OVER_COPY_MIN_N} columns. The padded kernel computes every padded column, the copy's
     * sweep only the n of P, yet from M itself it was the faster in every case measured at 8 to 16 columns since it
     * takes two vectors of columns in one pass ({@code VectorRowDots.rows4x2}): on eight lanes (AVX-512, Zen 5, two
     * threads, performance.md "Thirteenth pass") BINNO's iteration at 76800 x 500, r = 10 (16 columns computed) in
     * 34 to 37 ms against 41 to 51 ms with the copy, five alternating pairs of {@code bench binno}, at 20800 x 198,
     * r = 9, 4.2 to 4.9 against 4.8 to 5.8 ms in seven of eight pairs; the product alone at r = 8 to 16 in 10 to
     * 13 ms against 16 to 25 ms from the copy. On four lanes (AVX2, Zen 3, "Twelfth pass", before that kernel) the
     * iteration at 76800 x 500 took 50 to 53 against 56 to 58 ms at r = 9, a median of 52 against 60 ms in eight
     * pairs at r = 10, 77 to 85 against 87 to 97 ms at r = 16; at 20800 x 198, r = 9, the same within the spread.
     * Below 8 columns the copy stays (at r = 5 on four lanes, before the two-vector kernel, the iteration was
     * slower without it).
     *
     * @param m rows of M
     * @param k columns of M (the inner dimension)
     * @param n rows of Y, columns of P
     * @return whether the copy by columns is not worth its memory for this product
     */
    static boolean paddedRowsAsFastAsCopy(int m, int k, int n) {
        return n >= PADDED_OVER_COPY_MIN_N && paddedRows(m, k, n);
    }

    /** op(B) (k x n; B itself n x k where tb) as a row-major k x np array, columns n to np - 1 zero. */
    static double[] padded(DMatrixRMaj b, boolean tb, int k, int n, int np) {
        double[] bp = new double[k * np];
        double[] bd = b.data;
        if (tb) {
            for (int c = 0; c < n; c++) {
                for (int p = 0; p < k; p++) {
                    bp[p * np + c] = bd[c * k + p];
                }
            }
        } else {
            for (int p = 0; p < k; p++) {
                System.arraycopy(bd, p * n, bp, p * np, n);
            }
        }
        return bp;
    }

    private static void rowDotsRange(double alpha, double[] ad, int k, double[] bt, int n, double beta, double[] cd,
            int i0, int i1) {
        double[] acc = new double[16];
        int i = i0;
        for (; i + 3 < i1; i += 4) {
            int j = 0;
            for (; j + 3 < n; j += 4) {
                Arrays.fill(acc, 0.0);
                for (int p0 = 0; p0 < k; p0 += THIN_KB) {
                    dot44(ad, i * k, bt, j * k, k, p0, Math.min(k, p0 + THIN_KB), acc);
                }
                store(alpha, acc, 4, 4, beta, cd, i, j, n);
            }
            for (; j + 1 < n; j += 2) {
                Arrays.fill(acc, 0.0);
                for (int p0 = 0; p0 < k; p0 += THIN_KB) {
                    dot42(ad, i * k, bt, j * k, k, p0, Math.min(k, p0 + THIN_KB), acc);
                }
                store(alpha, acc, 4, 2, beta, cd, i, j, n);
            }
            if (j < n) {
                Arrays.fill(acc, 0.0);
                for (int p0 = 0; p0 < k; p0 += THIN_KB) {
                    dot41(ad, i * k, bt, j * k, k, p0, Math.min(k, p0 + THIN_KB), acc);
                }
                store(alpha, acc, 4, 1, beta, cd, i, j, n);
            }
        }
        for (; i < i1; i++) {
            int j = 0;
            for (; j + 3 < n; j += 4) {
                Arrays.fill(acc, 0.0);
                dot14(ad, i * k, bt, j * k, k, acc);
                store(alpha, acc, 1, 4, beta, cd, i, j, n);
            }
            for (; j < n; j++) {
                acc[0] = dot11(ad, i * k, bt, j * k, k);
                store(alpha, acc, 1, 1, beta, cd, i, j, n);
            }
        }
    }

    /** {@code C[i + r, j + s] = alpha acc[r * cols + s] + beta C[i + r, j + s]}. */
    private static void store(double alpha, double[] acc, int rows, int cols, double beta, double[] cd, int i, int j,
            int n) {
        for (int r = 0; r < rows; r++) {
            int o = (i + r) * n + j;
            for (int s = 0; s < cols; s++) {
                double v = alpha * acc[r * cols + s];
                cd[o + s] = beta == 0.0 ? v : v + beta * cd[o + s];
            }
        }
    }

    /**
     * acc[4r + s] += dot(A row r, Bt row s) over [p0, p1), r, s below 4, rows of length k: each sum
     * continues the running sum in acc (one fused multiply-add per term, in order of p).
     */
    private static void dot44(double[] a, int ao, double[] b, int bo, int k, int p0, int p1, double[] acc) {
        int a1 = ao + k;
        int a2 = a1 + k;
        int a3 = a2 + k;
        int b1 = bo + k;
        int b2 = b1 + k;
        int b3 = b2 + k;
        double s00 = acc[0], s01 = acc[1], s02 = acc[2], s03 = acc[3];
        double s10 = acc[4], s11 = acc[5], s12 = acc[6], s13 = acc[7];
        double s20 = acc[8], s21 = acc[9], s22 = acc[10], s23 = acc[11];
        double s30 = acc[12], s31 = acc[13], s32 = acc[14], s33 = acc[15];
        for (int p = p0; p < p1; p++) {
            double u0 = a[ao + p];
            double u1 = a[a1 + p];
            double u2 = a[a2 + p];
            double u3 = a[a3 + p];
            double w0 = b[bo + p];
            double w1 = b[b1 + p];
            double w2 = b[b2 + p];
            double w3 = b[b3 + p];
            s00 = fma(u0, w0, s00);
            s01 = fma(u0, w1, s01);
            s02 = fma(u0, w2, s02);
            s03 = fma(u0, w3, s03);
            s10 = fma(u1, w0, s10);
            s11 = fma(u1, w1, s11);
            s12 = fma(u1, w2, s12);
            s13 = fma(u1, w3, s13);
            s20 = fma(u2, w0, s20);
            s21 = fma(u2, w1, s21);
            s22 = fma(u2, w2, s22);
            s23 = fma(u2, w3, s23);
            s30 = fma(u3, w0, s30);
            s31 = fma(u3, w1, s31);
            s32 = fma(u3, w2, s32);
            s33 = fma(u3, w3, s33);
        }
        acc[0] = s00;
        acc[1] = s01;
        acc[2] = s02;
        acc[3] = s03;
        acc[4] = s10;
        acc[5] = s11;
        acc[6] = s12;
        acc[7] = s13;
        acc[8] = s20;
        acc[9] = s21;
        acc[10] = s22;
        acc[11] = s23;
        acc[12] = s30;
        acc[13] = s31;
        acc[14] = s32;
        acc[15] = s33;
    }

    /** acc[2r + s] += dot(A row r, Bt row s) over [p0, p1), r below 4, s below 2, continuing each running sum. */
    private static void dot42(double[] a, int ao, double[] b, int bo, int k, int p0, int p1, double[] acc) {
        int a1 = ao + k;
        int a2 = a1 + k;
        int a3 = a2 + k;
        int b1 = bo + k;
        double s00 = acc[0], s01 = acc[1], s10 = acc[2], s11 = acc[3];
        double s20 = acc[4], s21 = acc[5], s30 = acc[6], s31 = acc[7];
        for (int p = p0; p < p1; p++) {
            double w0 = b[bo + p];
            double w1 = b[b1 + p];
            double u0 = a[ao + p];
            double u1 = a[a1 + p];
            double u2 = a[a2 + p];
            double u3 = a[a3 + p];
            s00 = fma(u0, w0, s00);
            s01 = fma(u0, w1, s01);
            s10 = fma(u1, w0, s10);
            s11 = fma(u1, w1, s11);
            s20 = fma(u2, w0, s20);
            s21 = fma(u2, w1, s21);
            s30 = fma(u3, w0, s30);
            s31 = fma(u3, w1, s31);
        }
        acc[0] = s00;
        acc[1] = s01;
        acc[2] = s10;
        acc[3] = s11;
        acc[4] = s20;
        acc[5] = s21;
        acc[6] = s30;
        acc[7] = s31;
    }

    /** acc[r] += dot(A row r, Bt row 0) over [p0, p1), r below 4, continuing each running sum. */
    private static void dot41(double[] a, int ao, double[] b, int bo, int k, int p0, int p1, double[] acc) {
        int a1 = ao + k;
        int a2 = a1 + k;
        int a3 = a2 + k;
        double s0 = acc[0], s1 = acc[1], s2 = acc[2], s3 = acc[3];
        for (int p = p0; p < p1; p++) {
            double w = b[bo + p];
            s0 = fma(a[ao + p], w, s0);
            s1 = fma(a[a1 + p], w, s1);
            s2 = fma(a[a2 + p], w, s2);
            s3 = fma(a[a3 + p], w, s3);
        }
        acc[0] = s0;
        acc[1] = s1;
        acc[2] = s2;
        acc[3] = s3;
    }

    /** acc[s] += dot(A row, Bt row s) over [0, k), s below 4. */
    private static void dot14(double[] a, int ao, double[] b, int bo, int k, double[] acc) {
        int b1 = bo + k;
        int b2 = b1 + k;
        int b3 = b2 + k;
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (int p = 0; p < k; p++) {
            double u = a[ao + p];
            s0 = fma(u, b[bo + p], s0);
            s1 = fma(u, b[b1 + p], s1);
            s2 = fma(u, b[b2 + p], s2);
            s3 = fma(u, b[b3 + p], s3);
        }
        acc[0] += s0;
        acc[1] += s1;
        acc[2] += s2;
        acc[3] += s3;
    }

    /** dot(A row, Bt row) over [0, k), one running sum. */
    private static double dot11(double[] a, int ao, double[] b, int bo, int k) {
        double s = 0;
        for (int p = 0; p < k; p++) {
            s = fma(a[ao + p], b[bo + p], s);
        }
        return s;
    }

    // ---------------------------------------------------------------- general blocked kernel

    /**
     * {@code C = alpha op(A) op(B) + beta C} for any shapes: C is scaled by beta, then for each
     * panel of op(B) (KC x NC, packed into row arrays) every block of MR rows of C is copied into
     * row buffers and updated four rows of the panel at a time.
     *
     * <p>For {@code A^T A} ({@code ta}, not {@code tb}, {@code a == b}, {@code alpha == 1}, {@code beta == 0}: the
     * Gram matrix {@code K = M^T M} of BINNO's lower candidate, 500 x 500 from 76800 rows) a block of rows
     * starting at row i updates only the columns from i on, and the entries below the diagonal are then copied
     * from those above it: about half the multiply-adds. The bits are those of the whole product: each entry
     * above the diagonal is the same chain, and its mirror's chain multiplies the same two numbers in the other
     * order ({@code fma(a, b, s) == fma(b, a, s)}; with {@code alpha != 1} the factor would round one of them
     * first, so the whole product is formed there). At 76800 x 500 on two threads 0.57 to 0.66 s against
     * 0.96 to 1.26 s (four rounds in one process); BINNO's iteration that forms K 0.73 and 0.76 s against 1.14
     * and 1.21 s.
     */
    static void blocked(boolean ta, boolean tb, double alpha, DMatrixRMaj a, DMatrixRMaj b, double beta,
            DMatrixRMaj c, int m, int n, int k, boolean parallel) {
        boolean upper = ta && !tb && a == b && alpha == 1.0 && beta == 0.0;
        double[] cd = c.data;
        if (beta == 0.0) {
            Arrays.fill(cd, 0, m * n, 0.0);
        } else if (beta != 1.0) {
            for (int i = 0; i < m * n; i++) {
                cd[i] *= beta;
            }
        }
        int kcMax = Math.min(KC, k);
        int ncMax = Math.min(NC, n);
        double[][] panel = new double[kcMax][ncMax];
        int tasks = (m + MC - 1) / MC;
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                int packTasks = (kc + 255) / 256;
                final int fjc = jc;
                final int fpc = pc;
                Parallel.forEach(packTasks, parallel, t -> pack(tb, b, fpc, t * 256, Math.min(kc, t * 256 + 256),
                        fjc, nc, panel));
                Parallel.forEach(tasks, parallel, t -> blockedRows(ta, alpha, a, panel, kc, nc, fpc, fjc, cd, n,
                        t * MC, Math.min(m, t * MC + MC), upper));
            }
        }
        if (upper) {
            for (int i = 1; i < n; i++) {
                for (int j = 0; j < i; j++) {
                    cd[i * n + j] = cd[j * n + i];
                }
            }
        }
    }

    /** panel[p][j] = op(B)[pc + p, jc + j] for p in [p0, p1), j below nc. */
    private static void pack(boolean tb, DMatrixRMaj b, int pc, int p0, int p1, int jc, int nc, double[][] panel) {
        double[] bd = b.data;
        int ldb = b.numCols;
        if (!tb) {
            for (int p = p0; p < p1; p++) {
                System.arraycopy(bd, (pc + p) * ldb + jc, panel[p], 0, nc);
            }
        } else {
            // op(B)[q, j] = B[j, q]: read rows of B, scatter into the panel rows
            for (int j = 0; j < nc; j++) {
                int o = (jc + j) * ldb + pc;
                for (int p = p0; p < p1; p++) {
                    panel[p][j] = bd[o + p];
                }
            }
        }
    }

    /**
     * Rows [i0, i1) of C, columns [jc, jc + nc): C += alpha op(A)[:, pc..pc+kc) panel; with {@code upper}, in each
     * block of MR rows from row ib only the columns from ib on (the rest is left as it was).
     */
    private static void blockedRows(boolean ta, double alpha, DMatrixRMaj a, double[][] panel, int kc, int nc, int pc,
            int jc, double[] cd, int n, int i0, int i1, boolean upper) {
        double[] ad = a.data;
        int lda = a.numCols;
        int rs = ta ? lda : 1;  // op(A)[i, p] = ad[p * rs + i * cs]
        int cs = ta ? 1 : lda;
        double[][] rows = new double[MR][nc];
        for (int ib = i0; ib < i1; ib += MR) {
            int mr = Math.min(MR, i1 - ib);
            int from = upper ? Math.max(0, ib - jc) : 0;
            if (from >= nc) {
                continue;
            }
            for (int r = 0; r < mr; r++) {
                System.arraycopy(cd, (ib + r) * n + jc + from, rows[r], from, nc - from);
            }
            int p = 0;
            for (; p + 3 < kc; p += 4) {
                double[] b0 = panel[p];
                double[] b1 = panel[p + 1];
                double[] b2 = panel[p + 2];
                double[] b3 = panel[p + 3];
                int q = pc + p;
                for (int r = 0; r < mr; r++) {
                    int o = q * rs + (ib + r) * cs;
                    double a0 = alpha * ad[o];
                    double a1 = alpha * ad[o + rs];
                    double a2 = alpha * ad[o + 2 * rs];
                    double a3 = alpha * ad[o + 3 * rs];
                    axpy4(a0, b0, a1, b1, a2, b2, a3, b3, rows[r], from, nc);
                }
            }
            for (; p < kc; p++) {
                double[] b0 = panel[p];
                int q = pc + p;
                for (int r = 0; r < mr; r++) {
                    axpy1(alpha * ad[q * rs + (ib + r) * cs], b0, rows[r], from, nc);
                }
            }
            for (int r = 0; r < mr; r++) {
                System.arraycopy(rows[r], from, cd, (ib + r) * n + jc + from, nc - from);
            }
        }
    }
}
