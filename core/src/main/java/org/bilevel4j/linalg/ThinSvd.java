package org.bilevel4j.linalg;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * Thin singular value decomposition {@code A = U diag(s) V^T} of an m x n matrix with
 * {@code k = min(m, n)} singular values, sorted in decreasing order.
 *
 * <p>Tall-and-thin inputs (m much larger than n, as the m x r factor X) are first reduced by a
 * QR decomposition, {@code A = Q R} (by blocks of rows, in parallel, see {@code TallQr}), so the
 * SVD itself runs on the small n x n factor R
 * ({@code R = U_R S V^T}, {@code U = Q U_R}); this keeps the cost at O(m n^2) and the accuracy of
 * an orthogonal method (unlike an eigendecomposition of {@code A^T A}, which squares the
 * condition number). U is formed only when asked for: {@link #reconstruct} multiplies Q once by
 * a small k x n factor, and {@link #singularValues(DMatrixRMaj)} never forms Q.
 */
public final class ThinSvd {

    /**
     * Largest smaller side for which {@link #singularValues(DMatrixRMaj)} and {@link #threshold} use
     * the QR + one-sided Jacobi kernels (the Jacobi sweeps cost {@code O(k^3)} each).
     */
    public static final int SMALL_SIDE = 64;

    /** U, or null until {@link #u()} forms it as {@code q uSmall}. */
    private volatile DMatrixRMaj u;
    /** The QR reduction (Q is m x k), or null when the SVD ran on A itself. */
    private final TallQr q;
    /** U of the small factor R, when q is not null. */
    private final DMatrixRMaj uSmall;
    private final double[] s;
    private final DMatrixRMaj vt;

    private ThinSvd(DMatrixRMaj u, double[] s, DMatrixRMaj vt) {
        this.u = u;
        this.q = null;
        this.uSmall = null;
        this.s = s;
        this.vt = vt;
    }

    private ThinSvd(TallQr q, DMatrixRMaj uSmall, double[] s, DMatrixRMaj vt) {
        this.u = null;
        this.q = q;
        this.uSmall = uSmall;
        this.s = s;
        this.vt = vt;
    }

    /**
     * Decomposes {@code a} (not modified).
     *
     * @throws ArithmeticException if the decomposition fails (non-finite input)
     * @param a the matrix, not modified
     * @return the decomposition
     */
    public static ThinSvd of(DMatrixRMaj a) {
        int m = a.numRows;
        int n = a.numCols;
        if (m < n) {
            ThinSvd t = of(CommonOps_DDRM.transpose(a, null));
            // A^T = U S V^T  =>  A = V S U^T
            return new ThinSvd(CommonOps_DDRM.transpose(t.vt, null), t.s, CommonOps_DDRM.transpose(t.u(), null));
        }
        if (m >= 4 * n && n > 0) {
            TallQr qr = TallQr.of(a, true);
            ThinSvd small = direct(qr.r);
            return new ThinSvd(qr, small.u, small.s, small.vt);
        }
        return direct(a);
    }

    /**
     * The singular values of {@code a} (not modified), decreasing, without forming U or V: for a
     * tall matrix those of R in {@code A = Q R} (Q is never formed), else of A itself.
     *
     * @throws ArithmeticException if the decomposition fails (non-finite input)
     * @param a the matrix, not modified
     * @return the singular values, decreasing
     */
    public static double[] singularValues(DMatrixRMaj a) {
        int m = a.numRows;
        int n = a.numCols;
        if (Math.min(m, n) <= SMALL_SIDE) {
            return ThinFactorSvd.singularValues(a);
        }
        if (m < n) {
            return singularValues(CommonOps_DDRM.transpose(a, null));
        }
        DMatrixRMaj small = a;
        if (m >= 4 * n && n > 0) {
            small = TallQr.of(a, false).r;
        }
        int k = Math.min(small.numRows, small.numCols);
        if (k == 0) {
            return new double[0];
        }
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(small.numRows,
                small.numCols, false, false, true);
        if (!svd.decompose(small.copy())) {
            throw new ArithmeticException("SVD did not converge");
        }
        double[] sv = java.util.Arrays.copyOf(svd.getSingularValues(), k);
        java.util.Arrays.sort(sv);
        for (int i = 0; i < k / 2; i++) {
            double t = sv[i];
            sv[i] = sv[k - 1 - i];
            sv[k - 1 - i] = t;
        }
        return sv;
    }

    /**
     * {@link #threshold} of a tall thin matrix, with the k x k matrix it multiplies by:
     * {@code out = a W}, {@code W = V diag(max(s - tau, 0) / s) V^T} (symmetric, norm at most 1; zero
     * where every singular value is at most tau). The same out, bit for bit, as {@link #threshold}.
     * A caller that knows {@code a^T B} for some B gets {@code out^T B = W^T (a^T B)} from it without
     * touching B again (BINNO's evaluator does, with B = M).
     *
     * @param a m x k with {@code m >= k} and k at most {@value #SMALL_SIDE}, not modified
     * @param tau the threshold, at least 0
     * @param out m x k, modified; must not alias a
     * @param w k x k, modified: receives W
     * @return all k singular values of a, decreasing
     * @throws IllegalArgumentException if a is wide or has more than {@value #SMALL_SIDE} columns, or
     *     out or w has the wrong shape
     * @throws ArithmeticException for non-finite input
     */
    public static double[] thresholdTall(DMatrixRMaj a, double tau, DMatrixRMaj out, DMatrixRMaj w) {
        int k = a.numCols;
        if (a.numRows < k || k > SMALL_SIDE) {
            throw new IllegalArgumentException("a must be tall with at most " + SMALL_SIDE + " columns, got "
                    + a.numRows + "x" + k);
        }
        if (w.numRows != k || w.numCols != k) {
            throw new IllegalArgumentException("w is " + w.numRows + "x" + w.numCols + ", expected " + k + "x" + k);
        }
        checkOut(a, out);
        if (k == 0) {
            return new double[0];
        }
        return ThinFactorSvd.threshold(a, tau, out, w);
    }

    /**
     * Singular value thresholding {@code out = U diag(max(s - tau, 0)) V^T} of the thin SVD of
     * {@code a} (not modified), without forming U: for a matrix whose smaller side is at most
     * {@value #SMALL_SIDE}, Householder QR of its tall orientation (Q not formed), one-sided Jacobi
     * SVD of the triangle, and the product {@code a W} (or {@code W a}) with
     * {@code W = V diag(max(s - tau, 0) / s) V^T}; every step is orthogonal or a product with a
     * matrix of norm at most 1, so the result is as accurate as thresholding a full SVD (the
     * Gram matrix, which would square the condition number, is never formed; see
     * {@code ThinFactorSvd}). Larger matrices go through {@link #of}.
     *
     * @param a m x n, not modified
     * @param tau the threshold, at least 0
     * @param out m x n, modified; must not alias a
     * @return all {@code min(m, n)} singular values of a, decreasing
     * @throws ArithmeticException for non-finite input
     */
    public static double[] threshold(DMatrixRMaj a, double tau, DMatrixRMaj out) {
        checkOut(a, out);
        if (Math.min(a.numRows, a.numCols) <= SMALL_SIDE) {
            return ThinFactorSvd.threshold(a, tau, out);
        }
        ThinSvd svd = of(a);
        double[] s = svd.singularValues();
        double[] d = new double[s.length];
        for (int i = 0; i < s.length; i++) {
            d[i] = Math.max(s[i] - tau, 0.0);
        }
        svd.reconstruct(d, out);
        return s.clone();
    }

    /** The output of a thresholding: the shape of a, not a itself. */
    private static void checkOut(DMatrixRMaj a, DMatrixRMaj out) {
        if (out.numRows != a.numRows || out.numCols != a.numCols) {
            throw new IllegalArgumentException("out is " + out.numRows + "x" + out.numCols + ", expected "
                    + a.numRows + "x" + a.numCols);
        }
        if (out == a) {
            throw new IllegalArgumentException("out must not alias a");
        }
    }

    private static ThinSvd direct(DMatrixRMaj a) {
        int m = a.numRows;
        int n = a.numCols;
        int k = Math.min(m, n);
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(m, n, true, true, true);
        if (!svd.decompose(a.copy())) {
            throw new ArithmeticException("SVD did not converge");
        }
        DMatrixRMaj uu = svd.getU(null, false);
        DMatrixRMaj vv = svd.getV(null, true);
        double[] sv = svd.getSingularValues();
        // sort in decreasing order
        Integer[] order = new Integer[k];
        for (int i = 0; i < k; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (x, y) -> Double.compare(sv[y], sv[x]));
        DMatrixRMaj us = new DMatrixRMaj(m, k);
        DMatrixRMaj vts = new DMatrixRMaj(k, n);
        double[] ss = new double[k];
        for (int j = 0; j < k; j++) {
            int o = order[j];
            ss[j] = sv[o];
            for (int i = 0; i < m; i++) {
                us.unsafe_set(i, j, uu.unsafe_get(i, o));
            }
            for (int i = 0; i < n; i++) {
                vts.unsafe_set(j, i, vv.unsafe_get(o, i));
            }
        }
        return new ThinSvd(us, ss, vts);
    }

    /** @return U, m x k with orthonormal columns (a view; do not modify). Formed on first use. */
    public DMatrixRMaj u() {
        DMatrixRMaj uu = u;
        if (uu == null) {
            uu = new DMatrixRMaj(qRows(), uSmall.numCols);
            q.multQ(uSmall, uu);
            u = uu;
        }
        return uu;
    }

    private int qRows() {
        return q.rows();
    }

    /** @return the singular values, decreasing (a view; do not modify). */
    public double[] singularValues() {
        return s;
    }

    /** @return V^T, k x n with orthonormal rows (a view; do not modify). */
    public DMatrixRMaj vt() {
        return vt;
    }

    /**
     * Writes {@code U diag(d) V^T} into {@code out} (modified, m x n).
     *
     * @param d new singular values, length k
     * @param out modified: receives the result
     */
    public void reconstruct(double[] d, DMatrixRMaj out) {
        int k = s.length;
        if (q != null) {
            // A = Q U_R S V^T: out = Q (U_R diag(d) V^T), one product with the tall factor
            DMatrixRMaj w = new DMatrixRMaj(k, vt.numCols);
            DMatrixRMaj ud = new DMatrixRMaj(uSmall.numRows, k);
            for (int i = 0; i < uSmall.numRows; i++) {
                for (int j = 0; j < k; j++) {
                    ud.unsafe_set(i, j, uSmall.unsafe_get(i, j) * d[j]);
                }
            }
            Gemm.mult(ud, vt, w);
            q.multQ(w, out);
            return;
        }
        DMatrixRMaj ud = new DMatrixRMaj(u.numRows, k);
        for (int i = 0; i < u.numRows; i++) {
            for (int j = 0; j < k; j++) {
                ud.unsafe_set(i, j, u.unsafe_get(i, j) * d[j]);
            }
        }
        Gemm.mult(ud, vt, out);
    }
}
