package org.bilevel4j.linalg;

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
 * The rows are processed in chunks of {@link #CHUNK} (their slices of the r outputs stay in the
 * first-level caches while every column passes over them); chunks are split between the threads
 * of {@link Gemm} and each entry is summed in a fixed order, so results do not depend on the number
 * of threads. The price is a second copy of M (8 m n bytes), so solvers keep one only up to
 * {@link #MAX_ENTRIES} entries.
 */
public final class TransposedMatrix {

    /** Largest M (entries) solvers keep a transposed copy of: 2^24, a 128 MB copy. */
    public static final long MAX_ENTRIES = 1L << 24;

    /** Rows per chunk. */
    static final int CHUNK = 4096;

    private final int m;
    private final int n;
    private final double[][] cols;

    /** @param a the matrix (copied; not modified) */
    public TransposedMatrix(DMatrixRMaj a) {
        this.m = a.numRows;
        this.n = a.numCols;
        this.cols = new double[n][m];
        double[] d = a.data;
        for (int i = 0; i < m; i++) {
            int o = i * n;
            for (int j = 0; j < n; j++) {
                cols[j][i] = d[o + j];
            }
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
     * {@code out = M Y^T}.
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
        int chunks = (m + CHUNK - 1) / CHUNK;
        double[] partial = new double[chunks];
        long work = (long) m * n * r * (x == null ? 1 : 2);
        boolean parallel = work >= JavaGemm.PARALLEL_WORK && Parallel.threads() > 1;
        Parallel.forEach(chunks, parallel, t -> {
            int i0 = t * CHUNK;
            int i1 = Math.min(m, i0 + CHUNK);
            partial[t] = chunk(x, y, p, r, i0, i1);
        });
        double total = 0;
        for (double v : partial) {
            total += v;
        }
        return total;
    }

    /** Rows [i0, i1): P there and the residual's sum of squares there (0 without x). */
    private double chunk(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj p, int r, int i0, int i1) {
        int len = i1 - i0;
        double[] yd = y.data;
        double[][] pt = new double[r][len];
        double[][] xt = null;
        double[] res = null;
        if (x != null) {
            xt = new double[r][len];
            double[] xd = x.data;
            for (int i = 0; i < len; i++) {
                int o = (i0 + i) * r;
                for (int k = 0; k < r; k++) {
                    xt[k][i] = xd[o + k];
                }
            }
            res = new double[len];
        }
        double total = 0;
        // the first chunk reads the columns in place; the others copy their slices, so that every
        // array in the inner loops is indexed alike (which C2 needs to vectorize them)
        boolean copy = i0 != 0;
        double[] b0 = copy ? new double[len] : null;
        double[] b1 = copy ? new double[len] : null;
        double[] b2 = copy ? new double[len] : null;
        double[] b3 = copy ? new double[len] : null;
        int j = 0;
        for (; j + 3 < n; j += 4) {
            double[] c0 = slice(j, i0, len, b0);
            double[] c1 = slice(j + 1, i0, len, b1);
            double[] c2 = slice(j + 2, i0, len, b2);
            double[] c3 = slice(j + 3, i0, len, b3);
            int k = 0;
            for (; k + 1 < r; k += 2) {
                int o = k * n + j;
                int q = o + n;
                update4x2(yd[o], yd[o + 1], yd[o + 2], yd[o + 3], yd[q], yd[q + 1], yd[q + 2], yd[q + 3], c0, c1, c2,
                        c3, pt[k], pt[k + 1], len);
            }
            if (k < r) {
                int o = k * n + j;
                update4(yd[o], c0, yd[o + 1], c1, yd[o + 2], c2, yd[o + 3], c3, pt[k], len);
            }
            if (x != null) {
                total += residualSquares(c0, j, yd, xt, res, r, len);
                total += residualSquares(c1, j + 1, yd, xt, res, r, len);
                total += residualSquares(c2, j + 2, yd, xt, res, r, len);
                total += residualSquares(c3, j + 3, yd, xt, res, r, len);
            }
        }
        for (; j < n; j++) {
            double[] c0 = slice(j, i0, len, b0);
            for (int k = 0; k < r; k++) {
                double a = yd[k * n + j];
                double[] pk = pt[k];
                for (int i = 0; i < len; i++) {
                    pk[i] += a * c0[i];
                }
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

    /** Column j from row i0 on: the column itself when i0 is 0, else its slice copied into buf. */
    private double[] slice(int j, int i0, int len, double[] buf) {
        if (buf == null) {
            return cols[j];
        }
        System.arraycopy(cols[j], i0, buf, 0, len);
        return buf;
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

    /** {@code y[i] += a0 x0[i] + a1 x1[i] + a2 x2[i] + a3 x3[i]} and the same for z with the b's. */
    private static void update4x2(double a0, double a1, double a2, double a3, double b0, double b1, double b2,
            double b3, double[] x0, double[] x1, double[] x2, double[] x3, double[] y, double[] z, int len) {
        for (int i = 0; i < len; i++) {
            double u0 = x0[i];
            double u1 = x1[i];
            double u2 = x2[i];
            double u3 = x3[i];
            y[i] = JavaGemm.fma(a3, u3, JavaGemm.fma(a2, u2, JavaGemm.fma(a1, u1, JavaGemm.fma(a0, u0, y[i]))));
            z[i] = JavaGemm.fma(b3, u3, JavaGemm.fma(b2, u2, JavaGemm.fma(b1, u1, JavaGemm.fma(b0, u0, z[i]))));
        }
    }

    /** {@code y[i] += a0 x0[i] + a1 x1[i] + a2 x2[i] + a3 x3[i]} for i below len. */
    private static void update4(double a0, double[] x0, double a1, double[] x1, double a2, double[] x2, double a3,
            double[] x3, double[] y, int len) {
        JavaGemm.axpy4(a0, x0, a1, x1, a2, x2, a3, x3, y, len);
    }
}
