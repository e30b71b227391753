package org.bilevel4j.problem;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;

/**
 * A compact box {@code [l_1, u_1] x ... x [l_n, u_n]} with finite bounds {@code l_i <= u_i}: the
 * domain of one block of a {@link MinimaxBilevelProblem} or a {@link SaddleProblem}. Zero dimensions
 * are allowed (a block a problem does not have). Immutable.
 *
 * <p>Boxes are the domains the minimax solvers accept because the normal cone of a box is a product
 * of one-dimensional cones: a projected step with a different step size in each coordinate then has
 * the same fixed points as with one global step, which per-coordinate step sizes rely on.
 */
public final class Box {

    private static final Box EMPTY_DIMENSION = new Box(new double[0], new double[0]);

    private final double[] lower;
    private final double[] upper;

    private Box(double[] lower, double[] upper) {
        this.lower = lower;
        this.upper = upper;
    }

    /**
     * @param lower the lower bounds (copied)
     * @param upper the upper bounds (copied)
     * @throws IllegalArgumentException if the lengths differ, a bound is not finite, or a lower bound
     *     exceeds its upper bound (an empty or inverted box)
     * @return the box
     */
    public static Box of(double[] lower, double[] upper) {
        if (lower.length != upper.length) {
            throw new IllegalArgumentException("box has " + lower.length + " lower and " + upper.length
                    + " upper bounds");
        }
        for (int i = 0; i < lower.length; i++) {
            if (!Double.isFinite(lower[i]) || !Double.isFinite(upper[i])) {
                throw new IllegalArgumentException("box bounds must be finite (the domain must be compact), got ["
                        + lower[i] + ", " + upper[i] + "] in coordinate " + i);
            }
            if (lower[i] > upper[i]) {
                throw new IllegalArgumentException("box is empty: lower bound " + lower[i] + " > upper bound "
                        + upper[i] + " in coordinate " + i);
            }
        }
        return new Box(lower.clone(), upper.clone());
    }

    /**
     * @param n the dimension, nonnegative
     * @param lo the lower bound of every coordinate
     * @param hi the upper bound of every coordinate
     * @return the box {@code [lo, hi]^n}
     */
    public static Box cube(int n, double lo, double hi) {
        if (n < 0) {
            throw new IllegalArgumentException("box dimension must be nonnegative, got " + n);
        }
        double[] l = new double[n];
        double[] u = new double[n];
        Arrays.fill(l, lo);
        Arrays.fill(u, hi);
        return of(l, u);
    }

    /** @return the box with no coordinates, for a block that a problem does not have */
    public static Box none() {
        return EMPTY_DIMENSION;
    }

    /**
     * @param parts the boxes to concatenate
     * @return the box whose coordinates are those of {@code parts} in order
     */
    public static Box concat(Box... parts) {
        int n = 0;
        for (Box b : parts) {
            n += b.dimension();
        }
        double[] l = new double[n];
        double[] u = new double[n];
        int o = 0;
        for (Box b : parts) {
            System.arraycopy(b.lower, 0, l, o, b.dimension());
            System.arraycopy(b.upper, 0, u, o, b.dimension());
            o += b.dimension();
        }
        return new Box(l, u);
    }

    /** @return the number of coordinates */
    public int dimension() {
        return lower.length;
    }

    /**
     * @param i the coordinate, from 0
     * @return the lower bound of coordinate i
     */
    public double lower(int i) {
        return lower[i];
    }

    /**
     * @param i the coordinate, from 0
     * @return the upper bound of coordinate i
     */
    public double upper(int i) {
        return upper[i];
    }

    /** @return a copy of the lower bounds */
    public double[] lowerBounds() {
        return lower.clone();
    }

    /** @return a copy of the upper bounds */
    public double[] upperBounds() {
        return upper.clone();
    }

    /** @return the Euclidean diameter {@code ||u - l||_2} */
    public double diameter() {
        double s = 0;
        for (int i = 0; i < lower.length; i++) {
            double d = upper[i] - lower[i];
            s += d * d;
        }
        return Math.sqrt(s);
    }

    /** @return the center {@code (l + u) / 2} as an n x 1 vector */
    public DMatrixRMaj center() {
        DMatrixRMaj c = new DMatrixRMaj(lower.length, 1);
        for (int i = 0; i < lower.length; i++) {
            c.data[i] = 0.5 * (lower[i] + upper[i]);
        }
        return c;
    }

    /**
     * @param x the point x, not modified
     * @return whether x (n x 1 or 1 x n) lies in the box
     */
    public boolean contains(DMatrixRMaj x) {
        checkLength(x);
        for (int i = 0; i < lower.length; i++) {
            double v = x.data[i];
            if (!(v >= lower[i] && v <= upper[i])) {
                return false;
            }
        }
        return true;
    }

    /**
     * Euclidean projection {@code out = clip(x, l, u)}. Modified: out (may alias x).
     *
     * @param x the point x, not modified
     * @param out modified: receives the result
     */
    public void project(DMatrixRMaj x, DMatrixRMaj out) {
        checkLength(x);
        checkLength(out);
        project(x.data, 0, out.data, 0);
    }

    /**
     * Projects {@code x[xOff .. xOff + n)} into {@code out[outOff .. outOff + n)}. Modified: out
     * (may alias x).
     *
     * @param x the point x, not modified
     * @param xOff the offset of the first entry in x
     * @param out modified: receives the result
     * @param outOff the offset of the first entry in out
     */
    public void project(double[] x, int xOff, double[] out, int outOff) {
        for (int i = 0; i < lower.length; i++) {
            double v = x[xOff + i];
            out[outOff + i] = v < lower[i] ? lower[i] : (v > upper[i] ? upper[i] : v);
        }
    }

    /**
     * @param x the point x, not modified
     * @return a projected copy of x as an n x 1 vector
     */
    public DMatrixRMaj projected(DMatrixRMaj x) {
        DMatrixRMaj out = new DMatrixRMaj(lower.length, 1);
        project(x, out);
        return out;
    }

    private void checkLength(DMatrixRMaj x) {
        if (x.getNumElements() != lower.length) {
            throw new IllegalArgumentException("vector has " + x.getNumElements() + " entries, box has "
                    + lower.length + " coordinates");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Box b && Arrays.equals(lower, b.lower) && Arrays.equals(upper, b.upper);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(lower) + Arrays.hashCode(upper);
    }

    @Override
    public String toString() {
        if (lower.length == 0) {
            return "Box[]";
        }
        StringBuilder sb = new StringBuilder("Box[");
        for (int i = 0; i < lower.length; i++) {
            if (i > 0) {
                sb.append(" x ");
            }
            if (i == 3 && lower.length > 4) {
                sb.append("... (").append(lower.length).append(" coordinates)");
                break;
            }
            sb.append('[').append(lower[i]).append(", ").append(upper[i]).append(']');
        }
        return sb.append(']').toString();
    }
}
