package org.bilevel4j.problem;

import org.bilevel4j.linalg.Gemm;
import org.bilevel4j.linalg.MatOps;
import org.ejml.data.DMatrixRMaj;

/**
 * The factorization coupling {@code H(X, Y) = 1/2 ||X Y - M||_F^2} with X m x r and Y r x n.
 *
 * <p>Gradients: {@code grad_X H = (X Y - M) Y^T = X (Y Y^T) - M Y^T} and
 * {@code grad_Y H = X^T (X Y - M) = (X^T X) Y - X^T M}. Block Lipschitz constants:
 * {@code L_X = ||Y Y^T||_2}, {@code L_Y = ||X^T X||_2}.
 *
 * <p>No method forms an m x n temporary: products with M are taken against the thin factors, and
 * the value uses {@code ||XY - M||^2 = ||M||^2 - 2 <X, M Y^T> + <X^T X, Y Y^T>}, except for small
 * matrices (at most {@link #EXACT_VALUE_MAX_ELEMENTS} entries), where it is summed row by row from
 * the residual itself, which avoids the cancellation of that identity when H is far below
 * {@code ||M||^2}.
 *
 * <p>Thread-safety: immutable (do not modify M after handing it over); safe to share between
 * threads.
 */
public final class FactorizationCoupling implements BlockCoupling {

    /** Matrices with at most this many entries get their value from the residual itself. */
    public static final long EXACT_VALUE_MAX_ELEMENTS = 1L << 20;

    private final DMatrixRMaj m;
    private final int rank;
    private final double normSqM;

    /**
     * @param m the data matrix (not copied: do not modify it while the coupling is in use)
     * @param rank the inner dimension r, between 1 and min(m, n)
     * @throws IllegalArgumentException for a rank out of range or non-finite data
     */
    public FactorizationCoupling(DMatrixRMaj m, int rank) {
        if (m.numRows < 1 || m.numCols < 1) {
            throw new IllegalArgumentException("data matrix is empty (" + m.numRows + "x" + m.numCols + ")");
        }
        int max = Math.min(m.numRows, m.numCols);
        if (rank < 1 || rank > max) {
            throw new IllegalArgumentException("rank must be between 1 and min(m, n) = " + max + ", got " + rank);
        }
        for (int i = 0; i < m.getNumElements(); i++) {
            if (!Double.isFinite(m.data[i])) {
                throw new IllegalArgumentException("data matrix has a non-finite entry " + m.data[i] + " at row "
                        + (i / m.numCols + 1) + ", column " + (i % m.numCols + 1));
            }
        }
        this.m = m;
        this.rank = rank;
        this.normSqM = MatOps.normSq(m);
    }

    /** @return the data matrix M (a view: do not modify) */
    public DMatrixRMaj data() {
        return m;
    }

    /** @return the rank r */
    public int rank() {
        return rank;
    }

    /** @return {@code ||M||_F^2} */
    public double normSqData() {
        return normSqM;
    }

    /** @return whether values are summed from the residual (small M) instead of the Gram identity */
    public boolean exactValues() {
        return (long) m.numRows * m.numCols <= EXACT_VALUE_MAX_ELEMENTS;
    }

    @Override
    public int xRows() {
        return m.numRows;
    }

    @Override
    public int xCols() {
        return rank;
    }

    @Override
    public int yRows() {
        return rank;
    }

    @Override
    public int yCols() {
        return m.numCols;
    }

    @Override
    public double value(DMatrixRMaj x, DMatrixRMaj y) {
        checkShapes(x, y);
        if (exactValues()) {
            return residualValue(x, y);
        }
        DMatrixRMaj p = new DMatrixRMaj(m.numRows, rank);
        Gemm.multTransB(m, y, p);
        return valueFromProducts(x, y, p, gram(y, false), gram(x, true));
    }

    /**
     * {@code 1/2 ||X Y - M||^2} summed row by row from the residual, without an m x n temporary.
     *
     * @param x the point x, not modified
     * @param y the point y, not modified
     * @return {@code 1/2 ||X Y - M||_F^2}
     */
    public double residualValue(DMatrixRMaj x, DMatrixRMaj y) {
        return 0.5 * residualSumOfSquares(m, x, y);
    }

    /**
     * {@code ||X Y - M||_F^2} summed row by row from the residual, without an m x n temporary: for
     * any block of rows of M and the same rows of X (the distributed BINNO of the spark module sums it
     * over row blocks).
     *
     * @param m k x n, not modified
     * @param x k x r, not modified
     * @param y r x n, not modified
     * @throws IllegalArgumentException if the shapes do not match
     * @return {@code ||X Y - M||_F^2}
     */
    public static double residualSumOfSquares(DMatrixRMaj m, DMatrixRMaj x, DMatrixRMaj y) {
        int n = m.numCols;
        int r = x.numCols;
        if (x.numRows != m.numRows || y.numRows != r || y.numCols != n) {
            throw new IllegalArgumentException("shapes do not match: M " + m.numRows + "x" + n + ", X " + x.numRows
                    + "x" + r + ", Y " + y.numRows + "x" + y.numCols);
        }
        // rows of Y and the residual row as separate arrays, so the JIT vectorizes the updates
        double[][] yRows = new double[r][n];
        for (int k = 0; k < r; k++) {
            System.arraycopy(y.data, k * n, yRows[k], 0, n);
        }
        double[] row = new double[n];
        double total = 0;
        for (int i = 0; i < m.numRows; i++) {
            System.arraycopy(m.data, i * n, row, 0, n);
            int xo = i * r;
            for (int k = 0; k < r; k++) {
                double xik = x.data[xo + k];
                if (xik != 0) {
                    subtractScaled(xik, yRows[k], row, n);
                }
            }
            total += MatOps.dot(row, row, 0, n);
        }
        return total;
    }

