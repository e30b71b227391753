package org.bilevel4j.apps.toys;

import java.util.Optional;
import org.bilevel4j.problem.BilevelProblem;
import org.bilevel4j.problem.PairIterate;
import org.ejml.data.DMatrixRMaj;

/**
 * Toy (a) of the MEHA paper: a merely convex lower level with non-unique solutions. x in R^n,
 * y = (y1, y2) in R^n x R^n stored as one 2n x 1 vector (y1 first):
 * <pre>
 *   F(x, y) = 1/2 ||x - y2||^2 + 1/2 ||y1 - e||^2,    f(x, y) = 1/2 ||y1||^2 - x^T y1,    g = 0.
 * </pre>
 * The lower level fixes {@code y1 = x} and leaves y2 free; the solution is {@code x* = e},
 * {@code y* = (e, e)}. Start: every entry 0.01.
 */
public final class MerelyConvexToy implements BilevelProblem {

    private final int n;

    /** @param n the dimension of x, at least 1 */
    public MerelyConvexToy(int n) {
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
        return 2 * n;
    }

    @Override
    public double upperValue(DMatrixRMaj x, DMatrixRMaj y) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            double a = x.data[i] - y.data[n + i];
            double b = y.data[i] - 1.0;
            s += a * a + b * b;
        }
        return 0.5 * s;
    }

    @Override
    public void upperGradientX(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj out) {
        for (int i = 0; i < n; i++) {
            out.data[i] = x.data[i] - y.data[n + i];
        }
    }

    @Override
    public void upperGradientY(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj out) {
        for (int i = 0; i < n; i++) {
            out.data[i] = y.data[i] - 1.0;
            out.data[n + i] = y.data[n + i] - x.data[i];
        }
    }

    @Override
    public double lowerSmoothValue(DMatrixRMaj x, DMatrixRMaj y) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += 0.5 * y.data[i] * y.data[i] - x.data[i] * y.data[i];
        }
        return s;
    }

    @Override
    public void lowerSmoothGradientX(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj out) {
        for (int i = 0; i < n; i++) {
            out.data[i] = -y.data[i];
        }
    }

    @Override
    public void lowerSmoothGradientY(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj out) {
        for (int i = 0; i < n; i++) {
            out.data[i] = y.data[i] - x.data[i];
            out.data[n + i] = 0.0;
        }
    }

    @Override
    public Optional<PairIterate> referenceSolution() {
        return Optional.of(PairIterate.constant(this, 1.0, 1.0));
    }

    /** @return the start of the method page: every entry 0.01 */
    public PairIterate start() {
        return PairIterate.constant(this, 0.01, 0.01);
    }

    @Override
    public String toString() {
        return "merely-convex toy, n = " + n;
    }
}
