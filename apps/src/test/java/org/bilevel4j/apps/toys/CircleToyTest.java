package org.bilevel4j.apps.toys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.bilevel4j.linalg.MatOps;
import org.bilevel4j.problem.SimpleBilevelProblem;
import org.bilevel4j.solver.Result;
import org.bilevel4j.solver.SolverOptions;
import org.bilevel4j.solver.StopReason;
import org.bilevel4j.solver.Trace;
import org.bilevel4j.solver.simple.Bloop;
import org.bilevel4j.solver.simple.Dbgd;
import org.bilevel4j.solver.simple.PenaltyMethod;
import org.bilevel4j.solver.simple.SimpleBilevelState;
import org.bilevel4j.solver.simple.Stationarity;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/** Issue 5's toy checks (the method page's closed-form toy, both cases). */
class CircleToyTest {

    private static final double ETA = 0.02;
    private static final Stationarity EPS = Stationarity.of(1e-6);

    private static Result<DMatrixRMaj> dbgd(CircleToy toy, double beta, double x1, double x2, int maxIter) {
        return Dbgd.of(beta, ETA, EPS).solve(toy.problem(), CircleToy.point(x1, x2),
                SolverOptions.builder().maxIterations(maxIter).build());
    }

    private static Result<DMatrixRMaj> penalty(double gamma, int iterations) {
        return PenaltyMethod.of(gamma, ETA, EPS).solve(CircleToy.caseTwo().problem(), CircleToy.point(0.5, 0.5),
                SolverOptions.builder().maxIterations(iterations).build());
    }

    @Test
    void caseTwoFromTheFirstQuadrantReachesOneZeroWithGrowingMultiplier() {
        Result<DMatrixRMaj> r = dbgd(CircleToy.caseTwo(), 1, 0.5, 0.5, 1000);
        Trace t = r.trace();
        assertThat(r.stopReason()).isEqualTo(StopReason.CONVERGED);
        assertThat(r.iterations()).isLessThanOrEqualTo(1000).isBetween(300, 400); // "near iteration 350"
        assertThat(t.lastValue("grad_g_norm")).isLessThanOrEqualTo(1e-6);
        assertThat(t.lastValue("d_norm")).isLessThanOrEqualTo(1e-6);
        assertThat(r.solution().get(0)).isCloseTo(1, within(1e-6));
        assertThat(r.solution().get(1)).isCloseTo(0, within(1e-6));
        assertThat(t.lastValue("f")).isCloseTo(CircleToy.caseTwo().optimalValue(), within(1e-6));
        assertThat(t.lastValue("lambda")).isGreaterThan(1e6);
        assertThat(t.lastValue("cos_theta")).isLessThan(-1 + 1e-9);
        // lambda grows without bound and cos(theta) tends to -1 over the last stretch
        double[] lam = t.column("lambda");
        double[] cos = t.column("cos_theta");
        int n = lam.length;
        assertThat(lam[n - 1]).isGreaterThan(10 * lam[n - 60]).isGreaterThan(100 * lam[n - 120]);
        assertThat(cos[n - 1]).isLessThanOrEqualTo(cos[n - 120]);
        assertThat(cos[n - 120]).isLessThan(-0.999);
    }

    @Test
    void caseTwoFromTheLeftReachesMinusOneZero() {
        Result<DMatrixRMaj> r = dbgd(CircleToy.caseTwo(), 1, -1.5, 0, 1000);
        assertThat(r.stopReason()).isEqualTo(StopReason.CONVERGED);
        assertThat(r.solution().get(0)).isCloseTo(-1, within(1e-6));
        assertThat(r.solution().get(1)).isCloseTo(0, within(1e-6));
        assertThat(r.trace().lastValue("grad_g_norm")).isLessThanOrEqualTo(1e-6);
        assertThat(r.trace().lastValue("d_norm")).isLessThanOrEqualTo(1e-6);
    }

    @Test
    void caseTwoFromBelowReachesOneZero() {
        Result<DMatrixRMaj> r = dbgd(CircleToy.caseTwo(), 1, 0.2, -1.3, 1000);
        assertThat(r.stopReason()).isEqualTo(StopReason.CONVERGED);
        assertThat(r.solution().get(0)).isCloseTo(1, within(1e-6));
        assertThat(r.solution().get(1)).isCloseTo(0, within(1e-6));
    }

    @Test
    void penaltyGammaTenPlateausAtTheRootOfTheStationarityEquation() {
        Result<DMatrixRMaj> r = penalty(10, 5000);
        double[] limit = CircleToy.caseTwo().penaltyLimit(10);
        assertThat(limit[0]).isCloseTo(1.0447, within(1e-4));
        assertThat(r.stopReason()).isEqualTo(StopReason.MAX_ITERATIONS);
        assertThat(r.solution().get(0)).isCloseTo(1.0447, within(1e-4)).isCloseTo(limit[0], within(1e-8));
        assertThat(r.solution().get(1)).isCloseTo(0, within(1e-4));
        assertThat(r.trace().lastValue("grad_g_norm")).isCloseTo(0.0955, within(1e-4));
        // stationarity of f + gamma g: (r - 2) + gamma (r^2 - 1) r = 0, so ||grad g|| = (2 - r) / gamma
        assertThat(r.trace().lastValue("grad_g_norm")).isCloseTo((2 - limit[0]) / 10, within(1e-8));
    }

