package org.bilevel4j.linalg;

import org.ejml.data.DMatrixRMaj;

/**
 * Singular values and singular value thresholding of a thin matrix (m x k or k x m, k small), the
 * kernels behind {@link ThinSvd#singularValues}, {@link ThinSvd#threshold} and
 * {@link MatOps#spectralNormPsd}. Package-private.
 *
 * <p><b>Algorithm.</b> Let B be the tall orientation of A (B = A when A is m x k with m at least k,
 * else {@code B = A^T}). Three steps, all of them orthogonal transformations or products with
 * orthogonal factors:
 * <ol>
 *   <li>Householder QR {@code B = Q R} without forming Q: the reflectors are applied to the columns
 *       of B (kept as separate arrays, so the updates {@code c_l -= f v} vectorize) and only the
 *       k x k triangle R is kept; each reflector is applied to eight columns at a time, then four,
 *       then one (the dot products of a group share the loads of v; on the Vector API when the JVM
 *       has its module, {@link VectorDots}, where the QR also looks one reflector ahead:
 *       {@link #householderLookAhead}, the same bits). From {@code 2 BLOCK_ROWS} rows
 *       ({@link #blocks}) the rows are cut into blocks that are reduced on their own (in parallel),
 *       and their stacked triangles once more (TSQR).</li>
 *   <li>The SVD of R: up to {@link #JACOBI_MAX_K} columns one-sided Jacobi (Hestenes) on the columns of R
 *       (beyond, EJML's Golub-Kahan SVD of R, which is cheaper there and also backward stable): plane
 *       rotations from the right, {@code R V = U S}, until every pair of columns is orthogonal to working
 *       precision
 *       ({@code |g_p . g_q| <= k eps ||g_p|| ||g_q||}). The singular values are the column norms,
 *       V the product of the rotations. One-sided Jacobi computes even the small singular values
 *       of a triangular factor to high relative accuracy (Demmel and Veselic 1992).</li>
 *   <li>Thresholding without U: {@code U diag(d) V^T = B V diag(d / s) V^T}, so the result is the
 *       one product {@code B W} with the k x k matrix {@code W = V diag(d_j / s_j) V^T}
 *       ({@code W A} for the wide orientation), where {@code d_j = max(s_j - tau, 0) <= s_j}.</li>
 * </ol>
 * <b>Why this and not the Gram matrix.</b> The eigenvalues of {@code B^T B} are the squared singular
 * values with absolute errors near {@code eps ||B||^2}, so singular values below
 * {@code sqrt(eps) ||B||} lose all their digits: the Gram route squares the condition number. Every
 * step above is backward stable instead: R is the triangle of a matrix within {@code O(eps) ||B||}
 * of B, the Jacobi rotations are orthogonal, and {@code ||W||_2 <= 1}, so the thresholded matrix is
 * the exact thresholding of a matrix within {@code O(k eps) ||B||} of B, which is what a full SVD
 * (EJML's, LAPACK's) gives too. The singular values agree with a full SVD's to
 * {@code O(k eps) ||B||}. Cost: {@code 2 m k^2} flops for the QR, {@code O(k^3)} per Jacobi sweep
 * (a handful of sweeps), {@code 2 m k^2} for the product, and no m x k array besides the columns of
 * B (one copy).
 *
 * <p>Non-finite input gives an {@link ArithmeticException}, as {@link ThinSvd} does.
 *
 * <p>References: G. H. Golub, C. F. Van Loan, Matrix Computations, 4th ed., 5.2 (Householder QR)
 * and 8.6.3 (one-sided Jacobi); J. Demmel, K. Veselic, "Jacobi's method is more accurate than QR",
 * SIAM J. Matrix Anal. Appl. 13(4), 1204-1245, 1992; J. Demmel et al., "Communication-optimal
 * parallel and sequential QR and LU factorizations", SIAM J. Sci. Comput. 34(1), 2012 (TSQR).
 */
final class ThinFactorSvd {

    /**
     * Fewest rows of one block of the blocked (TSQR) reduction: a factor of 2304 rows is reduced in
     * two blocks, one per core, and a 20800-row factor in {@link #MAX_BLOCKS}.
     */
    static final int BLOCK_ROWS = 1024;

