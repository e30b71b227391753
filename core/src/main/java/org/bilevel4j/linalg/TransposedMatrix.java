package org.bilevel4j.linalg;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;

/**
 * A copy of a data matrix M (m x n) stored by columns, for the thin products {@code P = M Y^T}
 * (Y r x n, r small) that factorization solvers take every iteration, and for the residual
 * {@code ||M - X Y||_F^2} in the same sweep.
 *
 * <p>Why: with M row-major, each entry of {@code M Y^T} is a dot product along a row of M, which
 * HotSpot's C2 (JDK 17) does not vectorize (floating-point reductions stay scalar), so
 * {@link Gemm}'s kernel runs at two multiply-adds a cycle. With the columns of M as separate
 * arrays the same product is a sum of long updates {@code P^T[k, :] += Y[k, j] M[:, j]}, which
 * C2 vectorizes; the residual likewise becomes {@code R[:, j] = M[:, j] - sum_k Y[k, j] X[:, k]}.
 * The copy is stored in blocks of {@link #BLOCK} rows, each column of a block its own array: a
 * block's slices of the r outputs stay in cache while every column passes over them,
 * and every array in the inner loops starts at index 0 (which C2 needs to vectorize them, so no slice
 * is copied per sweep). Each inner loop updates one output slice from four columns
 * ({@code P^T[k, :] += sum_{j in group} Y[k, j] M[:, j]}): a loop that updated two output slices
 * from the same four columns, to load each column once for two outputs, measured 2.2 times slower
 * per multiply-add than the one-output loop (C2 does not vectorize it), and the whole product about
 * 2 times slower at 20800 x 198 and 2.5 times at 2304 x 51, r = 9 (same sums, same bits). Where the Vector API
 * module is loaded ({@link JavaGemm#VECTOR_ROWS}) {@link VectorRowDots#columns4} runs that two-output loop with
 * explicit vectors for products of at least {@link JavaGemm#VECTOR_PASS_WORK} multiply-adds, the same sums:
 * {@code M Y^T} at 76800 x 500, r = 10, in 22 against 27 ms on two threads, at 20800 x 198, r = 9, in 2.0 to 2.2
 * against 2.3 ms.
 * Tasks of {@link #CHUNK} rows are split between the threads of {@link Gemm};
 * each entry of P is summed over the columns in a fixed order, and the residual's sum of squares
 * block by block in block order, so results do not depend on the number of threads. The price is a
 * second copy of M (8 m n bytes), so solvers keep one only where {@link #worthKeeping} says it fits.
 */
public final class TransposedMatrix {

    /** Entries of M up to which solvers always keep a copy by columns: 2^24, a 128 MB copy. */
    public static final long ALWAYS_KEPT_ENTRIES = 1L << 24;

    /**
     * Whether a solver should keep a copy by columns of an m x n matrix: always up to
     * {@link #ALWAYS_KEPT_ENTRIES} entries; above, while the copy ({@code 8 m n} bytes) takes at most
     * half of the heap not in use now ({@code maxMemory - totalMemory + freeMemory} of
     * {@link Runtime}). At 76800 x 500 (a 307 MB copy) that halves the time of {@code M Y^T} in a
     * BINNO iteration (bench binno). Without the copy a solver forms {@code M Y^T} with
     * {@link Gemm#multTransB}, whose pure-Java kernel sums every entry in the order of
     * {@link #multTransB} (for r at most 20): the choice then moves no bit, only the time and the
     * memory; with a native BLAS it moves the last bits. (On the Vector API that kernel is
     * {@code VectorRowDots.rowsPadded} from 4 million multiply-adds and more than 64 columns, where the copy
     * is often not worth its memory: solvers that know the rank ask {@link #worthKeeping(int, int, int)}.
     * Without the module it is scalar, about half as fast as the copy's sweep.)
     *
     * @param rows m
     * @param cols n
     * @return whether to keep the copy
     */
    public static boolean worthKeeping(int rows, int cols) {
        long entries = (long) rows * cols;
        if (entries <= ALWAYS_KEPT_ENTRIES) {
            return true;
        }
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - rt.totalMemory() + rt.freeMemory();
        return entries <= free / 16;
    }

