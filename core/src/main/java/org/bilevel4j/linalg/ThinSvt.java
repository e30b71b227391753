package org.bilevel4j.linalg;

import org.ejml.data.DMatrixRMaj;

/**
 * Singular value thresholding {@code out = U diag(max(s - tau, 0)) V^T} of a thin matrix, the SVT
 * of robust PCA and stable PCP, with the final product in low-rank form when few singular values
 * pass the threshold.
 *
 * <p>Let B be the tall orientation of A (m x k, m at least k; {@code B = A^T} for a wide A). As in
 * {@link ThinSvd#threshold}: Householder QR {@code B = Q R} without forming Q, the SVD
 * {@code R = U_R diag(s) V^T} of the k x k triangle (one-sided Jacobi up to 16 columns, EJML's
 * Golub-Kahan SVD above), and thresholding without U, since
 * <pre>
 *   U diag(d) V^T = B V diag(d / s) V^T,   d_j = max(s_j - tau, 0).
 * </pre>
 * Only the p triplets with {@code s_j > tau} contribute. When {@code 2 p < k} the product is
 * taken in factored form,
 * <pre>
 *   out = (B V_p) (diag(d_p / s_p) V_p^T)          (V_p: the first p columns of V),
 * </pre>
 * {@code 4 m k p} flops instead of {@code 2 m k^2} for {@code B W} with the k x k matrix
 * {@code W = V diag(d / s) V^T}; otherwise it is {@code B W}, exactly as {@link ThinSvd#threshold}
 * computes it (the same bits). At the traffic clip's 2304 x 51 stable PCP keeps 15 or 16 singular
 * values of 51 for most of its iterations, so the product costs 60% of {@code B W}.
 *
 * <p><b>Numerical safety.</b> Both forms are products of B with matrices of 2-norm at most 1
 * ({@code V_p} has orthonormal columns, {@code d_j / s_j} lies in [0, 1)), after the backward-stable
 * QR and SVD of R, so the thresholded matrix is the exact SVT of a matrix within
 * {@code O(k eps) ||B||} of B (see {@code ThinFactorSvd}) in either form; the two forms differ only
 * in the order of the sums, by rounding. The Gram matrix {@code B^T B}, which would square the
 * condition number, is never formed. Matrices whose smaller side is above 64 go to
 * {@link ThinSvd#threshold} (QR with Q, EJML's SVD).
 *
 * <p>References: J.-F. Cai, E. J. Candes, Z. Shen, "A singular value thresholding algorithm for
 * matrix completion", SIAM J. Optim. 20(4), 2010 (the operator); G. H. Golub, C. F. Van Loan,
 * Matrix Computations, 4th ed., 5.2 and 8.6 (Householder QR, SVD).
 *
 * <p>Thread-safety: stateless; the calls share nothing.
 */
public final class ThinSvt {

    private ThinSvt() {
    }

    /**
     * Thresholds {@code a} (not modified) at {@code tau} into {@code out}.
     *
     * @param a m x n, not modified
     * @param tau the threshold, at least 0
     * @param out m x n, modified; must not alias a
     * @return all {@code min(m, n)} singular values of a, decreasing
     * @throws ArithmeticException for non-finite input
     * @throws IllegalArgumentException if out has another shape or aliases a
     */
    public static double[] threshold(DMatrixRMaj a, double tau, DMatrixRMaj out) {
        if (out.numRows != a.numRows || out.numCols != a.numCols) {
            throw new IllegalArgumentException("out is " + out.numRows + "x" + out.numCols + ", expected "
                    + a.numRows + "x" + a.numCols);
        }
        if (out == a) {
            throw new IllegalArgumentException("out must not alias a");
        }
        int k = Math.min(a.numRows, a.numCols);
        if (k > ThinSvd.SMALL_SIDE) {
            return ThinSvd.threshold(a, tau, out);
        }
        if (k == 0) {
            return new double[0];
        }
        boolean wide = a.numRows < a.numCols;
        double[] v = new double[k * k];
        double[] s = ThinFactorSvd.smallSvd(ThinFactorSvd.triangle(a), k, v);
        double[] coef = new double[k];
        int p = 0;
        for (int j = 0; j < k; j++) {
            double d = Math.max(s[j] - tau, 0.0);
            coef[j] = d > 0 ? d / s[j] : 0.0;
            if (d > 0) {
                p = j + 1; // s is decreasing: the first p pass
            }
        }
        if (p == 0) {
            java.util.Arrays.fill(out.data, 0, out.getNumElements(), 0.0);
            return s;
        }
        if (2 * p >= k) {
            // W = V diag(coef) V^T: the product of ThinSvd.threshold, term for term
            ThinFactorSvd.multByWeightedGram(a, v, coef, k, wide, out, new DMatrixRMaj(k, k));
            return s;
        }
        // factored: V_p (k x p) and C = diag(coef_p) V_p^T (p x k)
        DMatrixRMaj vp = new DMatrixRMaj(k, p);
        DMatrixRMaj c = new DMatrixRMaj(p, k);
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < p; j++) {
                double x = v[i * k + j];
                vp.data[i * p + j] = x;
                c.data[j * k + i] = coef[j] * x;
            }
        }
        if (wide) {
            // A = B^T, so out = (B V_p C)^T = C^T (V_p^T A)
            DMatrixRMaj t = new DMatrixRMaj(p, a.numCols);
            Gemm.multTransA(vp, a, t);
            Gemm.multTransA(c, t, out);
        } else {
            DMatrixRMaj t = new DMatrixRMaj(a.numRows, p);
            Gemm.mult(a, vp, t);
            Gemm.mult(t, c, out);
        }
        return s;
    }
}
