package org.bilevel4j.apps.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The exact reference on one-period markets small enough to solve by hand from the optimality
 * condition {@code lambda / rho in E(lambda)}, {@code E(lambda) = sum_{v_j > lambda} d_j -
 * sum_{p_b < lambda} cap_b}, one case for each way the price can fall: strictly between two price
 * levels, at a level with {@code E(L+) = L / rho} or {@code L / rho = E(L-)} exactly (the ends of
 * the level's interval), at a load's VOLL (partial shedding), and above every level. Then the two
 * fill rules on the face, {@code waterFill} and {@code fillInOrder}, against their definitions.
 */
class MarketReferenceCasesTest {

    /** One period, the FAIR preference with mu = 2, eta = 1 (f1 = X^2, g1 = (Y - d)^2 / 2). */
    static MarketModel market(double rho, double[][] offers, double[][] loads) {
        List<Offer> o = new ArrayList<>();
        for (int b = 0; b < offers.length; b++) {
            o.add(new Offer(b, 1, Fuel.OTHER, offers[b][0], offers[b][1]));
        }
        int[] bus = new int[loads.length];
        double[] mw = new double[loads.length];
        double[] voll = new double[loads.length];
        for (int j = 0; j < loads.length; j++) {
            bus[j] = j + 1;
            mw[j] = loads[j][0];
            voll[j] = loads[j][1];
        }
        MarketData data = new MarketData(o, bus, mw, voll, new double[] {1.0});
        return MarketModel.build(data, Preference.FAIR, new MarketModel.Weights(rho, 2.0, 1.0, 1e-3),
                new double[offers.length], new DMatrixRMaj(offers.length, 1));
    }

    /** The residual of the solution is -lambda / rho: the optimality condition of the balance term. */
    static void assertBalanced(MarketModel m, MarketReference.Solution s) {
        double[] r = m.coupling().residuals(s.x(), s.y());
        assertThat(r[0]).isCloseTo(-s.prices()[0] / m.rho(), within(1e-9));
    }

    @Test
    void thePriceFallsStrictlyBetweenTwoLevels() {
        // offers 10 $/MWh x 20 MW and 30 x 100, a load of 50 at VOLL 1000, rho = 0.5:
        // E = 30 on (10, 30), and lambda = rho E = 15 lies inside: no level binds
        MarketModel m = market(0.5, new double[][] {{10, 20}, {30, 100}}, new double[][] {{50, 1000}});
        MarketReference.Solution s = MarketReference.solve(m);
        assertThat(s.prices()[0]).isEqualTo(15.0);
        assertThat(s.x().get(0, 0)).isEqualTo(20.0);
        assertThat(s.x().get(1, 0)).isEqualTo(0.0);
        assertThat(s.y().get(0, 0)).isEqualTo(50.0);
        // Psi2 = 10 * 20 + 0 (all served) + 0.5 / 2 * (20 - 50)^2 = 425
        assertThat(s.psi2()).isCloseTo(425.0, within(1e-9));
        // Psi1 = mu/2 ||X||^2 + eta/2 ||Y - d||^2 + H = 400 + 0 + 225
        assertThat(s.psi1()).isCloseTo(625.0, within(1e-9));
        assertBalanced(m, s);
    }

    @Test
    void thePriceIsTheLevelWhereTheExcessJustAboveItMeetsIt() {
        // one offer 10 x 40, a load of 50: E(10+) = 50 - 40 = 10 = lambda / rho with rho = 1
        MarketModel m = market(1.0, new double[][] {{10, 40}}, new double[][] {{50, 1000}});
        MarketReference.Solution s = MarketReference.solve(m);
        assertThat(s.prices()[0]).isEqualTo(10.0);
        // the block at the price is free with the sum r + served = -10 + 50 = 40: its capacity
        assertThat(s.x().get(0, 0)).isCloseTo(40.0, within(1e-9));
        assertThat(s.y().get(0, 0)).isEqualTo(50.0);
        assertBalanced(m, s);
    }

    @Test
    void thePriceIsTheLevelWhereTheExcessJustBelowItMeetsIt() {
        // one offer 50 x 100, a load of 50: E(50-) = 50 = lambda / rho with rho = 1, so the block
        // at the price runs at -50 + 50 = 0
        MarketModel m = market(1.0, new double[][] {{50, 100}}, new double[][] {{50, 1000}});
        MarketReference.Solution s = MarketReference.solve(m);
        assertThat(s.prices()[0]).isEqualTo(50.0);
        assertThat(s.x().get(0, 0)).isCloseTo(0.0, within(1e-9));
        assertThat(s.y().get(0, 0)).isEqualTo(50.0);
        // Psi2 = 0 + 0 + 1/2 * 50^2
        assertThat(s.psi2()).isCloseTo(1250.0, within(1e-6));
        assertBalanced(m, s);
    }

    @Test
    void aLoadAtThePriceIsShedInPartAndOneBelowItEntirely() {
        // offer 10 x 40; loads 50 at VOLL 100 and 7 at VOLL 50; rho = 100. E on (50, 100) is
        // 50 - 40 = 10, too small for lambda = 1000 there; at 100, E(100+) = -40 <= 1 <= 10 = E(100-):
        // lambda = 100, the first load is free with Y = -(r - supply) = 1 + 40 = 41, the second is shed
        MarketModel m = market(100.0, new double[][] {{10, 40}}, new double[][] {{50, 100}, {7, 50}});
        MarketReference.Solution s = MarketReference.solve(m);
        assertThat(s.prices()[0]).isEqualTo(100.0);
        assertThat(s.x().get(0, 0)).isEqualTo(40.0);
        assertThat(s.y().get(0, 0)).isCloseTo(41.0, within(1e-9));
        assertThat(s.y().get(1, 0)).isEqualTo(0.0);
        // Psi2 = 10 * 40 + 100 * (50 - 41) + 50 * 7 + 100 / 2 * (40 - 41)^2
        assertThat(s.psi2()).isCloseTo(400 + 900 + 350 + 50, within(1e-6));
        assertBalanced(m, s);
    }

    @Test
    void thePriceCanLieAboveEveryLevel() {
        // an offer at -100 x 10 and a load of 5 whose VOLL is -50 (it pays to stay unserved):
        // above both levels E = -10, and lambda = rho E = -10 > -50 solves lambda / rho in E(lambda)
        MarketModel m = market(1.0, new double[][] {{-100, 10}}, new double[][] {{5, -50}});
        MarketReference.Solution s = MarketReference.solve(m);
        assertThat(s.prices()[0]).isEqualTo(-10.0);
        assertThat(s.x().get(0, 0)).isEqualTo(10.0);
        assertThat(s.y().get(0, 0)).isEqualTo(0.0);
        // Psi2 = -100 * 10 + (-50) * 5 + 1/2 * 10^2
        assertThat(s.psi2()).isCloseTo(-1200.0, within(1e-9));
        assertBalanced(m, s);
    }

    @Test
    void theArbitraryEquilibriumFillsTiedBlocksInRowOrder() {
        MarketModel m = ThreeBlocksTest.model(Preference.FAIR);
        MarketReference.Solution pref = MarketReference.solve(m);
        MarketReference.Solution any = MarketReference.arbitrary(m);
        assertThat(any.prices()).containsExactly(pref.prices());
        assertThat(any.x().get(0, 0)).isEqualTo(100.0);
        assertThat(any.x().get(1, 0)).isCloseTo(ThreeBlocksTest.R - 100, within(1e-9));
        assertThat(any.x().get(2, 0)).isEqualTo(0.0);
        assertThat(any.y().get(0, 0)).isEqualTo(150.0);
        // both minimize Psi2; the preferred one has the smaller Psi1 (mu/2 ||X||^2)
        assertThat(any.psi2()).isCloseTo(pref.psi2(), within(1e-9));
        double spread = 0.5 * ThreeBlocksTest.MU * (100 * 100 + Math.pow(ThreeBlocksTest.R - 100, 2)
                - 3 * Math.pow(ThreeBlocksTest.R / 3, 2));
        assertThat(any.psi1() - pref.psi1()).isCloseTo(spread, within(1e-6));
    }

    @Test
    void theProblemFormGivesTheModelFormsAnswer() {
        MarketModel m = ThreeBlocksTest.model(Preference.SCHEDULE);
        MarketReference.Solution a = MarketReference.solve(m);
        MarketReference.Solution b = MarketReference.solve(m.problem(), m.rho());
        assertThat(b.x().data).containsExactly(a.x().data);
        assertThat(b.y().data).containsExactly(a.y().data);
        assertThat(b.prices()).containsExactly(a.prices());
        assertThat(b.psi1()).isEqualTo(a.psi1());
        assertThat(b.psi2()).isEqualTo(a.psi2());
    }

    // ---------- the fill rules on the face: entries {sign, a, b, lo, hi} ----------

    private static final List<double[]> MIXED = List.of(new double[] {1, 1, 0, 2, 5},
            new double[] {-1, 1, 0, 1, 4}, new double[] {1, 1, 0, 0, 3});

    @Test
    void fillInOrderRaisesEachEntryFromItsLowerBoundInTurn() {
        // at the lower bounds sum s_i v_i = 2 - 1 + 0 = 1; to reach 6 the first entry rises by its
        // room 3, the second (sign -1) would lower the sum and stays, the third rises by 2
        assertThat(MarketReference.fillInOrder(MIXED, 6)).containsExactly(5, 1, 2);
        // to reach -2 only the second entry helps: it rises by 3, to its upper bound
        assertThat(MarketReference.fillInOrder(MIXED, -2)).containsExactly(2, 4, 0);
        // a reachable target is met exactly
        double[] v = MarketReference.fillInOrder(MIXED, 3.5);
        assertThat(v).containsExactly(4.5, 1, 0);
    }

    @Test
    void waterFillMeetsTheTargetWithOneMultiplier() {
        // v_i = clip((s_i tau - b_i) / a_i, lo_i, hi_i); unclipped here: v1 = tau, v2 = (tau - 1)/2,
        // v3 = 5 - tau (sign -1, b = -5), and sum s_i v_i = v1 + v2 - v3 = 2.5 tau - 5.5 = 4 gives tau = 3.8
        List<double[]> e = List.of(new double[] {1, 1, 0, 0, 10}, new double[] {1, 2, 1, 0, 10},
                new double[] {-1, 1, -5, 0, 10});
        double[] v = MarketReference.waterFill(e, 4.0);
        assertThat(v[0]).isCloseTo(3.8, within(1e-12));
        assertThat(v[1]).isCloseTo(1.4, within(1e-12));
        assertThat(v[2]).isCloseTo(1.2, within(1e-12));
        // with a clipped entry: the second's box [0, 1] binds, the others share the rest
        List<double[]> c = List.of(new double[] {1, 1, 0, 0, 10}, new double[] {1, 1, 0, 0, 1});
        double[] w = MarketReference.waterFill(c, 7.0);
        assertThat(w[0]).isCloseTo(6.0, within(1e-12));
        assertThat(w[1]).isEqualTo(1.0);
        // one entry: v = target exactly up to rounding
        assertThat(MarketReference.waterFill(List.of(new double[] {1, 2, -4, 0, 10}), 3.0)[0])
                .isCloseTo(3.0, within(1e-12));
    }

    @Test
    void waterFillAtTheEndsOfItsRange() {
        // the target is the least reachable sum: every entry at its lower bound, here v = tau + 5 clipped
        // to [0, 10] (the bracket closes on the flat part below tau = -5, where any tau gives v = 0)
        assertThat(MarketReference.waterFill(List.of(new double[] {1, 1, -5, 0, 10}), 0.0)[0]).isZero();
        // a root at tau = 0 exactly: s_1 v_1 + s_2 v_2 = tau + tau with v_1 = tau and v_2 = -tau on
        // [-10, 10]; the bisection approaches 0 from below for all its 200 halvings, and the
        // interpolation between the bracket's ends, where the sum is linear, lands on 0 exactly
        double[] v = MarketReference.waterFill(List.of(new double[] {1, 1, 0, -10, 10},
                new double[] {-1, 1, 0, -10, 10}), 0.0);
        assertThat(Math.abs(v[0])).isLessThan(1e-100);
        assertThat(Math.abs(v[1])).isLessThan(1e-100);
    }

    @Test
    void waterFillNeedsAPositiveCurvature() {
        assertThatThrownBy(() -> MarketReference.waterFill(List.of(new double[] {1, 0, 1, 0, 10}), 3.0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive upper-level curvature");
    }
}
