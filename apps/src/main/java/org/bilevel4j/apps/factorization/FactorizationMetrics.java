package org.bilevel4j.apps.factorization;

import org.bilevel4j.linalg.MatOps;
import org.bilevel4j.linalg.ThinSvd;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.QRDecomposition;

/**
 * Quality measures of a factorization {@code M ~ X Y}, as reported in the BINNO experiments
 * [Selicato, Esposito, Ang 2025]. All methods leave their arguments unmodified.
 */
public final class FactorizationMetrics {

    private FactorizationMetrics() {
    }

    /** Entries with magnitude at most this times the largest one count as zero (sparsity, pictures). */
    public static final double SPARSITY_REL_TOL = 1e-3;

    /** Singular values above this times the largest one count towards the numerical rank. */
    public static final double RANK_REL_TOL = 1e-6;

    /**
     * @param a the matrix
     * @return {@code max |a_ij|} (0 for an empty matrix)
     */
    public static double maxAbs(DMatrixRMaj a) {
        double m = 0;
        for (int i = 0; i < a.getNumElements(); i++) {
            m = Math.max(m, Math.abs(a.data[i]));
        }
        return m;
    }

    /**
     * {@code ||reference - estimate||_F / ||reference||_F}.
     *
     * @throws IllegalArgumentException if the shapes differ or the reference is zero
     * @param reference the reference, not modified
     * @param estimate the estimate, not modified
     * @return the relative error
     */
    public static double relativeError(DMatrixRMaj reference, DMatrixRMaj estimate) {
        MatOps.checkSameShape(reference, estimate);
        double norm = Math.sqrt(MatOps.normSq(reference));
        if (norm == 0) {
            throw new IllegalArgumentException("the reference matrix is zero: the relative error is undefined");
        }
        return MatOps.distance(reference, estimate) / norm;
    }

    /**
     * {@code ||reference - X Y||_F / ||reference||_F}, summed row by row without forming the m x n
     * product (for large data; equal to {@code relativeError(reference, X Y)} up to rounding).
     *
     * @throws IllegalArgumentException if the shapes do not fit or the reference is zero
     * @param reference the reference, not modified
     * @param x the point x, not modified
     * @param y the point y, not modified
     * @return the relative error
     */
    public static double relativeErrorOfProduct(DMatrixRMaj reference, DMatrixRMaj x, DMatrixRMaj y) {
        if (x.numCols != y.numRows || x.numRows != reference.numRows || y.numCols != reference.numCols) {
            throw new IllegalArgumentException("X Y is (" + x.numRows + "x" + x.numCols + ")(" + y.numRows + "x"
                    + y.numCols + "), the reference is " + reference.numRows + "x" + reference.numCols);
        }
        double norm = Math.sqrt(MatOps.normSq(reference));
        if (norm == 0) {
            throw new IllegalArgumentException("the reference matrix is zero: the relative error is undefined");
        }
        int n = reference.numCols;
        int r = x.numCols;
        double[] row = new double[n];
        double total = 0;
        for (int i = 0; i < reference.numRows; i++) {
            java.util.Arrays.fill(row, 0.0);
            for (int k = 0; k < r; k++) {
                double xik = x.data[i * r + k];
                if (xik != 0) {
                    int yo = k * n;
                    for (int j = 0; j < n; j++) {
                        row[j] += xik * y.data[yo + j];
                    }
                }
            }
            int o = i * n;
            for (int j = 0; j < n; j++) {
                double d = reference.data[o + j] - row[j];
                total += d * d;
            }
        }
        return Math.sqrt(total) / norm;
    }

    /**
     * Signal-to-noise ratio of data, {@code 10 log10(||clean||_F^2 / ||observed - clean||_F^2)}, in
     * decibels; {@code +Infinity} when the observed matrix equals the clean one.
     *
     * @throws IllegalArgumentException if the shapes differ
     * @param clean the clean data, not modified
     * @param observed the observed data, not modified
     * @return the ratio in decibels
     */
    public static double snrDb(DMatrixRMaj clean, DMatrixRMaj observed) {
        MatOps.checkSameShape(clean, observed);
        double noise = MatOps.distance(observed, clean);
        return 10 * Math.log10(MatOps.normSq(clean) / (noise * noise));
    }

