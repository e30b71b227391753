package org.bilevel4j.spark.binno;

import org.bilevel4j.linalg.ThinSvd;
import org.ejml.data.DMatrixRMaj;

/**
 * The prox of the nuclear norm of a tall matrix as an r x r map that each row block applies to its
 * own rows. With {@code Z = Q R} (R from {@link Tsqr}) and {@code R = U_R diag(s) V^T}, Z has the
 * singular values s and the right singular vectors V, and singular value thresholding
 * [Cai, Candes, Shen 2010] reads
 * <pre>
 *   prox_{t gamma ||.||_*}(Z) = U diag(d) V^T = Z V diag(d / s) V^T = Z W,   d = max(s - t gamma, 0),
 * </pre>
 * because {@code Z V = U diag(s)}. Directions whose singular value is at most the threshold (zero
 * included) get the factor 0, so {@code d / s} never divides by zero. W does not depend on the
 * signs or the order of the singular vectors, nor on how the R factors were merged.
 */
public final class NuclearProxMap {

    private NuclearProxMap() {
    }

    /**
     * @param r the R factor of Z (k x c, k at least 1; not modified)
     * @param threshold {@code t gamma}, nonnegative
     * @return W (c x c) with {@code prox(Z) = Z W}
     * @throws ArithmeticException if r has a non-finite entry or its SVD fails
     */
    public static DMatrixRMaj of(DMatrixRMaj r, double threshold) {
        if (!Tsqr.finite(r)) {
            throw new ArithmeticException("the R factor has a non-finite entry");
        }
        int c = r.numCols;
        ThinSvd svd = ThinSvd.of(r);
        double[] s = svd.singularValues();
        DMatrixRMaj vt = svd.vt(); // k x c
        DMatrixRMaj w = new DMatrixRMaj(c, c);
        for (int j = 0; j < s.length; j++) {
            double d = Math.max(s[j] - threshold, 0.0);
            if (d <= 0) {
                continue;
            }
            double f = d / s[j];
            for (int a = 0; a < c; a++) {
                double va = vt.unsafe_get(j, a) * f;
                if (va == 0) {
                    continue;
                }
                for (int b = 0; b < c; b++) {
                    w.data[a * c + b] += va * vt.unsafe_get(j, b);
                }
            }
        }
        return w;
    }

    /**
     * @return the singular values of a matrix with the R factor r (decreasing), the sum of which is
     *     its nuclear norm
     */
    public static double[] singularValues(DMatrixRMaj r) {
        if (r == null) {
            return new double[0];
        }
        return ThinSvd.singularValues(r);
    }
}
