package org.bilevel4j.spark.binno;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.QRDecomposition;

/**
 * Tall-and-skinny QR by reduction (TSQR) [Demmel, Grigori, Hoemmen, Langou 2012; Spark's
 * {@code RowMatrix.tallSkinnyQR}]: for {@code Z = [Z_1; ...; Z_B]} (row blocks, c columns) each
 * block is reduced on its own, {@code Z_i = Q_i R_i}, and two R factors are merged by stacking
 * them and reducing once more, {@code [R_a; R_b] = Q_ab R_ab}. Any tree of merges gives an R with
 * {@code R^T R = Z^T Z} and the singular values and right singular vectors of Z, without forming
 * {@code Z^T Z} (whose eigendecomposition would square the condition number). Q is never formed.
 *
 * <p>R is {@code min(k, c) x c} for a block of k rows (upper triangular, trapezoidal when k is below
 * c); an empty block gives null, the neutral element of {@link #merge}. A block with a non-finite
 * entry gives a c x c R of NaN, and NaN spreads through every merge, so the driver sees it.
 */
public final class Tsqr {

    private Tsqr() {
    }

    /**
     * @param a k x c (not modified)
     * @return the R factor of a, {@code min(k, c) x c}; null when k is 0
     */
    public static DMatrixRMaj r(DMatrixRMaj a) {
        if (a.numRows == 0) {
            return null;
        }
        if (!finite(a)) {
            return nan(a.numCols);
        }
        QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(a.numRows, a.numCols);
        if (!qr.decompose(a.copy())) {
            return nan(a.numCols);
        }
        return qr.getR(null, true);
    }

    /**
     * @param a an R factor or null (not modified)
     * @param b an R factor with as many columns, or null (not modified)
     * @return the R factor of {@code [a; b]}
     */
    public static DMatrixRMaj merge(DMatrixRMaj a, DMatrixRMaj b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        if (a.numCols != b.numCols) {
            throw new IllegalArgumentException("R factors have " + a.numCols + " and " + b.numCols + " columns");
        }
        DMatrixRMaj stacked = new DMatrixRMaj(a.numRows + b.numRows, a.numCols);
        CommonOps_DDRM.insert(a, stacked, 0, 0);
        CommonOps_DDRM.insert(b, stacked, a.numRows, 0);
        return r(stacked);
    }

    private static DMatrixRMaj nan(int c) {
        DMatrixRMaj r = new DMatrixRMaj(c, c);
        CommonOps_DDRM.fill(r, Double.NaN);
        return r;
    }

    static boolean finite(DMatrixRMaj a) {
        for (int i = 0; i < a.getNumElements(); i++) {
            if (!Double.isFinite(a.data[i])) {
                return false;
            }
        }
        return true;
    }
}
