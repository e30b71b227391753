package org.bilevel4j.solver.composite;

import org.bilevel4j.function.BoxedQuadratic;
import org.bilevel4j.problem.BlockCompositeBilevelProblem;
import org.bilevel4j.problem.BlockIterate;
import org.ejml.data.DMatrixRMaj;

/**
 * A three-variable problem for hand computations: the joint variable {@code w = (x0, x1, y0)}, the
 * coupling {@link SumCoupling} and four {@link BoxedQuadratic} terms given coordinate-wise here
 * ({@code q_i(w_i) = a_i/2 w_i^2 + b_i w_i}, plus a constant per block), upper and lower level on the
 * same boxes {@code [0, 3]^2} and {@code [0, 5]} (as Tikhonov continuation needs). The arrays are the
 * source of the reference computations in the tests, written out from the method pages' formulas.
 */
final class TinyProblem {

    static final double[] A1 = {1, 4, 2};
    static final double[] B1 = {-2, 1, -3};
    static final double C1X = 0.5;
    static final double C1Y = 0;
    static final double[] A2 = {0.5, 0, 1};
    static final double[] B2 = {1, -2, -1};
    static final double C2X = 0;
    static final double C2Y = 0.25;
    static final double[] LO = {0, 0, 0};
    static final double[] HI = {3, 3, 5};
    /** the start point */
    static final double[] W0 = {2.5, 0.5, 1};

    private TinyProblem() {
    }

    static DMatrixRMaj col(double... v) {
        return new DMatrixRMaj(v.length, 1, true, v);
    }

    static BoxedQuadratic xTerm(double[] a, double[] b, double c) {
        return new BoxedQuadratic(col(a[0], a[1]), col(b[0], b[1]), c, col(LO[0], LO[1]), col(HI[0], HI[1]));
    }

    static BoxedQuadratic yTerm(double[] a, double[] b, double c) {
        return new BoxedQuadratic(col(a[2]), col(b[2]), c, col(LO[2]), col(HI[2]));
    }

    static BlockCompositeBilevelProblem problem(SumCoupling h) {
        return BlockCompositeBilevelProblem.builder(h).upper(xTerm(A1, B1, C1X), yTerm(A1, B1, C1Y))
                .lower(xTerm(A2, B2, C2X), yTerm(A2, B2, C2Y)).build();
    }

    static BlockIterate start() {
        return new BlockIterate(col(W0[0], W0[1]), col(W0[2]));
    }

    static double[] joint(BlockIterate it) {
        return new double[] {it.x().get(0, 0), it.x().get(1, 0), it.y().get(0, 0)};
    }

    /** {@code sum_i a_i/2 w_i^2 + b_i w_i + cx + cy + a/2 r^2}, +infinity outside the boxes. */
    static double value(double[] a, double[] b, double cx, double cy, double coupling, double[] w) {
        double s = cx + cy;
        for (int i = 0; i < 3; i++) {
            if (w[i] < LO[i] || w[i] > HI[i]) {
                return Double.POSITIVE_INFINITY;
            }
            s += 0.5 * a[i] * w[i] * w[i] + b[i] * w[i];
        }
        double r = SumCoupling.residual(w);
        return s + 0.5 * coupling * r * r;
    }

    static double psi1(double coupling, double[] w) {
        return value(A1, B1, C1X, C1Y, coupling, w);
    }

    static double psi2(double coupling, double[] w) {
        return value(A2, B2, C2X, C2Y, coupling, w);
    }

    static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    static double distance(double[] u, double[] v) {
        double s = 0;
        for (int i = 0; i < u.length; i++) {
            s += (u[i] - v[i]) * (u[i] - v[i]);
        }
        return Math.sqrt(s);
    }
}