    @Test
    void penaltyGammaOneAndHundredPlateauToo() {
        Result<DMatrixRMaj> one = penalty(1, 2000);
        assertThat(one.solution().get(0)).isCloseTo(Math.cbrt(2), within(1e-6));
        assertThat(one.trace().lastValue("grad_g_norm")).isCloseTo(0.74, within(1e-3));
        Result<DMatrixRMaj> hundred = penalty(100, 30000);
        assertThat(hundred.solution().get(0)).isCloseTo(1.00494, within(1e-5));
        assertThat(hundred.trace().lastValue("grad_g_norm")).isCloseTo(0.00995, within(1e-5));
    }

    @Test
    void caseOneMultiplierTendsToBetaMinusOneHalfAlongTheAxis() {
        CircleToy toy = CircleToy.caseOne();
        for (double beta : new double[] {0.25, 0.75, 1, 2}) {
            for (double[] start : List.of(new double[] {1.5, 0}, new double[] {0.5, 0})) {
                Result<DMatrixRMaj> r = dbgd(toy, beta, start[0], start[1], 5000);
                assertThat(r.stopReason()).as("beta %s", beta).isEqualTo(StopReason.CONVERGED);
                assertThat(r.solution().get(0)).isCloseTo(1, within(1e-6));
                assertThat(r.trace().lastValue("lambda")).as("beta %s from %s", beta, start[0])
                        .isCloseTo(CircleToy.caseOneMultiplierLimit(beta), within(1e-5));
            }
        }
    }

    @Test
    void caseOneOffTheAxisWithBetaBelowOne() {
        // Off the axis, lambda = beta - 1/2 - theta^2 / (4 eps) + ..., with theta the angle to x* and eps
        // the radial error; for beta < 1 the radial error decays more slowly than theta^2, so the
        // correction dies out and lambda still tends to beta - 1/2 (slowly: 3e-4 off when the 1e-6 test
        // fires). For beta >= 1 the two decay at comparable rates and lambda need not tend to beta - 1/2.
        Result<DMatrixRMaj> r = dbgd(CircleToy.caseOne(), 0.75, 0.5, 0.5, 5000);
        assertThat(r.stopReason()).isEqualTo(StopReason.CONVERGED);
        assertThat(MatOps.distance(r.solution(), CircleToy.point(1, 0))).isLessThan(1e-6);
        assertThat(r.trace().lastValue("lambda")).isCloseTo(0.25, within(1e-3));
    }

    @Test
    void directionIdentitiesAlongACaseTwoPath() {
        CircleToy toy = CircleToy.caseTwo();
        SimpleBilevelProblem p = toy.problem();
        Dbgd dbgd = Dbgd.of(1, ETA, EPS);
        SimpleBilevelState s = dbgd.init(p, CircleToy.point(0.5, 0.5), SolverOptions.defaults());
        int active = 0;
        int inactive = 0;
        for (int k = 0; k < 340; k++) {
            double gd = MatOps.dot(s.gradG(), s.direction());
            // rounding in <grad g, grad f_perp> is of order eps ||grad g|| ||grad f||
            double scale = s.gradGNorm() * (Math.sqrt(MatOps.normSq(s.gradF())) + Math.sqrt(MatOps.normSq(s.direction())))
                    + Math.abs(s.phi());
            if (s.lambda() > 0) {
                active++;
                assertThat(gd).as("iteration %d", k).isCloseTo(s.phi(), within(1e-14 * scale));
            } else {
                inactive++;
                assertThat(gd).as("iteration %d", k).isGreaterThanOrEqualTo(s.phi());
            }
            // d = grad f + lambda grad g with lambda >= 0, and the smallest such that <grad g, d> >= phi
            assertThat(s.lambda()).isGreaterThanOrEqualTo(0);
            dbgd.step(p, s);
        }
        assertThat(active).isPositive();
        assertThat(inactive).isPositive();
    }

    @Test
    void bloopReachesTheSolutionToo() {
        Result<DMatrixRMaj> r = Bloop.of(1, ETA, EPS).solve(CircleToy.caseTwo().problem(), CircleToy.point(0.5, 0.5),
                SolverOptions.builder().maxIterations(5000).build());
        assertThat(r.stopReason()).isEqualTo(StopReason.CONVERGED);
        assertThat(MatOps.distance(r.solution(), CircleToy.point(1, 0))).isLessThan(1e-5);
    }

    @Test
    void experimentIsDeterministicAndFindsKnownPoints() {
        CircleToyExperiment.Settings s = CircleToyExperiment.Settings.paper().withMaxIterations(3000);
        List<CircleToyExperiment.Run> a = CircleToyExperiment.run(s);
        List<CircleToyExperiment.Run> b = CircleToyExperiment.run(s);
        assertThat(a).hasSameSizeAs(b).hasSize(2 * 3 * 5);
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i).path1()).containsExactly(b.get(i).path1());
            assertThat(a.get(i).path2()).containsExactly(b.get(i).path2());
            Trace ta = a.get(i).result().trace();
            Trace tb = b.get(i).result().trace();
            for (String c : List.of("f", "g", "grad_g_norm", "lambda", "d_norm")) {
                assertThat(ta.column(c)).containsExactly(tb.column(c));
            }
            assertThat(a.get(i).path1()).hasSize(a.get(i).result().iterations() + 1);
        }
        for (CircleToyExperiment.Run r : a) {
            if (r.method().equals("DBGD")) {
                assertThat(r.distance()).as("%s from %s,%s", r.toy().name(), r.start()[0], r.start()[1])
                        .isLessThan(1e-6);
            }
        }
    }
}