    /**
     * Whether a solver that forms {@code M Y^T} of an m x n M and Y with r rows (once or more an iteration)
     * should keep a copy of M by columns for it: where {@link #worthKeeping(int, int)} says the copy fits,
     * unless {@link Gemm#multTransB} forms that product from M itself at least as fast, which is where it runs
     * the Vector API's padded kernel (not a native BLAS) with at least 8 columns of P. On four lanes BINNO's whole
     * iteration was 5 to 15% faster without the copy at 76800 x 500 by r = 9, 10 and 16 and at 40000 x 1000 by
     * 10, the same at 20800 x 198 and 100000 x 200 by 9, slower at 76800 x 500 by 5 (padded to 8 columns); NMF's
     * iteration likewise at 76800 x 500 by 10 and 20800 x 198 by 9 (docs/performance.md, "Twelfth pass"). On eight
     * lanes, with the kernel's passes of two vectors, 76800 x 500 by 10 (16 columns computed) took 34 to 37 against
     * 41 to 51 ms an iteration, 20800 x 198 by 9 4.2 to 4.9 against 4.8 to 5.8 ms ("Thirteenth pass").
     * {@code M Y^T} alone was faster from the copy at 40000 x 1000 by 10 and 100000 x 200 by 9 on four lanes
     * (ninth pass); why the whole iteration is not was not pinned down. Both sum every entry in the same order, so
     * the choice moves no bit, only the time and {@code 8 m n} bytes.
     *
     * @param rows m
     * @param cols n
     * @param r rows of Y, columns of {@code M Y^T}
     * @return whether to keep the copy
     */
    public static boolean worthKeeping(int rows, int cols, int r) {
        if (!Gemm.runsNative((long) rows * cols * r) && JavaGemm.paddedRowsAsFastAsCopy(rows, cols, r)) {
            return false;
        }
        return worthKeeping(rows, cols);
    }

    /**
     * Rows per block: the columns are stored as slices of this many rows, so that a block's r slices
     * of {@code P^T} (r x 1024 doubles, 72 KB at r = 9) stay in the second-level cache while the
     * block's columns pass over them. (256 rows, which keep them in the first-level cache, measured
     * no faster at 20800 x 198, r = 9: 7 to 8.5 ms a product on one core either way, machine loaded.)
     */
    static final int BLOCK = 1024;

    /**
     * Rows per task (whole blocks): the unit of work handed to the threads. One block: at 20800 rows
     * that is 21 tasks, so two threads end within one block of each other; with tasks of four blocks
     * (6 tasks, one thread left with three full ones) {@code M Y^T} at 20800 x 198, r = 9, took a
     * median of 2.5 ms on two threads against 1.8 ms (side by side, quiet machine).
     */
    static final int CHUNK = BLOCK;

    private final int m;
    private final int n;
    /** blocks[b][j]: rows [b BLOCK, min(m, (b + 1) BLOCK)) of column j */
    private final double[][][] blocks;

    /** @param a the matrix (copied; not modified) */
    public TransposedMatrix(DMatrixRMaj a) {
        this.m = a.numRows;
        this.n = a.numCols;
        int nb = (m + BLOCK - 1) / BLOCK;
        this.blocks = new double[nb][][];
        double[] d = a.data;
        for (int b = 0; b < nb; b++) {
            int i0 = b * BLOCK;
            int len = Math.min(m, i0 + BLOCK) - i0;
            double[][] cols = new double[n][len];
            for (int i = 0; i < len; i++) {
                int o = (i0 + i) * n;
                for (int j = 0; j < n; j++) {
                    cols[j][i] = d[o + j];
                }
            }
            blocks[b] = cols;
        }
    }

    /** @return rows of M */
    public int rows() {
        return m;
    }

    /** @return columns of M */
    public int columns() {
        return n;
    }

    /**
     * {@code out = M Y^T}, every entry one running sum of fused multiply-adds over the columns of M
     * in increasing order (the order of {@link Gemm}'s pure-Java kernel for this product).
     *
     * @param y r x n (not modified)
     * @param out m x r (modified)
     */
    public void multTransB(DMatrixRMaj y, DMatrixRMaj out) {
        sweep(null, y, out);
    }

    /**
     * {@code p = M Y^T} and {@code ||M - X Y||_F^2} in one sweep over M.
     *
     * @param x m x r (not modified)
     * @param y r x n (not modified)
     * @param p m x r (modified)
     * @return the sum of squares of the residual
     */
    public double multTransBAndResidual(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj p) {
        return sweep(x, y, p);
    }

