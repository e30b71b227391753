package org.bilevel4j.function;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.ToDoubleFunction;
import org.bilevel4j.problem.BilevelProblem;
import org.bilevel4j.problem.MinimaxBilevelPoint;
import org.bilevel4j.problem.MinimaxBilevelProblem;
import org.bilevel4j.problem.SimpleBilevelProblem;
import org.ejml.data.DMatrixRMaj;

/**
 * Checks an analytic gradient against central finite differences, for a {@link SmoothFunction}, a
 * pair of value and gradient functions, or every partial gradient of a problem.
 *
 * <p>Coordinate {@code i} of the numerical gradient is
 * <pre>
 *   fd_i = (f(x + h_i e_i) - f(x - h_i e_i)) / (2 h_i),   h_i = cbrt(eps) max(1, |x_i|)  (about 6e-6),
 * </pre>
 * with {@code h_i} rounded so that {@code x_i + h_i} is exact: truncation {@code O(h^2 f''')} and
 * rounding {@code O(eps |f| / h)} errors are then both about {@code eps^(2/3)}, some 4e-11 relative
 * on a well-scaled function. The error of coordinate i is relative to the larger gradient,
 * <pre>
 *   err_i = |g_i - fd_i| / max(||g||_inf, ||fd||_inf, 1e-6 (1 + |f(x)|)),
 * </pre>
 * so a gradient of the wrong sign shows an error of 2, a missing factor 2 an error of 0.5, and a
 * correct one about 1e-9 or less. The floor in the denominator keeps a stationary point (g = 0)
 * from turning rounding noise into a large error. Non-finite entries are left out of the maxima, so
 * that the report names the first entry whose error is NaN (or infinite) rather than entry 0. A
 * check costs {@code 2 n} evaluations of f for n entries: use it on small instances.
 *
 * <p>Thread-safety: stateless; as safe as the functions it calls.
 */
public final class GradientCheck {

    /** {@code cbrt(eps)} for doubles, about 6.1e-6: the relative finite-difference step. */
    public static final double STEP_FACTOR = Math.cbrt(Math.ulp(1.0));

    /** A tolerance on {@link Report#maxRelativeError()} that a correct gradient of a well-scaled function meets. */
    public static final double DEFAULT_TOLERANCE = 1e-6;

    private GradientCheck() {
    }

    /**
     * The outcome of one check.
     *
     * @param name what was checked, for example {@code "grad_x F"}
     * @param maxRelativeError the largest {@code err_i} over the coordinates (0 for an empty point)
     * @param worstIndex the coordinate (row-major index into x) where it occurs, -1 for an empty point
     * @param analytic the analytic gradient entry there
     * @param numeric the central difference there
     */
    public record Report(String name, double maxRelativeError, int worstIndex, double analytic, double numeric) {

        /**
         * @param tolerance the largest acceptable relative error
         * @return whether {@code maxRelativeError <= tolerance}
         */
        public boolean passes(double tolerance) {
            return maxRelativeError <= tolerance;
        }

        /**
         * @param tolerance the largest acceptable relative error
         * @return this report
         * @throws IllegalStateException naming the check, the worst coordinate and both values when
         *     {@code maxRelativeError > tolerance} (or is NaN)
         */
        public Report requireBelow(double tolerance) {
            if (!passes(tolerance)) {
                throw new IllegalStateException("gradient check failed: " + this + " (tolerance " + tolerance + ")");
            }
            return this;
        }

        @Override
        public String toString() {
            return name + ": max relative error " + String.format("%.3g", maxRelativeError) + " at entry "
                    + worstIndex + " (analytic " + analytic + ", central difference " + numeric + ")";
        }
    }

    /**
     * Checks {@code f.valueAndGradient} against central differences of {@code f.value} at x.
     *
     * @param f the function
     * @param x the point, not modified
     * @return the report, named after f
     */
    public static Report check(SmoothFunction f, DMatrixRMaj x) {
        return check(f.toString(), f::value, f::gradient, x);
    }

