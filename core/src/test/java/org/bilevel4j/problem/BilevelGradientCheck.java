package org.bilevel4j.problem;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToDoubleBiFunction;
import org.bilevel4j.linalg.MatOps;
import org.ejml.data.DMatrixRMaj;

/**
 * Test fixture: checks every partial gradient of a {@link BilevelProblem} (F, f and g in x; F and f
 * in y) against central differences of its values along random directions,
 * {@code <grad, d> ~ [v(z + h d) - v(z - h d)] / (2 h)}, with {@code h = cbrt(eps) max(1, ||z||)}
 * and d of unit norm. Reused by the modules that define problems (core test-jar).
 */
public final class BilevelGradientCheck {

    private BilevelGradientCheck() {
    }

    /** One failed comparison. */
    public record Mismatch(String what, int direction, double analytic, double numeric) {
        @Override
        public String toString() {
            return what + " along direction " + direction + ": analytic " + analytic + ", central difference "
                    + numeric;
        }
    }

    /**
     * @param tol the allowed difference relative to {@code max(scale, |numeric|)}
     * @param scale the absolute floor of the comparison (the size of a typical directional derivative)
     * @return the mismatches (empty when all gradients agree)
     */
    public static List<Mismatch> check(BilevelProblem p, DMatrixRMaj x, DMatrixRMaj y, int directions, long seed,
            double tol, double scale) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Mismatch> bad = new ArrayList<>();
        DMatrixRMaj gx = new DMatrixRMaj(x.numRows, x.numCols);
        DMatrixRMaj gy = new DMatrixRMaj(y.numRows, y.numCols);
        for (int k = 0; k < directions; k++) {
            DMatrixRMaj dx = unit(x.numRows, x.numCols, rnd);
            DMatrixRMaj dy = unit(y.numRows, y.numCols, rnd);
            p.upperGradientX(x, y, gx);
            compare(bad, "grad_x F", k, MatOps.dot(gx, dx), alongX(p::upperValue, x, y, dx), tol, scale);
            p.upperGradientY(x, y, gy);
            compare(bad, "grad_y F", k, MatOps.dot(gy, dy), alongY(p::upperValue, x, y, dy), tol, scale);
            p.lowerSmoothGradientX(x, y, gx);
            compare(bad, "grad_x f", k, MatOps.dot(gx, dx), alongX(p::lowerSmoothValue, x, y, dx), tol, scale);
            p.lowerSmoothGradientY(x, y, gy);
            compare(bad, "grad_y f", k, MatOps.dot(gy, dy), alongY(p::lowerSmoothValue, x, y, dy), tol, scale);
            if (p.hasNonsmoothLower()) {
                p.lowerNonsmoothGradientX(x, y, gx);
                compare(bad, "grad_x g", k, MatOps.dot(gx, dx), alongX(p::lowerNonsmoothValue, x, y, dx), tol,
                        scale);
            }
        }
        return bad;
    }

    private static void compare(List<Mismatch> bad, String what, int k, double analytic, double numeric, double tol,
            double scale) {
        if (!(Math.abs(analytic - numeric) <= tol * Math.max(scale, Math.abs(numeric)))) {
            bad.add(new Mismatch(what, k, analytic, numeric));
        }
    }

    private static double step(DMatrixRMaj z) {
        return Math.cbrt(Math.ulp(1.0)) * Math.max(1.0, Math.sqrt(MatOps.normSq(z)));
    }

    private static double alongX(ToDoubleBiFunction<DMatrixRMaj, DMatrixRMaj> v, DMatrixRMaj x, DMatrixRMaj y,
            DMatrixRMaj d) {
        double h = step(x);
        DMatrixRMaj xp = new DMatrixRMaj(x.numRows, x.numCols);
        DMatrixRMaj xm = new DMatrixRMaj(x.numRows, x.numCols);
        MatOps.combine(1.0, x, h, d, xp);
        MatOps.combine(1.0, x, -h, d, xm);
        return (v.applyAsDouble(xp, y) - v.applyAsDouble(xm, y)) / (2 * h);
    }

    private static double alongY(ToDoubleBiFunction<DMatrixRMaj, DMatrixRMaj> v, DMatrixRMaj x, DMatrixRMaj y,
            DMatrixRMaj d) {
        double h = step(y);
        DMatrixRMaj yp = new DMatrixRMaj(y.numRows, y.numCols);
        DMatrixRMaj ym = new DMatrixRMaj(y.numRows, y.numCols);
        MatOps.combine(1.0, y, h, d, yp);
        MatOps.combine(1.0, y, -h, d, ym);
        return (v.applyAsDouble(x, yp) - v.applyAsDouble(x, ym)) / (2 * h);
    }

    /** @return a random direction of unit Frobenius norm */
    public static DMatrixRMaj unit(int rows, int cols, SplittableRandom rnd) {
        DMatrixRMaj d = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < d.getNumElements(); i++) {
            d.data[i] = rnd.nextDouble(-1, 1);
        }
        double n = Math.sqrt(MatOps.normSq(d));
        for (int i = 0; i < d.getNumElements(); i++) {
            d.data[i] /= n;
        }
        return d;
    }
}
