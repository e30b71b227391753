package org.bilevel4j.linalg;

import org.ejml.data.DMatrixRMaj;

/**
 * A tall dense matrix A ({@code m x d}, m large, for instance a data set of m samples with d
 * features) prepared for the two thin products of gradient methods on it:
 * <pre>
 *   Z = A Y      (Y: d x c, Z: m x c)        the forward product (logits of a linear model),
 *   G = A^T R    (R: m x c, G: d x c)        the backward product (its gradient),
 * </pre>
 * with c small (a few to a few tens of columns). A is copied twice, once as m row arrays and once
 * as d column arrays, so that both products run as vectorizable updates along a long dimension:
 * the forward product as {@code Z[:, j] += Y[p, j] A[:, p]} over blocks of rows of A (columns of
 * A and of Z as separate arrays), the backward product as {@code G[:, j] += R[i, j] A[i, :]} (rows
 * of A, columns of G as separate arrays), eight columns or rows of A per pass (each output entry
 * read and written once for eight multiply-adds). A general product
 * kernel ({@link Gemm}) works instead on dot products or on updates of length c, which HotSpot's
 * C2 (JDK 17) does not vectorize; see {@code JavaGemm}. The price is twice the memory of A.
 *
 * <p>Both products split their work into tasks whose boundaries depend only on the shapes and sum
 * every entry in a fixed order (the backward product adds the partial sums of fixed chunks of rows
 * in chunk order), so the results are the same bits for any number of threads
 * ({@code bilevel4j.threads}, see {@link Gemm#threads()}). Each product reads every entry of A once
 * and runs on the threads of the pure-Java kernels. The object is immutable and may be shared
 * between threads.
 */
public final class TallMatrix {

    /** Rows of A per task of the forward product. */
    static final int FORWARD_ROWS = 256;

    /** Most chunks of rows in the backward product (each holds a partial G). */
    static final int BACKWARD_MAX_CHUNKS = 16;

    /** Fewest rows per chunk of the backward product. */
    static final int BACKWARD_MIN_ROWS = 128;

    /** Multiply-adds below which a product runs on the calling thread only. */
    static final long PARALLEL_WORK = 1_000_000L;

    private final int m;
    private final int d;
    private final double[][] byRow;
    private final double[][] byCol;

    /** @param a the matrix, copied (later changes to a are not seen) */
    public TallMatrix(DMatrixRMaj a) {
        m = a.numRows;
        d = a.numCols;
        byRow = new double[m][d];
        byCol = new double[d][m];
        double[] ad = a.data;
        for (int i = 0; i < m; i++) {
            System.arraycopy(ad, i * d, byRow[i], 0, d);
            for (int p = 0; p < d; p++) {
                byCol[p][i] = ad[i * d + p];
            }
        }
    }

    /** @return m, the number of rows */
    public int rows() {
        return m;
    }

    /** @return d, the number of columns */
    public int cols() {
        return d;
    }

    /** @return {@code A[i, p]} */
    public double get(int i, int p) {
        return byRow[i][p];
    }

    private static boolean parallel(long work) {
        return work >= PARALLEL_WORK && Parallel.threads() > 1;
    }

    /**
     * Work on a block of rows of a product, run by the kernel on its threads right after the block
     * is written (while it is in cache): for instance the softmax of a block of logits.
     */
    @FunctionalInterface
    public interface RowBlockAction {
        /**
         * Called once for each block; blocks are disjoint and cover all rows, and several blocks may
         * be processed at once on different threads, in any order.
         *
         * @param i0 first row of the block
         * @param i1 one past its last row
         */
        void accept(int i0, int i1);
    }

    /**
     * {@code out = A y}.
     *
     * @param y d x c, not modified
     * @param out m x c, modified; must not alias y
     * @throws IllegalArgumentException if the shapes do not match
     */
    public void mult(DMatrixRMaj y, DMatrixRMaj out) {
        mult(y, out, null);
    }

