package org.bilevel4j.problem;

import java.util.Objects;
import java.util.Optional;
import org.bilevel4j.function.ProxFunction;
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
 * Instances are immutable; the functions must be safe to call from the solver's thread.
 */
public final class SimpleBilevelProblem {

    private final SmoothFunction upper;
    private final SmoothFunction lower;
    private final ProxFunction constraint;

    private SimpleBilevelProblem(SmoothFunction upper, SmoothFunction lower, ProxFunction constraint) {
        this.upper = Objects.requireNonNull(upper, "upper-level function f");
        this.lower = Objects.requireNonNull(lower, "lower-level function g");
        if (constraint != null && !constraint.isSetIndicator()) {
            throw new IllegalArgumentException("the simple set must be given as the indicator of a set (a ProxFunction"
                    + " with isSetIndicator() true, whose prox is the projection), got " + constraint);
        }
        this.constraint = constraint;
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
        return new SimpleBilevelProblem(upper, lower, Objects.requireNonNull(indicator, "indicator"));
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
     * Checks a start point: non-empty, finite, and inside the simple set.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public void checkStart(DMatrixRMaj start) {
        Objects.requireNonNull(start, "start");
        if (start.getNumElements() == 0) {
            throw new IllegalArgumentException("start point is empty (" + start.numRows + "x" + start.numCols + ")");
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
