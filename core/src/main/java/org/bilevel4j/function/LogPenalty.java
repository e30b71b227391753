package org.bilevel4j.function;

import java.util.OptionalDouble;
import org.ejml.data.DMatrixRMaj;

/**
 * Log penalty {@code f(X) = sum_ij log(1 + X_ij^2 / delta^2)}, {@code delta > 0}: a smooth,
 * nonconvex sparsity penalty (the Cauchy or Lorentzian penalty) that grows only logarithmically.
 *
 * <p>Smooth: {@code grad f(X)_ij = 2 X_ij / (delta^2 + X_ij^2)}. The second derivative
 * {@code 2 (delta^2 - x^2) / (delta^2 + x^2)^2} lies in {@code [-1 / (4 delta^2), 2 / delta^2]}, so
 * the gradient is Lipschitz with constant {@code 2 / delta^2}. The derivative is at most
 * {@code 1 / delta} in absolute value (at {@code |x| = delta}), so {@code f} itself is Lipschitz with
 * constant {@code sqrt(m n) / delta} on an m x n block.
 *
 * <p>No prox is offered: for {@code t > 4 delta^2} the prox objective is nonconvex (its curvature
 * {@code f'' + 1/t} can be negative) and the minimizer is one of up to three real roots of a cubic.
 *
 * <p>Reference: E. J. Candes, M. B. Wakin, S. P. Boyd, <i>Enhancing sparsity by reweighted l1
 * minimization</i>, J. Fourier Anal. Appl. 14, 2008 (log-sum penalties).
 */
public final class LogPenalty implements SmoothFunction {

    private final double delta;

    /** @param delta the scale parameter, finite and positive */
    public LogPenalty(double delta) {
        if (!(delta > 0) || Double.isInfinite(delta)) {
            throw new IllegalArgumentException("delta must be finite and positive, got " + delta);
        }
        this.delta = delta;
    }

    /** @return the scale parameter delta */
    public double delta() {
        return delta;
    }

    @Override
    public double value(DMatrixRMaj x) {
        double s = 0;
        for (int i = 0; i < x.getNumElements(); i++) {
            s += entry(x.data[i] / delta);
        }
        return s;
    }

    @Override
    public double valueAndGradient(DMatrixRMaj x, DMatrixRMaj gradient) {
        SqrNormL2.checkGradientShape(x, gradient);
        double[] in = x.data;
        double[] g = gradient.data;
        double twoOverDelta = 2.0 / delta;
        double s = 0;
        for (int i = 0; i < x.getNumElements(); i++) {
            double u = in[i] / delta;
            s += entry(u);
            // 2x / (delta^2 + x^2) = (2 / delta) u / (1 + u^2), written so that u^2 cannot overflow
            g[i] = Math.abs(u) <= 1 ? twoOverDelta * (u / (1 + u * u)) : twoOverDelta / (u + 1 / u);
        }
        return s;
    }

    /** {@code log(1 + u^2)} without overflow. */
    private static double entry(double u) {
        double a = Math.abs(u);
        if (a < 1e150) {
            return Math.log1p(a * a);
        }
        return 2 * Math.log(a) + Math.log1p(1 / (a * a));
    }

    /** @return {@code 2 / delta^2}, the Lipschitz constant of the gradient */
    @Override
    public OptionalDouble lipschitzConstant() {
        return OptionalDouble.of(2.0 / (delta * delta));
    }

    /**
     * The Lipschitz constant of {@code f} itself (not of its gradient) in the Frobenius norm on a
     * {@code rows x cols} block, as {@link ProxFunction#lipschitzConstant(int, int)} defines it.
     *
     * @return {@code sqrt(rows cols) / delta}
     * @param rows the number of rows
     * @param cols the number of columns
     */
    public OptionalDouble lipschitzConstant(int rows, int cols) {
        return OptionalDouble.of(Math.sqrt((double) rows * cols) / delta);
    }

    @Override
    public boolean isSeparable() {
        return true;
    }

    @Override
    public String toString() {
        return "LogPenalty(" + delta + ")";
    }
}
