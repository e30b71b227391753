package org.bilevel4j.function;

import java.util.OptionalDouble;
import org.ejml.data.DMatrixRMaj;

/**
 * Elementwise l1 norm {@code f(X) = lambda sum_ij |X_ij|}, {@code lambda >= 0}.
 *
 * <p>Prox: soft thresholding, {@code prox_{t f}(x)_ij = sign(x_ij) max(|x_ij| - t lambda, 0)}.
 * Lipschitz constant on an m x n block in the Frobenius norm: {@code lambda sqrt(m n)}.
 */
public final class NormL1 extends AbstractProxFunction {

    private final double lambda;

    /** @param lambda the weight, finite and nonnegative */
    public NormL1(double lambda) {
        this.lambda = requireNonnegative("lambda", lambda);
    }

    /** @return the weight lambda */
    public double lambda() {
        return lambda;
    }

    @Override
    public double value(DMatrixRMaj x) {
        double s = 0;
        for (int i = 0; i < x.getNumElements(); i++) {
            s += Math.abs(x.data[i]);
        }
        return lambda * s;
    }

    @Override
    protected double proxUnchecked(DMatrixRMaj x, double t, DMatrixRMaj out) {
        double thr = t * lambda;
        double s = 0;
        double[] in = x.data;
        double[] o = out.data;
        for (int i = 0; i < x.getNumElements(); i++) {
            double v = in[i];
            double a = Math.abs(v) - thr;
            double r = a > 0 ? Math.copySign(a, v) : 0.0;
            o[i] = r;
            s += Math.abs(r);
        }
        return lambda * s;
    }

    @Override
    public OptionalDouble lipschitzConstant(int rows, int cols) {
        return OptionalDouble.of(lambda * Math.sqrt((double) rows * cols));
    }

    @Override
    public boolean isConvex() {
        return true;
    }

    @Override
    public boolean isSeparable() {
        return true;
    }

    @Override
    public String toString() {
        return "NormL1(" + lambda + ")";
    }
}
