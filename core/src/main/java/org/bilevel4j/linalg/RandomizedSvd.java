package org.bilevel4j.linalg;

import java.util.random.RandomGenerator;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.QRDecomposition;

/**
 * The leading {@code k} singular triplets of an m x n matrix by the randomized range finder with
 * power (subspace) iterations of Halko, Martinsson and Tropp [1], Algorithms 4.4 and 5.1:
 * <pre>
 *   Omega  = n x l standard Gaussian,  l = min(k + p, m, n)
 *   Q      = orth(A Omega)
 *   repeat q times:  Q = orth(A orth(A^T Q))          (re-orthonormalized power iteration)
 *   B      = Q^T A                                     (l x n)
 *   B      = U_B diag(s) V^T                           (small dense SVD)
 *   U      = Q U_B,  keep the first k columns / values / rows
 * </pre>
 * Cost: {@code 2 (q + 1)} products with A or A^T against l columns, plus QR factorizations of
 * m x l and n x l matrices; memory O((m + n) l) besides A. With q power iterations the error in
 * the i-th singular value decays like {@code (sigma_{l+1} / sigma_i)^(2q+1)}, so a clip whose
 * spectrum decays quickly needs q = 2 to 4.
 *
 * <p>Every product goes through {@link Gemm}. The input is not modified.
 *
 * <p>[1] N. Halko, P.-G. Martinsson, J. A. Tropp, "Finding structure with randomness: probabilistic
 * algorithms for constructing approximate matrix decompositions", SIAM Review 53(2), 2011.
 */
public final class RandomizedSvd {

    private final DMatrixRMaj u;
    private final double[] s;
    private final DMatrixRMaj vt;

    private RandomizedSvd(DMatrixRMaj u, double[] s, DMatrixRMaj vt) {
        this.u = u;
        this.s = s;
        this.vt = vt;
    }

    /**
     * Computes the leading singular triplets.
     *
     * @param a the matrix, not modified
     * @param k the number of triplets wanted, {@code 1 <= k <= min(m, n)}
     * @param oversample extra sampled directions p, at least 0 (10 is the usual choice)
     * @param powerIterations q, at least 0
     * @param rnd the source of the Gaussian test matrix
     * @return U (m x k), s (k, decreasing), V^T (k x n)
     */
    public static RandomizedSvd of(DMatrixRMaj a, int k, int oversample, int powerIterations, RandomGenerator rnd) {
        int m = a.numRows;
        int n = a.numCols;
        int kmax = Math.min(m, n);
        if (k < 1 || k > kmax) {
            throw new IllegalArgumentException("k must be in [1, " + kmax + "], got " + k);
        }
        if (oversample < 0 || powerIterations < 0) {
            throw new IllegalArgumentException("oversample and powerIterations must be nonnegative");
        }
        int l = Math.min(k + oversample, kmax);
        DMatrixRMaj omega = new DMatrixRMaj(n, l);
        for (int i = 0; i < omega.data.length; i++) {
            omega.data[i] = rnd.nextGaussian();
        }
        DMatrixRMaj ym = new DMatrixRMaj(m, l);
        Gemm.mult(a, omega, ym);
        DMatrixRMaj q = orthonormalize(ym);
        DMatrixRMaj z = new DMatrixRMaj(n, l);
        for (int it = 0; it < powerIterations; it++) {
            Gemm.multTransA(a, q, z);
            DMatrixRMaj qz = orthonormalize(z);
            Gemm.mult(a, qz, ym);
            q = orthonormalize(ym);
        }
        DMatrixRMaj b = new DMatrixRMaj(l, n);
        Gemm.multTransA(q, a, b);
        ThinSvd small = ThinSvd.of(b);
        DMatrixRMaj ub = small.u();
        DMatrixRMaj uFull = new DMatrixRMaj(m, ub.numCols);
        Gemm.mult(q, ub, uFull);
        DMatrixRMaj uk = new DMatrixRMaj(m, k);
        for (int i = 0; i < m; i++) {
            System.arraycopy(uFull.data, i * uFull.numCols, uk.data, i * k, k);
        }
        double[] sk = java.util.Arrays.copyOf(small.singularValues(), k);
        DMatrixRMaj vtk = new DMatrixRMaj(k, n);
        System.arraycopy(small.vt().data, 0, vtk.data, 0, k * n);
        return new RandomizedSvd(uk, sk, vtk);
    }

    /** @return an m x l matrix with orthonormal columns spanning the columns of y (not modified) */
    private static DMatrixRMaj orthonormalize(DMatrixRMaj y) {
        QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(y.numRows, y.numCols);
        TallQr.decompose(qr, y.copy()); // exactly dependent columns of y are fine
        return qr.getQ(null, true);
    }

    /** @return U, m x k with orthonormal columns (a view; do not modify) */
    public DMatrixRMaj u() {
        return u;
    }

    /** @return the k leading singular values, decreasing (a view; do not modify) */
    public double[] singularValues() {
        return s;
    }

    /** @return V^T, k x n with orthonormal rows (a view; do not modify) */
    public DMatrixRMaj vt() {
        return vt;
    }

    /**
     * Writes {@code U diag(d) V^T} into {@code out} (modified, m x n); only the first
     * {@code d.length <= k} triplets are used.
     *
     * @param d the singular values to use, at most the rank
     * @param out modified: receives the result
     */
    public void reconstruct(double[] d, DMatrixRMaj out) {
        reconstruct(u, d, vt, out);
    }

    /**
     * Writes {@code U(:, 0:j) diag(d) V^T(0:j, :)} into {@code out} for {@code j = d.length}, with U
     * m x k and V^T k x n, {@code j <= k}. Modified: out (m x n).
     *
     * @param u the left singular vectors (m x k), not modified
     * @param d the singular values to use, j of them
     * @param vt the right singular vectors transposed (k x n), not modified
     * @param out modified: receives the result
     */
    public static void reconstruct(DMatrixRMaj u, double[] d, DMatrixRMaj vt, DMatrixRMaj out) {
        int m = u.numRows;
        int k = u.numCols;
        int j = d.length;
        if (j > k || vt.numRows != k) {
            throw new IllegalArgumentException("need d.length <= " + k + " and V^T with " + k + " rows");
        }
        if (j == 0) {
            java.util.Arrays.fill(out.data, 0, out.getNumElements(), 0.0);
            return;
        }
        DMatrixRMaj ud = new DMatrixRMaj(m, j);
        for (int i = 0; i < m; i++) {
            for (int c = 0; c < j; c++) {
                ud.data[i * j + c] = u.data[i * k + c] * d[c];
            }
        }
        DMatrixRMaj vj = new DMatrixRMaj(j, vt.numCols);
        System.arraycopy(vt.data, 0, vj.data, 0, j * vt.numCols);
        Gemm.mult(ud, vj, out);
    }
}
