package org.bilevel4j.solver.simple;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.bilevel4j.solver.simple.TestFunctions.vec;

import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.bilevel4j.linalg.MatOps;
import org.bilevel4j.problem.SimpleBilevelProblem;
import org.bilevel4j.solver.SolverOptions;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * DBGD's direction at prescribed gradients: the identities of the method page and a brute-force
 * solution of the two-dimensional QP {@code min 1/2 ||v - grad f||^2 s.t. <grad g, v> >= phi}.
 * The gradients are prescribed with {@code f(x) = <a, x>} and {@code g(x) = 1/2 ||x - (x0 - b)||^2},
 * so that {@code grad f(x0) = a} and {@code grad g(x0) = b}.
 */
class DbgdDirectionTest {

    private static final SolverOptions OPTIONS = SolverOptions.defaults();

    /**
     * A search that compares objective values finds a minimizer only to about sqrt(machine epsilon)
     * times the scale (the objective is flat to second order there), hence 1e-7 and not 1e-15.
     */
    private static final double SEARCH_TOL = 1e-7;

    private static SimpleBilevelState stateAt(Dbgd dbgd, double[] a, double[] b) {
        DMatrixRMaj x0 = vec(0, 0);
        DMatrixRMaj center = vec(x0.get(0) - b[0], x0.get(1) - b[1]);
        SimpleBilevelProblem p = SimpleBilevelProblem.of(TestFunctions.linear(vec(a)),
                TestFunctions.halfSqrDistance(center));
        return dbgd.init(p, x0, OPTIONS);
    }

    /**
     * Minimizes {@code 1/2 ||v - a||^2} over {@code <b, v> >= phi} by search, not by the closed form:
     * {@code a} itself when feasible, otherwise a scan of the boundary line {@code <b, v> = phi} on
     * grids that zoom in around the best point (on a line the objective is a convex parabola, so the
     * zoom cannot lose the minimum).
     */
    private static double[] bruteForce(double[] a, double[] b, double phi) {
        if (b[0] * a[0] + b[1] * a[1] >= phi) {
            return a.clone();
        }
        double bb = b[0] * b[0] + b[1] * b[1];
        double bn = Math.sqrt(bb);
        double[] p0 = {phi * b[0] / bb, phi * b[1] / bb};
        double[] u = {-b[1] / bn, b[0] / bn};
        double center = 0;
        double radius = Math.hypot(a[0], a[1]) + Math.hypot(p0[0], p0[1]) + 1;
        for (int level = 0; level < 12; level++) {
            double best = Double.POSITIVE_INFINITY;
            double bestT = center;
            int m = 1000;
            for (int i = -m; i <= m; i++) {
                double t = center + radius * i / m;
                double vx = p0[0] + t * u[0] - a[0];
                double vy = p0[1] + t * u[1] - a[1];
                double q = vx * vx + vy * vy;
                if (q < best) {
                    best = q;
                    bestT = t;
                }
            }
            center = bestT;
            radius /= 10;
        }
        return new double[] {p0[0] + center * u[0], p0[1] + center * u[1]};
    }

    /** No random feasible point near {@code d} has a smaller QP objective. */
    private static void assertNoFeasiblePointIsBetter(double[] a, double[] b, double phi, double[] d,
            RandomGenerator rnd) {
        double qd = 0.5 * ((d[0] - a[0]) * (d[0] - a[0]) + (d[1] - a[1]) * (d[1] - a[1]));
        for (int i = 0; i < 20000; i++) {
            double r = Math.pow(10, -6 + 6 * rnd.nextDouble());
            double vx = d[0] + r * rnd.nextGaussian();
            double vy = d[1] + r * rnd.nextGaussian();
            if (b[0] * vx + b[1] * vy < phi) {
                continue;
            }
            double q = 0.5 * ((vx - a[0]) * (vx - a[0]) + (vy - a[1]) * (vy - a[1]));
            assertThat(q).isGreaterThanOrEqualTo(qd - 1e-12 * (1 + qd));
        }
    }

