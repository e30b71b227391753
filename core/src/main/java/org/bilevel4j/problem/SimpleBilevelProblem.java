package org.bilevel4j.problem;

import java.util.Objects;
import java.util.Optional;
import org.bilevel4j.function.LeastSquares;
import org.bilevel4j.function.ProxFunction;
import org.bilevel4j.function.Quadratic;
import org.bilevel4j.function.SmoothFunction;
import org.bilevel4j.linalg.MatOps;
import org.ejml.data.DMatrixRMaj;

/**
 * A simple bilevel problem: one variable {@code x} (a vector as an n x 1 matrix, or any matrix)
 * and two smooth, possibly nonconvex functions of it,
 * <pre>
 *   minimize   f(x)                                   (upper level)
 *   subject to x in argmin_{z in C} g(z)               (lower level)
 * </pre>
 * with an optional simple closed set {@code C}, given as the indicator {@link ProxFunction} whose
 * prox is the projection onto {@code C}. Without a set, {@code C} is the whole space.
 *
 * <p>The solvers of {@code org.bilevel4j.solver.simple} (DBGD, the penalty method, BLOOP) take it.
 * Build one with {@link #of} or {@link #builder()}. The problem may know the shape of x (given to
 * the builder, or taken from a {@link LeastSquares} or {@link Quadratic} among its functions):
 * {@link #checkStart} then refuses a start of another shape, naming the expected one.
 *
 * <p>Thread-safety: instances are immutable; they are as safe to share between threads as their
 * functions are (the functions of {@code org.bilevel4j.function} are).
 */
public final class SimpleBilevelProblem {

    private final SmoothFunction upper;
    private final SmoothFunction lower;
    private final ProxFunction constraint;
    /** The expected shape of x, or -1 when unknown. */
    private final int rows;
    private final int cols;

    private SimpleBilevelProblem(SmoothFunction upper, SmoothFunction lower, ProxFunction constraint) {
        this(upper, lower, constraint, -1, -1);
    }

    private SimpleBilevelProblem(SmoothFunction upper, SmoothFunction lower, ProxFunction constraint, int rows,
            int cols) {
        this.upper = Objects.requireNonNull(upper, "upper-level function f");
        this.lower = Objects.requireNonNull(lower, "lower-level function g");
        if (constraint != null && !constraint.isSetIndicator()) {
            throw new IllegalArgumentException("the simple set must be given as the indicator of a set (a ProxFunction"
                    + " with isSetIndicator() true, whose prox is the projection), got " + constraint);
        }
        this.constraint = constraint;
        int[] shape = {rows, cols};
        shape = merge(shape, knownShape(upper), "f");
        shape = merge(shape, knownShape(lower), "g");
        this.rows = shape[0];
        this.cols = shape[1];
    }

    private static int[] knownShape(SmoothFunction f) {
        if (f instanceof LeastSquares ls) {
            return new int[] {ls.dimension(), 1};
        }
        if (f instanceof Quadratic q) {
            return new int[] {q.dimension(), 1};
        }
        return new int[] {-1, -1};
    }

    private static int[] merge(int[] shape, int[] other, String name) {
        if (other[0] < 0) {
            return shape;
        }
        if (shape[0] >= 0 && (shape[0] != other[0] || shape[1] != other[1])) {
            throw new IllegalArgumentException(name + " takes " + other[0] + "x" + other[1]
                    + " points, but the problem's x is " + shape[0] + "x" + shape[1]);
        }
        return other;
    }

    /**
     * @param upper the upper-level objective {@code f}
     * @param lower the lower-level objective {@code g}
     * @return the unconstrained problem {@code min f over argmin g}
     */
    public static SimpleBilevelProblem of(SmoothFunction upper, SmoothFunction lower) {
        return new SimpleBilevelProblem(upper, lower, null);
    }

    /**
     * @param indicator the indicator of the simple set {@code C}; its prox (any step) is the projection
     * @return this problem restricted to {@code C}
     * @throws IllegalArgumentException unless {@code indicator.isSetIndicator()}
     */
    public SimpleBilevelProblem withConstraint(ProxFunction indicator) {
        return new SimpleBilevelProblem(upper, lower, Objects.requireNonNull(indicator, "indicator"), rows, cols);
    }

