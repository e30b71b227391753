package org.bilevel4j.function;

import java.util.Arrays;
import java.util.OptionalDouble;
import org.ejml.data.DMatrixRMaj;

/**
 * The zero function {@code f(X) = 0}, equivalently the indicator of the whole space.
 *
 * <p>Prox: the identity, {@code prox_{t f}(X) = X}. Gradient: 0, Lipschitz with constant 0; the
 * function itself is Lipschitz with constant 0. Useful as the missing nonsmooth part of a composite
 * problem (proximal gradient then reduces to gradient descent).
 *
 * <p>Traits: convex, smooth, separable, and a set indicator (of the whole space), so solvers that
 * project may treat it as a constraint that never binds. Not strongly convex.
 *
 * <p>Reference: ProximalOperators.jl documents the same function as {@code Zero}/{@code IndFree};
 * N. Parikh and S. Boyd, <i>Proximal Algorithms</i>, 2014, section 1.2.
 */
public final class Zero extends AbstractProxFunction implements SmoothFunction {

    @Override
    public double value(DMatrixRMaj x) {
        return 0.0;
    }

    @Override
    public double valueAndGradient(DMatrixRMaj x, DMatrixRMaj gradient) {
        SqrNormL2.checkGradientShape(x, gradient);
        Arrays.fill(gradient.data, 0, gradient.getNumElements(), 0.0);
        return 0.0;
    }

    @Override
    protected double proxUnchecked(DMatrixRMaj x, double t, DMatrixRMaj out) {
        if (out != x) {
            System.arraycopy(x.data, 0, out.data, 0, x.getNumElements());
        }
        return 0.0;
    }

    /** @return 0, the Lipschitz constant of the (zero) gradient */
    @Override
    public OptionalDouble lipschitzConstant() {
        return OptionalDouble.of(0.0);
    }

    /** @return 0 */
    @Override
    public OptionalDouble lipschitzConstant(int rows, int cols) {
        return OptionalDouble.of(0.0);
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
    public boolean isSetIndicator() {
        return true;
    }

    @Override
    public boolean isSeparable() {
        return true;
    }

    @Override
    public String toString() {
        return "Zero";
    }
}
