package org.bilevel4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bilevel4j.testing.TestMatrices.describe;

import java.util.OptionalDouble;
import java.util.function.ToDoubleFunction;
import java.util.random.RandomGenerator;
import org.bilevel4j.function.SmoothFunction;
import org.ejml.data.DMatrixRMaj;

/**
 * Finite-difference checks of gradients. Central differences
 * {@code (f(x + h d) - f(x - h d)) / (2h)} with the step {@code h = cbrt(eps) max(1, |x_i|)} balance
 * the truncation error {@code O(h^2 f''')} against the rounding error {@code O(eps |f| / h)}, both
 * about {@code eps^(2/3)}, roughly 4e-11 relative for a well-scaled function.
 */
public final class GradientCheck {

    /** {@code cbrt(eps)} for doubles, about 6.1e-6. */
    public static final double STEP_FACTOR = Math.cbrt(Math.ulp(1.0));

    private GradientCheck() {
    }

    /** @return the central difference of {@code f} at {@code x} along {@code d} with step {@code h} */
    public static double centralDifference(ToDoubleFunction<DMatrixRMaj> f, DMatrixRMaj x, DMatrixRMaj d, double h) {
        DMatrixRMaj plus = TestMatrices.combine(1, x, h, d);
        DMatrixRMaj minus = TestMatrices.combine(1, x, -h, d);
        // the step actually taken, after rounding of x + h d, is what divides
        return (f.applyAsDouble(plus) - f.applyAsDouble(minus)) / (2 * h);
    }

    /**
     * Checks every coordinate of the gradient against a central difference:
     * {@code |fd_i - g_i| <= tol max(1, |g_i|)}; also that {@code value} and {@code valueAndGradient}
     * agree to 1e-12 relative.
     */
    public static void assertCoordinates(SmoothFunction f, DMatrixRMaj x, double tol) {
        DMatrixRMaj g = new DMatrixRMaj(x.numRows, x.numCols);
        double v = f.valueAndGradient(x, g);
        assertThat(Math.abs(f.value(x) - v)).as("%s: value and valueAndGradient at x = %s", f, describe(x))
                .isLessThanOrEqualTo(1e-12 * Math.max(1, Math.abs(v)));
        DMatrixRMaj e = new DMatrixRMaj(x.numRows, x.numCols);
        for (int i = 0; i < x.getNumElements(); i++) {
            double h = STEP_FACTOR * Math.max(1, Math.abs(x.data[i]));
            // make x_i + h exactly representable so that the step taken is h
            double xi = x.data[i];
            h = (xi + h) - xi;
            e.data[i] = 1;
            double fd = centralDifference(f::value, x, e, h);
            e.data[i] = 0;
            assertThat(Math.abs(fd - g.data[i]))
                    .as("%s: gradient entry %d at x = %s: analytic %s, central difference %s", f, i, describe(x),
                            g.data[i], fd)
                    .isLessThanOrEqualTo(tol * Math.max(1, Math.abs(g.data[i])));
        }
    }

    /**
     * Checks the directional derivative {@code <g, d>} along random unit directions d:
     * {@code |fd - <g, d>| <= tol max(1, ||g||)}.
     */
    public static void assertDirections(SmoothFunction f, DMatrixRMaj x, int directions, RandomGenerator rng,
            double tol) {
        DMatrixRMaj g = new DMatrixRMaj(x.numRows, x.numCols);
        f.valueAndGradient(x, g);
        double h = STEP_FACTOR * Math.max(1, TestMatrices.maxAbs(x));
        for (int k = 0; k < directions; k++) {
            DMatrixRMaj d = TestMatrices.unitDirection(x, rng);
            double fd = centralDifference(f::value, x, d, h);
            double analytic = TestMatrices.dot(g, d);
            assertThat(Math.abs(fd - analytic))
                    .as("%s: directional derivative at x = %s: analytic %s, central difference %s", f, describe(x),
                            analytic, fd)
                    .isLessThanOrEqualTo(tol * Math.max(1, TestMatrices.norm(g)));
        }
    }

    /**
     * Checks {@code ||grad f(x) - grad f(y)||_F <= L ||x - y||_F} for the declared constant L, with a
     * relative slack of 1e-12 for rounding.
     *
     * @return the ratio {@code ||grad f(x) - grad f(y)|| / ||x - y||}, to let callers check tightness
     */
    public static double assertLipschitz(SmoothFunction f, DMatrixRMaj x, DMatrixRMaj y) {
        OptionalDouble lip = f.lipschitzConstant();
        assertThat(lip).as("%s declares a gradient Lipschitz constant", f).isPresent();
        DMatrixRMaj gx = new DMatrixRMaj(x.numRows, x.numCols);
        DMatrixRMaj gy = new DMatrixRMaj(x.numRows, x.numCols);
        f.valueAndGradient(x, gx);
        f.valueAndGradient(y, gy);
        double dg = TestMatrices.distance(gx, gy);
        double dx = TestMatrices.distance(x, y);
        double scale = TestMatrices.norm(gx) + TestMatrices.norm(gy);
        assertThat(dg).as("%s: ||grad f(x) - grad f(y)|| <= L ||x - y||, x = %s, y = %s", f, describe(x), describe(y))
                .isLessThanOrEqualTo(lip.getAsDouble() * dx * (1 + 1e-12) + 1e-15 * scale);
        return dx == 0 ? 0 : dg / dx;
    }

    /**
     * The central-difference gradient of a function of a plain array, coordinate by coordinate with
     * the step {@code cbrt(eps) max(1, |x_i|)}; x is restored.
     *
     * @return the numerical gradient
     */
    public static double[] numerical(ToDoubleFunction<double[]> f, double[] x) {
        double[] g = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double xi = x[i];
            double h = (xi + STEP_FACTOR * Math.max(1.0, Math.abs(xi))) - xi;
            x[i] = xi + h;
            double fp = f.applyAsDouble(x);
            x[i] = xi - h;
            double fm = f.applyAsDouble(x);
            x[i] = xi;
            g[i] = (fp - fm) / (2 * h);
        }
        return g;
    }

    /** @return {@code max_i |a_i - b_i| / max(1, |b_i|)} */
    public static double relativeError(double[] a, double[] b) {
        assertThat(a).hasSameSizeAs(b);
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]) / Math.max(1.0, Math.abs(b[i])));
        }
        return m;
    }
}
