package org.bilevel4j.function;

import java.util.Objects;
import java.util.OptionalDouble;
import org.bilevel4j.linalg.MatOps;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The least-squares function
 * <pre>
 *   f(x) = 1/2 ||A x - b||^2,   grad f(x) = A^T (A x - b),   L = ||A||_2^2 = lambda_max(A^T A),
 * </pre>
 * of a vector {@code x} (n x 1) with {@code A} m x n and {@code b} m x 1. Convex; the Lipschitz
 * constant of the gradient is the squared spectral norm of A, computed once in the constructor (an
 * eigenvalue decomposition of the smaller Gram matrix, {@code min(m, n)^3} work).
 *
 * <p>Immutable and thread-safe: A and b are copied, and every call allocates its own m x 1 residual.
 */
public final class LeastSquares implements SmoothFunction {

    private final DMatrixRMaj a;
    private final DMatrixRMaj b;
    private final double lipschitz;

    /**
     * @param a the matrix A, m x n, finite; copied
     * @param b the vector b, m x 1 (or 1 x m), finite; copied
     * @throws IllegalArgumentException if b does not have m entries or an entry is not finite
     */
    public LeastSquares(DMatrixRMaj a, DMatrixRMaj b) {
        Objects.requireNonNull(a, "A");
        Objects.requireNonNull(b, "b");
        if (b.getNumElements() != a.numRows || (b.numRows != 1 && b.numCols != 1)) {
            throw new IllegalArgumentException("b must be a vector with one entry per row of A (" + a.numRows
                    + "), got " + b.numRows + "x" + b.numCols);
        }
        if (!MatOps.isFinite(a) || !MatOps.isFinite(b)) {
            throw new IllegalArgumentException("A and b must be finite");
        }
        this.a = a.copy();
        this.b = new DMatrixRMaj(a.numRows, 1, true, b.data.clone());
        double s = MatOps.spectralNorm(this.a);
        this.lipschitz = s * s;
    }

    /**
     * @param a the rows of A, each of length n
     * @param b the m entries of b
     * @return {@code 1/2 ||A x - b||^2}
     */
    public static LeastSquares of(double[][] a, double[] b) {
        return new LeastSquares(new DMatrixRMaj(a), new DMatrixRMaj(b.length, 1, true, b));
    }

    /** @return n, the number of entries of x (the columns of A) */
    public int dimension() {
        return a.numCols;
    }

    /** @return a copy of A */
    public DMatrixRMaj matrix() {
        return a.copy();
    }

    /** @return a copy of b (m x 1) */
    public DMatrixRMaj rhs() {
        return b.copy();
    }

    private void checkPoint(DMatrixRMaj x) {
        if (x.getNumElements() != a.numCols || (x.numCols != 1 && x.numRows != 1)) {
            throw new IllegalArgumentException("x is " + x.numRows + "x" + x.numCols + ", LeastSquares expects "
                    + a.numCols + "x1 (A is " + a.numRows + "x" + a.numCols + ")");
        }
    }

    private DMatrixRMaj residual(DMatrixRMaj x) {
        checkPoint(x);
        DMatrixRMaj xv = x.numCols == 1 ? x : new DMatrixRMaj(a.numCols, 1, true, x.data);
        DMatrixRMaj r = new DMatrixRMaj(a.numRows, 1);
        CommonOps_DDRM.mult(a, xv, r);
        CommonOps_DDRM.subtractEquals(r, b);
        return r;
    }

    @Override
    public double value(DMatrixRMaj x) {
        return 0.5 * MatOps.normSq(residual(x));
    }

    @Override
    public double valueAndGradient(DMatrixRMaj x, DMatrixRMaj gradient) {
        DMatrixRMaj r = residual(x);
        MatOps.checkSameShape(x, gradient);
        DMatrixRMaj g = new DMatrixRMaj(a.numCols, 1);
        CommonOps_DDRM.multTransA(a, r, g);
        System.arraycopy(g.data, 0, gradient.data, 0, a.numCols);
        return 0.5 * MatOps.normSq(r);
    }

    /** @return {@code ||A||_2^2} */
    @Override
    public OptionalDouble lipschitzConstant() {
        return OptionalDouble.of(lipschitz);
    }

    @Override
    public boolean isConvex() {
        return true;
    }

    @Override
    public String toString() {
        return "LeastSquares[A " + a.numRows + "x" + a.numCols + ", L=" + lipschitz + "]";
    }
}