    /**
     * Checks a gradient function against central differences of a value function at x.
     *
     * @param name a label for the report
     * @param value {@code x -> f(x)}
     * @param gradient {@code (x, out) -> out = grad f(x)}
     * @param x the point, not modified
     * @return the report
     */
    public static Report check(String name, ToDoubleFunction<DMatrixRMaj> value,
            BiConsumer<DMatrixRMaj, DMatrixRMaj> gradient, DMatrixRMaj x) {
        Objects.requireNonNull(x, "x");
        DMatrixRMaj g = new DMatrixRMaj(x.numRows, x.numCols);
        gradient.accept(x, g);
        double fx = value.applyAsDouble(x);
        DMatrixRMaj probe = x.copy();
        int n = x.getNumElements();
        double[] fd = new double[n];
        double scale = 1e-6 * (1 + Math.abs(fx));
        for (int i = 0; i < n; i++) {
            double xi = x.data[i];
            double h = (xi + STEP_FACTOR * Math.max(1.0, Math.abs(xi))) - xi;
            probe.data[i] = xi + h;
            double fp = value.applyAsDouble(probe);
            probe.data[i] = xi - h;
            double fm = value.applyAsDouble(probe);
            probe.data[i] = xi;
            fd[i] = (fp - fm) / (2 * h);
            // a non-finite entry stays out of the scale, so that its own error, not every error, is NaN
            scale = Math.max(scale, Math.max(finiteAbs(fd[i]), finiteAbs(g.data[i])));
        }
        double worst = 0;
        int at = n > 0 ? 0 : -1;
        for (int i = 0; i < n; i++) {
            double err = Math.abs(g.data[i] - fd[i]) / scale;
            if (!(err <= worst)) { // NaN counts as the worst
                worst = err;
                at = i;
                if (Double.isNaN(err)) {
                    break;
                }
            }
        }
        return new Report(name, worst, at, at >= 0 ? g.data[at] : 0, at >= 0 ? fd[at] : 0);
    }

    private static double finiteAbs(double v) {
        return Double.isFinite(v) ? Math.abs(v) : 0;
    }

    /**
     * Estimates the Lipschitz constant of the gradient along the segment from x to z:
     * {@code ||grad f(x) - grad f(z)|| / ||x - z||} (Frobenius norms). A declared constant L must be
     * at least this ratio for every pair.
     *
     * @param f the function
     * @param x a point, not modified
     * @param z another point of the same shape, not modified
     * @return the ratio (0 when x = z)
     */
    public static double lipschitzRatio(SmoothFunction f, DMatrixRMaj x, DMatrixRMaj z) {
        DMatrixRMaj gx = new DMatrixRMaj(x.numRows, x.numCols);
        DMatrixRMaj gz = new DMatrixRMaj(z.numRows, z.numCols);
        f.gradient(x, gx);
        f.gradient(z, gz);
        double dg = 0;
        double dx = 0;
        for (int i = 0; i < x.getNumElements(); i++) {
            dg += (gx.data[i] - gz.data[i]) * (gx.data[i] - gz.data[i]);
            dx += (x.data[i] - z.data[i]) * (x.data[i] - z.data[i]);
        }
        return dx == 0 ? 0 : Math.sqrt(dg / dx);
    }

    /**
     * Checks both gradients of a simple bilevel problem at x.
     *
     * @param problem the problem
     * @param x the point, not modified
     * @return the reports for {@code grad f} (upper) and {@code grad g} (lower)
     */
    public static List<Report> check(SimpleBilevelProblem problem, DMatrixRMaj x) {
        SmoothFunction f = problem.upper();
        SmoothFunction g = problem.lower();
        return List.of(check("grad f (upper)", f::value, f::gradient, x),
                check("grad g (lower)", g::value, g::gradient, x));
    }