    /** Most blocks of the blocked reduction. */
    static final int MAX_BLOCKS = 16;

    /** Largest k for which the SVD of the triangle is one-sided Jacobi (above: EJML's SVD of R). */
    static final int JACOBI_MAX_K = 16;

    /** Most Jacobi sweeps (a handful suffice; the cap only guards against non-convergence). */
    static final int MAX_SWEEPS = 60;

    private static final double EPS = Math.ulp(1.0);

    /** Whether the QR's eight-column dot products run on the Vector API ({@link VectorDots}). */
    static final boolean VECTOR_DOTS = PanelKernels.AVAILABLE;

    private ThinFactorSvd() {
    }

    /** The k x k triangle R (row-major, upper) of the tall orientation of a, and its orientation. */
    static double[] triangle(DMatrixRMaj a) {
        boolean wide = a.numRows < a.numCols;
        int m = wide ? a.numCols : a.numRows;
        int k = wide ? a.numRows : a.numCols;
        checkFinite(a);
        int blocks = blocks(m, k);
        if (blocks < 2) {
            double[] r = new double[k * k];
            reduce(a, wide, 0, m, k, r);
            return r;
        }
        double[][] rs = new double[blocks][];
        boolean parallel = 2L * m * k * k >= JavaGemm.PARALLEL_WORK && Parallel.threads() > 1;
        Parallel.forEach(blocks, parallel, b -> {
            int r0 = (int) ((long) m * b / blocks);
            int r1 = (int) ((long) m * (b + 1) / blocks);
            double[] r = new double[k * k];
            reduce(a, wide, r0, r1, k, r);
            rs[b] = r;
        });
        double[][] stacked = new double[k][blocks * k];
        for (int b = 0; b < blocks; b++) {
            for (int i = 0; i < k; i++) {
                for (int j = i; j < k; j++) {
                    stacked[j][b * k + i] = rs[b][i * k + j];
                }
            }
        }
        double[] r = new double[k * k];
        householder(stacked, blocks * k, k, r);
        return r;
    }

    /**
     * The blocks of the blocked reduction of a tall m x k orientation: each at least
     * {@link #BLOCK_ROWS} and {@code 4 k} rows (a block's QR needs at least k rows, and the stacked
     * triangles, {@code blocks k} rows, stay a small part of the work), at most {@link #MAX_BLOCKS}.
     */
    static int blocks(int m, int k) {
        return Math.min(MAX_BLOCKS, m / Math.max(BLOCK_ROWS, 4 * k));
    }

    /** R of rows [r0, r1) of the tall orientation. */
    private static void reduce(DMatrixRMaj a, boolean wide, int r0, int r1, int k, double[] r) {
        householder(columns(a, wide, r0, r1), r1 - r0, k, r);
    }

    private static void checkFinite(DMatrixRMaj a) {
        // x * 0 is NaN exactly when x is infinite or NaN
        if (MatOps.sumTimesZero(a.data, 0, a.getNumElements()) != 0.0) {
            throw new ArithmeticException("SVD did not converge (non-finite input)");
        }
    }

    /**
     * Columns of rows [r0, r1) of the tall orientation B of a, one array each, in this thread's work area
     * ({@link Scratch#QR_COLUMNS}: the arrays may be longer than the rows, and the next call on this thread
     * reuses them).
     */
    private static double[][] columns(DMatrixRMaj a, boolean wide, int r0, int r1) {
        double[] d = a.data;
        int rows = r1 - r0;
        if (wide) {
            int k = a.numRows;
            int m = a.numCols;
            double[][] c = Scratch.rows(Scratch.QR_COLUMNS, k, rows);
            for (int j = 0; j < k; j++) {
                System.arraycopy(d, j * m + r0, c[j], 0, rows);
            }
            return c;
        }
        int k = a.numCols;
        double[][] c = Scratch.rows(Scratch.QR_COLUMNS, k, rows);
        for (int i = 0; i < rows; i++) {
            int o = (r0 + i) * k;
            for (int j = 0; j < k; j++) {
                c[j][i] = d[o + j];
            }
        }
        return c;
    }

