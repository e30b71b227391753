package org.bilevel4j.function;

import org.ejml.data.DMatrixRMaj;

/**
 * Indicator of the nonnegative orthant: {@code f(X) = 0} if every {@code X_ij >= 0}, else
 * {@code +infinity}. Prox: the projection {@code max(X, 0)}, for every {@code t}.
 */
public final class IndNonnegative extends AbstractProxFunction {

    @Override
    public double value(DMatrixRMaj x) {
        for (int i = 0; i < x.getNumElements(); i++) {
            if (!(x.data[i] >= 0)) {
                return Double.POSITIVE_INFINITY;
            }
        }
        return 0.0;
    }

    @Override
    protected double proxUnchecked(DMatrixRMaj x, double t, DMatrixRMaj out) {
        for (int i = 0; i < x.getNumElements(); i++) {
            out.data[i] = Math.max(x.data[i], 0.0);
        }
        return 0.0;
    }

    @Override
    public boolean isConvex() {
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
        return "IndNonnegative";
    }
}
