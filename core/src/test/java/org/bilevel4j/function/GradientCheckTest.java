package org.bilevel4j.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.bilevel4j.problem.BilevelProblem;
import org.bilevel4j.problem.Box;
import org.bilevel4j.problem.MinimaxBilevelPoint;
import org.bilevel4j.problem.MinimaxBilevelProblem;
import org.bilevel4j.problem.SimpleBilevelProblem;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

/**
 * The public gradient checker's arithmetic, value by value: the step, the scale of the relative
 * error (largest gradient entry or the floor {@code 1e-6 (1 + |f(x)|)}), the worst entry and its
 * ties, NaN, the empty point, the Lipschitz ratio and the simple bilevel problem's two reports.
 */
class GradientCheckTest {

    private static SmoothFunction sumOfSquares() {
        return SmoothFunction.of(v -> CommonOps_DDRM.dot(v, v), (v, g) -> CommonOps_DDRM.scale(2, v, g));
    }

    @Test
    void theStepIsCbrtEpsTimesMaxOneAbsXRoundedSoThatXPlusHIsExact() {
        // f(x) = (x - c)^3 with f'(c) = 0: every difference below is exact, so the central difference
        // is h^2 to rounding of the cube alone, and h is the step the checker took
        for (double c : new double[] {0.0, 0.25, 1000.0, -37.5}) {
            SmoothFunction cube = SmoothFunction.of(v -> Math.pow(v.data[0] - c, 3), (v, g) -> g.data[0] = 0);
            GradientCheck.Report r = GradientCheck.check(cube, new DMatrixRMaj(1, 1, true, c));
            double h = (c + GradientCheck.STEP_FACTOR * Math.max(1, Math.abs(c))) - c;
            assertThat(r.numeric()).as("c = %s", c).isCloseTo(h * h, within(1e-14 * h * h));
            assertThat(r.analytic()).isZero();
            // g = 0 and f(c) = 0: the scale is max(|fd|, 1e-6 (1 + |f(c)|)) = max(h^2, 1e-6)
            double expected = h * h / Math.max(h * h, 1e-6);
            assertThat(r.maxRelativeError()).as("c = %s", c).isCloseTo(expected, within(1e-12 * expected));
        }
        assertThat(GradientCheck.STEP_FACTOR).isEqualTo(Math.cbrt(Math.ulp(1.0)));
    }

    @Test
    void theFloorOfTheScaleIsOneMillionthOfOnePlusAbsF() {
        // f(x) = 3 - ||x||^2 at x = 0: f = 3, fd = 0 exactly, a wrong gradient of 1e-7 at entry 1
        SmoothFunction f = SmoothFunction.of(v -> 3 - CommonOps_DDRM.dot(v, v), (v, g) -> {
            CommonOps_DDRM.scale(-2, v, g);
            g.data[1] += 1e-7;
        });
        GradientCheck.Report r = GradientCheck.check(f, new DMatrixRMaj(2, 1));
        assertThat(r.worstIndex()).isEqualTo(1);
        assertThat(r.numeric()).isZero();
        assertThat(r.analytic()).isEqualTo(1e-7);
        assertThat(r.maxRelativeError()).isCloseTo(1e-7 / (1e-6 * 4), within(1e-15));
        // with |f| large the floor grows with it: f = -3 - ||x||^2 gives the same 1 + |f| = 4
        SmoothFunction g = SmoothFunction.of(v -> -3 - CommonOps_DDRM.dot(v, v), (v, o) -> {
            CommonOps_DDRM.scale(-2, v, o);
            o.data[1] += 1e-7;
        });
        assertThat(GradientCheck.check(g, new DMatrixRMaj(2, 1)).maxRelativeError())
                .isCloseTo(0.025, within(1e-15));
    }