    /**
     * Householder QR of the rows x k matrix whose columns are {@code c} (overwritten by the
     * reflectors), rows at least k; writes R (k x k, row-major, zero below the diagonal) into r. A
     * column that is zero below the diagonal gets the identity reflector and a zero diagonal entry.
     */
    static void householder(double[][] c, int rows, int k, double[] r) {
        householder(c, rows, k, r, VECTOR_DOTS);
    }

    /**
     * {@link #householder(double[][], int, int, double[])} with the dot products of eight columns on the Vector
     * API or not; on the Vector API by {@link #householderLookAhead} (the same bits).
     */
    static void householder(double[][] c, int rows, int k, double[] r, boolean vectorDots) {
        if (vectorDots) {
            householderLookAhead(c, rows, k, r);
            return;
        }
        householderPlain(c, rows, k, r, false);
    }

    /**
     * The Householder QR of {@link #householder} on the Vector API with a look-ahead of one reflector, the same
     * bits as {@link #householderPlain} with vector dot products: at step j, column j + 1 is updated first and
     * becomes the next reflector (its norm, its first entry replaced), and every later column is updated and
     * dotted with that next reflector in one pass, four columns at a time ({@link VectorDots#updateThenDot4},
     * four independent sums; {@link VectorDots#updateThenDot} for the last one to three), so the dot products
     * of step j + 1 are ready when it starts. The plain algorithm makes two passes over each remaining column
     * per step (its dot product with the reflector, then the update); this makes one (one thread: 2304 x 51 in
     * 0.89 to 0.93 against 1.10 to 1.16 ms, 76800 x 10 in 2.07 to 2.15 against 2.44 to 2.59 ms). A step whose
     * next column has a zero norm below its diagonal (no reflector there) updates the columns without the dot
     * products, and the next step takes them as the plain one does.
     */
    static void householderLookAhead(double[][] c, int rows, int k, double[] r) {
        java.util.Arrays.fill(r, 0, k * k, 0.0);
        double[] sums = new double[Math.max(8, k)];
        double[] dots = new double[k]; // dot products of the current reflector with each later column
        double[] coef = new double[k];  // each later column's coefficient dots / half
        boolean ready = false;          // whether dots holds them (computed during the previous step)
        double norm = k > 0 ? norm(c[0], 0, rows) : 0.0;
        for (int j = 0; j < k; j++) {
            double[] cj = c[j];
            double x0 = cj[j];
            if (norm == 0.0) {
                for (int l = j; l < k; l++) {
                    r[j * k + l] = c[l][j];
                }
                ready = false;
                if (j + 1 < k) {
                    norm = norm(c[j + 1], j + 1, rows);
                }
                continue;
            }
            double alpha = x0 >= 0 ? -norm : norm;
            cj[j] = x0 - alpha;
            double half = norm * (norm + Math.abs(x0));
            if (!ready) {
                int l = j + 1;
                while (l < k) {
                    int group = k - l >= 8 ? 8 : k - l >= 4 ? 4 : 1;
                    dots(cj, c, l, group, j, rows, true, sums);
                    System.arraycopy(sums, 0, dots, l, group);
                    l += group;
                }
            }
            r[j * k + j] = alpha;
            if (j + 1 == k) {
                break;
            }
            // column j + 1 first: its update, then it becomes the next reflector
            double[] next = c[j + 1];
            update(next, dots[j + 1] / half, cj, j, rows);
            r[j * k + j + 1] = next[j];
            double nextNorm = norm(next, j + 1, rows);
            double nextX0 = next[j + 1];
            boolean lookAhead = nextNorm != 0.0;
            if (lookAhead) {
                next[j + 1] = nextX0 - (nextX0 >= 0 ? -nextNorm : nextNorm);
            }
            for (int q = j + 2; q < k; q++) {
                coef[q] = dots[q] / half;
            }
            int q = j + 2;
            if (lookAhead) {
                for (; q + 3 < k; q += 4) {
                    VectorDots.updateThenDot4(c, q, coef, cj, next, j, rows, dots);
                }
                for (; q < k; q++) {
                    dots[q] = VectorDots.updateThenDot(c[q], coef[q], cj, next, j, rows);
                }
            } else {
                for (; q < k; q++) {
                    update(c[q], coef[q], cj, j, rows);
                }
            }
            for (q = j + 2; q < k; q++) {
                r[j * k + q] = c[q][j];
            }
            if (lookAhead) {
                next[j + 1] = nextX0; // step j + 1 starts from the column as the plain algorithm has it
            }
            ready = lookAhead;
            norm = nextNorm;
        }
    }

