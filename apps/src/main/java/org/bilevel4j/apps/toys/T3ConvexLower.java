package org.bilevel4j.apps.toys;

import org.bilevel4j.problem.Box;
import org.bilevel4j.problem.MinimaxBilevelPoint;
import org.bilevel4j.problem.MinimaxBilevelProblem;
import org.ejml.data.DMatrixRMaj;

/**
 * T3, a plain convex lower level with a line of solutions (no y2, no x2), all variables in [-10, 10]:
 * <pre>
 *   lower: min_y 1/2 (y_1 + y_2 - x)^2          upper: min_x 1/2 ||y||^2 + 1/2 (x - 2)^2
 * </pre>
 * The upper level picks {@code y = (x/2, x/2)} on the line {@code y_1 + y_2 = x}, then
 * {@code x* = 4/3}, {@code y* = (2/3, 2/3)}, value 2/3. The lower gap is {@code 1/2 (y_1 + y_2 - x)^2}.
 */
public final class T3ConvexLower implements MinimaxToy {

    private static final Box X = Box.cube(1, -10, 10);
    private static final Box Y = Box.cube(2, -10, 10);

    private final Problem problem = new Problem();

    @Override
    public String name() {
        return "T3";
    }

    @Override
    public String description() {
        return "plain convex lower level 1/2 (y1 + y2 - x)^2 with many solutions";
    }

    @Override
    public MinimaxBilevelProblem problem() {
        return problem;
    }

    @Override
    public MinimaxBilevelPoint solution() {
        return MinimaxBilevelPoint.of(new double[] {4.0 / 3}, new double[0], new double[] {2.0 / 3, 2.0 / 3},
                new double[0]);
    }

    @Override
    public double solutionValue() {
        return 2.0 / 3;
    }

    @Override
    public MinimaxBilevelPoint start() {
        return MinimaxBilevelPoint.of(new double[] {0}, new double[0], new double[] {0, 0}, new double[0]);
    }

    @Override
    public double lowerGap(MinimaxBilevelPoint p) {
        double r = p.y1().data[0] + p.y1().data[1] - p.x1().data[0];
        return 0.5 * r * r; // min_z is 0: z_1 + z_2 = x is reachable in the box for |x| <= 10
    }

    private static final class Problem implements MinimaxBilevelProblem {
        @Override
        public Box x1Domain() {
            return X;
        }

        @Override
        public Box x2Domain() {
            return Box.none();
        }

        @Override
        public Box y1Domain() {
            return Y;
        }

        @Override
        public Box y2Domain() {
            return Box.none();
        }

        @Override
        public double upperValue(DMatrixRMaj x1, DMatrixRMaj x2, DMatrixRMaj y1, DMatrixRMaj y2) {
            double a = y1.data[0];
            double b = y1.data[1];
            double d = x1.data[0] - 2;
            return 0.5 * (a * a + b * b) + 0.5 * d * d;
        }

        @Override
        public double upperValueAndGradient(DMatrixRMaj x1, DMatrixRMaj x2, DMatrixRMaj y1, DMatrixRMaj y2,
                DMatrixRMaj gx1, DMatrixRMaj gx2, DMatrixRMaj gy1, DMatrixRMaj gy2) {
            gx1.data[0] = x1.data[0] - 2;
            gy1.data[0] = y1.data[0];
            gy1.data[1] = y1.data[1];
            return upperValue(x1, x2, y1, y2);
        }

        @Override
        public double lowerValue(DMatrixRMaj x1, DMatrixRMaj y1, DMatrixRMaj y2) {
            double r = y1.data[0] + y1.data[1] - x1.data[0];
            return 0.5 * r * r;
        }

        @Override
        public double lowerValueAndGradient(DMatrixRMaj x1, DMatrixRMaj y1, DMatrixRMaj y2, DMatrixRMaj gx1,
                DMatrixRMaj gy1, DMatrixRMaj gy2) {
            double r = y1.data[0] + y1.data[1] - x1.data[0];
            gx1.data[0] = -r;
            gy1.data[0] = r;
            gy1.data[1] = r;
            return 0.5 * r * r;
        }

        @Override
        public String toString() {
            return "T3";
        }
    }
}