    @Test
    void theErrorIsRelativeToTheLargestEntryOfEitherGradient() {
        // f = ||x||^2 at (1, 2, 3): fd = (2, 4, 6); entry 1 written as x_1 (2 instead of 4)
        SmoothFunction f = SmoothFunction.of(v -> CommonOps_DDRM.dot(v, v), (v, g) -> {
            CommonOps_DDRM.scale(2, v, g);
            g.data[1] = v.data[1];
        });
        GradientCheck.Report r = GradientCheck.check(f, new DMatrixRMaj(3, 1, true, 1, 2, 3));
        assertThat(r.worstIndex()).isEqualTo(1);
        assertThat(r.analytic()).isEqualTo(2.0);
        assertThat(r.numeric()).isCloseTo(4.0, within(1e-9));
        assertThat(r.maxRelativeError()).isCloseTo(2.0 / 6.0, within(1e-9));
        // the analytic gradient is the larger one: entry 2 written as 10 x_2 = 30 against fd = 6
        SmoothFunction big = SmoothFunction.of(v -> CommonOps_DDRM.dot(v, v), (v, g) -> {
            CommonOps_DDRM.scale(2, v, g);
            g.data[2] = 10 * v.data[2];
        });
        GradientCheck.Report rb = GradientCheck.check(big, new DMatrixRMaj(3, 1, true, 1, 2, 3));
        assertThat(rb.worstIndex()).isEqualTo(2);
        assertThat(rb.maxRelativeError()).isCloseTo(24.0 / 30.0, within(1e-9));
        // a correct gradient: rounding only
        GradientCheck.Report ok = GradientCheck.check(sumOfSquares(), new DMatrixRMaj(3, 1, true, 1, 2, 3));
        assertThat(ok.maxRelativeError()).isLessThan(1e-9);
        assertThat(ok.passes(GradientCheck.DEFAULT_TOLERANCE)).isTrue();
        assertThat(ok.requireBelow(GradientCheck.DEFAULT_TOLERANCE)).isSameAs(ok);
    }

