package org.bilevel4j.function;

import org.ejml.data.DMatrixRMaj;

/**
 * A separable convex quadratic restricted to a box, on matrices of one fixed shape:
 * <pre>
 *   f(X) = sum_ij ( a_ij / 2 X_ij^2 + b_ij X_ij ) + c + ind{ lo_ij &lt;= X_ij &lt;= hi_ij },   a_ij &gt;= 0.
 * </pre>
 * With {@code a = 0} it is a linear cost on a box (offer cost plus capacity limits); with
 * {@code a = mu, b = -mu P} it is {@code mu/2 ||X - P||^2 + const} on a box.
 *
 * <p>Prox: the problem separates per entry and its unconstrained minimizer is affine in x, so
 * <pre>
 *   prox_{t f}(X)_ij = min(max((X_ij - t b_ij) / (1 + t a_ij), lo_ij), hi_ij).
 * </pre>
 * The smooth part {@code q(X) = sum a/2 X^2 + b X + c} (the function without its box) is exposed for
 * methods that take gradient steps on it ({@link #smoothValue}, {@link #smoothGradient}).
 *
 * <p>Reference: N. Parikh and S. Boyd, <i>Proximal Algorithms</i>, Found. Trends Optim. 1(3),
 * 2014, sections 6.1.1 (quadratic functions) and 6.2.2 (boxes); the clip of the affine map is exact
 * because the function is separable and each entry's objective is a convex parabola on an interval.
 */
public final class BoxedQuadratic extends AbstractProxFunction {

    /**
     * Relative slack of the box in {@link #value}: {@code alpha u + (1 - alpha) v} of two points of
     * the box can exceed a bound by a few ulps, which must not read as +infinity. The prox always
     * lands exactly in the box.
     */
    public static final double BOX_SLACK = 1e-12;

    private final DMatrixRMaj a;
    private final DMatrixRMaj b;
    private final double c;
    private final DMatrixRMaj lo;
    private final DMatrixRMaj hi;

    /**
     * @param a the curvatures, finite and nonnegative (copied)
     * @param b the linear coefficients, finite (copied), {@code a}'s shape
     * @param c the constant, finite
     * @param lo the lower bounds, finite (copied), {@code a}'s shape
     * @param hi the upper bounds, finite, {@code hi >= lo} (copied), {@code a}'s shape
     */
    public BoxedQuadratic(DMatrixRMaj a, DMatrixRMaj b, double c, DMatrixRMaj lo, DMatrixRMaj hi) {
        for (DMatrixRMaj m : new DMatrixRMaj[] {b, lo, hi}) {
            if (m.numRows != a.numRows || m.numCols != a.numCols) {
                throw new IllegalArgumentException("BoxedQuadratic: all coefficients need the shape " + a.numRows
                        + "x" + a.numCols + ", got " + m.numRows + "x" + m.numCols);
            }
        }
        if (!Double.isFinite(c)) {
            throw new IllegalArgumentException("c must be finite, got " + c);
        }
        for (int i = 0; i < a.getNumElements(); i++) {
            if (!(a.data[i] >= 0) || Double.isInfinite(a.data[i])) {
                throw new IllegalArgumentException("a must be finite and nonnegative, got " + a.data[i]
                        + " at entry " + i);
            }
            if (!Double.isFinite(b.data[i])) {
                throw new IllegalArgumentException("b must be finite, got " + b.data[i] + " at entry " + i);
            }
            if (!Double.isFinite(lo.data[i]) || !Double.isFinite(hi.data[i]) || lo.data[i] > hi.data[i]) {
                throw new IllegalArgumentException("box needs finite lo <= hi, got lo = " + lo.data[i] + ", hi = "
                        + hi.data[i] + " at entry " + i);
            }
        }
        this.a = a.copy();
        this.b = b.copy();
        this.c = c;
        this.lo = lo.copy();
        this.hi = hi.copy();
    }

    /**
     * @return {@code w1 f + w2 g}, for two functions with the same box
     * @throws IllegalArgumentException if the weights are negative or the boxes differ
     * @param w1 the weight of f
     * @param f the first function
     * @param w2 the weight of g
     * @param g the second function, on the same box as f
     */
    public static BoxedQuadratic combine(double w1, BoxedQuadratic f, double w2, BoxedQuadratic g) {
        requireNonnegative("w1", w1);
        requireNonnegative("w2", w2);
        if (!f.sameBox(g)) {
            throw new IllegalArgumentException("combine needs two BoxedQuadratic terms with the same box");
        }
        int n = f.a.getNumElements();
        DMatrixRMaj a = new DMatrixRMaj(f.a.numRows, f.a.numCols);
        DMatrixRMaj b = new DMatrixRMaj(f.a.numRows, f.a.numCols);
        for (int i = 0; i < n; i++) {
            a.data[i] = w1 * f.a.data[i] + w2 * g.a.data[i];
            b.data[i] = w1 * f.b.data[i] + w2 * g.b.data[i];
        }
        return new BoxedQuadratic(a, b, w1 * f.c + w2 * g.c, f.lo, f.hi);
    }

