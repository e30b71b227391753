package org.bilevel4j.solver.minimax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.bilevel4j.problem.Box;
import org.bilevel4j.problem.MinimaxBilevelPoint;
import org.bilevel4j.solver.Driver;
import org.bilevel4j.solver.IterationListener;
import org.bilevel4j.solver.SolverOptions;
import org.bilevel4j.solver.StopReason;
import org.bilevel4j.testing.GradientCheck;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class MinimaxPenaltyTest {

    private static double[] randomIn(Box b, SplittableRandom rnd) {
        double[] x = new double[b.dimension()];
        for (int i = 0; i < x.length; i++) {
            x[i] = b.lower(i) + (b.upper(i) - b.lower(i)) * rnd.nextDouble();
        }
        return x;
    }

    private static DMatrixRMaj col(double[] x) {
        return DMatrixRMaj.wrap(x.length, 1, x);
    }

    @Test
    void testProblemGradientsMatchFiniteDifferences() {
        SmoothTestProblem p = new SmoothTestProblem();
        SplittableRandom rnd = new SplittableRandom(5);
        for (int trial = 0; trial < 20; trial++) {
            double[] x1 = randomIn(p.x1Domain(), rnd);
            double[] x2 = randomIn(p.x2Domain(), rnd);
            double[] y1 = randomIn(p.y1Domain(), rnd);
            double[] y2 = randomIn(p.y2Domain(), rnd);
            DMatrixRMaj g1 = new DMatrixRMaj(2, 1);
            DMatrixRMaj g2 = new DMatrixRMaj(1, 1);
            DMatrixRMaj g3 = new DMatrixRMaj(2, 1);
            DMatrixRMaj g4 = new DMatrixRMaj(2, 1);
            double f = p.upperValueAndGradient(col(x1), col(x2), col(y1), col(y2), g1, g2, g3, g4);
            assertThat(f).isEqualTo(p.upperValue(col(x1), col(x2), col(y1), col(y2)));
            assertThat(GradientCheck.relativeError(g1.data, GradientCheck.numerical(
                    a -> p.upperValue(col(a), col(x2), col(y1), col(y2)), x1))).isLessThan(1e-7);
            assertThat(GradientCheck.relativeError(g2.data, GradientCheck.numerical(
                    a -> p.upperValue(col(x1), col(a), col(y1), col(y2)), x2))).isLessThan(1e-7);
            assertThat(GradientCheck.relativeError(g3.data, GradientCheck.numerical(
                    a -> p.upperValue(col(x1), col(x2), col(a), col(y2)), y1))).isLessThan(1e-7);
            assertThat(GradientCheck.relativeError(g4.data, GradientCheck.numerical(
                    a -> p.upperValue(col(x1), col(x2), col(y1), col(a)), y2))).isLessThan(1e-7);
            DMatrixRMaj h1 = new DMatrixRMaj(2, 1);
            DMatrixRMaj h3 = new DMatrixRMaj(2, 1);
            DMatrixRMaj h4 = new DMatrixRMaj(2, 1);
            double ft = p.lowerValueAndGradient(col(x1), col(y1), col(y2), h1, h3, h4);
            assertThat(ft).isEqualTo(p.lowerValue(col(x1), col(y1), col(y2)));
            assertThat(GradientCheck.relativeError(h1.data, GradientCheck.numerical(
                    a -> p.lowerValue(col(a), col(y1), col(y2)), x1))).isLessThan(1e-7);
            assertThat(GradientCheck.relativeError(h3.data, GradientCheck.numerical(
                    a -> p.lowerValue(col(x1), col(a), col(y2)), y1))).isLessThan(1e-7);
            assertThat(GradientCheck.relativeError(h4.data, GradientCheck.numerical(
                    a -> p.lowerValue(col(x1), col(y1), col(a)), y2))).isLessThan(1e-7);
        }
    }

    @Test
    void penaltyGradientMatchesFiniteDifferencesOfItsValue() {
        SmoothTestProblem p = new SmoothTestProblem();
        MinimaxPenalty pen = new MinimaxPenalty(p, 3.7);
        assertThat(pen.uDomain()).isEqualTo(Box.concat(p.x1Domain(), p.y1Domain(), p.y2Domain()));
        assertThat(pen.vDomain()).isEqualTo(Box.concat(p.x2Domain(), p.y1Domain(), p.y2Domain()));
        SplittableRandom rnd = new SplittableRandom(6);
        for (int trial = 0; trial < 20; trial++) {
            double[] u = randomIn(pen.uDomain(), rnd);
            double[] v = randomIn(pen.vDomain(), rnd);
            DMatrixRMaj gu = new DMatrixRMaj(u.length, 1);
            DMatrixRMaj gv = new DMatrixRMaj(v.length, 1);
            pen.gradient(col(u), col(v), gu, gv);
            assertThat(GradientCheck.relativeError(gu.data,
                    GradientCheck.numerical(a -> pen.value(col(a), col(v)), u))).isLessThan(1e-7);
            assertThat(GradientCheck.relativeError(gv.data,
                    GradientCheck.numerical(a -> pen.value(col(u), col(a)), v))).isLessThan(1e-7);
            assertThat(pen.value(col(u), col(v))).isCloseTo(
                    pen.upperValue(col(u), col(v)) + 3.7 * pen.gap(col(u), col(v)), within(1e-12));
        }
    }

    @Test
    void penaltyMethodReachesTheTargetRhoWithASmallGapAndStationarity() {
        SmoothTestProblem p = new SmoothTestProblem();
        PenaltyMinimax pm = PenaltyMinimax.builder(200).build();
        PenaltyMinimaxState st = pm.init(p, p.centerPoint(), SolverOptions.defaults());
        var r = Driver.run(pm, p, st,
                SolverOptions.builder().maxIterations(1_000_000).build(),
                IterationListener.none());
        assertThat(r.stopReason()).isEqualTo(StopReason.CONVERGED);
        assertThat(st.rho()).isEqualTo(200);
        assertThat(r.trace().column("rho")).startsWith(10.0).endsWith(200.0);
        assertThat(st.level()).isEqualTo(5); // 10, 20, 40, 80, 160, 200
        assertThat(st.eps()).isCloseTo(0.5 / 200, within(1e-15));
        assertThat(r.trace().lastValue("step")).isLessThanOrEqualTo(st.eps() / 4);
        // the penalty term keeps the lower level nearly solved: rho * gap is O(1)
        assertThat(Math.abs(st.gap())).isLessThan(1e-2);
        assertThat(st.gradientCalls()).isEqualTo((long) r.trace().lastValue("grad_calls"));
    }

    @Test
    void badPenaltyParametersAreRejectedWithOneLine() {
        SmoothTestProblem p = new SmoothTestProblem();
        for (double rho : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> PenaltyMinimax.of(rho)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("rho must be positive");
            assertThatThrownBy(() -> new MinimaxPenalty(p, rho)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("rho must be positive");
            assertThatThrownBy(() -> StochasticPenaltyMinimax.builder(rho).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("rho must be positive");
        }
        for (double eps : new double[] {0, -1e-3, Double.NaN}) {
            assertThatThrownBy(() -> PenaltyMinimax.builder(100).eps(eps).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("eps must be positive");
        }
        assertThatThrownBy(() -> PenaltyMinimax.builder(100).epsConstant(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("eps = c / rho");
        assertThatThrownBy(() -> PenaltyMinimax.builder(100).growth(1).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PenaltyMinimax.builder(100).startRho(0).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StochasticPenaltyMinimax.builder(30).batchSize(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch");
        assertThatThrownBy(() -> StochasticPenaltyMinimax.builder(30).componentBudget(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("budget");
        assertThatThrownBy(() -> StochasticPenaltyMinimax.builder(30).epsConstant(-1).build())
                .isInstanceOf(IllegalArgumentException.class);
        // a start with the wrong block sizes
        var bad = MinimaxBilevelPoint.of(new double[1], new double[1], new double[2],
                new double[2]);
        assertThatThrownBy(() -> PenaltyMinimax.of(10).init(p, bad, SolverOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("x1 has 1 entries, its domain has 2 coordinates");
    }

    @Test
    void epsAndContinuationSettings() {
        PenaltyMinimax pm = PenaltyMinimax.builder(1000).eps(1e-3).build();
        assertThat(pm.epsConstant()).isCloseTo(1.0, within(1e-12));
        assertThat(pm.eps()).isCloseTo(1e-3, within(1e-15));
        assertThat(pm.firstRho()).isEqualTo(10);
        assertThat(pm.nextRho(640)).isEqualTo(1000);
        PenaltyMinimax noCont = PenaltyMinimax.builder(5).continuation(false).build();
        assertThat(noCont.firstRho()).isEqualTo(5);
        assertThat(PenaltyMinimax.of(5).firstRho()).isEqualTo(5); // a target below 10 starts there
    }
}
