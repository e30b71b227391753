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
            accumulate(byCol, 0, d, yd, c, zt, i0, i1);
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

    /**
     * {@code acc[j][q] += sum_{k in [k0, k1)} coef[k c + j] vecs[k][q]} for q in [q0, q1), eight vectors
     * at a time, then four, then one, in increasing k. The forward product runs it on the columns of A
     * ({@code vecs = byCol}, k = p, q = i), the backward product on the rows ({@code vecs = byRow},
     * k = i, q = p).
     */
    private static void accumulate(double[][] vecs, int k0, int k1, double[] coef, int c, double[][] acc, int q0,
            int q1) {
        int k = k0;
        for (; k + 7 < k1; k += 8) {
            int o = k * c;
            for (int j = 0; j < c; j++) {
                int b = o + j;
                axpy8(coef[b], vecs[k], coef[b + c], vecs[k + 1], coef[b + 2 * c], vecs[k + 2], coef[b + 3 * c],
                        vecs[k + 3], coef[b + 4 * c], vecs[k + 4], coef[b + 5 * c], vecs[k + 5], coef[b + 6 * c],
                        vecs[k + 6], coef[b + 7 * c], vecs[k + 7], acc[j], q0, q1);
            }
        }
        for (; k + 3 < k1; k += 4) {
            int o = k * c;
            for (int j = 0; j < c; j++) {
                axpy4(coef[o + j], vecs[k], coef[o + c + j], vecs[k + 1], coef[o + 2 * c + j], vecs[k + 2],
                        coef[o + 3 * c + j], vecs[k + 3], acc[j], q0, q1);
            }
        }
        for (; k < k1; k++) {
            int o = k * c;
            for (int j = 0; j < c; j++) {
                axpy1(coef[o + j], vecs[k], acc[j], q0, q1);
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
                accumulate(byRow, i0, i1, rd, c, gt, p0, Math.min(d, p0 + pb));
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
