package org.bilevel4j.apps.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.bilevel4j.apps.io.SharedData;
import org.bilevel4j.function.BoxedQuadratic;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.ojalgo.optimisation.Expression;
import org.ojalgo.optimisation.ExpressionsBasedModel;
import org.ojalgo.optimisation.Optimisation;
import org.ojalgo.optimisation.Variable;

/**
 * Cross-checks the exact reference with a QP solve by ojAlgo: the lower level's optimal value
 * (merit order) and the preferred point on the face fixed by the prices (water-filling).
 */
class MarketReferenceQpTest {

    static MarketModel model(Preference pref) throws Exception {
        MatpowerCase c = MatpowerReader.read(SharedData.require("power_cases/matpower/case24_ieee_rts.m"));
        MarketData data = MarketData.fromCase(c, MarketData.Options.defaults(), MarketData.rtsWinterWeekday(2));
        return MarketModel.build(data, pref, MarketModel.Weights.defaults());
    }

    @Test
    @Tag("slow") // a long or real-data run: not rerun per mutant by PIT (docs/testing.md)
    void lowerLevelOptimumMatchesTheQp() throws Exception {
        MarketModel m = model(Preference.FAIR);
        MarketReference.Solution ref = MarketReference.solve(m);
        BoxedQuadratic f2 = (BoxedQuadratic) m.problem().f2();
        BoxedQuadratic g2 = (BoxedQuadratic) m.problem().g2();
        double constant = 0;
        ExpressionsBasedModel qp = new ExpressionsBasedModel();
        Expression obj = qp.addExpression("objective").weight(1.0);
        for (int t = 0; t < f2.cols(); t++) {
            Variable r = qp.addVariable("r" + t);
            Expression bal = qp.addExpression("balance" + t).level(0.0);
            bal.set(r, 1.0);
            for (int b = 0; b < f2.rows(); b++) {
                Variable x = qp.addVariable("x" + b + "_" + t).lower(0.0).upper(f2.upper(b, t)).weight(f2.linear(b, t));
                bal.set(x, -1.0);
            }
            for (int j = 0; j < g2.rows(); j++) {
                Variable y = qp.addVariable("y" + j + "_" + t).lower(0.0).upper(g2.upper(j, t)).weight(g2.linear(j, t));
                bal.set(y, 1.0);
                constant += -g2.linear(j, t) * g2.upper(j, t);
            }
            obj.set(r, r, 0.5 * m.rho());
        }
        Optimisation.Result res = qp.minimise();
        assertThat(res.getState().isOptimal()).as(res.toString()).isTrue();
        double qpValue = res.getValue() + constant;
        assertThat(ref.psi2()).isCloseTo(qpValue, within(1e-6 * m.costScale()));
        // and the QP's point is no better than the reference
        assertThat(ref.psi2()).isLessThanOrEqualTo(qpValue + 1e-9 * m.costScale());
    }

    @Test
    void preferredPointMatchesTheQpOnTheFace() throws Exception {
        for (Preference pref : Preference.values()) {
            MarketModel m = model(pref);
            MarketReference.Solution ref = MarketReference.solve(m);
            BoxedQuadratic f2 = (BoxedQuadratic) m.problem().f2();
            BoxedQuadratic f1 = (BoxedQuadratic) m.problem().f1();
            ExpressionsBasedModel qp = new ExpressionsBasedModel();
            Expression obj = qp.addExpression("objective").weight(1.0);
            Variable[][] xs = new Variable[f2.rows()][f2.cols()];
            for (int t = 0; t < f2.cols(); t++) {
                double lambda = ref.prices()[t];
                double fixed = 0;
                Expression sum = qp.addExpression("face" + t);
                boolean any = false;
                for (int b = 0; b < f2.rows(); b++) {
                    double p = f2.linear(b, t);
                    if (p == lambda) {
                        Variable x = qp.addVariable("x" + b + "_" + t).lower(0.0).upper(f2.upper(b, t))
                                .weight(f1.linear(b, t));
                        obj.set(x, x, 0.5 * f1.curvature(b, t));
                        sum.set(x, 1.0);
                        xs[b][t] = x;
                        any = true;
                    } else if (p < lambda) {
                        fixed += f2.upper(b, t);
                    }
                }
                double served = 0;
                for (int j = 0; j < m.data().loads(); j++) {
                    served += ref.y().get(j, t);
                }
                // sum of free blocks = served - lambda / rho - fixed
                sum.level(any ? served - lambda / m.rho() - fixed : 0.0);
            }
            Optimisation.Result res = qp.minimise();
            assertThat(res.getState().isOptimal()).as(res.toString()).isTrue();
            double worst = 0;
            for (int b = 0; b < f2.rows(); b++) {
                for (int t = 0; t < f2.cols(); t++) {
                    if (xs[b][t] != null) {
                        worst = Math.max(worst, Math.abs(xs[b][t].getValue().doubleValue() - ref.x().get(b, t)));
                    }
                }
            }
            assertThat(worst).as(pref.label()).isLessThan(1e-4);
        }
    }
}
