package org.bilevel4j.function;

import org.ejml.data.DMatrixRMaj;

/**
 * Indicator of the Frobenius-norm ball {@code B_r = { X : ||X||_F <= r }}, {@code r >= 0}:
 * {@code f(X) = 0} on {@code B_r}, else {@code +infinity}.
 *
 * <p>Prox: for every {@code t} the Euclidean projection,
 * {@code P(X) = X} if {@code ||X||_F <= r}, else {@code P(X) = (r / ||X||_F) X}.
 *
 * <p>Membership in {@link #value} allows rounding in the norm: {@code X} is in the set when
 * {@code ||X||_F <= r (1 + NORM_TOLERANCE)}, so the projection's own output is accepted.
 *
 * <p>Reference: N. Parikh and S. Boyd, <i>Proximal Algorithms</i>, Found. Trends Optim. 1(3),
 * 2014, section 6.5.1 (Euclidean ball).
 */
public final class IndBallL2 extends AbstractProxFunction {

    /**
     * Relative tolerance of the membership test: a computed Frobenius norm of N entries errs by up to
     * about N eps / 2 relative, and the projection's output is a rounded multiple of the input.
     */
    public static final double NORM_TOLERANCE = 1e-10;

    private final double radius;

    /** @param radius the radius r, finite and nonnegative (r = 0 is the set {0}) */
    public IndBallL2(double radius) {
        this.radius = requireNonnegative("radius", radius);
    }

    /** @return the radius r */
    public double radius() {
        return radius;
    }

    @Override
    public double value(DMatrixRMaj x) {
        double norm = frobeniusNorm(x.data, x.getNumElements());
        return norm <= radius * (1 + NORM_TOLERANCE) ? 0.0 : Double.POSITIVE_INFINITY;
    }

    @Override
    protected double proxUnchecked(DMatrixRMaj x, double t, DMatrixRMaj out) {
        int n = x.getNumElements();
        double norm = frobeniusNorm(x.data, n);
        double[] in = x.data;
        double[] o = out.data;
        if (norm <= radius) {
            if (out != x) {
                System.arraycopy(in, 0, o, 0, n);
            }
        } else {
            double c = radius / norm;
            for (int i = 0; i < n; i++) {
                o[i] = c * in[i];
            }
        }
        return 0.0;
    }

    /** Frobenius norm of the first n entries, without overflow or harmful underflow. */
    static double frobeniusNorm(double[] a, int n) {
        double s = SqrNormL2.sumOfSquares(a, n);
        if (s < Double.MAX_VALUE && s > 1e-290) {
            return Math.sqrt(s);
        }
        double scale = 0;
        for (int i = 0; i < n; i++) {
            scale = Math.max(scale, Math.abs(a[i]));
        }
        if (scale == 0 || !Double.isFinite(scale)) {
            return Double.isNaN(s) ? Double.NaN : scale;
        }
        double ss = 0;
        for (int i = 0; i < n; i++) {
            double v = a[i] / scale;
            ss += v * v;
        }
        return scale * Math.sqrt(ss);
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
    public String toString() {
        return "IndBallL2(" + radius + ")";
    }
}