    private boolean sameBox(BoxedQuadratic g) {
        if (g.lo.numRows != lo.numRows || g.lo.numCols != lo.numCols) {
            return false;
        }
        for (int i = 0; i < lo.getNumElements(); i++) {
            if (lo.data[i] != g.lo.data[i] || hi.data[i] != g.hi.data[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param i the row index
     * @param j the column index
     * @return {@code a_ij}
     */
    public double curvature(int i, int j) {
        return a.get(i, j);
    }

    /**
     * @param i the row index
     * @param j the column index
     * @return {@code b_ij}
     */
    public double linear(int i, int j) {
        return b.get(i, j);
    }

    /**
     * @param i the row index
     * @param j the column index
     * @return {@code lo_ij}
     */
    public double lower(int i, int j) {
        return lo.get(i, j);
    }

    /**
     * @param i the row index
     * @param j the column index
     * @return {@code hi_ij}
     */
    public double upper(int i, int j) {
        return hi.get(i, j);
    }

    /** @return rows of the shape */
    public int rows() {
        return a.numRows;
    }

    /** @return columns of the shape */
    public int cols() {
        return a.numCols;
    }

    /**
     * @param x the point x, not modified
     * @return {@code q(X)}, the function without its box; X not modified
     */
    public double smoothValue(DMatrixRMaj x) {
        checkShape(x);
        double s = c;
        for (int i = 0; i < x.getNumElements(); i++) {
            double v = x.data[i];
            s += (0.5 * a.data[i] * v + b.data[i]) * v;
        }
        return s;
    }

    /**
     * Writes {@code grad q(X) = a o X + b} into out (modified; may alias x).
     *
     * @param x the point x, not modified
     * @param out modified: receives the result
     */
    public void smoothGradient(DMatrixRMaj x, DMatrixRMaj out) {
        checkShape(x);
        checkShape(out);
        for (int i = 0; i < x.getNumElements(); i++) {
            out.data[i] = a.data[i] * x.data[i] + b.data[i];
        }
    }

    /** @return {@code max a_ij}, the Lipschitz constant of {@code grad q} */
    public double smoothLipschitz() {
        double m = 0;
        for (double v : a.data) {
            m = Math.max(m, v);
        }
        return m;
    }

    /** @return {@code min a_ij}, the strong-convexity modulus of {@code q} */
    public double smoothStrongConvexity() {
        double m = Double.POSITIVE_INFINITY;
        for (int i = 0; i < a.getNumElements(); i++) {
            m = Math.min(m, a.data[i]);
        }
        return m;
    }

    /**
     * @return whether X lies in the box, up to the rounding of a convex combination of two points of
     *     the box: each bound is widened by {@link #BOX_SLACK} times {@code max(1, |bound|)}
     * @param x the point x, not modified
     */
    public boolean inBox(DMatrixRMaj x) {
        checkShape(x);
        for (int i = 0; i < x.getNumElements(); i++) {
            double l = lo.data[i] - BOX_SLACK * Math.max(1.0, Math.abs(lo.data[i]));
            double h = hi.data[i] + BOX_SLACK * Math.max(1.0, Math.abs(hi.data[i]));
            if (!(x.data[i] >= l && x.data[i] <= h)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public double value(DMatrixRMaj x) {
        return inBox(x) ? smoothValue(x) : Double.POSITIVE_INFINITY;
    }

    @Override
    protected double proxUnchecked(DMatrixRMaj x, double t, DMatrixRMaj out) {
        double s = c;
        for (int i = 0; i < x.getNumElements(); i++) {
            double v = (x.data[i] - t * b.data[i]) / (1.0 + t * a.data[i]);
            v = Math.min(Math.max(v, lo.data[i]), hi.data[i]);
            out.data[i] = v;
            s += (0.5 * a.data[i] * v + b.data[i]) * v;
        }
        return s;
    }

    @Override
    protected void checkShape(DMatrixRMaj x) {
        if (x.numRows != a.numRows || x.numCols != a.numCols) {
            throw new IllegalArgumentException("BoxedQuadratic is defined on " + a.numRows + "x" + a.numCols
                    + " matrices, got " + x.numRows + "x" + x.numCols);
        }
    }

    @Override
    public boolean isConvex() {
        return true;
    }

    @Override
    public boolean isSeparable() {
        return true;
    }

    @Override
    public String toString() {
        return "BoxedQuadratic(" + a.numRows + "x" + a.numCols + ")";
    }
}
