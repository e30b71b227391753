package org.bilevel4j.function;

import java.util.Objects;
import java.util.OptionalDouble;
import org.bilevel4j.linalg.MatOps;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * The quadratic function
 * <pre>
 *   f(x) = 1/2 x^T Q x + c^T x,   grad f(x) = Q x + c,   L = ||Q||_2 = max_i |lambda_i(Q)|,
 * </pre>
 * of a vector {@code x} (n x 1) with {@code Q} symmetric n x n and {@code c} n x 1. The eigenvalues
 * of Q are computed once in the constructor: L is the largest modulus, and the function reports
 * itself convex when the smallest eigenvalue is {@code >= -1e-12 L} (Q positive semidefinite up to
 * rounding) and strongly convex when it is {@code > 1e-12 L}.
 *
 * <p>Immutable and thread-safe: Q and c are copied, and every call allocates its own n x 1 product.
 */
public final class Quadratic implements SmoothFunction {

    private final DMatrixRMaj q;
    private final DMatrixRMaj c;
    private final double lipschitz;
    private final double minEigenvalue;

    /**
     * @param q the matrix Q, n x n, symmetric to 1e-12 relative ({@code |Q_ij - Q_ji| <= 1e-12 max|Q|}),
     *     finite; copied and symmetrized
     * @param c the vector c, n x 1 (or 1 x n), finite; copied
     * @throws IllegalArgumentException if Q is not square or not symmetric, c has the wrong length, or
     *     an entry is not finite
     */
    public Quadratic(DMatrixRMaj q, DMatrixRMaj c) {
        Objects.requireNonNull(q, "Q");
        Objects.requireNonNull(c, "c");
        int n = q.numRows;
        if (q.numCols != n) {
            throw new IllegalArgumentException("Q must be square, got " + q.numRows + "x" + q.numCols);
        }
        if (c.getNumElements() != n || (c.numRows != 1 && c.numCols != 1)) {
            throw new IllegalArgumentException("c must be a vector of length " + n + " (Q is " + n + "x" + n
                    + "), got " + c.numRows + "x" + c.numCols);
        }
        if (!MatOps.isFinite(q) || !MatOps.isFinite(c)) {
            throw new IllegalArgumentException("Q and c must be finite");
        }
        double scale = CommonOps_DDRM.elementMaxAbs(q);
        DMatrixRMaj sym = new DMatrixRMaj(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double qij = q.get(i, j);
                double qji = q.get(j, i);
                if (Math.abs(qij - qji) > 1e-12 * scale) {
                    throw new IllegalArgumentException("Q must be symmetric: Q(" + i + "," + j + ") = " + qij
                            + " but Q(" + j + "," + i + ") = " + qji);
                }
                sym.set(i, j, 0.5 * (qij + qji));
            }
        }
        this.q = sym;
        this.c = new DMatrixRMaj(n, 1, true, c.data.clone());
        double max = 0;
        double min = Double.POSITIVE_INFINITY;
        if (n > 0) {
            EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, false, true);
            if (!eig.decompose(sym.copy())) {
                throw new IllegalArgumentException("the eigenvalue decomposition of Q failed");
            }
            for (int i = 0; i < n; i++) {
                double l = eig.getEigenvalue(i).real;
                max = Math.max(max, Math.abs(l));
                min = Math.min(min, l);
            }
        }
        this.lipschitz = max;
        this.minEigenvalue = n > 0 ? min : 0;
    }

    /**
     * @param q the rows of Q, symmetric
     * @param c the n entries of c
     * @return {@code 1/2 x^T Q x + c^T x}
     */
    public static Quadratic of(double[][] q, double[] c) {
        return new Quadratic(new DMatrixRMaj(q), new DMatrixRMaj(c.length, 1, true, c));
    }

    /** @return n, the number of entries of x */
    public int dimension() {
        return q.numRows;
    }

    /** @return the smallest eigenvalue of Q */
    public double minEigenvalue() {
        return minEigenvalue;
    }

    private DMatrixRMaj gradientOf(DMatrixRMaj x) {
        int n = q.numRows;
        if (x.getNumElements() != n || (x.numCols != 1 && x.numRows != 1)) {
            throw new IllegalArgumentException("x is " + x.numRows + "x" + x.numCols + ", Quadratic expects " + n
                    + "x1");
        }
        DMatrixRMaj xv = x.numCols == 1 ? x : new DMatrixRMaj(n, 1, true, x.data);
        DMatrixRMaj g = new DMatrixRMaj(n, 1);
        CommonOps_DDRM.mult(q, xv, g);
        CommonOps_DDRM.addEquals(g, c);
        return g;
    }

    /**
     * Evaluates {@code x^T (Q x / 2 + c)} from the gradient {@code Q x + c}:
     * {@code f = 1/2 <x, Qx + c> + 1/2 <x, c>}.
     */
    private double valueFrom(DMatrixRMaj x, DMatrixRMaj g) {
        double xg = 0;
        double xc = 0;
        for (int i = 0; i < g.data.length; i++) {
            xg += x.data[i] * g.data[i];
            xc += x.data[i] * c.data[i];
        }
        return 0.5 * (xg + xc);
    }

    @Override
    public double value(DMatrixRMaj x) {
        return valueFrom(x, gradientOf(x));
    }

    @Override
    public double valueAndGradient(DMatrixRMaj x, DMatrixRMaj gradient) {
        DMatrixRMaj g = gradientOf(x);
        MatOps.checkSameShape(x, gradient);
        System.arraycopy(g.data, 0, gradient.data, 0, g.data.length);
        return valueFrom(x, g);
    }

    /** @return {@code ||Q||_2}, the largest eigenvalue modulus */
    @Override
    public OptionalDouble lipschitzConstant() {
        return OptionalDouble.of(lipschitz);
    }

    @Override
    public boolean isConvex() {
        return minEigenvalue >= -1e-12 * lipschitz;
    }

    @Override
    public boolean isStronglyConvex() {
        return minEigenvalue > 1e-12 * lipschitz;
    }

    @Override
    public String toString() {
        return "Quadratic[n=" + q.numRows + ", L=" + lipschitz + ", lambda_min=" + minEigenvalue + "]";
    }
}