    @Test
    void tiesKeepTheFirstEntryAndTheWorstIsTheLargest() {
        // g = 0 at (1, 1): both errors are |0 - 2| / 2 = 1
        SmoothFunction zero = SmoothFunction.of(v -> CommonOps_DDRM.dot(v, v), (v, g) -> g.zero());
        GradientCheck.Report r = GradientCheck.check(zero, new DMatrixRMaj(2, 1, true, 1, 1));
        assertThat(r.worstIndex()).isZero();
        assertThat(r.numeric()).isCloseTo(2.0, within(1e-9));
        assertThat(r.maxRelativeError()).isCloseTo(1.0, within(1e-9));
        // g = 0 at (1, 3, 2): errors 2/6, 6/6, 4/6; the worst is entry 1, not the last one checked
        GradientCheck.Report m = GradientCheck.check(zero, new DMatrixRMaj(3, 1, true, 1, 3, 2));
        assertThat(m.worstIndex()).isEqualTo(1);
        assertThat(m.analytic()).isZero();
        assertThat(m.numeric()).isCloseTo(6.0, within(1e-9));
        assertThat(m.maxRelativeError()).isCloseTo(1.0, within(1e-9));
        // the worst at entry 0 reports entry 0's values: f = ||x||^2 at (3, 1), g_0 written as x_0
        SmoothFunction first = SmoothFunction.of(v -> CommonOps_DDRM.dot(v, v), (v, g) -> {
            CommonOps_DDRM.scale(2, v, g);
            g.data[0] = v.data[0];
        });
        GradientCheck.Report f = GradientCheck.check(first, new DMatrixRMaj(2, 1, true, 3, 1));
        assertThat(f.worstIndex()).isZero();
        assertThat(f.analytic()).isEqualTo(3.0);
        assertThat(f.numeric()).isCloseTo(6.0, within(1e-9));
        assertThat(f.maxRelativeError()).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void aNanEntryIsTheWorstAndStopsTheSearch() {
        // NaN at entry 1, a larger finite error at entry 2 afterwards: entry 1 is reported
        SmoothFunction f = SmoothFunction.of(v -> CommonOps_DDRM.dot(v, v), (v, g) -> {
            CommonOps_DDRM.scale(2, v, g);
            g.data[1] = Double.NaN;
            g.data[2] = -g.data[2];
        });
        GradientCheck.Report r = GradientCheck.check(f, new DMatrixRMaj(3, 1, true, 1, 2, 3));
        assertThat(r.maxRelativeError()).isNaN();
        assertThat(r.worstIndex()).isEqualTo(1);
        assertThat(r.analytic()).isNaN();
        assertThat(r.numeric()).isCloseTo(4.0, within(1e-9));
        assertThat(r.passes(1e300)).isFalse();
        assertThatThrownBy(() -> r.requireBelow(1)).isInstanceOf(IllegalStateException.class)
                .hasMessage("gradient check failed: " + r + " (tolerance 1.0)");
    }

    @Test
    void anEmptyPointGivesAnEmptyReport() {
        GradientCheck.Report r = GradientCheck.check("empty", v -> 1.0, (v, g) -> { }, new DMatrixRMaj(0, 0));
        assertThat(r).isEqualTo(new GradientCheck.Report("empty", 0, -1, 0, 0));
        assertThat(r.passes(0)).isTrue();
        assertThat(r.requireBelow(0)).isSameAs(r);
    }

    @Test
    void passesAtTheToleranceExactlyAndPrintsThreeDigits() {
        GradientCheck.Report r = new GradientCheck.Report("grad f", 0.125, 3, 1.5, 1.25);
        assertThat(r.passes(0.125)).isTrue();
        assertThat(r.passes(Math.nextDown(0.125))).isFalse();
        assertThat(r.requireBelow(0.125)).isSameAs(r);
        assertThatThrownBy(() -> r.requireBelow(0.1)).isInstanceOf(IllegalStateException.class)
                .hasMessage("gradient check failed: grad f: max relative error 0.125 at entry 3 "
                        + "(analytic 1.5, central difference 1.25) (tolerance 0.1)");
        assertThat(r.toString()).isEqualTo("grad f: max relative error 0.125 at entry 3 (analytic 1.5, "
                + "central difference 1.25)");
    }

    @Test
    void theLipschitzRatioIsTheGradientChangeOverTheStep() {
        // f = 1/2 x^T diag(1, 4) x: along the second axis the ratio is 4, along the first 1
        SmoothFunction f = SmoothFunction.of(v -> 0.5 * (v.data[0] * v.data[0] + 4 * v.data[1] * v.data[1]),
                (v, g) -> {
                    g.data[0] = v.data[0];
                    g.data[1] = 4 * v.data[1];
                });
        DMatrixRMaj x = new DMatrixRMaj(2, 1, true, 1, 2);
        assertThat(GradientCheck.lipschitzRatio(f, x, new DMatrixRMaj(2, 1, true, 1, -1))).isEqualTo(4.0);
        assertThat(GradientCheck.lipschitzRatio(f, x, new DMatrixRMaj(2, 1, true, -2, 2))).isEqualTo(1.0);
        // a diagonal step (1, 1): ||(1, 4)|| / ||(1, 1)|| = sqrt(17 / 2)
        assertThat(GradientCheck.lipschitzRatio(f, x, new DMatrixRMaj(2, 1, true, 0, 1)))
                .isCloseTo(Math.sqrt(17.0 / 2.0), within(1e-15));
        assertThat(GradientCheck.lipschitzRatio(f, x, x.copy())).isZero();
    }

    @Test
    void aSimpleBilevelProblemGivesTheUpperReportThenTheLower() {
        SmoothFunction upper = sumOfSquares();
        // the lower gradient is off by a factor 2 at every entry
        SmoothFunction lower = SmoothFunction.of(v -> CommonOps_DDRM.dot(v, v), (v, g) -> g.setTo(v));
        DMatrixRMaj x = new DMatrixRMaj(2, 1, true, 1, -2);
        List<GradientCheck.Report> reports = GradientCheck.check(SimpleBilevelProblem.of(upper, lower), x);
        assertThat(reports).extracting(GradientCheck.Report::name).containsExactly("grad f (upper)",
                "grad g (lower)");
        assertThat(reports.get(0).maxRelativeError()).isLessThan(1e-9);
        assertThat(reports.get(1).maxRelativeError()).isCloseTo(0.5, within(1e-9));
        assertThat(reports.get(1).worstIndex()).isEqualTo(1);
        assertThat(GradientCheck.worst(reports)).isEqualTo(reports.get(1).maxRelativeError());
    }

    @Test
    void worstIsTheLargestErrorOrNan() {
        GradientCheck.Report a = new GradientCheck.Report("a", 0.25, 0, 0, 0);
        GradientCheck.Report b = new GradientCheck.Report("b", 0.5, 0, 0, 0);
        GradientCheck.Report nan = new GradientCheck.Report("n", Double.NaN, 0, 0, 0);
        assertThat(GradientCheck.worst(List.of())).isZero();
        assertThat(GradientCheck.worst(List.of(a, b))).isEqualTo(0.5);
        assertThat(GradientCheck.worst(List.of(b, a))).isEqualTo(0.5);
        assertThat(GradientCheck.worst(List.of(a, nan, b))).isNaN();
    }

    /**
     * A minimax bilevel problem on scalar blocks that writes every gradient buffer it is given, as a
     * user's implementation may: f = x1^2 + 2 x2 y1 + y2^3, ft = x1 y1 - y2^2 + 3 y1^2.
     */
    private static final class ScalarMinimax implements MinimaxBilevelProblem {

        @Override
        public Box x1Domain() {
            return Box.cube(1, -2, 2);
        }

        @Override
        public Box x2Domain() {
            return Box.cube(1, -2, 2);
        }

        @Override
        public Box y1Domain() {
            return Box.cube(1, -2, 2);
        }

        @Override
        public Box y2Domain() {
            return Box.cube(1, -2, 2);
        }

        @Override
        public double upperValue(DMatrixRMaj x1, DMatrixRMaj x2, DMatrixRMaj y1, DMatrixRMaj y2) {
            double a = x1.data[0];
            double b = y2.data[0];
            return a * a + 2 * x2.data[0] * y1.data[0] + b * b * b;
        }

        @Override
        public double upperValueAndGradient(DMatrixRMaj x1, DMatrixRMaj x2, DMatrixRMaj y1, DMatrixRMaj y2,
                DMatrixRMaj gx1, DMatrixRMaj gx2, DMatrixRMaj gy1, DMatrixRMaj gy2) {
            gx1.data[0] = 2 * x1.data[0];
            gx2.data[0] = 2 * y1.data[0];
            gy1.data[0] = 2 * x2.data[0];
            gy2.data[0] = 3 * y2.data[0] * y2.data[0];
            return upperValue(x1, x2, y1, y2);
        }

        @Override
        public double lowerValue(DMatrixRMaj x1, DMatrixRMaj y1, DMatrixRMaj y2) {
            double c = y1.data[0];
            return x1.data[0] * c - y2.data[0] * y2.data[0] + 3 * c * c;
        }

        @Override
        public double lowerValueAndGradient(DMatrixRMaj x1, DMatrixRMaj y1, DMatrixRMaj y2, DMatrixRMaj gx1,
                DMatrixRMaj gy1, DMatrixRMaj gy2) {
            gx1.data[0] = y1.data[0];
            gy1.data[0] = x1.data[0] + 6 * y1.data[0];
            gy2.data[0] = -2 * y2.data[0];
            return lowerValue(x1, y1, y2);
        }
    }

    @Test
    void aMinimaxProblemGivesSevenReportsAndHandsEveryBlockABuffer() {
        MinimaxBilevelPoint p = MinimaxBilevelPoint.of(new double[] {0.5}, new double[] {-1.5},
                new double[] {0.75}, new double[] {1.25});
        List<GradientCheck.Report> reports = GradientCheck.check(new ScalarMinimax(), p);
        assertThat(reports).extracting(GradientCheck.Report::name).containsExactly("grad_x1 f", "grad_x2 f",
                "grad_y1 f", "grad_y2 f", "grad_x1 ft", "grad_y1 ft", "grad_y2 ft");
        assertThat(GradientCheck.worst(reports)).isLessThan(1e-9);
        // the point is checked against the domains' sizes first
        MinimaxBilevelPoint wrong = MinimaxBilevelPoint.of(new double[] {0.5, 0.5}, new double[] {-1.5},
                new double[] {0.75}, new double[] {1.25});
        assertThatThrownBy(() -> GradientCheck.check(new ScalarMinimax(), wrong))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("x1 has 2 entries, its domain has 1 coordinates");
    }

    @Test
    void aBilevelProblemIsCheckedForShapeBeforeAnyEvaluation() {
        BilevelProblem p = BilevelProblem.builder(2, 1)
                .upper(sumOfSquares())
                .lowerSmooth(sumOfSquares())
                .build();
        DMatrixRMaj x = new DMatrixRMaj(2, 1, true, 1, 2);
        DMatrixRMaj y = new DMatrixRMaj(1, 1, true, -1);
        assertThat(GradientCheck.check(p, x, y)).extracting(GradientCheck.Report::name)
                .containsExactly("grad_x F", "grad_y F", "grad_x f", "grad_y f");
        assertThatThrownBy(() -> GradientCheck.check(p, new DMatrixRMaj(3, 1), y))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("x is 3x1, the problem expects 2x1");
    }
}