    /** {@link #householder(double[][], int, int, double[])}, one reflector at a time. */
    static void householderPlain(double[][] c, int rows, int k, double[] r, boolean vectorDots) {
        java.util.Arrays.fill(r, 0, k * k, 0.0);
        double[] sums = new double[8];
        for (int j = 0; j < k; j++) {
            double[] cj = c[j];
            double x0 = cj[j];
            double norm = norm(cj, j, rows);
            if (norm == 0.0) {
                for (int l = j; l < k; l++) {
                    r[j * k + l] = c[l][j];
                }
                continue;
            }
            double alpha = x0 >= 0 ? -norm : norm;
            cj[j] = x0 - alpha; // v = (x0 - alpha, x1, ..., ), v^T v / 2 = norm (norm + |x0|)
            double half = norm * (norm + Math.abs(x0));
            // the other columns in groups of eight, then four, then one: one pass over v for a group's dot
            // products, then each column's update (one column per loop: 3 to 7% faster side by side than
            // one loop over the group; the dot products dominate)
            int l = j + 1;
            while (l < k) {
                int group = k - l >= 8 ? 8 : k - l >= 4 ? 4 : 1;
                dots(cj, c, l, group, j, rows, vectorDots, sums);
                for (int q = l; q < l + group; q++) {
                    update(c[q], sums[q - l] / half, cj, j, rows);
                    r[j * k + q] = c[q][j];
                }
                l += group;
            }
            r[j * k + j] = alpha;
        }
    }

    /**
     * The dot products {@code out[q] = v[j:rows] . c[l + q][j:rows]} of the reflector with a group of
     * 8, 4 or 1 columns: on the Vector API when the JVM has its module ({@link VectorDots}), else
     * scalar, eight columns in one pass that loads v once per row (one accumulator each, eight
     * independent chains), four with two accumulators each. Measured side by side on 2304-row
     * columns: 4.7 multiply-adds per nanosecond for eight scalar columns, 2.6 for four, 12.5 on the
     * Vector API (8 lanes).
     */
    private static void dots(double[] v, double[][] c, int l, int group, int j, int rows, boolean vectorDots,
            double[] out) {
        if (group == 8) {
            if (vectorDots) {
                VectorDots.dots8(v, c, l, j, rows, out);
            } else {
                dots8(v, c, l, j, rows, out);
            }
        } else if (group == 4) {
            if (vectorDots) {
                VectorDots.dots4(v, c, l, j, rows, out);
            } else {
                dots4(v, c, l, j, rows, out);
            }
        } else {
            out[0] = vectorDots ? VectorDots.dot(v, c[l], j, rows) : MatOps.dot(v, c[l], j, rows);
        }
    }

    /** The scalar dot products of eight columns ({@link #dots}). */
    private static void dots8(double[] v, double[][] c, int l, int j, int rows, double[] out) {
        double[] c0 = c[l];
        double[] c1 = c[l + 1];
        double[] c2 = c[l + 2];
        double[] c3 = c[l + 3];
        double[] c4 = c[l + 4];
        double[] c5 = c[l + 5];
        double[] c6 = c[l + 6];
        double[] c7 = c[l + 7];
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        double s4 = 0;
        double s5 = 0;
        double s6 = 0;
        double s7 = 0;
        for (int i = j; i < rows; i++) {
            double x = v[i];
            s0 += x * c0[i];
            s1 += x * c1[i];
            s2 += x * c2[i];
            s3 += x * c3[i];
            s4 += x * c4[i];
            s5 += x * c5[i];
            s6 += x * c6[i];
            s7 += x * c7[i];
        }
        out[0] = s0;
        out[1] = s1;
        out[2] = s2;
        out[3] = s3;
        out[4] = s4;
        out[5] = s5;
        out[6] = s6;
        out[7] = s7;
    }