    /**
     * {@code out = A y}, then {@code after} on every block of rows of out as soon as it is written.
     *
     * @param y d x c, not modified
     * @param out m x c, modified; must not alias y
     * @param after run on each block of rows (may be null); it may modify those rows of out and
     *     must touch nothing another block touches
     * @throws IllegalArgumentException if the shapes do not match
     */
    public void mult(DMatrixRMaj y, DMatrixRMaj out, RowBlockAction after) {
        if (y.numRows != d || out.numRows != m || out.numCols != y.numCols) {
            throw new IllegalArgumentException("A is " + m + "x" + d + ", Y is " + y.numRows + "x" + y.numCols
                    + ", out is " + out.numRows + "x" + out.numCols);
        }
        if (out == y) {
            throw new IllegalArgumentException("out must not alias y");
        }
        int c = y.numCols;
        if (c == 0 || m == 0) {
            return;
        }
        double[] yd = y.data;
        double[] od = out.data;
        double[][] zt = new double[c][m];
        int tasks = (m + FORWARD_ROWS - 1) / FORWARD_ROWS;
        Parallel.forEach(tasks, parallel((long) m * d * c), t -> {
            int i0 = t * FORWARD_ROWS;
            int i1 = Math.min(m, i0 + FORWARD_ROWS);
            forwardRows(yd, c, zt, i0, i1);
            for (int i = i0; i < i1; i++) {
                int o = i * c;
                for (int j = 0; j < c; j++) {
                    od[o + j] = zt[j][i];
                }
            }
            if (after != null) {
                after.accept(i0, i1);
            }
        });
    }

    /** {@code zt[j][i] = sum_p A[i, p] Y[p, j]} for i in [i0, i1): columns of A four at a time. */
    private void forwardRows(double[] yd, int c, double[][] zt, int i0, int i1) {
        int p = 0;
        for (; p + 7 < d; p += 8) {
            double[][] a = byCol;
            int o = p * c;
            for (int j = 0; j < c; j++) {
                int b = o + j;
                axpy8(yd[b], a[p], yd[b + c], a[p + 1], yd[b + 2 * c], a[p + 2], yd[b + 3 * c], a[p + 3],
                        yd[b + 4 * c], a[p + 4], yd[b + 5 * c], a[p + 5], yd[b + 6 * c], a[p + 6], yd[b + 7 * c],
                        a[p + 7], zt[j], i0, i1);
            }
        }
        for (; p + 3 < d; p += 4) {
            double[] a0 = byCol[p];
            double[] a1 = byCol[p + 1];
            double[] a2 = byCol[p + 2];
            double[] a3 = byCol[p + 3];
            int o = p * c;
            for (int j = 0; j < c; j++) {
                axpy4(yd[o + j], a0, yd[o + c + j], a1, yd[o + 2 * c + j], a2, yd[o + 3 * c + j], a3, zt[j], i0, i1);
            }
        }
        for (; p < d; p++) {
            double[] a0 = byCol[p];
            int o = p * c;
            for (int j = 0; j < c; j++) {
                axpy1(yd[o + j], a0, zt[j], i0, i1);
            }
        }
    }

    /**
     * {@code out = A^T r}.
     *
     * @param r m x c, not modified
     * @param out d x c, modified; must not alias r
     * @throws IllegalArgumentException if the shapes do not match
     */
    public void multTransA(DMatrixRMaj r, DMatrixRMaj out) {
        if (r.numRows != m || out.numRows != d || out.numCols != r.numCols) {
            throw new IllegalArgumentException("A is " + m + "x" + d + ", R is " + r.numRows + "x" + r.numCols
                    + ", out is " + out.numRows + "x" + out.numCols);
        }
        if (out == r) {
            throw new IllegalArgumentException("out must not alias r");
        }
        int c = r.numCols;
        if (c == 0 || d == 0) {
            return;
        }
        double[] rd = r.data;
        int chunks = Math.max(1, Math.min(BACKWARD_MAX_CHUNKS, m / BACKWARD_MIN_ROWS));
        // p-blocks keep the c columns of a block of G in L2 while rows of A stream by
        int pb = Math.max(64, (8192 / c) & ~7);
        double[][][] partial = new double[chunks][][];
        Parallel.forEach(chunks, parallel((long) m * d * c), t -> {
            int i0 = (int) ((long) m * t / chunks);
            int i1 = (int) ((long) m * (t + 1) / chunks);
            double[][] gt = new double[c][d];
            for (int p0 = 0; p0 < d; p0 += pb) {
                backwardBlock(rd, c, gt, i0, i1, p0, Math.min(d, p0 + pb));
            }
            partial[t] = gt;
        });
        double[] od = out.data;
        for (int j = 0; j < c; j++) {
            double[] sum = partial[0][j];
            for (int t = 1; t < chunks; t++) {
                double[] g = partial[t][j];
                for (int p = 0; p < d; p++) {
                    sum[p] += g[p];
                }
            }
            for (int p = 0; p < d; p++) {
                od[p * c + j] = sum[p];
            }
        }
    }

