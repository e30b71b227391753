package org.bilevel4j.problem;

import java.util.List;
import java.util.Optional;
import org.ejml.data.DMatrixRMaj;

/**
 * The general bilevel problem of MEHA, BOME and implicit differentiation:
 * <pre>
 *   minimize_{x in X, y in Y}  F(x, y)   subject to  y in argmin_{y' in Y} phi(x, y'),
 *   phi(x, y) = f(x, y) + g(x, y),
 * </pre>
 * with F (upper level) and f (smooth part of the lower level) differentiable in both variables, and
 * g (nonsmooth part of the lower level) convex and prox-friendly in y, differentiable in x. X and Y
 * are closed convex sets with cheap projections.
 *
 * <p>Shapes: x is {@code xRows() x xCols()} and y is {@code yRows() x yCols()} (vectors are n x 1;
 * a classifier's weights may be a matrix). Every method takes points of these shapes, leaves its
 * point arguments unmodified, and writes only into the {@code out} argument, which must have the
 * shape of the variable it receives and must not alias an input unless the method says it may.
 *
 * <p>The lower level's nonsmooth part and the sets enter through one map,
 * {@link #lowerProx}: {@code prox_{t g(x, .) + indicator_Y}}. The defaults describe the smooth,
 * unconstrained case ({@code g = 0}, {@code X} and {@code Y} the whole space); a problem with a
 * nonzero g or a set overrides the corresponding methods and says so through
 * {@link #hasNonsmoothLower()}, {@link #constrainedX()} and {@link #constrainedY()}.
 *
 * <p>Build one from ready-made functions with {@link #builder(int, int)} instead of writing the
 * methods by hand; check its gradients with {@link org.bilevel4j.function.GradientCheck}.
 *
 * <p>Thread-safety: implementations need not be thread-safe: a solver calls one method at a time,
 * from one thread. Give each concurrent run its own problem unless the implementation says it is
 * safe to share (the builder's problems are, when their functions are).
 */
public interface BilevelProblem {

    /**
     * A builder that assembles a problem on vectors x (n x 1) and y (m x 1) from
     * {@link org.bilevel4j.function.SmoothFunction}s and {@link org.bilevel4j.function.ProxFunction}s.
     *
     * @param n the number of entries of x
     * @param m the number of entries of y
     * @return a new builder
     */
    static BilevelProblemBuilder builder(int n, int m) {
        return new BilevelProblemBuilder(n, m);
    }

    /** @return the number of rows of x */
    int xRows();

    /** @return the number of columns of x (default 1: x is a vector) */
    default int xCols() {
        return 1;
    }

    /** @return the number of rows of y */
    int yRows();

    /** @return the number of columns of y (default 1: y is a vector) */
    default int yCols() {
        return 1;
    }

    // ----- upper level F

    /**
     * @param x the point x, not modified
     * @param y the point y, not modified
     * @return {@code F(x, y)}
     */
    double upperValue(DMatrixRMaj x, DMatrixRMaj y);

    /**
     * {@code out = grad_x F(x, y)}. Modified: out.
     *
     * @param x the point x, not modified
     * @param y the point y, not modified
     * @param out modified: receives the result
     */
    void upperGradientX(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj out);

    /**
     * {@code out = grad_y F(x, y)}. Modified: out.
     *
     * @param x the point x, not modified
     * @param y the point y, not modified
     * @param out modified: receives the result
     */
    void upperGradientY(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj out);

    // ----- lower level, smooth part f

    /**
     * @param x the point x, not modified
     * @param y the point y, not modified
     * @return {@code f(x, y)}
     */
    double lowerSmoothValue(DMatrixRMaj x, DMatrixRMaj y);

    /**
     * {@code out = grad_x f(x, y)}. Modified: out.
     *
     * @param x the point x, not modified
     * @param y the point y, not modified
     * @param out modified: receives the result
     */
    void lowerSmoothGradientX(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj out);

    /**
     * {@code out = grad_y f(x, y)}. Modified: out.
     *
     * @param x the point x, not modified
     * @param y the point y, not modified
     * @param out modified: receives the result
     */
    void lowerSmoothGradientY(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj out);

    /**
     * {@code outs[i] = grad_y f(xs[i], ys[i])} for every i. Problems whose gradients are matrix
     * products override this to do the products of all points at once (one pass over the data
     * instead of one per point); the default calls {@link #lowerSmoothGradientY} for each point.
     * Modified: the matrices of {@code outs}.
     *
     * @param xs the upper-level points, not modified
     * @param ys the lower-level points, not modified
     * @param outs modified: one gradient buffer per point
     */
    default void lowerSmoothGradientsY(List<DMatrixRMaj> xs, List<DMatrixRMaj> ys, List<DMatrixRMaj> outs) {
        if (xs.size() != ys.size() || ys.size() != outs.size()) {
            throw new IllegalArgumentException("xs, ys and outs must have the same length, got " + xs.size()
                    + ", " + ys.size() + ", " + outs.size());
        }
        for (int i = 0; i < xs.size(); i++) {
            lowerSmoothGradientY(xs.get(i), ys.get(i), outs.get(i));
        }
    }