    /** The scalar dot products of four columns ({@link #dots}), two accumulators each (even and odd rows). */
    private static void dots4(double[] v, double[][] c, int l, int j, int rows, double[] out) {
        double[] c0 = c[l];
        double[] c1 = c[l + 1];
        double[] c2 = c[l + 2];
        double[] c3 = c[l + 3];
        double s00 = 0;
        double s01 = 0;
        double s10 = 0;
        double s11 = 0;
        double s20 = 0;
        double s21 = 0;
        double s30 = 0;
        double s31 = 0;
        int i = j;
        for (; i + 1 < rows; i += 2) {
            double v0 = v[i];
            double v1 = v[i + 1];
            s00 += v0 * c0[i];
            s01 += v1 * c0[i + 1];
            s10 += v0 * c1[i];
            s11 += v1 * c1[i + 1];
            s20 += v0 * c2[i];
            s21 += v1 * c2[i + 1];
            s30 += v0 * c3[i];
            s31 += v1 * c3[i + 1];
        }
        if (i < rows) {
            double v0 = v[i];
            s00 += v0 * c0[i];
            s10 += v0 * c1[i];
            s20 += v0 * c2[i];
            s30 += v0 * c3[i];
        }
        out[0] = s00 + s01;
        out[1] = s10 + s11;
        out[2] = s20 + s21;
        out[3] = s30 + s31;
    }

    /** {@code c[i] -= f v[i]} for i in [from, to). */
    private static void update(double[] c, double f, double[] v, int from, int to) {
        for (int i = from; i < to; i++) {
            c[i] -= f * v[i];
        }
    }

    /** Euclidean norm of v[from:to], scaled when the plain sum of squares would over- or underflow. */
    private static double norm(double[] v, int from, int to) {
        double s = MatOps.dot(v, v, from, to);
        if (s > 1e-280 && s < 1e280) {
            return Math.sqrt(s);
        }
        double max = 0;
        for (int i = from; i < to; i++) {
            max = Math.max(max, Math.abs(v[i]));
        }
        if (max == 0) {
            return 0;
        }
        double t = 0;
        for (int i = from; i < to; i++) {
            double x = v[i] / max;
            t += x * x;
        }
        return max * Math.sqrt(t);
    }

    /**
     * One-sided Jacobi SVD of the k x k matrix r (row-major, not modified): returns the singular
     * values in decreasing order and, when {@code v} is not null, writes the matching right singular
     * vectors as its columns (k x k, row-major).
     */
    static double[] smallSvd(double[] r, int k, double[] v) {
        if (k <= JACOBI_MAX_K) {
            return jacobi(r, k, v);
        }
        org.ejml.interfaces.decomposition.SingularValueDecomposition_F64<DMatrixRMaj> svd =
                org.ejml.dense.row.factory.DecompositionFactory_DDRM.svd(k, k, false, v != null, true);
        if (!svd.decompose(new DMatrixRMaj(k, k, true, r))) {
            throw new ArithmeticException("SVD did not converge");
        }
        double[] sv = svd.getSingularValues();
        DMatrixRMaj vv = v != null ? svd.getV(null, false) : null;
        int[] order = decreasingOrder(sv, k);
        double[] sorted = new double[k];
        for (int j = 0; j < k; j++) {
            int o = order[j];
            sorted[j] = sv[o];
            if (v != null) {
                for (int i = 0; i < k; i++) {
                    v[i * k + j] = vv.data[i * k + o];
                }
            }
        }
        return sorted;
    }

