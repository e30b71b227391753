package org.bilevel4j.apps.toys;

import java.util.Optional;
import org.bilevel4j.problem.BilevelProblem;
import org.bilevel4j.problem.PairIterate;
import org.ejml.data.DMatrixRMaj;

/**
 * Toy (c) of the MEHA paper: a nonsmooth lower level. x, y in R^n, n even,
 * {@code a = (1/n on the first half, -1/n on the second)}, {@code X = [0, 1]^n}:
 * <pre>
 *   F(x, y) = sum_i y_i,    f(x, y) = 1/2 ||y - a||^2,    g(x, y) = sum_i x_i |y_i|.
 * </pre>
 * The lower level's solution is {@code y*(x) = soft(a, x)} (per-coordinate threshold x_i), so F
 * is smallest with {@code x_i >= 1/n} on the first half and {@code x_i = 0} on the second:
 * {@code y* = (0, -1/n)}. The reference x* is {@code (1/n, 0)}, one of many; judge y, and x only by
 * its support. The prox of {@code t g(x, .)} is soft thresholding with threshold {@code t x_i}.
 * Start: x = 0, y = 0.
 */
public final class L1Toy implements BilevelProblem {

    private final int n;
    private final double[] a;

    /** @param n the dimension, even and at least 2 */
    public L1Toy(int n) {
        if (n < 2 || n % 2 != 0) {
            throw new IllegalArgumentException("n must be even and at least 2, got " + n);
        }
        this.n = n;
        a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = i < n / 2 ? 1.0 / n : -1.0 / n;
        }
    }

    /** @return n */
    public int n() {
        return n;
    }

    @Override
    public int xRows() {
        return n;
    }

    @Override
    public int yRows() {
        return n;
    }

    @Override
    public double upperValue(DMatrixRMaj x, DMatrixRMaj y) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += y.data[i];
        }
        return s;
    }

    @Override
    public void upperGradientX(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj out) {
        out.zero();
    }

    @Override
    public void upperGradientY(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj out) {
        out.fill(1.0);
    }

    @Override
    public double lowerSmoothValue(DMatrixRMaj x, DMatrixRMaj y) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            double d = y.data[i] - a[i];
            s += d * d;
        }
        return 0.5 * s;
    }

    @Override
    public void lowerSmoothGradientX(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj out) {
        out.zero();
    }

    @Override
    public void lowerSmoothGradientY(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj out) {
        for (int i = 0; i < n; i++) {
            out.data[i] = y.data[i] - a[i];
        }
    }

    @Override
    public boolean hasNonsmoothLower() {
        return true;
    }

    @Override
    public double lowerNonsmoothValue(DMatrixRMaj x, DMatrixRMaj y) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += x.data[i] * Math.abs(y.data[i]);
        }
        return s;
    }

    /** {@code grad_x g(x, y) = |y|}. */
    @Override
    public void lowerNonsmoothGradientX(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj out) {
        for (int i = 0; i < n; i++) {
            out.data[i] = Math.abs(y.data[i]);
        }
    }

    /** Soft thresholding with threshold {@code t x_i} (x_i >= 0 on X; a negative x_i is read as 0). */
    @Override
    public double lowerProx(DMatrixRMaj x, DMatrixRMaj v, double t, DMatrixRMaj out) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            double w = Math.max(x.data[i], 0.0);
            double vi = v.data[i];
            double m = Math.abs(vi) - t * w;
            double r = m > 0 ? Math.copySign(m, vi) : 0.0;
            out.data[i] = r;
            s += w * Math.abs(r);
        }
        return s;
    }

    @Override
    public boolean constrainedX() {
        return true;
    }

    /** Projection onto the box {@code [0, 1]^n}. */
    @Override
    public void projectX(DMatrixRMaj v, DMatrixRMaj out) {
        for (int i = 0; i < n; i++) {
            out.data[i] = Math.min(Math.max(v.data[i], 0.0), 1.0);
        }
    }

    @Override
    public Optional<PairIterate> referenceSolution() {
        DMatrixRMaj x = new DMatrixRMaj(n, 1);
        DMatrixRMaj y = new DMatrixRMaj(n, 1);
        for (int i = 0; i < n; i++) {
            x.data[i] = i < n / 2 ? 1.0 / n : 0.0;
            y.data[i] = i < n / 2 ? 0.0 : -1.0 / n;
        }
        return Optional.of(new PairIterate(x, y));
    }

    /**
     * @return whether x has the solution's support: {@code x_i >= 1/n (1 - tol)} on the first half
     *     and {@code x_i == 0} on the second
     * @param x the point x, not modified
     * @param tol the relative tolerance
     */
    public boolean supportRight(DMatrixRMaj x, double tol) {
        for (int i = 0; i < n; i++) {
            if (i < n / 2 ? x.data[i] < (1.0 / n) * (1 - tol) : x.data[i] != 0.0) {
                return false;
            }
        }
        return true;
    }

    /** @return the start: x = 0, y = 0 */
    public PairIterate start() {
        return PairIterate.constant(this, 0.0, 0.0);
    }

    @Override
    public String toString() {
        return "l1 toy, n = " + n;
    }
}
