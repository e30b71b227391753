package org.bilevel4j.solver.meha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.bilevel4j.function.SmoothFunction;
import org.bilevel4j.problem.BilevelProblem;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The step of {@link FiniteDifferenceHessianProducts}, {@code h = cbrt(eps) max(1, ||y||) / ||d||},
 * read off the truncation error of a lower level whose central differences are not exact. With
 * {@code u = y - c} and a scalar x, {@code f(x, y) = x sum u_i^3 / 6 + sum u_i^4 / 12}: at {@code y = c}
 * the central difference of {@code grad_y f = x u^2 / 2 + u^3 / 3} along v is {@code h^2 v^3 / 3}
 * (the exact product is 0), and that of {@code grad_x f = sum u_i^3 / 6} along w is
 * {@code h^2 sum w_i^3 / 6}. (On a quadratic lower level, which the other tests use, any step gives the
 * exact product.)
 */
class FiniteDifferenceStepTest {

    private static final double CBRT_EPS = Math.cbrt(Math.ulp(1.0));
    private static BilevelProblem problem(double c0, double c1) {
        double[] c = {c0, c1};
        // stacked z = [x; y1; y2]
        SmoothFunction lower = SmoothFunction.of(z -> {
            double x = z.data[0];
            double s = 0;
            for (int i = 0; i < 2; i++) {
                double u = z.data[1 + i] - c[i];
                s += x * u * u * u / 6 + u * u * u * u / 12;
            }
            return s;
        }, (z, g) -> {
            double x = z.data[0];
            g.data[0] = 0;
            for (int i = 0; i < 2; i++) {
                double u = z.data[1 + i] - c[i];
                g.data[0] += u * u * u / 6;
                g.data[1 + i] = x * u * u / 2 + u * u * u / 3;
            }
        });
        SmoothFunction zero = SmoothFunction.of(z -> 0.0, (z, g) -> g.zero());
        return BilevelProblem.builder(1, 2).upper(zero).lowerSmooth(lower).build();
    }

    @Test
    void theStepScalesWithTheLargerOfOneAndTheNormOfYOverTheNormOfTheDirection() {
        // y = c = (3, 4): ||y|| = 5 > 1
        FiniteDifferenceHessianProducts fd = new FiniteDifferenceHessianProducts(problem(3, 4));
        DMatrixRMaj x = new DMatrixRMaj(1, 1, true, 0.7);
        DMatrixRMaj y = new DMatrixRMaj(2, 1, true, 3, 4);
        // along v = (2, 0): h = cbrt(eps) 5 / 2, the product h^2 (8, 0) / 3
        DMatrixRMaj out = new DMatrixRMaj(2, 1);
        fd.hessianYY(x, y, new DMatrixRMaj(2, 1, true, 2, 0), out);
        double h = CBRT_EPS * 5 / 2;
        assertThat(out.data[0]).isCloseTo(h * h * 8 / 3, within(1e-9 * h * h));
        assertThat(out.data[1]).isZero();
        // along w = (1, 1): h = cbrt(eps) 5 / sqrt(2), the cross product h^2 (1 + 1) / 6
        DMatrixRMaj outX = new DMatrixRMaj(1, 1);
        fd.crossXY(x, y, new DMatrixRMaj(2, 1, true, 1, 1), outX);
        double hw = CBRT_EPS * 5 / Math.sqrt(2);
        assertThat(outX.data[0]).isCloseTo(hw * hw / 3, within(1e-9 * hw * hw));
        // with ||y|| below 1 the step is cbrt(eps) / ||d||: y = c = (0.3, 0.4), v = (0, 4)
        FiniteDifferenceHessianProducts near = new FiniteDifferenceHessianProducts(problem(0.3, 0.4));
        near.hessianYY(x, new DMatrixRMaj(2, 1, true, 0.3, 0.4), new DMatrixRMaj(2, 1, true, 0, 4), out);
        double hs = CBRT_EPS / 4;
        assertThat(out.data[0]).isZero();
        assertThat(out.data[1]).isCloseTo(hs * hs * 64 / 3, within(1e-9 * hs * hs));
    }
}