    /**
     * A hint that the lower level will soon be evaluated (values or gradients) at {@code (x, y)}
     * for every y of {@code ys}. Problems whose evaluations are matrix products override this to do
     * the products of all points at once (one pass over the data for several points) and keep the
     * results for the requests that follow; the default does nothing. Results must not depend on
     * whether the hint was given. Modified: nothing visible.
     *
     * @param x the point x, not modified
     * @param ys the lower-level points that will be evaluated, not modified
     */
    default void prefetchLower(DMatrixRMaj x, List<DMatrixRMaj> ys) {
    }

    // ----- lower level, nonsmooth part g

    /** @return whether g is not identically zero (default false) */
    default boolean hasNonsmoothLower() {
        return false;
    }

    /**
     * @param x the point x, not modified
     * @param y the point y, not modified
     * @return {@code g(x, y)} (default 0)
     */
    default double lowerNonsmoothValue(DMatrixRMaj x, DMatrixRMaj y) {
        return 0.0;
    }

    /**
     * {@code out = grad_x g(x, y)} (default 0). Modified: out.
     *
     * @param x the point x, not modified
     * @param y the point y, not modified
     * @param out modified: receives the result
     */
    default void lowerNonsmoothGradientX(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj out) {
        out.zero();
    }

    /**
     * The proximal map of the lower level's nonsmooth part together with Y:
     * <pre>
     *   out = prox_{t g(x, .) + indicator_Y}(v) = argmin_{u in Y} g(x, u) + ||u - v||^2 / (2 t).
     * </pre>
     * Default ({@code g = 0}): the projection onto Y, {@link #projectY}.
     *
     * @param x the upper-level point, not modified
     * @param v the point to map, not modified unless {@code out == v}
     * @param t the step, positive
     * @param out modified: the result; may alias {@code v}
     * @return {@code g(x, out)}
     */
    default double lowerProx(DMatrixRMaj x, DMatrixRMaj v, double t, DMatrixRMaj out) {
        if (hasNonsmoothLower()) {
            throw new UnsupportedOperationException(getClass().getSimpleName()
                    + " has a nonsmooth lower level but does not override lowerProx");
        }
        projectY(v, out);
        return 0.0;
    }

    // ----- the sets X and Y

    /** @return whether X is a proper subset of the whole space (default false) */
    default boolean constrainedX() {
        return false;
    }

    /** @return whether Y is a proper subset of the whole space (default false) */
    default boolean constrainedY() {
        return false;
    }

    /**
     * {@code out = proj_X(v)} (default: a copy). Modified: out, which may alias v.
     *
     * @param v the point to project, not modified unless {@code out == v}
     * @param out modified: receives the result
     */
    default void projectX(DMatrixRMaj v, DMatrixRMaj out) {
        if (out != v) {
            out.setTo(v);
        }
    }

    /**
     * {@code out = proj_Y(v)} (default: a copy). Modified: out, which may alias v.
     *
     * @param v the point to project, not modified unless {@code out == v}
     * @param out modified: receives the result
     */
    default void projectY(DMatrixRMaj v, DMatrixRMaj out) {
        if (out != v) {
            out.setTo(v);
        }
    }

    // ----- conveniences

    /**
     * @param x the point x, not modified
     * @param y the point y, not modified
     * @return {@code phi(x, y) = f(x, y) + g(x, y)}
     */
    default double lowerValue(DMatrixRMaj x, DMatrixRMaj y) {
        double f = lowerSmoothValue(x, y);
        return hasNonsmoothLower() ? f + lowerNonsmoothValue(x, y) : f;
    }

    /**
     * A known solution (x*, y*), when the problem has one: solvers use it only for the relative
     * errors of their trace, never to steer. Default: none.
     *
     * @return the reference solution, or empty
     */
    default Optional<PairIterate> referenceSolution() {
        return Optional.empty();
    }

    /**
     * @throws IllegalArgumentException unless x and y have this problem's shapes
     *
     * @param x the point x, not modified
     * @param y the point y, not modified
     */
    default void checkShapes(DMatrixRMaj x, DMatrixRMaj y) {
        if (x.numRows != xRows() || x.numCols != xCols()) {
            throw new IllegalArgumentException("x is " + x.numRows + "x" + x.numCols + ", the problem expects "
                    + xRows() + "x" + xCols());
        }
        if (y.numRows != yRows() || y.numCols != yCols()) {
            throw new IllegalArgumentException("y is " + y.numRows + "x" + y.numCols + ", the problem expects "
                    + yRows() + "x" + yCols());
        }
    }
}
