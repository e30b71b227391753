package org.bilevel4j.solver.composite;

import org.bilevel4j.problem.BlockCoupling;
import org.ejml.data.DMatrixRMaj;

/**
 * A test coupling on X (2 x 1) and Y (1 x 1): {@code H(X, Y) = a/2 (x0 + x1 - y)^2}, with
 * {@code grad_X H = a r (1, 1)}, {@code grad_Y H = -a r} ({@code r = x0 + x1 - y}) and the exact block
 * constants {@code L_X = 2a} (the eigenvalue of {@code a 1 1^T}), {@code L_Y = a}. From the
 * {@code nanAfter}-th call of {@link #gradientX} on, the gradients are NaN (a blow-up on demand, for the
 * divergence rollback); 0 never.
 */
final class SumCoupling implements BlockCoupling {

    final double a;
    private final int nanAfter;
    private int gradientCalls;

    SumCoupling(double a, int nanAfter) {
        this.a = a;
        this.nanAfter = nanAfter;
    }

    SumCoupling(double a) {
        this(a, 0);
    }

    static double residual(double[] w) {
        return w[0] + w[1] - w[2];
    }

    @Override
    public int xRows() {
        return 2;
    }

    @Override
    public int xCols() {
        return 1;
    }

    @Override
    public int yRows() {
        return 1;
    }

    @Override
    public int yCols() {
        return 1;
    }

    @Override
    public double value(DMatrixRMaj x, DMatrixRMaj y) {
        double r = x.data[0] + x.data[1] - y.data[0];
        return 0.5 * a * r * r;
    }

    @Override
    public void gradientX(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj out) {
        gradientCalls++;
        double r = nanAfter > 0 && gradientCalls >= nanAfter ? Double.NaN : x.data[0] + x.data[1] - y.data[0];
        out.data[0] = a * r;
        out.data[1] = a * r;
    }

    @Override
    public void gradientY(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj out) {
        double r = nanAfter > 0 && gradientCalls >= nanAfter ? Double.NaN : x.data[0] + x.data[1] - y.data[0];
        out.data[0] = -a * r;
    }

    @Override
    public double lipschitzX(DMatrixRMaj y) {
        return 2 * a;
    }

    @Override
    public double lipschitzY(DMatrixRMaj x) {
        return a;
    }
}