    /**
     * The fraction of entries with {@code |a_ij| <= tol}, in [0, 1].
     *
     * @param tol a finite, nonnegative threshold
     * @throws IllegalArgumentException for a negative or non-finite tolerance, or an empty matrix
     * @param a the matrix
     * @return the fraction
     */
    public static double sparsity(DMatrixRMaj a, double tol) {
        if (!(tol >= 0) || Double.isInfinite(tol)) {
            throw new IllegalArgumentException("tol must be finite and nonnegative, got " + tol);
        }
        int n = a.getNumElements();
        if (n == 0) {
            throw new IllegalArgumentException("the matrix is empty");
        }
        int zeros = 0;
        for (int i = 0; i < n; i++) {
            if (Math.abs(a.data[i]) <= tol) {
                zeros++;
            }
        }
        return (double) zeros / n;
    }

    /**
     * The number of singular values above {@code relTol * s_max}; 0 for a zero matrix.
     *
     * @param relTol a threshold relative to the largest singular value, in [0, 1)
     * @throws IllegalArgumentException for a tolerance outside [0, 1)
     * @param a the matrix
     * @return the numerical rank
     */
    public static int numericalRank(DMatrixRMaj a, double relTol) {
        checkRelTol(relTol);
        if (a.getNumElements() == 0) {
            return 0;
        }
        return countAbove(ThinSvd.of(a).singularValues(), relTol);
    }

    /**
     * The numerical rank of the product {@code X Y} (X m x r, Y r x n) without forming it: with
     * {@code X = Q_X R_X} and {@code Y^T = Q_Y R_Y}, {@code X Y = Q_X (R_X R_Y^T) Q_Y^T} has the
     * singular values of the r x r matrix {@code R_X R_Y^T}. Costs O((m + n) r^2).
     *
     * @param relTol a threshold relative to the largest singular value, in [0, 1)
     * @throws IllegalArgumentException if the inner dimensions differ or the tolerance is outside [0, 1)
     * @param x the point x, not modified
     * @param y the point y, not modified
     * @return the numerical rank
     */
    public static int numericalRankOfProduct(DMatrixRMaj x, DMatrixRMaj y, double relTol) {
        checkRelTol(relTol);
        if (x.numCols != y.numRows) {
            throw new IllegalArgumentException("X is " + x.numRows + "x" + x.numCols + " but Y is " + y.numRows + "x"
                    + y.numCols);
        }
        if (x.numRows < x.numCols || y.numCols < y.numRows) {
            DMatrixRMaj p = new DMatrixRMaj(x.numRows, y.numCols);
            CommonOps_DDRM.mult(x, y, p);
            return numericalRank(p, relTol);
        }
        DMatrixRMaj rx = triangularFactor(x);
        DMatrixRMaj ry = triangularFactor(CommonOps_DDRM.transpose(y, null));
        DMatrixRMaj core = new DMatrixRMaj(rx.numRows, ry.numRows);
        CommonOps_DDRM.multTransB(rx, ry, core);
        return numericalRank(core, relTol);
    }

    private static DMatrixRMaj triangularFactor(DMatrixRMaj a) {
        QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(a.numRows, a.numCols);
        if (!qr.decompose(a.copy())) {
            throw new ArithmeticException("QR decomposition failed");
        }
        return qr.getR(null, true);
    }

    private static int countAbove(double[] s, double relTol) {
        double max = 0;
        for (double v : s) {
            max = Math.max(max, v);
        }
        if (max == 0) {
            return 0;
        }
        int k = 0;
        for (double v : s) {
            if (v > relTol * max) {
                k++;
            }
        }
        return k;
    }

    private static void checkRelTol(double relTol) {
        if (!(relTol >= 0 && relTol < 1)) {
            throw new IllegalArgumentException("relTol must be in [0, 1), got " + relTol);
        }
    }
}
