package org.bilevel4j.apps.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.bilevel4j.problem.BlockIterate;
import org.bilevel4j.solver.Result;
import org.bilevel4j.solver.SolverOptions;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The check of issue 8: three identical blocks (price 10, capacity 100), one load of 150,
 * rho = 100. The cleared quantity is R = 150 - 10/100 = 149.9, and the preferred equilibria are
 * fair (R/3, R/3, R/3), schedule X_pref + (R - 130)/3 with X_pref = (90, 40, 0), emissions
 * (0, R - 100, 100) with rates (0.9, 0.4, 0).
 */
class ThreeBlocksTest {

    static final double R = 149.9;
    static final double MU = 1.0;

    static MarketModel model(Preference pref) {
        Offer o = new Offer(0, 1, Fuel.OTHER, 10.0, 100.0);
        MarketData data = new MarketData(List.of(o, new Offer(1, 1, Fuel.OTHER, 10.0, 100.0),
                new Offer(2, 1, Fuel.OTHER, 10.0, 100.0)), new int[] {1}, new double[] {150.0}, new double[] {1000.0},
                new double[] {1.0});
        DMatrixRMaj sched = new DMatrixRMaj(new double[][] {{90}, {40}, {0}});
        return MarketModel.build(data, pref, new MarketModel.Weights(100.0, MU, MU, 1e-3),
                new double[] {0.9, 0.4, 0.0}, sched);
    }

    static double[] expected(Preference pref) {
        return switch (pref) {
            case FAIR -> new double[] {R / 3, R / 3, R / 3};
            case SCHEDULE -> new double[] {90 + (R - 130) / 3, 40 + (R - 130) / 3, (R - 130) / 3};
            case EMISSIONS -> new double[] {0, R - 100, 100};
        };
    }

    static double distance(DMatrixRMaj x, double[] e) {
        double s = 0;
        for (int i = 0; i < 3; i++) {
            s = Math.max(s, Math.abs(x.get(i, 0) - e[i]));
        }
        return s;
    }

    static BlockIterate start(MarketModel m) {
        return m.problem().uniformStart(1);
    }

    @Test
    void referenceIsTheClosedForm() {
        for (Preference p : Preference.values()) {
            MarketReference.Solution ref = MarketReference.solve(model(p));
            assertThat(ref.prices()[0]).isCloseTo(10.0, within(1e-12));
            assertThat(distance(ref.x(), expected(p))).as(p.label()).isLessThan(1e-9);
            assertThat(ref.y().get(0, 0)).isEqualTo(150.0);
        }
    }

    @Test
    void tikhonovReachesEachWithin1e3() {
        for (Preference p : Preference.values()) {
            MarketModel m = model(p);
            Result<BlockIterate> r = MarketMethod.TIKHONOV.solver().solve(m.problem(), start(m),
                    SolverOptions.builder().maxIterations(200_000).build());
            assertThat(distance(r.solution().x(), expected(p))).as(p.label()).isLessThan(1e-3);
        }
    }

    @Test
    void bigSamReachesEachWithin1e2() {
        for (Preference p : Preference.values()) {
            MarketModel m = model(p);
            Result<BlockIterate> r = MarketMethod.BIGSAM.solver().solve(m.problem(), start(m),
                    SolverOptions.builder().maxIterations(200_000).build());
            assertThat(distance(r.solution().x(), expected(p))).as(p.label()).isLessThan(1e-2);
        }
    }

    /** The BINNO rules are reported with their distance (docs/market.md); here: they run and stay finite. */
    @Test
    void binnoRulesRunAndReportTheirDistance() {
        for (MarketMethod method : List.of(MarketMethod.BINNO_VANISHING, MarketMethod.BINNO_LINESEARCH)) {
            for (Preference p : Preference.values()) {
                MarketModel m = model(p);
                Result<BlockIterate> r = method.solver().solve(m.problem(), start(m),
                        SolverOptions.builder().maxIterations(20_000).build());
                assertThat(distance(r.solution().x(), expected(p))).as(method + " " + p).isFinite();
            }
        }
    }

    @Test
    void midpointBinnoSaysWhyItCannotRun() {
        MarketModel m = model(Preference.FAIR);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MarketMethod.BINNO_MIDPOINT.solver().solve(
                m.problem(), start(m), SolverOptions.defaults())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("LINESEARCH");
    }
}
