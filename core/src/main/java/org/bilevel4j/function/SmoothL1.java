package org.bilevel4j.function;

import java.util.OptionalDouble;
import org.ejml.data.DMatrixRMaj;

/**
 * Smoothed l1 norm {@code f(X) = sum_ij sqrt(X_ij^2 + delta^2)}, {@code delta > 0} (the
 * pseudo-Huber form, used as the smooth sparsity objective in the experiments of DBGD). As
 * {@code delta -> 0} it tends to {@code ||X||_1}; {@code f(0) = N delta} for N entries.
 *
 * <p>Smooth: {@code grad f(X)_ij = X_ij / sqrt(X_ij^2 + delta^2)}; the second derivative
 * {@code delta^2 / (x^2 + delta^2)^{3/2}} is at most {@code 1 / delta}, attained at 0, so the gradient
 * is Lipschitz with constant {@code 1 / delta}. Since every {@code |grad f_ij| < 1}, {@code f} itself
 * is Lipschitz with constant {@code sqrt(m n)} on an m x n block.
 *
 * <p>Prox: entrywise, {@code v = prox_{t f}(x)} is the unique root of the increasing function
 * {@code g(v) = v + t v / sqrt(v^2 + delta^2) - x}. The root has the sign of {@code x} and
 * {@code |v|} lies in {@code [max(0, |x| - t), |x|]}; on {@code v >= 0} the function {@code g} is
 * concave, so Newton's method started at the left end of that bracket increases monotonically to the
 * root. The implementation safeguards it with the bracket (bisection whenever a step leaves it) and
 * stops at machine precision.
 *
 * <p>Reference: P. J. Huber, <i>Robust Statistics</i>, 1981 (pseudo-Huber loss); the prox by
 * Newton's method follows the general recipe for separable functions in N. Parikh and S. Boyd,
 * <i>Proximal Algorithms</i>, 2014, section 6.1.
 */
public final class SmoothL1 extends AbstractProxFunction implements SmoothFunction {

    private static final int MAX_ITERATIONS = 200;

    private final double delta;

    /** @param delta the smoothing parameter, finite and positive */
    public SmoothL1(double delta) {
        this.delta = requirePositive("delta", delta);
    }

    /** @return the smoothing parameter delta */
    public double delta() {
        return delta;
    }

    @Override
    public double value(DMatrixRMaj x) {
        double s = 0;
        for (int i = 0; i < x.getNumElements(); i++) {
            s += hyp(x.data[i], delta);
        }
        return s;
    }

    @Override
    public double valueAndGradient(DMatrixRMaj x, DMatrixRMaj gradient) {
        SqrNormL2.checkGradientShape(x, gradient);
        double[] in = x.data;
        double[] g = gradient.data;
        double s = 0;
        for (int i = 0; i < x.getNumElements(); i++) {
            double r = hyp(in[i], delta);
            s += r;
            g[i] = in[i] / r;
        }
        return s;
    }

    @Override
    protected double proxUnchecked(DMatrixRMaj x, double t, DMatrixRMaj out) {
        double[] in = x.data;
        double[] o = out.data;
        double s = 0;
        for (int i = 0; i < x.getNumElements(); i++) {
            double v = proxScalar(in[i], t, delta);
            o[i] = v;
            s += hyp(v, delta);
        }
        return s;
    }

    /** {@code argmin_v sqrt(v^2 + d^2) + (v - x)^2 / (2 t)}, to machine precision. */
    static double proxScalar(double x, double t, double d) {
        double a = Math.abs(x);
        if (a == 0 || Double.isNaN(a)) {
            return x;
        }
        if (a == Double.POSITIVE_INFINITY) {
            return x; // x - t sign(x) rounds back to x
        }
        double lo = Math.max(0.0, a - t); // g(lo) <= 0
        double hi = a;                    // g(hi) >= 0
        double v = lo;
        for (int it = 0; it < MAX_ITERATIONS; it++) {
            double r = hyp(v, d);
            double ratio = v / r; // in [0, 1); when it underflows, (t v) / r cannot overflow
            double g = v + (ratio >= Double.MIN_NORMAL ? t * ratio : (t * v) / r) - a;
            if (g == 0) {
                break;
            }
            if (g < 0) {
                lo = v;
            } else {
                hi = v;
            }
            // Newton step g / g'(v), g'(v) = 1 + t d^2 / r^3 = 1 + t q^2 / r with q = d / r in (0, 1]
            double q = d / r;
            double curvature = t * (q * q / r);
            // when the curvature overflows, 1 is negligible beside it, and r / q^2 < t / MAX_VALUE stays finite
            double step = Double.isInfinite(curvature) ? (g / t) * (r / (q * q)) : g / (1 + curvature);
            double next = v - step;
            if (next == v) {
                break; // the step is below the resolution of v: converged
            }
            if (!(next > lo && next < hi)) {
                next = 0.5 * (lo + hi);
                if (!(next > lo && next < hi)) {
                    break; // the bracket holds no other double
                }
            }
            if (Math.abs(next - v) <= 2 * Math.ulp(v)) {
                v = next;
                break;
            }
            v = next;
        }
        return Math.copySign(v, x);
    }

    /** {@code sqrt(a^2 + d^2)}, without overflow or harmful underflow. */
    static double hyp(double a, double d) {
        double s = a * a + d * d;
        if (s < Double.MAX_VALUE && s > 1e-290) {
            return Math.sqrt(s);
        }
        return Math.hypot(a, d);
    }

    /** @return {@code 1 / delta}, the Lipschitz constant of the gradient */
    @Override
    public OptionalDouble lipschitzConstant() {
        return OptionalDouble.of(1.0 / delta);
    }

    /** @return {@code sqrt(rows cols)}, the Lipschitz constant of {@code f} itself */
    @Override
    public OptionalDouble lipschitzConstant(int rows, int cols) {
        return OptionalDouble.of(Math.sqrt((double) rows * cols));
    }

    @Override
    public boolean isConvex() {
        return true;
    }

    @Override
    public boolean isSmooth() {
        return true;
    }

    @Override
    public boolean isSeparable() {
        return true;
    }

    @Override
    public String toString() {
        return "SmoothL1(" + delta + ")";
    }
}
