package org.bilevel4j.solver.minimax;

import java.util.function.ToDoubleFunction;

/** Central finite differences with the step {@code cbrt(eps) max(1, |x_i|)} per coordinate. */
final class GradientCheck {

    private GradientCheck() {
    }

    /** @return the central-difference gradient of f at x (x is restored) */
    static double[] numerical(ToDoubleFunction<double[]> f, double[] x) {
        double[] g = new double[x.length];
        double base = Math.cbrt(Math.ulp(1.0));
        for (int i = 0; i < x.length; i++) {
            double h = base * Math.max(1.0, Math.abs(x[i]));
            double xi = x[i];
            x[i] = xi + h;
            double fp = f.applyAsDouble(x);
            x[i] = xi - h;
            double fm = f.applyAsDouble(x);
            x[i] = xi;
            g[i] = (fp - fm) / (2 * h);
        }
        return g;
    }

    /** @return max_i |a_i - b_i| / max(1, |b_i|) */
    static double relativeError(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]) / Math.max(1.0, Math.abs(b[i])));
        }
        return m;
    }
}
