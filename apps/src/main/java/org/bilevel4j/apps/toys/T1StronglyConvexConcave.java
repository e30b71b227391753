package org.bilevel4j.apps.toys;

import org.bilevel4j.problem.Box;
import org.bilevel4j.problem.MinimaxBilevelPoint;
import org.bilevel4j.problem.MinimaxBilevelProblem;
import org.ejml.data.DMatrixRMaj;

/**
 * T1, a strongly-convex-strongly-concave lower level, all variables scalar in [-10, 10]:
 * <pre>
 *   ft(x1, y1, y2) = (a/2)(y1 - x1)^2 + c y1 y2 - (b/2) y2^2
 *   f(x1, x2, y1, y2) = 1/2 (x1 - p)^2 + x2 (y1 + y2 - q) - (mu/2) x2^2
 * </pre>
 * The lower saddle point is {@code y1 = k x1}, {@code y2 = (c/b) y1} with {@code k = ab / (ab + c^2)};
 * with {@code s = k (1 + c/b)} the upper level gives {@code x2 = (s x1 - q) / mu} and
 * {@code x1 = (p + s q / mu) / (1 + s^2 / mu)}. With a = b = c = p = mu = 1 and q = 3:
 * {@code x1* = 2}, {@code y1* = y2* = 1}, {@code x2* = -1}, value 1.
 */
public final class T1StronglyConvexConcave implements MinimaxToy {

    private static final Box BOX = Box.cube(1, -10, 10);

    final double a;
    final double b;
    final double c;
    final double p;
    final double q;
    final double mu;
    private final Problem problem = new Problem();

    /** The instance of the method page: a = b = c = p = mu = 1, q = 3. */
    public T1StronglyConvexConcave() {
        this(1, 1, 1, 1, 3, 1);
    }

    /**
     * An instance with other coefficients (a, b, mu positive; the solution must lie inside the box).
     *
     * @param a the coefficient a, positive
     * @param b the coefficient b, positive
     * @param c the coupling c of y1 and y2
     * @param p the target p of x1
     * @param q the target q of y1 + y2
     * @param mu the strong concavity mu of f in x2, positive
     */
    public T1StronglyConvexConcave(double a, double b, double c, double p, double q, double mu) {
        if (!(a > 0 && b > 0 && mu > 0)) {
            throw new IllegalArgumentException("T1 needs a, b, mu > 0");
        }
        this.a = a;
        this.b = b;
        this.c = c;
        this.p = p;
        this.q = q;
        this.mu = mu;
    }

    @Override
    public String name() {
        return "T1";
    }

    @Override
    public String description() {
        return "strongly convex-concave lower level (a y1^2/2 + c y1 y2 - b y2^2/2)";
    }

    @Override
    public MinimaxBilevelProblem problem() {
        return problem;
    }

    @Override
    public MinimaxBilevelPoint solution() {
        double k = a * b / (a * b + c * c);
        double s = k * (1 + c / b);
        double x1 = (p + s * q / mu) / (1 + s * s / mu);
        double y1 = k * x1;
        double y2 = c / b * y1;
        double x2 = (s * x1 - q) / mu;
        return MinimaxBilevelPoint.of(new double[] {x1}, new double[] {x2}, new double[] {y1}, new double[] {y2});
    }

    @Override
    public double solutionValue() {
        MinimaxBilevelPoint s = solution();
        return problem.upperValue(s.x1(), s.x2(), s.y1(), s.y2());
    }

    @Override
    public MinimaxBilevelPoint start() {
        return MinimaxBilevelPoint.of(new double[] {0}, new double[] {0}, new double[] {0}, new double[] {0});
    }

    @Override
    public double lowerGap(MinimaxBilevelPoint pt) {
        double x1 = pt.x1().data[0];
        double y1 = pt.y1().data[0];
        double y2 = pt.y2().data[0];
        double z2 = clip(c * y1 / b);
        double z1 = clip(x1 - c * y2 / a);
        return ft(x1, y1, z2) - ft(x1, z1, y2);
    }

    double ft(double x1, double y1, double y2) {
        double d = y1 - x1;
        return 0.5 * a * d * d + c * y1 * y2 - 0.5 * b * y2 * y2;
    }

    private static double clip(double v) {
        return Math.max(-10, Math.min(10, v));
    }

    private final class Problem implements MinimaxBilevelProblem {
        @Override
        public Box x1Domain() {
            return BOX;
        }

        @Override
        public Box x2Domain() {
            return BOX;
        }

        @Override
        public Box y1Domain() {
            return BOX;
        }

        @Override
        public Box y2Domain() {
            return BOX;
        }

        @Override
        public double upperValue(DMatrixRMaj x1, DMatrixRMaj x2, DMatrixRMaj y1, DMatrixRMaj y2) {
            double u = x1.data[0];
            double w = x2.data[0];
            double d = u - p;
            return 0.5 * d * d + w * (y1.data[0] + y2.data[0] - q) - 0.5 * mu * w * w;
        }

        @Override
        public double upperValueAndGradient(DMatrixRMaj x1, DMatrixRMaj x2, DMatrixRMaj y1, DMatrixRMaj y2,
                DMatrixRMaj gx1, DMatrixRMaj gx2, DMatrixRMaj gy1, DMatrixRMaj gy2) {
            double w = x2.data[0];
            gx1.data[0] = x1.data[0] - p;
            gx2.data[0] = y1.data[0] + y2.data[0] - q - mu * w;
            gy1.data[0] = w;
            gy2.data[0] = w;
            return upperValue(x1, x2, y1, y2);
        }

        @Override
        public double lowerValue(DMatrixRMaj x1, DMatrixRMaj y1, DMatrixRMaj y2) {
            return ft(x1.data[0], y1.data[0], y2.data[0]);
        }

        @Override
        public double lowerValueAndGradient(DMatrixRMaj x1, DMatrixRMaj y1, DMatrixRMaj y2, DMatrixRMaj gx1,
                DMatrixRMaj gy1, DMatrixRMaj gy2) {
            double u = x1.data[0];
            double s = y1.data[0];
            double t = y2.data[0];
            gx1.data[0] = -a * (s - u);
            gy1.data[0] = a * (s - u) + c * t;
            gy2.data[0] = c * s - b * t;
            return ft(u, s, t);
        }

        @Override
        public String toString() {
            return "T1";
        }
    }
}
