package org.bilevel4j.function;

import java.util.OptionalDouble;
import org.bilevel4j.linalg.ThinSvd;
import org.ejml.data.DMatrixRMaj;

/**
 * Nuclear norm {@code f(X) = gamma ||X||_* = gamma sum_i sigma_i(X)}, {@code gamma >= 0}.
 *
 * <p>Prox: singular value thresholding [Cai, Candes, Shen 2010],
 * {@code prox_{t f}(X) = U diag(max(sigma - t gamma, 0)) V^T} for the thin SVD
 * {@code X = U diag(sigma) V^T}, computed by {@link ThinSvd#threshold} (for thin matrices:
 * Householder QR without Q, one-sided Jacobi SVD of the triangle, one product with a small
 * matrix; as accurate as thresholding a full SVD, never through the Gram matrix). The value sums
 * the singular values of {@link ThinSvd#singularValues(DMatrixRMaj)} (the same kernels).
 *
 * <p>Lipschitz constant in the Frobenius norm: {@code ||X||_* <= sqrt(rank) ||X||_F}, so the exact
 * constant on an m x n block is {@code gamma sqrt(min(m, n))}. BINNO's reference code uses
 * {@code gamma}; {@link #lipschitzConstant} returns the exact constant and BINNO documents its choice.
 */
public final class NuclearNorm extends AbstractProxFunction {

    private final double gamma;

    /** @param gamma the weight, finite and nonnegative */
    public NuclearNorm(double gamma) {
        this.gamma = requireNonnegative("gamma", gamma);
    }

    /** @return the weight gamma */
    public double gamma() {
        return gamma;
    }

    @Override
    public double value(DMatrixRMaj x) {
        if (gamma == 0 || x.getNumElements() == 0) {
            return 0.0;
        }
        double s = 0;
        for (double v : ThinSvd.singularValues(x)) {
            s += v;
        }
        return gamma * s;
    }

    @Override
    protected double proxUnchecked(DMatrixRMaj x, double t, DMatrixRMaj out) {
        if (x.getNumElements() == 0) {
            return 0.0;
        }
        double thr = t * gamma;
        double[] s = ThinSvd.threshold(out == x ? x.copy() : x, thr, out);
        double sum = 0;
        for (double v : s) {
            sum += Math.max(v - thr, 0.0);
        }
        return gamma * sum;
    }

    @Override
    public OptionalDouble lipschitzConstant(int rows, int cols) {
        return OptionalDouble.of(gamma * Math.sqrt(Math.min(rows, cols)));
    }

    @Override
    public boolean isConvex() {
        return true;
    }

    @Override
    public String toString() {
        return "NuclearNorm(" + gamma + ")";
    }
}