    /**
     * Checks every partial gradient of a general bilevel problem at (x, y): {@code grad_x F},
     * {@code grad_y F}, {@code grad_x f}, {@code grad_y f}, and {@code grad_x g} when the problem has
     * a nonsmooth lower part (g is differentiable in x).
     *
     * @param problem the problem
     * @param x the upper-level point, not modified
     * @param y the lower-level point, not modified
     * @return one report per partial gradient
     */
    public static List<Report> check(BilevelProblem problem, DMatrixRMaj x, DMatrixRMaj y) {
        problem.checkShapes(x, y);
        List<Report> out = new ArrayList<>();
        out.add(check("grad_x F", v -> problem.upperValue(v, y), (v, o) -> problem.upperGradientX(v, y, o), x));
        out.add(check("grad_y F", v -> problem.upperValue(x, v), (v, o) -> problem.upperGradientY(x, v, o), y));
        out.add(check("grad_x f", v -> problem.lowerSmoothValue(v, y),
                (v, o) -> problem.lowerSmoothGradientX(v, y, o), x));
        out.add(check("grad_y f", v -> problem.lowerSmoothValue(x, v),
                (v, o) -> problem.lowerSmoothGradientY(x, v, o), y));
        if (problem.hasNonsmoothLower()) {
            out.add(check("grad_x g", v -> problem.lowerNonsmoothValue(v, y),
                    (v, o) -> problem.lowerNonsmoothGradientX(v, y, o), x));
        }
        return out;
    }

    /**
     * Checks every partial gradient of a bilevel minimax problem at a point: the four of the upper
     * level f and the three of the lower level ft (blocks of dimension 0 are skipped).
     *
     * @param problem the problem
     * @param p the point, not modified
     * @return one report per nonempty partial gradient
     */
    public static List<Report> check(MinimaxBilevelProblem problem, MinimaxBilevelPoint p) {
        problem.checkPoint(p);
        DMatrixRMaj x1 = p.x1();
        DMatrixRMaj x2 = p.x2();
        DMatrixRMaj y1 = p.y1();
        DMatrixRMaj y2 = p.y2();
        List<Report> out = new ArrayList<>();
        String[] names = {"x1", "x2", "y1", "y2"};
        DMatrixRMaj[] pts = {x1, x2, y1, y2};
        for (int b = 0; b < 4; b++) {
            if (pts[b].getNumElements() == 0) {
                continue;
            }
            final int block = b;
            out.add(check("grad_" + names[b] + " f", v -> problem.upperValue(pick(0, block, v, x1),
                    pick(1, block, v, x2), pick(2, block, v, y1), pick(3, block, v, y2)),
                    (v, o) -> {
                        DMatrixRMaj[] gs = buffers(x1, x2, y1, y2);
                        gs[block] = o;
                        problem.upperValueAndGradient(pick(0, block, v, x1), pick(1, block, v, x2),
                                pick(2, block, v, y1), pick(3, block, v, y2), gs[0], gs[1], gs[2], gs[3]);
                    }, pts[b]));
        }
        int[] lowerBlocks = {0, 2, 3};
        for (int b : lowerBlocks) {
            if (pts[b].getNumElements() == 0) {
                continue;
            }
            final int block = b;
            out.add(check("grad_" + names[b] + " ft", v -> problem.lowerValue(pick(0, block, v, x1),
                    pick(2, block, v, y1), pick(3, block, v, y2)),
                    (v, o) -> {
                        DMatrixRMaj[] gs = buffers(x1, x2, y1, y2);
                        gs[block] = o;
                        problem.lowerValueAndGradient(pick(0, block, v, x1), pick(2, block, v, y1),
                                pick(3, block, v, y2), gs[0], gs[2], gs[3]);
                    }, pts[b]));
        }
        return out;
    }

    private static DMatrixRMaj pick(int slot, int block, DMatrixRMaj v, DMatrixRMaj fixed) {
        return slot == block ? v : fixed;
    }

    private static DMatrixRMaj[] buffers(DMatrixRMaj... like) {
        DMatrixRMaj[] out = new DMatrixRMaj[like.length];
        for (int i = 0; i < like.length; i++) {
            out[i] = new DMatrixRMaj(like[i].numRows, like[i].numCols);
        }
        return out;
    }

    /**
     * @param reports reports of one or more checks
     * @return the largest {@code maxRelativeError} among them (NaN if one is NaN)
     */
    public static double worst(List<Report> reports) {
        double m = 0;
        for (Report r : reports) {
            double e = r.maxRelativeError();
            if (Double.isNaN(e)) {
                return e;
            }
            m = Math.max(m, e);
        }
        return m;
    }
}
