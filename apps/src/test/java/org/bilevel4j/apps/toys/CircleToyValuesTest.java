package org.bilevel4j.apps.toys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.bilevel4j.solver.simple.Dbgd;
import org.bilevel4j.solver.simple.PenaltyMethod;
import org.bilevel4j.solver.simple.Stationarity;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The circle toy's closed forms off the two cases of the method page ({@code c = (3, 4)}), the penalty
 * limit as a root of its equation, the two smooth functions against their formulas and shapes, and the
 * nearest known point of the experiment's runs against its definition.
 */
class CircleToyValuesTest {

    private static final Stationarity EPS = Stationarity.of(1e-6);

    @Test
    void solutionValueAndStationaryPointsForALengthFiveCenter() {
        CircleToy t = new CircleToy("t", 3, 4);
        assertThat(t.solution()).containsExactly(new double[] {0.6, 0.8}, within(1e-16));
        assertThat(t.optimalValue()).isCloseTo(8, within(1e-15)); // (5 - 1)^2 / 2
        double[][] s = t.stationaryPoints();
        assertThat(s[0]).containsExactly(new double[] {0.6, 0.8}, within(1e-16));
        assertThat(s[1]).containsExactly(new double[] {-0.6, -0.8}, within(1e-16));
        assertThat(t.isCaseOne()).isFalse();
        assertThat(CircleToy.caseOne().isCaseOne()).isTrue();
        assertThat(new CircleToy("u", 0, -1).isCaseOne()).isTrue();
        assertThat(CircleToy.caseTwo().isCaseOne()).isFalse();
        assertThat(new CircleToy("v", 0.5, 0).isCaseOne()).isFalse();
        assertThatThrownBy(() -> new CircleToy("z", 0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("c must be finite and nonzero, got (0.0, 0.0)");
        assertThatThrownBy(() -> new CircleToy("z", Double.NaN, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CircleToy("z", 1, Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(CircleToy.caseOneMultiplierLimit(0.3)).isZero();
        assertThat(CircleToy.caseOneMultiplierLimit(2)).isEqualTo(1.5);
    }

    @Test
    void thePenaltyLimitIsTheRootOfItsEquationBetweenOneAndC1() {
        for (double[] cg : new double[][] {{2, 10}, {2, 0.5}, {0.5, 3}, {5, 1e-3}}) {
            double c1 = cg[0];
            double gamma = cg[1];
            double[] r = new CircleToy("t", c1, 0).penaltyLimit(gamma);
            assertThat(r[1]).isZero();
            assertThat(r[0]).isBetween(Math.min(1, c1), Math.max(1, c1));
            // the residual (r - c1) + gamma (r^2 - 1) r at the returned root is rounding-sized, and its sign
            // changes within one ulp on either side
            double res = (r[0] - c1) + gamma * (r[0] * r[0] - 1) * r[0];
            assertThat(Math.abs(res)).as("c1 %s gamma %s", c1, gamma).isLessThan(1e-14 * Math.max(1, c1));
            double below = (r[0] - 4 * Math.ulp(r[0]) - c1) + gamma * (Math.pow(r[0] - 4 * Math.ulp(r[0]), 2) - 1)
                    * (r[0] - 4 * Math.ulp(r[0]));
            double above = (r[0] + 4 * Math.ulp(r[0]) - c1) + gamma * (Math.pow(r[0] + 4 * Math.ulp(r[0]), 2) - 1)
                    * (r[0] + 4 * Math.ulp(r[0]));
            assertThat(below).isLessThanOrEqualTo(0);
            assertThat(above).isGreaterThanOrEqualTo(0);
        }
        assertThat(CircleToy.caseOne().penaltyLimit(5)).containsExactly(1, 0);
        assertThatThrownBy(() -> new CircleToy("t", 0, 2).penaltyLimit(1)).isInstanceOf(IllegalStateException.class)
                .hasMessage("penaltyLimit is written for c = (c1, 0) with c1 > 0");
        assertThatThrownBy(() -> new CircleToy("t", -2, 0).penaltyLimit(1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> CircleToy.caseTwo().penaltyLimit(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("gamma must be positive, got 0.0");
        assertThatThrownBy(() -> CircleToy.caseTwo().penaltyLimit(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theQuarticAndTheDistanceAreTheirFormulasAndCheckShapes() {
        CircleQuartic g = new CircleQuartic();
        DMatrixRMaj x = CircleToy.point(1, 2);
        DMatrixRMaj grad = new DMatrixRMaj(2, 1);
        // ||x||^2 - 1 = 4: g = 4^2 / 4, grad g = 4 x
        assertThat(g.valueAndGradient(x, grad)).isEqualTo(4);
        assertThat(grad.data).containsExactly(4, 8);
        assertThat(g.value(x)).isEqualTo(4);
        assertThatThrownBy(() -> g.valueAndGradient(x, new DMatrixRMaj(3, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shape mismatch");
        assertThat(g.toString()).isEqualTo("CircleQuartic");
        // level sets: radii sqrt(1 + 2 sqrt(v)) and, below 1/4, sqrt(1 - 2 sqrt(v))
        assertThat(CircleQuartic.levelRadii(0)).containsExactly(1, 1);
        assertThat(CircleQuartic.levelRadii(1.0 / 16)).containsExactly(Math.sqrt(1.5), Math.sqrt(0.5));
        assertThat(CircleQuartic.levelRadii(0.25)).containsExactly(Math.sqrt(2));
        assertThat(CircleQuartic.levelRadii(4)).containsExactly(Math.sqrt(5));
        assertThatThrownBy(() -> CircleQuartic.levelRadii(-1e-300)).isInstanceOf(IllegalArgumentException.class);

        DMatrixRMaj c = CircleToy.point(1, 2);
        HalfSqrDistance f = new HalfSqrDistance(c);
        DMatrixRMaj copy = f.center();
        assertThat(copy.data).containsExactly(1, 2);
        copy.data[0] = 7;
        c.data[1] = 9;
        assertThat(f.center().data).containsExactly(1, 2);
        assertThat(f.value(CircleToy.point(4, -1))).isEqualTo(9); // (9 + 9) / 2
        assertThat(f.valueAndGradient(CircleToy.point(4, -1), grad)).isEqualTo(9);
        assertThat(grad.data).containsExactly(3, -3);
        assertThatThrownBy(() -> f.value(new DMatrixRMaj(3, 1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("shape mismatch");
        assertThatThrownBy(() -> f.valueAndGradient(new DMatrixRMaj(3, 1), new DMatrixRMaj(3, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shape mismatch");
        assertThat(f.isConvex()).isTrue();
        assertThat(f.isStronglyConvex()).isTrue();
        assertThat(f.lipschitzConstant().getAsDouble()).isEqualTo(1);
        assertThat(f.toString()).isEqualTo("HalfSqrDistance[1.0, 2.0]");
        assertThatThrownBy(() -> new HalfSqrDistance(CircleToy.point(Double.NaN, 0)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** The nearest of the known points by definition: the stationary points, and the penalty limit for penalty runs. */
    private static void checkNearest(CircleToyExperiment.Run r, boolean withPenaltyLimit) {
        double[] end = r.end();
        assertThat(end).containsExactly(r.result().solution().get(0), r.result().solution().get(1));
        assertThat(end).containsExactly(r.path1()[r.path1().length - 1], r.path2()[r.path2().length - 1]);
        List<double[]> known = new ArrayList<>(List.of(r.toy().stationaryPoints()));
        if (withPenaltyLimit) {
            known.add(r.toy().penaltyLimit(r.hyper()));
        }
        double[] best = null;
        double d = Double.POSITIVE_INFINITY;
        for (double[] p : known) {
            double e = Math.hypot(end[0] - p[0], end[1] - p[1]);
            if (e < d) {
                d = e;
                best = p;
            }
        }
        assertThat(r.nearest()).containsExactly(best);
        assertThat(r.distance()).isEqualTo(d);
    }

    @Test
    void theNearestKnownPointIncludesThePenaltyLimitForPenaltyRunsOnly() {
        // a penalty run ending near its own limit (1.0447, 0), not near (1, 0)
        CircleToyExperiment.Run pen = CircleToyExperiment.run(CircleToy.caseTwo(), new double[] {1.1, 0.05},
                PenaltyMethod.of(10, 0.02, EPS), "penalty", "gamma", 10, 2000);
        checkNearest(pen, true);
        assertThat(pen.nearest()).containsExactly(CircleToy.caseTwo().penaltyLimit(10));
        assertThat(pen.start()).containsExactly(1.1, 0.05);
        assertThat(pen.method()).isEqualTo("penalty");
        assertThat(pen.hyperName()).isEqualTo("gamma");
        // one DBGD step from (1.05, 0) ends nearer to (1.0447, 0) than to (1, 0), but DBGD's known points are the
        // stationary points only
        CircleToyExperiment.Run dbgd = CircleToyExperiment.run(CircleToy.caseTwo(), new double[] {1.05, 0},
                Dbgd.of(1, 0.02, EPS), "DBGD", "gamma", 10, 1);
        double[] limit = CircleToy.caseTwo().penaltyLimit(10);
        assertThat(Math.abs(dbgd.end()[0] - limit[0])).isLessThan(Math.abs(dbgd.end()[0] - 1));
        checkNearest(dbgd, false);
        assertThat(dbgd.nearest()).containsExactly(1, 0);
        // centers off the positive axis have no penalty limit: the penalty runs there use the stationary points
        for (CircleToy t : List.of(new CircleToy("up", 0, 2), new CircleToy("left", -2, 0))) {
            CircleToyExperiment.Run r = CircleToyExperiment.run(t, new double[] {0.5, 0.5},
                    PenaltyMethod.of(10, 0.02, EPS), "penalty", "gamma", 10, 20);
            checkNearest(r, false);
        }
    }
}
