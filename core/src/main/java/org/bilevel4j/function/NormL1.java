package org.bilevel4j.function;

import java.util.OptionalDouble;
import org.bilevel4j.linalg.MatOps;
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
        return lambda * MatOps.sumAbs(x.data, 0, x.getNumElements());
    }

    /**
     * {@link MatOps#softThreshold} at {@code t lambda} entry by entry ({@code x - clamp(x, -t lambda,
     * t lambda)}, the same numbers as {@code sign(x) max(|x| - t lambda, 0)}), in a loop with one output,
     * which C2 vectorizes; a NaN entry stays NaN.
     */
    @Override
    protected double proxUnchecked(DMatrixRMaj x, double t, DMatrixRMaj out) {
        double thr = t * lambda;
        double[] in = x.data;
        double[] o = out.data;
        int n = x.getNumElements();
        for (int i = 0; i < n; i++) {
            o[i] = MatOps.softThreshold(in[i], thr);
        }
        return lambda * MatOps.sumAbs(o, 0, n);
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
