package org.bilevel4j.apps.toys;

import org.bilevel4j.problem.Box;
import org.bilevel4j.problem.MinimaxBilevelPoint;
import org.bilevel4j.problem.MinimaxBilevelProblem;
import org.ejml.data.DMatrixRMaj;

/**
 * T2, a bilinear lower level without strong convexity or concavity:
 * <pre>
 *   ft(x1, y1, y2) = y2 (y1 - x1),   y1 in [-5, 5],  y2 in [-1, 1]
 *   f(x1, x2, y1, y2) = 1/2 (x1 - 1)^2 + 1/2 (y1 - 2)^2 + x2 y2 - 1/2 x2^2,   x1, x2 in [-10, 10]
 * </pre>
 * The lower saddle point is {@code (y1, y2) = (x1, 0)}; then {@code x2 = 0} and
 * {@code x1* = y1* = 1.5}, value 0.25. The lower gap is {@code |y1 - x1| + 5 |y2| + y2 x1}.
 */
public final class T2Bilinear implements MinimaxToy {

    private static final Box X = Box.cube(1, -10, 10);
    private static final Box Y1 = Box.cube(1, -5, 5);
    private static final Box Y2 = Box.cube(1, -1, 1);

    private final Problem problem = new Problem();

    @Override
    public String name() {
        return "T2";
    }

    @Override
    public String description() {
        return "bilinear lower level y2 (y1 - x1), no strong convexity";
    }

    @Override
    public MinimaxBilevelProblem problem() {
        return problem;
    }

    @Override
    public MinimaxBilevelPoint solution() {
        return MinimaxBilevelPoint.of(new double[] {1.5}, new double[] {0}, new double[] {1.5}, new double[] {0});
    }

    @Override
    public double solutionValue() {
        return 0.25;
    }

    @Override
    public MinimaxBilevelPoint start() {
        return MinimaxBilevelPoint.of(new double[] {0}, new double[] {0}, new double[] {0}, new double[] {0});
    }

    @Override
    public double lowerGap(MinimaxBilevelPoint p) {
        double x1 = p.x1().data[0];
        double y1 = p.y1().data[0];
        double y2 = p.y2().data[0];
        // max_{z2 in [-1,1]} z2 (y1 - x1) - min_{z1 in [-5,5]} y2 (z1 - x1)
        return Math.abs(y1 - x1) + 5 * Math.abs(y2) + y2 * x1;
    }

    private static final class Problem implements MinimaxBilevelProblem {
        @Override
        public Box x1Domain() {
            return X;
        }

        @Override
        public Box x2Domain() {
            return X;
        }

        @Override
        public Box y1Domain() {
            return Y1;
        }

        @Override
        public Box y2Domain() {
            return Y2;
        }

        @Override
        public double upperValue(DMatrixRMaj x1, DMatrixRMaj x2, DMatrixRMaj y1, DMatrixRMaj y2) {
            double a = x1.data[0] - 1;
            double b = y1.data[0] - 2;
            double w = x2.data[0];
            return 0.5 * a * a + 0.5 * b * b + w * y2.data[0] - 0.5 * w * w;
        }

        @Override
        public double upperValueAndGradient(DMatrixRMaj x1, DMatrixRMaj x2, DMatrixRMaj y1, DMatrixRMaj y2,
                DMatrixRMaj gx1, DMatrixRMaj gx2, DMatrixRMaj gy1, DMatrixRMaj gy2) {
            gx1.data[0] = x1.data[0] - 1;
            gx2.data[0] = y2.data[0] - x2.data[0];
            gy1.data[0] = y1.data[0] - 2;
            gy2.data[0] = x2.data[0];
            return upperValue(x1, x2, y1, y2);
        }

        @Override
        public double lowerValue(DMatrixRMaj x1, DMatrixRMaj y1, DMatrixRMaj y2) {
            return y2.data[0] * (y1.data[0] - x1.data[0]);
        }

        @Override
        public double lowerValueAndGradient(DMatrixRMaj x1, DMatrixRMaj y1, DMatrixRMaj y2, DMatrixRMaj gx1,
                DMatrixRMaj gy1, DMatrixRMaj gy2) {
            gx1.data[0] = -y2.data[0];
            gy1.data[0] = y2.data[0];
            gy2.data[0] = y1.data[0] - x1.data[0];
            return lowerValue(x1, y1, y2);
        }

        @Override
        public String toString() {
            return "T2";
        }
    }
}
