package org.bilevel4j.solver.minimax;

import org.bilevel4j.problem.Box;
import org.bilevel4j.problem.MinimaxBilevelProblem;
import org.ejml.data.DMatrixRMaj;

/**
 * A non-quadratic bilevel minimax problem with every block present (x1, y1, y2 in R^2, x2 in R):
 * <pre>
 *   f  = 1/2 ||x1 - p||^2 + sin(x1_0 y1_1) + x2 (y1_0 + y2_1 - 1) - x2^2 / 2 + 0.3 (y2_0 y1_1)^2 + 0.1 x1_1 y2_0
 *   ft = 1/2 ||y1 - M x1||^2 + y1^T K y2 - 1/2 ||y2||^2 + 0.2 exp(0.1 x1_0) y2_0
 * </pre>
 * ft is strongly convex in y1 and strongly concave in y2; f is concave in x2.
 */
final class SmoothTestProblem implements MinimaxBilevelProblem {

    static final double[] P = {0.5, -1};
    static final double[][] M = {{1, 0.5}, {-0.3, 2}};
    static final double[][] K = {{0.7, -1}, {0.2, 0.4}};

    @Override
    public Box x1Domain() {
        return Box.cube(2, -3, 3);
    }

    @Override
    public Box x2Domain() {
        return Box.cube(1, -4, 4);
    }

    @Override
    public Box y1Domain() {
        return Box.cube(2, -5, 5);
    }

    @Override
    public Box y2Domain() {
        return Box.cube(2, -5, 5);
    }

    @Override
    public double upperValue(DMatrixRMaj x1, DMatrixRMaj x2, DMatrixRMaj y1, DMatrixRMaj y2) {
        double[] a = x1.data;
        double w = x2.data[0];
        double[] s = y1.data;
        double[] t = y2.data;
        double d0 = a[0] - P[0];
        double d1 = a[1] - P[1];
        double q = t[0] * s[1];
        return 0.5 * (d0 * d0 + d1 * d1) + Math.sin(a[0] * s[1]) + w * (s[0] + t[1] - 1) - 0.5 * w * w
                + 0.3 * q * q + 0.1 * a[1] * t[0];
    }

    @Override
    public double upperValueAndGradient(DMatrixRMaj x1, DMatrixRMaj x2, DMatrixRMaj y1, DMatrixRMaj y2,
            DMatrixRMaj gx1, DMatrixRMaj gx2, DMatrixRMaj gy1, DMatrixRMaj gy2) {
        double[] a = x1.data;
        double w = x2.data[0];
        double[] s = y1.data;
        double[] t = y2.data;
        double c = Math.cos(a[0] * s[1]);
        gx1.data[0] = a[0] - P[0] + c * s[1];
        gx1.data[1] = a[1] - P[1] + 0.1 * t[0];
        gx2.data[0] = s[0] + t[1] - 1 - w;
        gy1.data[0] = w;
        gy1.data[1] = c * a[0] + 0.6 * t[0] * t[0] * s[1];
        gy2.data[0] = 0.6 * t[0] * s[1] * s[1] + 0.1 * a[1];
        gy2.data[1] = w;
        return upperValue(x1, x2, y1, y2);
    }

    @Override
    public double lowerValue(DMatrixRMaj x1, DMatrixRMaj y1, DMatrixRMaj y2) {
        double[] a = x1.data;
        double[] s = y1.data;
        double[] t = y2.data;
        double r0 = s[0] - (M[0][0] * a[0] + M[0][1] * a[1]);
        double r1 = s[1] - (M[1][0] * a[0] + M[1][1] * a[1]);
        double bil = s[0] * (K[0][0] * t[0] + K[0][1] * t[1]) + s[1] * (K[1][0] * t[0] + K[1][1] * t[1]);
        return 0.5 * (r0 * r0 + r1 * r1) + bil - 0.5 * (t[0] * t[0] + t[1] * t[1]) + 0.2 * Math.exp(0.1 * a[0]) * t[0];
    }

    @Override
    public double lowerValueAndGradient(DMatrixRMaj x1, DMatrixRMaj y1, DMatrixRMaj y2, DMatrixRMaj gx1,
            DMatrixRMaj gy1, DMatrixRMaj gy2) {
        double[] a = x1.data;
        double[] s = y1.data;
        double[] t = y2.data;
        double r0 = s[0] - (M[0][0] * a[0] + M[0][1] * a[1]);
        double r1 = s[1] - (M[1][0] * a[0] + M[1][1] * a[1]);
        double e = Math.exp(0.1 * a[0]);
        gx1.data[0] = -(M[0][0] * r0 + M[1][0] * r1) + 0.02 * e * t[0];
        gx1.data[1] = -(M[0][1] * r0 + M[1][1] * r1);
        gy1.data[0] = r0 + K[0][0] * t[0] + K[0][1] * t[1];
        gy1.data[1] = r1 + K[1][0] * t[0] + K[1][1] * t[1];
        gy2.data[0] = K[0][0] * s[0] + K[1][0] * s[1] - t[0] + 0.2 * e;
        gy2.data[1] = K[0][1] * s[0] + K[1][1] * s[1] - t[1];
        return lowerValue(x1, y1, y2);
    }
}