    private double sweep(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj p) {
        int r = y.numRows;
        if (y.numCols != n || p.numRows != m || p.numCols != r || (x != null && (x.numRows != m || x.numCols != r))) {
            throw new IllegalArgumentException("shapes do not match: M " + m + "x" + n + ", Y " + y.numRows + "x"
                    + y.numCols + ", out " + p.numRows + "x" + p.numCols
                    + (x == null ? "" : ", X " + x.numRows + "x" + x.numCols));
        }
        int nb = blocks.length;
        int perTask = CHUNK / BLOCK;
        int tasks = (nb + perTask - 1) / perTask;
        double[] partial = new double[nb];
        long work = (long) m * n * r * (x == null ? 1 : 2);
        boolean parallel = work >= JavaGemm.PARALLEL_WORK && Parallel.threads() > 1;
        boolean vector = JavaGemm.vectorPass((long) m * n * r); // the updates from four columns in columns4
        Parallel.forEach(tasks, parallel, t -> {
            int b0 = t * perTask;
            int b1 = Math.min(nb, b0 + perTask);
            int len = Math.min(BLOCK, m);
            double[][] pt = Scratch.rows(Scratch.SWEEP_P, r, len);
            double[][] xt = x == null ? null : Scratch.rows(Scratch.SWEEP_X, r + 1, len); // X^T, then res
            double[] res = x == null ? null : xt[r];
            for (int b = b0; b < b1; b++) {
                partial[b] = block(x, y, p, r, b, pt, xt, res, vector);
            }
        });
        double total = 0;
        for (double v : partial) {
            total += v;
        }
        return total;
    }

    /**
     * Rows of block b: P there and the residual's sum of squares there (0 without x). The buffers
     * hold at least the block's rows and whatever an earlier sweep on this thread left there
     * ({@link Scratch}): the slices of P^T are zeroed here, those of X^T and the residual column are
     * written before they are read. Every entry of P is summed over the columns in the same order
     * whatever the blocks and tasks.
     */
    private double block(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj p, int r, int b, double[][] pt, double[][] xt,
            double[] res, boolean vector) {
        double[][] cols = blocks[b];
        int i0 = b * BLOCK;
        int len = cols[0].length;
        double[] yd = y.data;
        for (int k = 0; k < r; k++) {
            Arrays.fill(pt[k], 0, len, 0.0);
        }
        if (x != null) {
            double[] xd = x.data;
            for (int i = 0; i < len; i++) {
                int o = (i0 + i) * r;
                for (int k = 0; k < r; k++) {
                    xt[k][i] = xd[o + k];
                }
            }
        }
        double total = 0;
        int j = 0;
        for (; j + 3 < n; j += 4) {
            double[] c0 = cols[j];
            double[] c1 = cols[j + 1];
            double[] c2 = cols[j + 2];
            double[] c3 = cols[j + 3];
            if (vector) {
                VectorRowDots.columns4(yd, n, j, c0, c1, c2, c3, pt, r, len); // two outputs per loop, the same bits
            } else {
                // one output per loop: C2 (JDK 17) vectorizes this, not a loop that updates two outputs
                for (int k = 0; k < r; k++) {
                    int o = k * n + j;
                    update4(yd[o], c0, yd[o + 1], c1, yd[o + 2], c2, yd[o + 3], c3, pt[k], len);
                }
            }
            if (x != null) {
                total += residualSquares(c0, j, yd, xt, res, r, len);
                total += residualSquares(c1, j + 1, yd, xt, res, r, len);
                total += residualSquares(c2, j + 2, yd, xt, res, r, len);
                total += residualSquares(c3, j + 3, yd, xt, res, r, len);
            }
        }
        for (; j < n; j++) {
            double[] c0 = cols[j];
            for (int k = 0; k < r; k++) {
                JavaGemm.axpy1(yd[k * n + j], c0, pt[k], len);
            }
            if (x != null) {
                total += residualSquares(c0, j, yd, xt, res, r, len);
            }
        }
        double[] pd = p.data;
        for (int k = 0; k < r; k++) {
            double[] pk = pt[k];
            for (int i = 0; i < len; i++) {
                pd[(i0 + i) * r + k] = pk[i];
            }
        }
        return total;
    }

    /** {@code ||c - X Y[:, j]||^2} over the chunk, X^T in xt. */
    private static double residualSquares(double[] c, int j, double[] yd, double[][] xt, double[] b, int r, int len) {
        int n = yd.length / r;
        System.arraycopy(c, 0, b, 0, len);
        int k = 0;
        for (; k + 3 < r; k += 4) {
            update4(-yd[k * n + j], xt[k], -yd[(k + 1) * n + j], xt[k + 1], -yd[(k + 2) * n + j], xt[k + 2],
                    -yd[(k + 3) * n + j], xt[k + 3], b, len);
        }
        for (; k < r; k++) {
            double a = -yd[k * n + j];
            double[] xk = xt[k];
            for (int i = 0; i < len; i++) {
                b[i] += a * xk[i];
            }
        }
        return MatOps.dot(b, b, 0, len);
    }

    /** {@code y[i] += a0 x0[i] + a1 x1[i] + a2 x2[i] + a3 x3[i]} for i below len. */
    private static void update4(double a0, double[] x0, double a1, double[] x1, double a2, double[] x2, double a3,
            double[] x3, double[] y, int len) {
        JavaGemm.axpy4(a0, x0, a1, x1, a2, x2, a3, x3, y, len);
    }
}
