package org.bilevel4j.apps.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.bilevel4j.function.BoxedQuadratic;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The four terms of {@link MarketModel}, coefficient by coefficient against the model's equations
 * (class Javadoc), the default weights and the pro-rata schedule against their formulas, and
 * {@link MarketMetrics} against its definitions on a two-block, two-period point worked out by hand.
 */
class MarketModelTermsTest {

    /**
     * A coal block of 76 MW at 20 $/MWh and a gas block of 55 MW at 40; loads of 30 MW (VOLL 1000)
     * and 50 MW (VOLL 2000); load factors 2 and 0.5: the total demand is 160 MW (above the 131 MW of
     * capacity) in period 0 and 40 MW in period 1.
     */
    static MarketData data() {
        return new MarketData(List.of(new Offer(0, 1, Fuel.COAL, 20.0, 76.0), new Offer(1, 2, Fuel.GAS, 40.0, 55.0)),
                new int[] {1, 2}, new double[] {30.0, 50.0}, new double[] {1000.0, 2000.0}, new double[] {2.0, 0.5});
    }

    private static final DMatrixRMaj ZX = new DMatrixRMaj(2, 2);

    @Test
    void theDataSummaries() {
        MarketData d = data();
        assertThat(d.demand(1, 1)).isEqualTo(25.0);
        assertThat(d.demand(0, 0)).isEqualTo(60.0);
        assertThat(d.totalDemand(0)).isEqualTo(160.0);
        assertThat(d.totalDemand(1)).isEqualTo(40.0);
        assertThat(d.highestPrice()).isEqualTo(40.0);
        assertThat(d.totalCapacity()).isEqualTo(131.0);
        assertThat(d.voll()).containsExactly(1000.0, 2000.0);
    }

    @Test
    void defaultWeightsFollowTheirFormulas() {
        MarketModel m = MarketModel.build(data(), Preference.EMISSIONS, MarketModel.Weights.defaults());
        // rho = pmax / (1e-3 peak), mu = pmax / largest block, delta = 1e-2 / largest block, eta = mu delta
        assertThat(m.rho()).isCloseTo(40.0 / (1e-3 * 160.0), within(1e-9));
        assertThat(m.mu()).isCloseTo(40.0 / 76.0, within(1e-15));
        assertThat(m.delta()).isCloseTo(1e-2 / 76.0, within(1e-18));
        assertThat(m.eta()).isCloseTo(40.0 / 76.0 * (1e-2 / 76.0), within(1e-18));
        assertThat(m.coupling().rho()).isEqualTo(m.rho());
        // the fuels' own rates, block by block
        assertThat(m.emissionRate()).containsExactly(Fuel.COAL.emissionRate(), Fuel.GAS.emissionRate());
        MarketModel fair = MarketModel.build(data(), Preference.FAIR, MarketModel.Weights.defaults());
        assertThat(fair.eta()).isEqualTo(fair.mu());
        // the cost scale: (highest price) * (demand over all periods)
        assertThat(fair.costScale()).isEqualTo(40.0 * 200.0);
        // prices below 1 $/MWh count as 1 in the scales
        MarketData cheap = new MarketData(List.of(new Offer(0, 1, Fuel.HYDRO, 0.5, 10.0)), new int[] {1},
                new double[] {4.0}, new double[] {100.0}, new double[] {1.0, 0.5});
        MarketModel c = MarketModel.build(cheap, Preference.FAIR, MarketModel.Weights.defaults());
        assertThat(c.costScale()).isEqualTo(6.0);
        assertThat(c.rho()).isCloseTo(1.0 / (1e-3 * 4.0), within(1e-9));
        assertThat(c.mu()).isCloseTo(0.1, within(1e-15));
    }

