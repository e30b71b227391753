package org.bilevel4j.solver.simple;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.bilevel4j.solver.simple.TestFunctions.vec;

import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.bilevel4j.function.IndNonnegative;
import org.bilevel4j.linalg.MatOps;
import org.bilevel4j.problem.SimpleBilevelProblem;
import org.bilevel4j.solver.Result;
import org.bilevel4j.solver.SolverOptions;
import org.bilevel4j.solver.StopReason;
import org.bilevel4j.solver.Trace;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/** The penalty method and BLOOP directions, the shared trace, the stop test, and a known answer. */
class SimpleSolversTest {

    /** min 1/2 ||x - c||^2 over the hyperplane <a, x> = b: x* = c - ((<a, c> - b) / ||a||^2) a. */
    private static final DMatrixRMaj A = vec(1, 2, -1);
    private static final double B = 1;
    private static final DMatrixRMaj C = vec(2, 0.5, 1);

    private static SimpleBilevelProblem hyperplane() {
        return SimpleBilevelProblem.of(TestFunctions.halfSqrDistance(C), TestFunctions.halfSqrResidual(A, B));
    }

    private static DMatrixRMaj hyperplaneSolution() {
        double t = (MatOps.dot(A, C) - B) / MatOps.normSq(A);
        DMatrixRMaj x = new DMatrixRMaj(3, 1);
        MatOps.combine(1, C, -t, A, x);
        return x;
    }

    @Test
    void dbgdFindsTheProjectionOntoTheHyperplaneAndStopsOnDefinition31() {
        DMatrixRMaj start = vec(0, 0, 0);
        DMatrixRMaj copy = start.copy();
        double eta = 1.0 / MatOps.normSq(A); // 1 / max(L_f, L_g)
        Result<DMatrixRMaj> r = Dbgd.of(1, eta, Stationarity.of(1e-8)).solve(hyperplane(), start,
                SolverOptions.builder().maxIterations(20000).build());
        assertThat(start.data).containsExactly(copy.data);
        assertThat(r.stopReason()).isEqualTo(StopReason.CONVERGED);
        assertThat(MatOps.distance(r.solution(), hyperplaneSolution())).isLessThan(1e-6);
        Trace t = r.trace();
        assertThat(t.columns()).containsExactly("iteration", "seconds", "f", "g", "grad_g_norm", "grad_f_perp_norm",
                "cos_theta", "lambda", "d_norm", "best_grad_g_norm", "best_d_norm");
        assertThat(t.lastValue("grad_g_norm")).isLessThanOrEqualTo(1e-8);
        assertThat(t.lastValue("d_norm")).isLessThanOrEqualTo(1e-8);
        assertThat(t.lastValue("best_d_norm")).isLessThanOrEqualTo(t.lastValue("d_norm"));
        // the residual of Definition 3.1 at the end
        DMatrixRMaj gf = new DMatrixRMaj(3, 1);
        DMatrixRMaj gg = new DMatrixRMaj(3, 1);
        hyperplane().upper().gradient(r.solution(), gf);
        hyperplane().lower().gradient(r.solution(), gg);
        assertThat(SimpleBilevelMeasures.stationarityResidual(gf, gg)).isLessThan(1e-8);
        // running minima are nonincreasing
        double[] best = t.column("best_grad_g_norm");
        for (int i = 1; i < best.length; i++) {
            assertThat(best[i]).isLessThanOrEqualTo(best[i - 1]);
        }
    }