    /**
     * @param rows the rows of x, positive
     * @param cols the columns of x, positive (1 for a vector)
     * @return this problem with a known shape of x, which {@link #checkStart} enforces
     * @throws IllegalArgumentException if the shape is not positive or conflicts with a function's
     */
    public SimpleBilevelProblem withShape(int rows, int cols) {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("the shape of x must be positive, got " + rows + "x" + cols);
        }
        return new SimpleBilevelProblem(upper, lower, constraint, rows, cols);
    }

    /** @return the expected shape {rows, cols} of x, when known */
    public Optional<int[]> shape() {
        return rows < 0 ? Optional.empty() : Optional.of(new int[] {rows, cols});
    }

    /** @return a builder: {@code SimpleBilevelProblem.builder().upper(f).lower(g).build()} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Assembles a {@link SimpleBilevelProblem} from its pieces: the two smooth functions (required),
     * the indicator of the simple set and the shape of x (optional).
     */
    public static final class Builder {

        private SmoothFunction upper;
        private SmoothFunction lower;
        private ProxFunction constraint;
        private int rows = -1;
        private int cols = -1;

        private Builder() {
        }

        /**
         * @param f the upper-level objective
         * @return this builder
         */
        public Builder upper(SmoothFunction f) {
            this.upper = Objects.requireNonNull(f, "upper-level function f");
            return this;
        }

        /**
         * @param g the lower-level objective
         * @return this builder
         */
        public Builder lower(SmoothFunction g) {
            this.lower = Objects.requireNonNull(g, "lower-level function g");
            return this;
        }

        /**
         * @param indicator the indicator of the simple set C ({@code isSetIndicator()})
         * @return this builder
         */
        public Builder constraint(ProxFunction indicator) {
            this.constraint = Objects.requireNonNull(indicator, "indicator");
            return this;
        }

        /**
         * @param rows the rows of x
         * @param cols the columns of x (1 for a vector)
         * @return this builder
         */
        public Builder shape(int rows, int cols) {
            if (rows < 1 || cols < 1) {
                throw new IllegalArgumentException("the shape of x must be positive, got " + rows + "x" + cols);
            }
            this.rows = rows;
            this.cols = cols;
            return this;
        }

        /**
         * @return the problem
         * @throws IllegalStateException if f or g is missing
         * @throws IllegalArgumentException if the set is not an indicator or the shapes conflict
         */
        public SimpleBilevelProblem build() {
            if (upper == null || lower == null) {
                throw new IllegalStateException("both levels are needed: call upper(f) and lower(g)");
            }
            return new SimpleBilevelProblem(upper, lower, constraint, rows, cols);
        }
    }

    /** @return the upper-level objective {@code f} */
    public SmoothFunction upper() {
        return upper;
    }

    /** @return the lower-level objective {@code g} */
    public SmoothFunction lower() {
        return lower;
    }

    /** @return the indicator of the simple set, if there is one */
    public Optional<ProxFunction> constraint() {
        return Optional.ofNullable(constraint);
    }

    /** @return whether the problem has a simple set */
    public boolean isConstrained() {
        return constraint != null;
    }

    /**
     * {@code out = P_C(x)}, the projection onto the simple set ({@code out = x} without one).
     *
     * @param x not modified unless {@code out == x}
     * @param out modified; may alias {@code x}; same shape as {@code x}
     */
    public void project(DMatrixRMaj x, DMatrixRMaj out) {
        if (constraint != null) {
            constraint.prox(x, 1.0, out);
        } else if (out != x) {
            MatOps.checkSameShape(x, out);
            System.arraycopy(x.data, 0, out.data, 0, x.getNumElements());
        }
    }

    /**
     * Checks a start point: non-empty, of the problem's shape when it is known, finite, and inside the
     * simple set.
     *
     * @param start the start point, not modified
     * @throws IllegalArgumentException naming what is wrong (the expected shape, the set)
     */
    public void checkStart(DMatrixRMaj start) {
        Objects.requireNonNull(start, "start");
        if (start.getNumElements() == 0) {
            throw new IllegalArgumentException("start point is empty (" + start.numRows + "x" + start.numCols + ")");
        }
        if (rows >= 0 && (start.numRows != rows || start.numCols != cols)) {
            throw new IllegalArgumentException("start point is " + start.numRows + "x" + start.numCols
                    + ", the problem expects " + rows + "x" + cols);
        }
        if (!MatOps.isFinite(start)) {
            throw new IllegalArgumentException("start point has non-finite entries");
        }
        if (constraint != null && !Double.isFinite(constraint.value(start))) {
            throw new IllegalArgumentException("start point lies outside the simple set " + constraint
                    + "; project it first with project(start, start)");
        }
    }

    @Override
    public String toString() {
        return "SimpleBilevelProblem[f=" + upper + ", g=" + lower + (constraint != null ? ", C=" + constraint : "")
                + "]";
    }
}