    @Test
    void directionSatisfiesTheIdentitiesAndSolvesTheQp() {
        RandomGenerator rnd = RandomGeneratorFactory.of("L64X128MixRandom").create(42);
        int active = 0;
        int inactive = 0;
        for (int trial = 0; trial < 60; trial++) {
            double[] a = {rnd.nextGaussian() * 2, rnd.nextGaussian() * 2};
            double[] b = {rnd.nextGaussian(), rnd.nextGaussian()};
            double beta = 0.1 + 3 * rnd.nextDouble();
            SimpleBilevelState s = stateAt(Dbgd.of(beta, 0.1, Stationarity.of(0)), a, b);
            DMatrixRMaj d = s.direction();
            double bb = b[0] * b[0] + b[1] * b[1];
            assertThat(s.phi()).isCloseTo(beta * bb, within(1e-12 * bb));
            double gd = MatOps.dot(s.gradG(), d);
            // rounding in <grad g, grad f_perp> is of order eps ||grad g|| ||grad f||
            double scale = Math.sqrt(bb) * (Math.hypot(a[0], a[1]) + Math.sqrt(MatOps.normSq(d))) + s.phi();
            if (s.lambda() > 0) {
                active++;
                assertThat(gd).isCloseTo(s.phi(), within(1e-13 * scale));
                // d = grad f + lambda grad g
                assertThat(d.get(0)).isCloseTo(a[0] + s.lambda() * b[0], within(1e-12 * (1 + s.lambda())));
                assertThat(d.get(1)).isCloseTo(a[1] + s.lambda() * b[1], within(1e-12 * (1 + s.lambda())));
            } else {
                inactive++;
                assertThat(gd).isGreaterThanOrEqualTo(s.phi());
                assertThat(d.get(0)).isEqualTo(a[0]);
                assertThat(d.get(1)).isEqualTo(a[1]);
            }
            double[] v = bruteForce(a, b, s.phi());
            assertNoFeasiblePointIsBetter(a, b, s.phi(), new double[] {d.get(0), d.get(1)}, rnd);
            assertThat(d.get(0)).as("trial %d", trial).isCloseTo(v[0], within(SEARCH_TOL));
            assertThat(d.get(1)).as("trial %d", trial).isCloseTo(v[1], within(SEARCH_TOL));
        }
        assertThat(active).isPositive();
        assertThat(inactive).isPositive();
    }

    @Test
    void originalBarrierUsesTheValueGapWhenItIsSmaller() {
        // g(x0) = 1/2 ||b||^2 = 12.5 for b = (3, 4); alpha (g - g_hat) = 0.1 * 12.5 < beta ||b||^2 = 25
        Dbgd dbgd = new Dbgd(new Barrier.Original(0.1, 1.0, 0.0), StepSize.constant(0.1), Stationarity.of(0));
        SimpleBilevelState s = stateAt(dbgd, new double[] {-1, 0}, new double[] {3, 4});
        assertThat(s.g()).isCloseTo(12.5, within(1e-12));
        assertThat(s.phi()).isCloseTo(1.25, within(1e-12));
        assertThat(MatOps.dot(s.gradG(), s.direction())).isCloseTo(1.25, within(1e-12));
        double[] v = bruteForce(new double[] {-1, 0}, new double[] {3, 4}, 1.25);
        assertThat(s.direction().get(0)).isCloseTo(v[0], within(SEARCH_TOL));
        assertThat(s.direction().get(1)).isCloseTo(v[1], within(SEARCH_TOL));
    }

    @Test
    void vanishingLowerGradientGivesZeroMultiplier() {
        SimpleBilevelState s = stateAt(Dbgd.of(1, 0.1, Stationarity.of(0)), new double[] {1, 2}, new double[] {0, 0});
        assertThat(s.lambda()).isZero();
        assertThat(s.direction().data).containsExactly(1, 2);
        assertThat(s.gradFPerpNorm()).isCloseTo(Math.sqrt(5), within(1e-15));
        assertThat(s.cosTheta()).isNaN();
    }

    @Test
    void hugeMultiplierKeepsTheDirectionAccurate() {
        // grad g tiny and against grad f: lambda ~ 1e12, d = beta grad g + grad f_perp
        double[] a = {-1, 1e-9};
        double[] b = {1e-12, 0};
        SimpleBilevelState s = stateAt(Dbgd.of(2, 0.1, Stationarity.of(0)), a, b);
        assertThat(s.lambda()).isCloseTo(2 + 1e12, within(1e-3));
        assertThat(s.direction().get(0)).isCloseTo(2e-12, within(1e-24));
        assertThat(s.direction().get(1)).isCloseTo(1e-9, within(1e-24));
        assertThat(s.cosTheta()).isCloseTo(-1, within(1e-15));
    }

    @Test
    void stepSizesFollowTheirRules() {
        assertThat(StepSize.constant(0.3).at(7)).isEqualTo(0.3);
        assertThat(StepSize.decaying(0.3).at(1)).isEqualTo(0.3);
        assertThat(StepSize.decaying(0.3).at(8)).isCloseTo(0.15, within(1e-15));
        SimpleBilevelState s = stateAt(new Dbgd(Barrier.gradientNorm(1), StepSize.decaying(0.5), Stationarity.of(0)),
                new double[] {1, 0}, new double[] {0, 1});
        assertThat(s.stepSize()).isEqualTo(0.5);
    }
}
