package org.bilevel4j.apps.toys;

import java.util.Optional;
import org.bilevel4j.problem.BilevelProblem;
import org.bilevel4j.problem.PairIterate;
import org.ejml.data.DMatrixRMaj;

/**
 * Toy (b) of the MEHA paper: a nonconvex lower level. x, y in R^n, a = c = 2e:
 * <pre>
 *   F(x, y) = ||x - a||^2 + ||y - a - c||^2,    f(x, y) = sum_i sin(x_i + y_i - c_i),    g = 0.
 * </pre>
 * The lower level's minimizers are {@code y_i = c_i - x_i - pi/2 + 2 pi k}; the best branch gives,
 * per coordinate, {@code x*_i = 3 pi / 4} and {@code y*_i = 3 pi / 4 + 2}. Start: x = -6 e, y = 0.
 */
public final class NonconvexToy implements BilevelProblem {

    private static final double A = 2.0;
    private static final double C = 2.0;

    private final int n;

    /** @param n the dimension, at least 1 */
    public NonconvexToy(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1, got " + n);
        }
        this.n = n;
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
            double u = x.data[i] - A;
            double v = y.data[i] - A - C;
            s += u * u + v * v;
        }
        return s;
    }

    @Override
    public void upperGradientX(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj out) {
        for (int i = 0; i < n; i++) {
            out.data[i] = 2 * (x.data[i] - A);
        }
    }

    @Override
    public void upperGradientY(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj out) {
        for (int i = 0; i < n; i++) {
            out.data[i] = 2 * (y.data[i] - A - C);
        }
    }

    @Override
    public double lowerSmoothValue(DMatrixRMaj x, DMatrixRMaj y) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += Math.sin(x.data[i] + y.data[i] - C);
        }
        return s;
    }

    @Override
    public void lowerSmoothGradientX(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj out) {
        for (int i = 0; i < n; i++) {
            out.data[i] = Math.cos(x.data[i] + y.data[i] - C);
        }
    }

    @Override
    public void lowerSmoothGradientY(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj out) {
        lowerSmoothGradientX(x, y, out);
    }

    @Override
    public Optional<PairIterate> referenceSolution() {
        double xs = 3 * Math.PI / 4;
        return Optional.of(PairIterate.constant(this, xs, xs + 2));
    }

    /** @return the start of the method page: x = -6 e, y = 0 */
    public PairIterate start() {
        return PairIterate.constant(this, -6.0, 0.0);
    }

    @Override
    public String toString() {
        return "nonconvex toy, n = " + n;
    }
}