    @Test
    void penaltyDirectionAndScaledStep() {
        SimpleBilevelProblem p = hyperplane();
        DMatrixRMaj x0 = vec(0.5, -1, 2);
        PenaltyMethod pen = PenaltyMethod.of(10, 0.2, Stationarity.of(0));
        SimpleBilevelState s = pen.init(p, x0, SolverOptions.defaults());
        assertThat(s.lambda()).isEqualTo(10);
        assertThat(s.stepSize()).isCloseTo(0.02, within(1e-17));
        assertThat(s.phi()).isNaN();
        for (int i = 0; i < 3; i++) {
            assertThat(s.direction().get(i)).isCloseTo(s.gradF().get(i) + 10 * s.gradG().get(i), within(1e-14));
        }
        DMatrixRMaj expected = new DMatrixRMaj(3, 1);
        MatOps.combine(1, x0, -0.02, s.direction(), expected);
        pen.step(p, s);
        assertThat(MatOps.distance(s.x(), expected)).isLessThan(1e-15);
        assertThat(s.iteration()).isEqualTo(1);
        // no scaling for gamma <= 1, nor when switched off
        assertThat(PenaltyMethod.of(0.5, 0.2, Stationarity.of(0)).stepAt(1)).isEqualTo(0.2);
        assertThat(new PenaltyMethod(10, StepSize.constant(0.2), false, Stationarity.of(0)).stepAt(1)).isEqualTo(0.2);
        assertThatThrownBy(() -> PenaltyMethod.of(0, 0.1, Stationarity.of(0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gamma");
    }

    @Test
    void penaltyConvergesToTheMinimizerOfThePenalizedObjective() {
        // f + gamma g is a strongly convex quadratic; its minimizer solves (I + gamma a a^T) x = c + gamma b a
        double gamma = 4;
        Result<DMatrixRMaj> r = PenaltyMethod.of(gamma, 0.1, Stationarity.of(0)).solve(hyperplane(), vec(0, 0, 0),
                SolverOptions.builder().maxIterations(5000).build());
        // Sherman-Morrison: x = rhs - gamma a (a^T rhs) / (1 + gamma ||a||^2)
        DMatrixRMaj rhs = new DMatrixRMaj(3, 1);
        MatOps.combine(1, C, gamma * B, A, rhs);
        DMatrixRMaj x = new DMatrixRMaj(3, 1);
        MatOps.combine(1, rhs, -gamma * MatOps.dot(A, rhs) / (1 + gamma * MatOps.normSq(A)), A, x);
        assertThat(MatOps.distance(r.solution(), x)).isLessThan(1e-10);
        assertThat(r.trace().lastValue("grad_g_norm")).isGreaterThan(1e-3); // the plateau
    }

    @Test
    void bloopDirectionIsLowerGradientPlusProjectedUpperGradient() {
        SimpleBilevelProblem p = hyperplane();
        Bloop bloop = Bloop.of(0.7, 0.05, Stationarity.of(0));
        SimpleBilevelState s = bloop.init(p, vec(0.5, -1, 2), SolverOptions.defaults());
        DMatrixRMaj diff = new DMatrixRMaj(3, 1);
        MatOps.combine(1, s.direction(), -1, s.gradG(), diff);
        assertThat(MatOps.dot(diff, s.gradG())).isCloseTo(0, within(1e-12));
        DMatrixRMaj expected = new DMatrixRMaj(3, 1);
        MatOps.combine(1, s.gradG(), 0.7, s.gradFPerp(), expected);
        assertThat(MatOps.distance(s.direction(), expected)).isLessThan(1e-15);
        assertThat(s.lambda()).isEqualTo(0.7);
        assertThat(s.dNorm() * s.dNorm()).isCloseTo(s.gradGNorm() * s.gradGNorm()
                + 0.49 * s.gradFPerpNorm() * s.gradFPerpNorm(), within(1e-12));
    }

    @Test
    void bloopWithMovingAverageProjectsOnTheAverage() {
        SimpleBilevelProblem p = hyperplane();
        Bloop bloop = Bloop.of(1, 0.05, Stationarity.of(0)).withAveraging(0.9);
        SimpleBilevelState s = bloop.init(p, vec(0.5, -1, 2), SolverOptions.defaults());
        DMatrixRMaj m = s.gradG().copy();
        bloop.step(p, s);
        MatOps.combine(0.9, m, 0.1, s.gradG(), m);
        DMatrixRMaj proj = new DMatrixRMaj(3, 1);
        SimpleBilevelMeasures.orthogonalPart(s.gradF(), m, proj);
        DMatrixRMaj expected = new DMatrixRMaj(3, 1);
        MatOps.combine(1, s.gradG(), 1, proj, expected);
        assertThat(MatOps.distance(s.direction(), expected)).isLessThan(1e-14);
        assertThatThrownBy(() -> bloop.withAveraging(1)).isInstanceOf(IllegalArgumentException.class);
        // BLOOP reaches the hyperplane solution too (f is convex here)
        Result<DMatrixRMaj> r = Bloop.of(1, 1.0 / 6, Stationarity.of(1e-9)).solve(p, vec(0, 0, 0),
                SolverOptions.builder().maxIterations(20000).build());
        assertThat(r.stopReason()).isEqualTo(StopReason.CONVERGED);
        assertThat(MatOps.distance(r.solution(), hyperplaneSolution())).isLessThan(1e-7);
    }

    @Test
    void sameInputsGiveTheSameTrace() {
        Dbgd dbgd = new Dbgd(Barrier.gradientNorm(0.5), StepSize.decaying(0.15), Stationarity.of(0));
        SolverOptions o = SolverOptions.builder().maxIterations(300).seed(3).build();
        Trace t1 = dbgd.solve(hyperplane(), vec(1, 1, 1), o).trace();
        Trace t2 = dbgd.solve(hyperplane(), vec(1, 1, 1), o).trace();
        assertThat(t1.size()).isEqualTo(t2.size());
        int seconds = t1.indexOf("seconds");
        for (int i = 0; i < t1.size(); i++) {
            double[] a = t1.row(i);
            double[] b = t2.row(i);
            a[seconds] = 0;
            b[seconds] = 0;
            assertThat(a).containsExactly(b);
        }
    }

    /**
     * min 1/2 ||x - (1, 3)||^2 over argmin_{x >= 0} 1/2 (x1 + 1)^2 = {x1 = 0, x2 >= 0}: the solution (0, 3)
     * is on the boundary, where grad g = (1, 0) does not vanish but g's gradient mapping does.
     */
    @Test
    void dbgdStopsAtASolutionOnTheBoundaryOfTheSet() {
        SimpleBilevelProblem p = SimpleBilevelProblem.of(TestFunctions.halfSqrDistance(vec(1, 3)),
                TestFunctions.halfSqrResidual(vec(1, 0), -1)).withConstraint(new IndNonnegative());
        Dbgd dbgd = Dbgd.of(1, 0.5, Stationarity.of(1e-8));
        Result<DMatrixRMaj> r = dbgd.solve(p, vec(0.5, 0.5), SolverOptions.builder().maxIterations(2000).build());
        assertThat(r.stopReason()).isEqualTo(StopReason.CONVERGED);
        assertThat(r.solution().get(0)).isZero();
        assertThat(r.solution().get(1)).isCloseTo(3, within(1e-8));
        // the raw gradient of g stays at norm 1: a test on it could never pass here
        assertThat(r.trace().lastValue("grad_g_norm")).isCloseTo(1, within(1e-12));
        // at the solution g's gradient mapping is exactly 0 for any step; inside the set it is ||grad g||
        SimpleBilevelState s = dbgd.init(p, vec(0, 3), SolverOptions.defaults());
        assertThat(s.gradGMappingNorm()).isZero();
        assertThat(s.gradGNorm()).isEqualTo(1.0);
        assertThat(s.converged()).isTrue();
        // off the boundary, x = (0.25, 3): P(x - 0.5 (1.25, 0)) = (0, 3), the mapping is 0.25 / 0.5 = 0.5
        SimpleBilevelState t = dbgd.init(p, vec(0.25, 3), SolverOptions.defaults());
        assertThat(t.gradGMappingNorm()).isCloseTo(0.5, within(1e-15));
        assertThat(t.converged()).isFalse();
        // without the set the measure is ||grad g||
        SimpleBilevelProblem free = SimpleBilevelProblem.of(TestFunctions.halfSqrDistance(vec(1, 3)),
                TestFunctions.halfSqrResidual(vec(1, 0), -1));
        SimpleBilevelState u = dbgd.init(free, vec(0.25, 3), SolverOptions.defaults());
        assertThat(u.gradGMappingNorm()).isEqualTo(1.25);
    }

    @Test
    void projectionKeepsIteratesFeasibleAndUsesTheGradientMapping() {
        // solution (1.5, 0.5) lies inside the box [0, 2]^2; the start's first steps hit the box
        DMatrixRMaj c = vec(2, 1);
        SimpleBilevelProblem free = SimpleBilevelProblem.of(TestFunctions.halfSqrDistance(c),
                TestFunctions.halfSqrResidual(vec(1, 1), 2));
        SimpleBilevelProblem boxed = free.withConstraint(new TestFunctions.Box(0, 2));
        Dbgd dbgd = Dbgd.of(1, 0.45, Stationarity.of(1e-9));
        SimpleBilevelState s = dbgd.init(boxed, vec(2, 2), SolverOptions.defaults());
        // the unprojected step leaves the box; the gradient mapping is shorter than d
        assertThat(s.dNorm()).isLessThan(Math.sqrt(MatOps.normSq(s.direction())));
        Result<DMatrixRMaj> r = dbgd.solve(boxed, vec(2, 2), SolverOptions.builder().maxIterations(5000).build());
        assertThat(r.stopReason()).isEqualTo(StopReason.CONVERGED);
        assertThat(r.solution().get(0)).isCloseTo(1.5, within(1e-7));
        assertThat(r.solution().get(1)).isCloseTo(0.5, within(1e-7));
        assertThatThrownBy(() -> dbgd.init(boxed, vec(3, 0), SolverOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside the simple set");
    }

    @Test
    void measuresMatchTheirDefinitions() {
        RandomGenerator rnd = RandomGeneratorFactory.of("L64X128MixRandom").create(7);
        for (int trial = 0; trial < 20; trial++) {
            DMatrixRMaj a = vec(rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian());
            DMatrixRMaj b = vec(rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian());
            DMatrixRMaj perp = new DMatrixRMaj(3, 1);
            double n = SimpleBilevelMeasures.orthogonalPart(a, b, perp);
            assertThat(MatOps.dot(perp, b)).isCloseTo(0, within(1e-14));
            assertThat(n).isCloseTo(Math.sqrt(MatOps.normSq(perp)), within(1e-15));
            double cos = SimpleBilevelMeasures.cosTheta(MatOps.dot(a, b), Math.sqrt(MatOps.normSq(a)),
                    Math.sqrt(MatOps.normSq(b)));
            assertThat(n * n).isCloseTo(MatOps.normSq(a) * (1 - cos * cos), within(1e-12));
            // Definition 3.1's residual against a scan over lambda >= 0
            double scan = Double.POSITIVE_INFINITY;
            DMatrixRMaj v = new DMatrixRMaj(3, 1);
            for (int i = 0; i <= 200000; i++) {
                MatOps.combine(1, a, i * 1e-4, b, v);
                scan = Math.min(scan, Math.sqrt(MatOps.normSq(v)));
            }
            assertThat(SimpleBilevelMeasures.stationarityResidual(a, b)).isCloseTo(scan, within(1e-6));
        }
    }

    @Test
    void configurationsRejectBadValues() {
        assertThatThrownBy(() -> new Stationarity(-1, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("epsF");
        assertThatThrownBy(() -> new Stationarity(0, Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("epsG");
        assertThatThrownBy(() -> Barrier.gradientNorm(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("beta");
        assertThatThrownBy(() -> new Barrier.Original(1, 1, Double.NEGATIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gHat");
        assertThatThrownBy(() -> StepSize.constant(-0.1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StepSize.decaying(0.1).at(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Dbgd(null, StepSize.constant(1), Stationarity.of(0)))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Bloop.of(0, 1, Stationarity.of(0))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> hyperplane().withConstraint(new IndNonnegativeButNotIndicator()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("indicator");
        assertThatThrownBy(() -> Dbgd.of(1, 0.1, Stationarity.of(0)).init(hyperplane(), vec(1, Double.NaN, 0),
                SolverOptions.defaults())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("finite");
    }

    /** A prox function that is not an indicator. */
    private static final class IndNonnegativeButNotIndicator extends org.bilevel4j.function.AbstractProxFunction {
        private final IndNonnegative inner = new IndNonnegative();

        @Override
        public double value(DMatrixRMaj x) {
            return inner.value(x);
        }

        @Override
        protected double proxUnchecked(DMatrixRMaj x, double t, DMatrixRMaj out) {
            return inner.prox(x, t, out);
        }
    }
}
