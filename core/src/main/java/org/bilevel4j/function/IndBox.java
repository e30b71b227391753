package org.bilevel4j.function;

import java.util.OptionalDouble;
import org.ejml.data.DMatrixRMaj;

/**
 * Indicator of the box {@code [lo, hi]}: {@code f(X) = 0} if {@code lo_ij <= X_ij <= hi_ij} for every
 * entry, else {@code +infinity}. The bounds are either two scalars, shared by all entries and valid
 * for any shape, or two matrices of one fixed shape; infinite bounds ({@code -infinity} below,
 * {@code +infinity} above) leave that side open.
 *
 * <p>Prox: for every {@code t} the Euclidean projection, entrywise
 * {@code prox_{t f}(X)_ij = min(max(X_ij, lo_ij), hi_ij)}.
 *
 * <p>Reference: N. Parikh and S. Boyd, <i>Proximal Algorithms</i>, Found. Trends Optim. 1(3),
 * 2014, section 6.2.2 (box constraints).
 */
public final class IndBox extends AbstractProxFunction {

    private final double lo;
    private final double hi;
    /** Entrywise bounds, or null for the scalar form. Never exposed: the class stays immutable. */
    private final DMatrixRMaj loMatrix;
    private final DMatrixRMaj hiMatrix;

    /**
     * Box with the same bounds for every entry, for matrices of any shape.
     *
     * @param lo the lower bound, not NaN, below {@code +infinity} ({@code -infinity} allowed)
     * @param hi the upper bound, not NaN, above {@code -infinity} ({@code +infinity} allowed),
     *     {@code hi >= lo}
     */
    public IndBox(double lo, double hi) {
        checkBounds(lo, hi, "");
        this.lo = lo;
        this.hi = hi;
        this.loMatrix = null;
        this.hiMatrix = null;
    }

    /**
     * Box with entrywise bounds; the function is then defined on matrices of the bounds' shape only.
     * The bounds are copied.
     *
     * @param lo the lower bounds, as for {@link #IndBox(double, double)}, entrywise
     * @param hi the upper bounds, of {@code lo}'s shape, {@code hi_ij >= lo_ij}
     */
    public IndBox(DMatrixRMaj lo, DMatrixRMaj hi) {
        if (lo.numRows != hi.numRows || lo.numCols != hi.numCols) {
            throw new IllegalArgumentException("lo is " + lo.numRows + "x" + lo.numCols + " but hi is "
                    + hi.numRows + "x" + hi.numCols);
        }
        for (int i = 0; i < lo.numRows; i++) {
            for (int j = 0; j < lo.numCols; j++) {
                checkBounds(lo.get(i, j), hi.get(i, j), " at (" + i + ", " + j + ")");
            }
        }
        this.lo = Double.NaN;
        this.hi = Double.NaN;
        this.loMatrix = lo.copy();
        this.hiMatrix = hi.copy();
    }

    private static void checkBounds(double lo, double hi, String where) {
        if (Double.isNaN(lo) || Double.isNaN(hi)) {
            throw new IllegalArgumentException("box bounds must not be NaN" + where + ", got lo = " + lo
                    + ", hi = " + hi);
        }
        if (lo == Double.POSITIVE_INFINITY || hi == Double.NEGATIVE_INFINITY) {
            throw new IllegalArgumentException("box is empty" + where + ": lo = " + lo + ", hi = " + hi);
        }
        if (lo > hi) {
            throw new IllegalArgumentException("box needs lo <= hi" + where + ", got lo = " + lo
                    + " > hi = " + hi);
        }
    }

    /** @return whether the bounds are entrywise matrices (the function then has one shape) */
    public boolean hasMatrixBounds() {
        return loMatrix != null;
    }

    /**
     * @param i the row index
     * @param j the column index
     * @return the lower bound of entry (i, j)
     */
    public double lower(int i, int j) {
        return loMatrix == null ? lo : loMatrix.get(i, j);
    }

    /**
     * @param i the row index
     * @param j the column index
     * @return the upper bound of entry (i, j)
     */
    public double upper(int i, int j) {
        return hiMatrix == null ? hi : hiMatrix.get(i, j);
    }

    @Override
    protected void checkShape(DMatrixRMaj x) {
        if (loMatrix != null && (x.numRows != loMatrix.numRows || x.numCols != loMatrix.numCols)) {
            throw new IllegalArgumentException("IndBox with matrix bounds expects " + loMatrix.numRows + "x"
                    + loMatrix.numCols + " input, got " + x.numRows + "x" + x.numCols);
        }
    }

    @Override
    public double value(DMatrixRMaj x) {
        checkShape(x);
        double[] in = x.data;
        int n = x.getNumElements();
        if (loMatrix == null) {
            for (int i = 0; i < n; i++) {
                if (!(in[i] >= lo && in[i] <= hi)) {
                    return Double.POSITIVE_INFINITY;
                }
            }
        } else {
            double[] l = loMatrix.data;
            double[] h = hiMatrix.data;
            for (int i = 0; i < n; i++) {
                if (!(in[i] >= l[i] && in[i] <= h[i])) {
                    return Double.POSITIVE_INFINITY;
                }
            }
        }
        return 0.0;
    }

    @Override
    protected double proxUnchecked(DMatrixRMaj x, double t, DMatrixRMaj out) {
        double[] in = x.data;
        double[] o = out.data;
        int n = x.getNumElements();
        if (loMatrix == null) {
            for (int i = 0; i < n; i++) {
                o[i] = Math.min(Math.max(in[i], lo), hi);
            }
        } else {
            double[] l = loMatrix.data;
            double[] h = hiMatrix.data;
            for (int i = 0; i < n; i++) {
                o[i] = Math.min(Math.max(in[i], l[i]), h[i]);
            }
        }
        return 0.0;
    }

    /** @return 0 when every bound is infinite (the box is the whole space); otherwise empty */
    @Override
    public OptionalDouble lipschitzConstant(int rows, int cols) {
        if (loMatrix == null) {
            return lo == Double.NEGATIVE_INFINITY && hi == Double.POSITIVE_INFINITY
                    ? OptionalDouble.of(0.0) : OptionalDouble.empty();
        }
        for (int i = 0; i < loMatrix.getNumElements(); i++) {
            if (loMatrix.data[i] != Double.NEGATIVE_INFINITY || hiMatrix.data[i] != Double.POSITIVE_INFINITY) {
                return OptionalDouble.empty();
            }
        }
        return OptionalDouble.of(0.0);
    }

    @Override
    public boolean isConvex() {
        return true;
    }

    @Override
    public boolean isSetIndicator() {
        return true;
    }

    @Override
    public boolean isSeparable() {
        return true;
    }

    @Override
    public String toString() {
        return loMatrix == null ? "IndBox(" + lo + ", " + hi + ")"
                : "IndBox(" + loMatrix.numRows + "x" + loMatrix.numCols + " bounds)";
    }
}