    @Test
    void theProRataScheduleIsCapacityTimesTheClippedDemandShare() {
        MarketModel m = MarketModel.build(data(), Preference.SCHEDULE, new MarketModel.Weights(7.0, 3.0, 2.0, 0.1));
        // period 0: 160 MW of demand exceeds the 131 MW offered, so every block at capacity;
        // period 1: each block at its share 40 / 131
        DMatrixRMaj p = m.schedule();
        assertThat(p.get(0, 0)).isEqualTo(76.0);
        assertThat(p.get(1, 0)).isEqualTo(55.0);
        assertThat(p.get(0, 1)).isCloseTo(76.0 * 40 / 131, within(1e-12));
        assertThat(p.get(1, 1)).isCloseTo(55.0 * 40 / 131, within(1e-12));
        // f1 = mu/2 ||X - X_pref||^2: a = mu, b = -mu X_pref, c = mu/2 ||X_pref||^2
        BoxedQuadratic f1 = (BoxedQuadratic) m.problem().f1();
        double c = 0;
        for (int b = 0; b < 2; b++) {
            for (int t = 0; t < 2; t++) {
                assertThat(f1.curvature(b, t)).isEqualTo(3.0);
                assertThat(f1.linear(b, t)).isCloseTo(-3.0 * p.get(b, t), within(1e-12));
                c += 1.5 * p.get(b, t) * p.get(b, t);
            }
        }
        assertThat(f1.smoothValue(ZX)).isCloseTo(c, within(1e-9));
        assertThat(m.eta()).isEqualTo(2.0);
        assertThat(m.rho()).isEqualTo(7.0);
    }

    @Test
    void everyTermHasTheModelsCoefficients() {
        MarketModel m = MarketModel.build(data(), Preference.EMISSIONS, new MarketModel.Weights(7.0, 3.0, 2.0, 0.1),
                new double[] {0.9, 0.3}, new DMatrixRMaj(2, 2));
        BoxedQuadratic f2 = (BoxedQuadratic) m.problem().f2();
        BoxedQuadratic g2 = (BoxedQuadratic) m.problem().g2();
        BoxedQuadratic f1 = (BoxedQuadratic) m.problem().f1();
        BoxedQuadratic g1 = (BoxedQuadratic) m.problem().g1();
        double[] price = {20, 40};
        double[] cap = {76, 55};
        double[] rate = {0.9, 0.3};
        for (int b = 0; b < 2; b++) {
            for (int t = 0; t < 2; t++) {
                // f2 = p_b X + box [0, cap]
                assertThat(f2.curvature(b, t)).isZero();
                assertThat(f2.linear(b, t)).isEqualTo(price[b]);
                assertThat(f2.upper(b, t)).isEqualTo(cap[b]);
                assertThat(f2.lower(b, t)).isZero();
                // f1 = mu (<e, X> + delta/2 ||X||^2), same box
                assertThat(f1.curvature(b, t)).isCloseTo(3.0 * 0.1, within(1e-15));
                assertThat(f1.linear(b, t)).isCloseTo(3.0 * rate[b], within(1e-15));
                assertThat(f1.upper(b, t)).isEqualTo(cap[b]);
            }
        }
        assertThat(f1.smoothValue(ZX)).isZero();
        double[] mw = {30, 50};
        double[] voll = {1000, 2000};
        double[] factor = {2.0, 0.5};
        double cvoll = 0;
        double cy = 0;
        for (int j = 0; j < 2; j++) {
            for (int t = 0; t < 2; t++) {
                double d = mw[j] * factor[t];
                // g2 = VOLL (d - Y) + box [0, d]
                assertThat(g2.linear(j, t)).isEqualTo(-voll[j]);
                assertThat(g2.upper(j, t)).isEqualTo(d);
                assertThat(g2.curvature(j, t)).isZero();
                // g1 = eta/2 ||Y - d||^2, same box
                assertThat(g1.curvature(j, t)).isEqualTo(2.0);
                assertThat(g1.linear(j, t)).isEqualTo(-2.0 * d);
                assertThat(g1.upper(j, t)).isEqualTo(d);
                cvoll += voll[j] * d;
                cy += 0.5 * 2.0 * d * d;
            }
        }
        DMatrixRMaj zy = new DMatrixRMaj(2, 2);
        assertThat(g2.smoothValue(zy)).isCloseTo(cvoll, within(1e-9));
        assertThat(g1.smoothValue(zy)).isCloseTo(cy, within(1e-9));
        assertThat(m.emissionRate()).containsExactly(0.9, 0.3);
    }