    /** {@code gt[j][p] += sum_{i in [i0, i1)} R[i, j] A[i, p]} for p in [p0, p1): rows of A four at a time. */
    private void backwardBlock(double[] rd, int c, double[][] gt, int i0, int i1, int p0, int p1) {
        int i = i0;
        for (; i + 7 < i1; i += 8) {
            double[][] a = byRow;
            int o = i * c;
            for (int j = 0; j < c; j++) {
                int b = o + j;
                axpy8(rd[b], a[i], rd[b + c], a[i + 1], rd[b + 2 * c], a[i + 2], rd[b + 3 * c], a[i + 3],
                        rd[b + 4 * c], a[i + 4], rd[b + 5 * c], a[i + 5], rd[b + 6 * c], a[i + 6], rd[b + 7 * c],
                        a[i + 7], gt[j], p0, p1);
            }
        }
        for (; i + 3 < i1; i += 4) {
            double[] a0 = byRow[i];
            double[] a1 = byRow[i + 1];
            double[] a2 = byRow[i + 2];
            double[] a3 = byRow[i + 3];
            int o = i * c;
            for (int j = 0; j < c; j++) {
                axpy4(rd[o + j], a0, rd[o + c + j], a1, rd[o + 2 * c + j], a2, rd[o + 3 * c + j], a3, gt[j], p0, p1);
            }
        }
        for (; i < i1; i++) {
            double[] a0 = byRow[i];
            int o = i * c;
            for (int j = 0; j < c; j++) {
                axpy1(rd[o + j], a0, gt[j], p0, p1);
            }
        }
    }

    /** {@code y[q] += s0 x0[q] + ... + s7 x7[q]} for q in [q0, q1), in that order. */
    private static void axpy8(double s0, double[] x0, double s1, double[] x1, double s2, double[] x2, double s3,
            double[] x3, double s4, double[] x4, double s5, double[] x5, double s6, double[] x6, double s7,
            double[] x7, double[] y, int q0, int q1) {
        for (int q = q0; q < q1; q++) {
            double t = JavaGemm.fma(s3, x3[q], JavaGemm.fma(s2, x2[q], JavaGemm.fma(s1, x1[q], JavaGemm.fma(s0, x0[q], y[q]))));
            y[q] = JavaGemm.fma(s7, x7[q], JavaGemm.fma(s6, x6[q], JavaGemm.fma(s5, x5[q], JavaGemm.fma(s4, x4[q], t))));
        }
    }

    /** {@code y[q] += s0 x0[q] + s1 x1[q] + s2 x2[q] + s3 x3[q]} for q in [q0, q1), in that order. */
    private static void axpy4(double s0, double[] x0, double s1, double[] x1, double s2, double[] x2, double s3,
            double[] x3, double[] y, int q0, int q1) {
        for (int q = q0; q < q1; q++) {
            y[q] = JavaGemm.fma(s3, x3[q], JavaGemm.fma(s2, x2[q], JavaGemm.fma(s1, x1[q], JavaGemm.fma(s0, x0[q], y[q]))));
        }
    }

    /** {@code y[q] += s0 x0[q]} for q in [q0, q1). */
    private static void axpy1(double s0, double[] x0, double[] y, int q0, int q1) {
        for (int q = q0; q < q1; q++) {
            y[q] = JavaGemm.fma(s0, x0[q], y[q]);
        }
    }
}
