package org.bilevel4j.apps;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.random.RandomGenerator;
import org.bilevel4j.function.SmoothFunction;
import org.bilevel4j.linalg.MatOps;
import org.ejml.data.DMatrixRMaj;

/**
 * Central finite-difference checks of {@link SmoothFunction} gradients (coordinate by coordinate, step
 * {@code cbrt(eps) max(1, |x_i|)}) and of an empirical Lipschitz bound. Local to the apps tests; the
 * core test fixtures' GradientCheck can replace it once it lands.
 */
public final class FiniteDifference {

    private static final double CBRT_EPS = Math.cbrt(Math.ulp(1.0));

    private FiniteDifference() {
    }

    /**
     * Asserts that the gradient at x matches central differences to {@code relTol} relative to
     * {@code max(1, ||grad||)}, and that value() agrees with valueAndGradient().
     */
    public static void assertGradient(SmoothFunction f, DMatrixRMaj x, double relTol) {
        DMatrixRMaj g = new DMatrixRMaj(x.numRows, x.numCols);
        double v = f.valueAndGradient(x, g);
        assertThat(f.value(x)).isCloseTo(v, org.assertj.core.api.Assertions.within(1e-12 * Math.max(1, Math.abs(v))));
        DMatrixRMaj xp = x.copy();
        double scale = Math.max(1, Math.sqrt(MatOps.normSq(g)));
        for (int i = 0; i < x.getNumElements(); i++) {
            double h = CBRT_EPS * Math.max(1, Math.abs(x.data[i]));
            double xi = x.data[i];
            xp.data[i] = xi + h;
            double fp = f.value(xp);
            xp.data[i] = xi - h;
            double fm = f.value(xp);
            xp.data[i] = xi;
            double fd = (fp - fm) / (2 * h);
            assertThat(Math.abs(fd - g.data[i]) / scale).as("%s: entry %d, analytic %s, central difference %s", f, i,
                    g.data[i], fd).isLessThanOrEqualTo(relTol);
        }
    }

    /** Asserts {@code ||grad f(x) - grad f(y)|| <= L ||x - y||} on random pairs around x. */
    public static void assertLipschitz(SmoothFunction f, DMatrixRMaj x, double spread, RandomGenerator rnd, int pairs) {
        double l = f.lipschitzConstant().orElseThrow();
        DMatrixRMaj a = new DMatrixRMaj(x.numRows, x.numCols);
        DMatrixRMaj b = new DMatrixRMaj(x.numRows, x.numCols);
        DMatrixRMaj ga = new DMatrixRMaj(x.numRows, x.numCols);
        DMatrixRMaj gb = new DMatrixRMaj(x.numRows, x.numCols);
        for (int k = 0; k < pairs; k++) {
            for (int i = 0; i < x.getNumElements(); i++) {
                a.data[i] = x.data[i] + spread * rnd.nextGaussian();
                b.data[i] = a.data[i] + spread * Math.pow(10, -3 * rnd.nextDouble()) * rnd.nextGaussian();
            }
            f.gradient(a, ga);
            f.gradient(b, gb);
            assertThat(MatOps.distance(ga, gb)).isLessThanOrEqualTo(l * MatOps.distance(a, b) * (1 + 1e-12));
        }
    }

    /** @return a rows x cols matrix with N(0, s^2) entries */
    public static DMatrixRMaj gaussian(int rows, int cols, double s, RandomGenerator rnd) {
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < m.getNumElements(); i++) {
            m.data[i] = s * rnd.nextGaussian();
        }
        return m;
    }
}