    @Test
    void ratesAndScheduleMustHaveTheModelsShape() {
        assertThatThrownBy(() -> MarketModel.build(data(), Preference.FAIR, MarketModel.Weights.defaults(),
                new double[3], new DMatrixRMaj(2, 2))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("emission rates need 2 entries and the schedule 2x2");
        assertThatThrownBy(() -> MarketModel.build(data(), Preference.FAIR, MarketModel.Weights.defaults(),
                new double[2], new DMatrixRMaj(2, 3))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void metricsFollowTheirDefinitions() {
        // the market of MarketReferenceCasesTest's first case, over two periods (factors 1 and 0.5)
        MarketData d = new MarketData(List.of(new Offer(0, 1, Fuel.OTHER, 10.0, 20.0),
                new Offer(1, 1, Fuel.OTHER, 30.0, 100.0)), new int[] {1}, new double[] {50.0}, new double[] {1000.0},
                new double[] {1.0, 0.5});
        MarketModel m = MarketModel.build(d, Preference.FAIR, new MarketModel.Weights(0.5, 2.0, 1.0, 1e-3),
                new double[] {0.9, 0.4}, new DMatrixRMaj(2, 2));
        MarketReference.Solution ref = MarketReference.solve(m);
        // period 0: price 15 between the levels (X = (20, 0)); period 1: E(10+) = 5 <= 20 <= 25 = E(10-),
        // price 10, the cheap block free with X = -10/0.5 + 25 = 5
        assertThat(ref.prices()).containsExactly(15.0, 10.0);
        assertThat(ref.x().get(0, 0)).isEqualTo(20.0);
        assertThat(ref.x().get(0, 1)).isCloseTo(5.0, within(1e-12));
        assertThat(ref.x().get(1, 0)).isZero();
        assertThat(ref.x().get(1, 1)).isZero();
        // Psi2* = 10 (20 + 5) + 0.25 ((20 - 50)^2 + (5 - 25)^2)
        assertThat(ref.psi2()).isCloseTo(575.0, within(1e-9));

        DMatrixRMaj x = new DMatrixRMaj(new double[][] {{20, 4}, {1, 0}});
        DMatrixRMaj y = new DMatrixRMaj(new double[][] {{45, 25}});
        MarketMetrics mm = MarketMetrics.of(m, ref, x, y);
        // residuals sum X - sum Y = (21 - 45, 4 - 25); prices -rho r
        assertThat(mm.residuals()).containsExactly(-24.0, -21.0);
        assertThat(mm.prices()).containsExactly(12.0, 10.5);
        assertThat(mm.maxResidual()).isEqualTo(24.0);
        // cost 10 * 24 + 30 * 1; emissions 0.9 * 24 + 0.4 * 1; unserved (50 - 45) + (25 - 25)
        assertThat(mm.cost()).isEqualTo(270.0);
        assertThat(mm.emissions()).isCloseTo(22.0, within(1e-12));
        assertThat(mm.unserved()).isEqualTo(5.0);
        // Psi2 = 270 + 1000 * 5 + 0.25 (24^2 + 21^2) = 5524.25, the scale 30 * 75
        assertThat(mm.lowerGap()).isCloseTo((5524.25 - 575.0) / 2250.0, within(1e-12));
        // Psi1 = (20^2 + 4^2 + 1^2) + 1/2 (5^2) + 254.25
        assertThat(mm.upperValue()).isCloseTo(417 + 12.5 + 254.25, within(1e-9));
        // ||X - X_ref|| / ||X_ref|| = sqrt((1 + 1) / (400 + 25))
        assertThat(mm.distance()).isCloseTo(Math.sqrt(2.0 / 425.0), within(1e-12));
        // the reference's own metrics: no gap, no distance
        MarketMetrics at = MarketMetrics.of(m, ref, ref.x(), ref.y());
        assertThat(at.lowerGap()).isCloseTo(0.0, within(1e-15));
        assertThat(at.distance()).isZero();
        assertThat(at.prices()[0]).isCloseTo(15.0, within(1e-12));
    }
}