    static double[] jacobi(double[] r, int k, double[] v) {
        double[][] g = new double[k][k]; // columns of R
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                g[j][i] = r[i * k + j];
            }
        }
        double[][] vc = null;
        if (v != null) {
            vc = new double[k][k];
            for (int j = 0; j < k; j++) {
                vc[j][j] = 1.0;
            }
        }
        double tol = k * EPS;
        double[] norms = new double[k];
        for (int j = 0; j < k; j++) {
            norms[j] = MatOps.dot(g[j], g[j], 0, k);
        }
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            boolean rotated = false;
            for (int p = 0; p < k - 1; p++) {
                for (int q = p + 1; q < k; q++) {
                    double alpha = norms[p];
                    double beta = norms[q];
                    double gamma = MatOps.dot(g[p], g[q], 0, k);
                    if (gamma == 0.0 || Math.abs(gamma) <= tol * Math.sqrt(alpha) * Math.sqrt(beta)) {
                        continue;
                    }
                    rotated = true;
                    double zeta = (beta - alpha) / (2 * gamma);
                    double t = Math.abs(zeta) > 1e150 ? 0.5 / zeta
                            : Math.copySign(1.0, zeta) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
                    double cs = 1 / Math.sqrt(1 + t * t);
                    double sn = cs * t;
                    rotate(g[p], g[q], cs, sn, k);
                    if (vc != null) {
                        rotate(vc[p], vc[q], cs, sn, k);
                    }
                    norms[p] = MatOps.dot(g[p], g[p], 0, k);
                    norms[q] = MatOps.dot(g[q], g[q], 0, k);
                }
            }
            if (!rotated) {
                break;
            }
        }
        return sortedValues(norms, vc, k, v);
    }

    /**
     * Jacobi's end: the singular values {@code sqrt(norms[j])} by decreasing value (stable: ties keep their
     * order) and, when v is not null, the columns vc in that order as the columns of v (k x k, row-major). A
     * method of its own, with the null test outside the loops: inside {@link #jacobi} these loops and the test
     * made C2 compile the whole method again and again (an on-stack replacement per loop, a deoptimization of
     * the test's loop predicate).
     */
    private static double[] sortedValues(double[] norms, double[][] vc, int k, double[] v) {
        double[] s = new double[k];
        for (int j = 0; j < k; j++) {
            s[j] = Math.sqrt(norms[j]);
        }
        int[] order = decreasingOrder(s, k);
        double[] sorted = new double[k];
        for (int j = 0; j < k; j++) {
            sorted[j] = s[order[j]];
        }
        if (v != null) {
            for (int j = 0; j < k; j++) {
                double[] col = vc[order[j]];
                for (int i = 0; i < k; i++) {
                    v[i * k + j] = col[i];
                }
            }
        }
        return sorted;
    }

    /**
     * The indices 0 to k - 1 in the order of decreasing {@code s[i]}, ties in increasing index (a stable sort
     * under {@code Double.compare}, as {@code Arrays.sort} of the boxed indices with that comparator would give):
     * index j goes to its rank, the number of i with {@code s[i]} after it under {@code Double.compare} plus the
     * number of i below j with an equal value (a total order, so the ranks are a permutation). k is at most
     * ThinSvd.SMALL_SIDE (64) here: k^2 comparisons in loops of fixed length, which C2 compiles once (an
     * insertion sort's data-dependent inner loop made it deoptimize jacobi, where this is inlined, four
     * times a run), and one int array where the boxed sort allocated k Integers.
     */
    static int[] decreasingOrder(double[] s, int k) {
        int[] order = new int[k];
        for (int j = 0; j < k; j++) {
            double x = s[j];
            int rank = 0;
            for (int i = 0; i < k; i++) {
                int c = Double.compare(s[i], x);
                rank += c > 0 || (c == 0 && i < j) ? 1 : 0;
            }
            order[rank] = j;
        }
        return order;
    }

    /** {@code (x, y) <- (c x - s y, s x + c y)} over the first k entries. */
    private static void rotate(double[] x, double[] y, double c, double s, int k) {
        for (int i = 0; i < k; i++) {
            double a = x[i];
            double b = y[i];
            x[i] = c * a - s * b;
            y[i] = s * a + c * b;
        }
    }

    /** The singular values of a (not modified), decreasing; {@code min(m, n)} of them. */
    static double[] singularValues(DMatrixRMaj a) {
        int k = Math.min(a.numRows, a.numCols);
        if (k == 0) {
            return new double[0];
        }
        return smallSvd(triangle(a), k, null);
    }

    /**
     * {@code out = U diag(max(s - tau, 0)) V^T} for the thin SVD of a (not modified); out (modified)
     * has the shape of a and must not alias it. Returns all {@code min(m, n)} singular values of a,
     * decreasing.
     */
    static double[] threshold(DMatrixRMaj a, double tau, DMatrixRMaj out) {
        return threshold(a, tau, out, null);
    }

    /**
     * {@link #threshold(DMatrixRMaj, double, DMatrixRMaj)}, and the k x k matrix
     * {@code W = V diag(max(s - tau, 0) / s) V^T} of the product ({@code out = a W} for tall a,
     * {@code out = W a} for wide a) into w when w is not null (zero where every singular value is
     * at most tau).
     */
    static double[] threshold(DMatrixRMaj a, double tau, DMatrixRMaj out, DMatrixRMaj w) {
        boolean wide = a.numRows < a.numCols;
        int k = Math.min(a.numRows, a.numCols);
        if (k == 0) {
            return new double[0];
        }
        double[] v = new double[k * k];
        double[] s = smallSvd(triangle(a), k, v);
        double[] coef = new double[k];
        boolean any = false;
        for (int j = 0; j < k; j++) {
            double d = Math.max(s[j] - tau, 0.0);
            coef[j] = d > 0 ? d / s[j] : 0.0;
            any |= d > 0;
        }
        if (!any) {
            java.util.Arrays.fill(out.data, 0, out.getNumElements(), 0.0);
            if (w != null) {
                java.util.Arrays.fill(w.data, 0, k * k, 0.0);
            }
            return s;
        }
        multByWeightedGram(a, v, coef, k, wide, out, w == null ? new DMatrixRMaj(k, k) : w);
        return s;
    }

    /**
     * {@code out = a W} (tall a) or {@code out = W a} (wide a) with the symmetric k x k
     * {@code W = V diag(coef) V^T}, V given row by row in v: the product of a thresholded thin SVD
     * written without U ({@code U diag(d) V^T = a V diag(d/s) V^T} for tall a). W is written into w
     * (k x k).
     */
    static void multByWeightedGram(DMatrixRMaj a, double[] v, double[] coef, int k, boolean wide,
            DMatrixRMaj out, DMatrixRMaj w) {
        double[] wd = w.data;
        for (int i = 0; i < k; i++) {
            for (int l = i; l < k; l++) {
                double sum = 0;
                for (int j = 0; j < k; j++) {
                    sum += v[i * k + j] * coef[j] * v[l * k + j];
                }
                wd[i * k + l] = sum;
                wd[l * k + i] = sum;
            }
        }
        if (wide) {
            Gemm.mult(w, a, out);
        } else {
            Gemm.mult(a, w, out);
        }
    }

    /**
     * Largest eigenvalue of the symmetric positive semidefinite k x k matrix g (row-major, not
     * modified) by the cyclic Jacobi eigenvalue method; NaN for non-finite input.
     */
    static double maxEigenvaluePsd(double[] g, int k) {
        double[] a = java.util.Arrays.copyOf(g, k * k);
        for (double x : a) {
            if (!Double.isFinite(x)) {
                return Double.NaN;
            }
        }
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            boolean rotated = false;
            for (int p = 0; p < k - 1; p++) {
                for (int q = p + 1; q < k; q++) {
                    double apq = a[p * k + q];
                    double app = a[p * k + p];
                    double aqq = a[q * k + q];
                    if (apq == 0.0 || Math.abs(apq) <= EPS * Math.sqrt(Math.abs(app)) * Math.sqrt(Math.abs(aqq))) {
                        continue;
                    }
                    rotated = true;
                    double theta = (aqq - app) / (2 * apq);
                    double t = Math.abs(theta) > 1e150 ? 0.5 / theta
                            : Math.copySign(1.0, theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    a[p * k + p] = app - t * apq;
                    a[q * k + q] = aqq + t * apq;
                    a[p * k + q] = 0.0;
                    a[q * k + p] = 0.0;
                    for (int i = 0; i < k; i++) {
                        if (i == p || i == q) {
                            continue;
                        }
                        double aip = a[i * k + p];
                        double aiq = a[i * k + q];
                        double np = c * aip - s * aiq;
                        double nq = s * aip + c * aiq;
                        a[i * k + p] = np;
                        a[p * k + i] = np;
                        a[i * k + q] = nq;
                        a[q * k + i] = nq;
                    }
                }
            }
            if (!rotated) {
                break;
            }
        }
        double max = 0;
        for (int i = 0; i < k; i++) {
            max = Math.max(max, Math.abs(a[i * k + i]));
        }
        return max;
    }
}