    /** {@code row[j] -= a v[j]} for j below n. */
    private static void subtractScaled(double a, double[] v, double[] row, int n) {
        for (int j = 0; j < n; j++) {
            row[j] -= a * v[j];
        }
    }

    /**
     * A start scaled to the data: both factors of {@code start} multiplied by {@code sqrt(c)},
     * where {@code c = <XY, M> / ||XY||_F^2 = <X, M Y^T> / <X^T X, Y Y^T>} is the minimizer of
     * {@code ||c XY - M||_F} over the scalar c. The product then matches M in scale
     * ({@code <cXY, cXY - M> = 0}) and the two factors keep their relative size. A uniform [0, 1)
     * start of an m x r and r x n pair has products near r/4 per entry, far above data in [0, 1];
     * scaling the initial factors this way is common practice for factorization starts (e.g.
     * N. Gillis, "The why and how of nonnegative matrix factorization", 2014). One pass over M.
     *
     * @param start the factors (not modified)
     * @return the scaled factors
     * @throws IllegalArgumentException if the shapes do not fit or {@code <XY, M> <= 0}, so no
     *     positive scale exists
     */
    public BlockIterate scaledToData(BlockIterate start) {
        DMatrixRMaj x = start.x();
        DMatrixRMaj y = start.y();
        checkShapes(x, y);
        DMatrixRMaj p = new DMatrixRMaj(m.numRows, rank);
        Gemm.multTransB(m, y, p);
        double inner = MatOps.dot(x, p);
        double normSq = MatOps.dot(gram(x, true), gram(y, false));
        double c = inner / normSq;
        if (!(c > 0) || !Double.isFinite(c)) {
            throw new IllegalArgumentException("cannot scale the start to the data: <XY, M> = " + inner
                    + ", ||XY||^2 = " + normSq);
        }
        double f = Math.sqrt(c);
        DMatrixRMaj xs = x.copy();
        DMatrixRMaj ys = y.copy();
        for (int i = 0; i < xs.data.length; i++) {
            xs.data[i] *= f;
        }
        for (int i = 0; i < ys.data.length; i++) {
            ys.data[i] *= f;
        }
        return new BlockIterate(xs, ys);
    }

    /**
     * H from precomputed thin products: {@code 1/2 (||M||^2 - 2 <X, P> + <G_X, G_Y>)} with
     * {@code P = M Y^T}, {@code G_Y = Y Y^T}, {@code G_X = X^T X}. The result is clamped at 0.
     *
     * @param x the point x, not modified
     * @param y the point y, not modified
     * @param p the product {@code P = M Y^T}, not modified
     * @param gramY the Gram matrix {@code G_Y = Y Y^T}, not modified
     * @param gramX the Gram matrix {@code G_X = X^T X}, not modified
     * @return {@code H(X, Y)}
     */
    public double valueFromProducts(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj p, DMatrixRMaj gramY,
            DMatrixRMaj gramX) {
        double v = 0.5 * (normSqM - 2 * MatOps.dot(x, p) + MatOps.dot(gramX, gramY));
        return Math.max(v, 0.0);
    }

    @Override
    public void gradientX(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj out) {
        checkShapes(x, y);
        Gemm.multTransB(m, y, out); // M Y^T
        Gemm.gemm(false, false, 1.0, x, gram(y, false), -1.0, out);
    }

    @Override
    public void gradientY(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj out) {
        checkShapes(x, y);
        Gemm.multTransA(x, m, out); // X^T M
        Gemm.gemm(false, false, 1.0, gram(x, true), y, -1.0, out);
    }

    @Override
    public double lipschitzX(DMatrixRMaj y) {
        return MatOps.spectralNormPsd(gram(y, false));
    }

    @Override
    public double lipschitzY(DMatrixRMaj x) {
        return MatOps.spectralNormPsd(gram(x, true));
    }

    /** @return {@code X^T X} when {@code transA}, else {@code Y Y^T} */
    static DMatrixRMaj gram(DMatrixRMaj a, boolean transA) {
        int k = transA ? a.numCols : a.numRows;
        DMatrixRMaj g = new DMatrixRMaj(k, k);
        if (transA) {
            Gemm.multTransA(a, a, g);
        } else {
            Gemm.multTransB(a, a, g);
        }
        return g;
    }
}
