package org.bilevel4j.apps.toys;

import org.bilevel4j.function.SmoothFunction;
import org.bilevel4j.linalg.MatOps;
import org.ejml.data.DMatrixRMaj;

/**
 * The quartic whose minimizers form the unit sphere:
 * <pre>
 *   g(x) = 1/4 (||x||^2 - 1)^2,    grad g(x) = (||x||^2 - 1) x.
 * </pre>
 * Minimizers: {@code ||x|| = 1} (g = 0); one more stationary point, the local maximum at the origin
 * (g = 1/4). Its gradient is not globally Lipschitz (no constant is reported); on the ball of radius
 * R it is Lipschitz with {@code 3 R^2 - 1} for {@code R >= 1}. Any shape: the norm is Frobenius.
 * The level set {@code g = v} is the sphere of radius {@code sqrt(1 +- 2 sqrt(v))}.
 */
public final class CircleQuartic implements SmoothFunction {

    @Override
    public double value(DMatrixRMaj x) {
        double s = MatOps.normSq(x) - 1;
        return 0.25 * s * s;
    }

    @Override
    public double valueAndGradient(DMatrixRMaj x, DMatrixRMaj gradient) {
        MatOps.checkSameShape(x, gradient);
        double s = MatOps.normSq(x) - 1;
        for (int i = 0; i < x.getNumElements(); i++) {
            gradient.data[i] = s * x.data[i];
        }
        return 0.25 * s * s;
    }

    /**
     * The radii of the level set {@code g = level} in the plane: {@code sqrt(1 + 2 sqrt(level))} and,
     * for {@code level < 1/4}, {@code sqrt(1 - 2 sqrt(level))}. g is radial, so its contours are circles.
     *
     * @param level nonnegative
     * @return one or two radii, largest first
     */
    public static double[] levelRadii(double level) {
        if (!(level >= 0)) {
            throw new IllegalArgumentException("level must be nonnegative, got " + level);
        }
        double t = 2 * Math.sqrt(level);
        double outer = Math.sqrt(1 + t);
        return t < 1 ? new double[] {outer, Math.sqrt(1 - t)} : new double[] {outer};
    }

    @Override
    public String toString() {
        return "CircleQuartic";
    }
}
