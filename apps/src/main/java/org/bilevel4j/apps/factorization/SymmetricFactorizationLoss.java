package org.bilevel4j.apps.factorization;

import org.bilevel4j.function.SmoothFunction;
import org.bilevel4j.linalg.Gemm;
import org.bilevel4j.linalg.MatOps;
import org.ejml.data.DMatrixRMaj;

/**
 * The symmetric factorization loss on {@code U} (n x r) for a symmetric n x n matrix {@code A}:
 * <pre>
 *   g(U) = 1/4 ||U U^T - A||_F^2,    grad g(U) = (U U^T - A) U.
 * </pre>
 * Its minimizers are the best rank-r factors {@code U U^T} of A (for A = W W^T of rank r, every
 * {@code U = W Q} with Q orthogonal); nonconvex, gradient not globally Lipschitz. The residual
 * {@code U U^T - A} is formed explicitly (one n x n temporary per call), which keeps the value exact
 * near {@code g = 0} where the expanded {@code ||U^T U||^2 - 2 tr(U^T A U) + ||A||^2} would cancel.
 */
public final class SymmetricFactorizationLoss implements SmoothFunction {

    private final DMatrixRMaj a;

    /**
     * @param a symmetric (to 1e-12 relative), finite; copied
     * @throws IllegalArgumentException otherwise
     */
    public SymmetricFactorizationLoss(DMatrixRMaj a) {
        if (a.numRows != a.numCols || a.numRows == 0) {
            throw new IllegalArgumentException("A must be square and non-empty, got " + a.numRows + "x" + a.numCols);
        }
        if (!MatOps.isFinite(a)) {
            throw new IllegalArgumentException("A has non-finite entries");
        }
        double scale = Math.sqrt(MatOps.normSq(a));
        for (int i = 0; i < a.numRows; i++) {
            for (int j = i + 1; j < a.numCols; j++) {
                if (Math.abs(a.get(i, j) - a.get(j, i)) > 1e-12 * Math.max(scale, Double.MIN_NORMAL)) {
                    throw new IllegalArgumentException("A must be symmetric; A(" + i + "," + j + ") = " + a.get(i, j)
                            + " but A(" + j + "," + i + ") = " + a.get(j, i));
                }
            }
        }
        this.a = a.copy();
    }

    /** @return n, the rows of U and the size of A */
    public int size() {
        return a.numRows;
    }

    @Override
    public double value(DMatrixRMaj u) {
        return 0.25 * MatOps.normSq(residual(u));
    }

    @Override
    public double valueAndGradient(DMatrixRMaj u, DMatrixRMaj gradient) {
        MatOps.checkSameShape(u, gradient);
        DMatrixRMaj r = residual(u);
        Gemm.mult(r, u, gradient);
        return 0.25 * MatOps.normSq(r);
    }

    private DMatrixRMaj residual(DMatrixRMaj u) {
        if (u.numRows != a.numRows) {
            throw new IllegalArgumentException("U has " + u.numRows + " rows, A is " + a.numRows + "x" + a.numRows);
        }
        DMatrixRMaj r = new DMatrixRMaj(a.numRows, a.numRows);
        Gemm.multTransB(u, u, r);
        MatOps.combine(1.0, r, -1.0, a, r);
        return r;
    }

    @Override
    public String toString() {
        return "SymmetricFactorizationLoss[n=" + a.numRows + "]";
    }
}
