package org.bilevel4j.apps.toys;

import org.bilevel4j.problem.Box;
import org.bilevel4j.problem.ConstrainedLowerLevel;
import org.bilevel4j.problem.MinimaxBilevelPoint;
import org.bilevel4j.problem.MinimaxBilevelProblem;
import org.bilevel4j.problem.UpperLevel;
import org.ejml.data.DMatrixRMaj;

/**
 * T4, a constrained lower level turned into a saddle problem by Lagrangian duality:
 * <pre>
 *   lower: min_{y in [-10, 10]} 1/2 y^2  s.t.  x - y &lt;= 0
 *   upper: min_{x in [-10, 4]} 1/2 (x - 2)^2 + 1/2 (y - 1)^2
 * </pre>
 * Solution {@code x* = y* = 1.5}, multiplier 1.5, value 0.25. X stops at 4 so that a Slater point
 * exists for every x: {@code z_s = 8} has margin {@code 8 - 4 = 4}, and with {@code fb >= 0} the
 * multiplier bound is {@code (32 - 0) / 4 = 8}; the multipliers live in {@code [0, 10]} (1.25 times the
 * bound). With X = [-10, 10] no point of Z would be strictly feasible at x = 10.
 */
public final class T4ConstrainedLower implements MinimaxToy {

    private static final Box X = Box.of(new double[] {-10}, new double[] {4});
    private static final Box Z = Box.cube(1, -10, 10);

    /** fb = 1/2 z^2. */
    static final ConstrainedLowerLevel.Objective OBJECTIVE = new ConstrainedLowerLevel.Objective() {
        @Override
        public double value(DMatrixRMaj x, DMatrixRMaj z) {
            return 0.5 * z.data[0] * z.data[0];
        }

        @Override
        public double valueAndGradient(DMatrixRMaj x, DMatrixRMaj z, DMatrixRMaj gx, DMatrixRMaj gz) {
            gx.data[0] = 0;
            gz.data[0] = z.data[0];
            return value(x, z);
        }
    };

    /** gb = x - z. */
    static final ConstrainedLowerLevel.Constraints CONSTRAINTS = new ConstrainedLowerLevel.Constraints() {
        @Override
        public int count() {
            return 1;
        }

        @Override
        public void values(DMatrixRMaj x, DMatrixRMaj z, DMatrixRMaj out) {
            out.data[0] = x.data[0] - z.data[0];
        }

        @Override
        public void addWeightedGradient(DMatrixRMaj x, DMatrixRMaj z, DMatrixRMaj lambda, DMatrixRMaj gx,
                DMatrixRMaj gz) {
            gx.data[0] += lambda.data[0];
            gz.data[0] -= lambda.data[0];
        }
    };

    /** F = 1/2 (x - 2)^2 + 1/2 (y - 1)^2. */
    static final UpperLevel UPPER = new UpperLevel() {
        @Override
        public Box x2Domain() {
            return Box.none();
        }

        @Override
        public double value(DMatrixRMaj x1, DMatrixRMaj x2, DMatrixRMaj y) {
            double a = x1.data[0] - 2;
            double b = y.data[0] - 1;
            return 0.5 * a * a + 0.5 * b * b;
        }

        @Override
        public double valueAndGradient(DMatrixRMaj x1, DMatrixRMaj x2, DMatrixRMaj y, DMatrixRMaj gx1,
                DMatrixRMaj gx2, DMatrixRMaj gy) {
            gx1.data[0] = x1.data[0] - 2;
            gy.data[0] = y.data[0] - 1;
            return value(x1, x2, y);
        }
    };

    private final ConstrainedLowerLevel lower;
    private final MinimaxBilevelProblem problem;

    /** The instance above. */
    public T4ConstrainedLower() {
        lower = ConstrainedLowerLevel.builder(X, Z, OBJECTIVE, CONSTRAINTS).slaterPoint(8.0).objectiveLowerBound(0)
                .build();
        problem = lower.withUpper(UPPER);
    }

    /** @return the constrained lower level with its multiplier bound */
    public ConstrainedLowerLevel lowerLevel() {
        return lower;
    }

    @Override
    public String name() {
        return "T4";
    }

    @Override
    public String description() {
        return "constrained lower level min y^2/2 s.t. x <= y, through Lagrangian duality";
    }

    @Override
    public MinimaxBilevelProblem problem() {
        return problem;
    }

    @Override
    public MinimaxBilevelPoint solution() {
        return MinimaxBilevelPoint.of(new double[] {1.5}, new double[0], new double[] {1.5}, new double[] {1.5});
    }

    @Override
    public double solutionValue() {
        return 0.25;
    }

    @Override
    public MinimaxBilevelPoint start() {
        return MinimaxBilevelPoint.of(new double[] {0}, new double[0], new double[] {0}, new double[] {0});
    }

    @Override
    public double lowerGap(MinimaxBilevelPoint p) {
        double x = p.x1().data[0];
        double y = p.y1().data[0];
        double lam = p.y2().data[0];
        double cap = lower.multiplierDomain().upper(0);
        double maxPart = 0.5 * y * y + cap * Math.max(x - y, 0); // max over mu in [0, B]
        double z = Math.max(Z.lower(0), Math.min(Z.upper(0), lam)); // argmin_z 1/2 z^2 - lam z
        double minPart = 0.5 * z * z + lam * (x - z);
        return maxPart - minPart;
    }

    /** @return the error in x and y (the multiplier is reported by {@link #multiplierError}) */
    @Override
    public double error(MinimaxBilevelPoint p) {
        return Math.max(Math.abs(p.x1().data[0] - 1.5), Math.abs(p.y1().data[0] - 1.5));
    }

    @Override
    public double multiplierError(MinimaxBilevelPoint p) {
        return Math.abs(p.y2().data[0] - 1.5);
    }
}
