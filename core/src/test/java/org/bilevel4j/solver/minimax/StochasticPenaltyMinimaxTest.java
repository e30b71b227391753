package org.bilevel4j.solver.minimax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.random.RandomGenerator;
import org.bilevel4j.problem.LowerGradientSampler;
import org.bilevel4j.problem.MinimaxBilevelPoint;
import org.bilevel4j.problem.SampledMinimaxBilevelProblem;
import org.bilevel4j.solver.Result;
import org.bilevel4j.solver.SolverOptions;
import org.bilevel4j.solver.StopReason;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * {@link StochasticPenaltyMinimax} on the toy of {@link DanskinPenaltyMinimaxTest} with a finite-sum
 * lower level: component i is
 * <pre>
 *   ft_i(x, y, q) = a_i y^2 / 2 + y q - (tau/2) q^2 + x q + d_i y + e_i q,
 * </pre>
 * with mean a = 1 and mean d = e = 0, so that the components average to the toy's ft. The penalty
 * operator F = (grad_u P, -grad_v P) on w = (x1, y1, y2, x2, z1, z2) for component i is linear:
 * <pre>
 *   x1: rho (z2 - y2)                      x2: -y1 + c + mu x2
 *   y1: x2 + rho (a y1 + z2 + d)           z1: rho (a z1 + y2 + d)
 *   y2: -rho (z1 - tau y2 + x1 + e)        z2: -rho (y1 - tau z2 + x1 + e)
 * </pre>
 * and its Jacobian has the absolute row and column sums (written out by hand, tau = mu = 1)
 * {@code all = (2 rho, rho (1 + a) + 1, 3 rho, 2, rho (1 + a), 3 rho)} and, over the u block only,
 * {@code uu = (rho, rho a, 2 rho)}.
 */
class StochasticPenaltyMinimaxTest {

    static final double TAU = DanskinPenaltyMinimaxTest.TAU;
    static final double C = DanskinPenaltyMinimaxTest.C;
    static final double MU = DanskinPenaltyMinimaxTest.MU;

    /** A finite sum; minibatches drawn uniformly with replacement, or cycling through 0, 1, ... when cyclic. */
    static final class FiniteSum implements LowerGradientSampler {
        final double[] a;
        final double[] d;
        final double[] e;
        final boolean cyclic;
        int[] batch = new int[0];
        int next;
        long estimates;
        long nanAfter = Long.MAX_VALUE;

        FiniteSum(double[] a, double[] d, double[] e, boolean cyclic) {
            this.a = a;
            this.d = d;
            this.e = e;
            this.cyclic = cyclic;
        }

        @Override
        public void draw(RandomGenerator rng, int batchSize) {
            batch = new int[batchSize];
            for (int k = 0; k < batchSize; k++) {
                batch[k] = cyclic ? next++ % a.length : rng.nextInt(a.length);
            }
        }

        @Override
        public int estimate(DMatrixRMaj x1, DMatrixRMaj y1, DMatrixRMaj y2, DMatrixRMaj gx1, DMatrixRMaj gy1,
                DMatrixRMaj gy2) {
            double x = x1.data[0];
            double y = y1.data[0];
            double q = y2.data[0];
            double s1 = 0;
            double s2 = 0;
            for (int i : batch) {
                s1 += a[i] * y + q + d[i];
                s2 += y - TAU * q + x + e[i];
            }
            estimates++;
            double bad = estimates > nanAfter ? Double.NaN : 0;
            gx1.data[0] = q + bad;
            gy1.data[0] = s1 / batch.length;
            gy2.data[0] = s2 / batch.length;
            return batch.length;
        }
    }

    static FiniteSum twoComponents(boolean cyclic) {
        return new FiniteSum(new double[] {1.5, 0.5}, new double[] {0.2, -0.2}, new double[] {-0.1, 0.1}, cyclic);
    }

    /** F of component i at w, written out from the formulas of the class comment. */
    static double[] operator(FiniteSum s, int i, double rho, double[] w) {
        double x1 = w[0];
        double y1 = w[1];
        double y2 = w[2];
        double x2 = w[3];
        double z1 = w[4];
        double z2 = w[5];
        return new double[] {
            rho * (z2 - y2),
            x2 + rho * (s.a[i] * y1 + z2 + s.d[i]),
            -rho * (z1 - TAU * y2 + x1 + s.e[i]),
            -y1 + C + MU * x2,
            rho * (s.a[i] * z1 + y2 + s.d[i]),
            -rho * (y1 - TAU * z2 + x1 + s.e[i])};
    }

    /** @return (x1, x2, y1, y2) of p in one array */
    static double[] flat(MinimaxBilevelPoint p) {
        return new double[] {p.x1().data[0], p.x2().data[0], p.y1().data[0], p.y2().data[0]};
    }

    static MinimaxBilevelPoint start() {
        return MinimaxBilevelPoint.of(new double[] {0.5}, new double[] {0.1}, new double[] {0.3},
                new double[] {-0.2});
    }

    @Test
    void twoOuterStepsFollowTheStochasticExtragradientFormulasWrittenOut() {
        double rho = 2;
        double c = 0.5;
        double t0 = 3;
        double scale = 0.8;
        FiniteSum sampler = twoComponents(true);
        DanskinPenaltyMinimaxTest.Toy toy = new DanskinPenaltyMinimaxTest.Toy();
        StochasticPenaltyMinimax m = StochasticPenaltyMinimax.builder(rho).epsConstant(c).batchSize(1).innerSteps(3)
                .stepScale(scale).decay(t0).jacobianBatches(2).build();
        SampledMinimaxBilevelProblem problem = new SampledMinimaxBilevelProblem(toy, sampler);
        StochasticPenaltyState st = m.init(problem, start(), SolverOptions.defaults());
        // the Jacobian estimate: 2 minibatches (components 0 and 1), 7 evaluations each (6 columns + base),
        // two lower gradients of one component each
        assertThat(st.componentCalls()).isEqualTo(2 * 7 * 2);
        // the largest sums over both minibatches: a = 1.5 (component 0)
        double aMax = 1.5;
        double[] all = {2 * rho, rho * (1 + aMax) + 1, 3 * rho, 2, rho * (1 + aMax), 3 * rho};
        double[] uu = {rho, rho * aMax, 2 * rho};
        double eps = c / rho;
        double vReg = eps / (2 * Math.sqrt(3 * 16.0)); // D_v: the diagonal of [-2, 2]^3
        double[] shift = {2 * uu[0], 2 * uu[1], 2 * uu[2], vReg, vReg, vReg};
        double[] tau = new double[6];
        for (int i = 0; i < 6; i++) {
            tau[i] = scale / (2 * (all[i] + shift[i]));
        }
        double[] w = {0.5, 0.3, -0.2, 0.1, 0.3, -0.2}; // (x1, y1, y2, x2, z1 = y1, z2 = y2)
        double[] center = w.clone();
        int component = 2; // the cycle goes on after the two Jacobian minibatches
        long t = 0;
        for (int k = 1; k <= 2; k++) {
            System.arraycopy(w, 0, center, 0, 3);
            double[] sum = new double[6];
            double factor = 0;
            for (int s = 0; s < 3; s++) {
                t++;
                factor = 1 / Math.sqrt(1 + t / t0);
                int comp = component++ % 2;
                double[] g = operator(sampler, comp, rho, w);
                double[] wbar = new double[6];
                for (int i = 0; i < 6; i++) {
                    wbar[i] = w[i] - factor * tau[i] * (g[i] + shift[i] * (w[i] - center[i]));
                }
                double[] gbar = operator(sampler, comp, rho, wbar);
                for (int i = 0; i < 6; i++) {
                    w[i] = w[i] - factor * tau[i] * (gbar[i] + shift[i] * (wbar[i] - center[i]));
                    sum[i] += w[i];
                }
            }
            for (int i = 0; i < 6; i++) {
                w[i] = sum[i] / 3;
            }
            st.step();
            MinimaxBilevelPoint p = st.solution();
            double[] got = {p.x1().data[0], p.y1().data[0], p.y2().data[0], p.x2().data[0], st.z1().data[0],
                    st.z2().data[0]};
            for (int i = 0; i < 6; i++) {
                // reached agreement 1.3e-11 (the forward-difference Jacobian of a linear operator)
                assertThat(got[i]).as("step %d, coordinate %d", k, i).isCloseTo(w[i], within(5e-11));
            }
            double[] row = new double[6];
            st.traceValues(row);
            assertThat(row[0]).isEqualTo(rho);
            assertThat(row[1]).isEqualTo(k);
            assertThat(row[2]).isCloseTo(factor, within(1e-15));
            double upper = toy.upperValue(p.x1(), p.x2(), p.y1(), p.y2());
            double gap = toy.lowerValue(p.x1(), p.y1(), st.z2()) - toy.lowerValue(p.x1(), st.z1(), p.y2());
            assertThat(row[3]).isEqualTo(upper);
            assertThat(row[4]).isEqualTo(gap);
            assertThat(st.objectives()).containsExactly(upper, gap);
            assertThat(row[5]).isEqualTo(2 * 7 * 2 + k * m.callsPerOuterStep());
            assertThat(st.componentCalls()).isEqualTo((long) row[5]);
        }
        assertThat(st.traceColumns()).containsExactly("rho", "outer", "step_factor", "upper", "gap",
                "component_calls");
        assertThat(st.isFinite()).isTrue();
        assertThat(st.warnings()).isEmpty();
    }

    @Test
    void theRunEndsAtTheComponentBudgetAndTheSameSeedGivesTheSameResult() {
        StochasticPenaltyMinimax m = StochasticPenaltyMinimax.builder(10).batchSize(2).innerSteps(5)
                .componentBudget(20_000).build();
        assertThat(m.rho()).isEqualTo(10);
        assertThat(m.batchSize()).isEqualTo(2);
        assertThat(m.innerSteps()).isEqualTo(5);
        assertThat(m.callsPerOuterStep()).isEqualTo(5 * 4 * 2);
        assertThat(m.epsConstant()).isEqualTo(PenaltyMinimax.DEFAULT_EPS_CONSTANT);
        assertThat(m.stepScale()).isEqualTo(1.0);
        assertThat(m.decay()).isEqualTo(1000);
        assertThat(m.jacobianBatches()).isEqualTo(4);
        assertThat(m.name()).isEqualTo("stochastic penalty minimax");
        DanskinPenaltyMinimaxTest.Toy toy = new DanskinPenaltyMinimaxTest.Toy();
        SolverOptions options = SolverOptions.builder().maxIterations(1_000_000).seed(7).build();
        Result<MinimaxBilevelPoint> r = m.solve(new SampledMinimaxBilevelProblem(toy, twoComponents(false)),
                start(), options);
        // the Jacobian: 4 minibatches of 7 evaluations, 2 lower gradients of 2 components each
        long jacobian = 4 * 7 * 2 * 2;
        long steps = (20_000 - jacobian) / 40;
        assertThat(r.stopReason()).isEqualTo(StopReason.MAX_ITERATIONS);
        assertThat(r.iterations()).isEqualTo((int) steps);
        assertThat(r.trace().lastValue("component_calls")).isEqualTo(jacobian + 40.0 * steps);
        assertThat(r.trace().lastValue("outer")).isEqualTo(steps);
        assertThat(r.trace().lastValue("step_factor")).isCloseTo(1 / Math.sqrt(1 + 5.0 * steps / 1000), within(1e-15));
        Result<MinimaxBilevelPoint> again = m.solve(new SampledMinimaxBilevelProblem(toy, twoComponents(false)),
                start(), options);
        assertThat(flat(again.solution())).containsExactly(flat(r.solution()));
        Result<MinimaxBilevelPoint> other = m.solve(new SampledMinimaxBilevelProblem(toy, twoComponents(false)),
                start(), options.withSeed(8));
        assertThat(other.solution().x1().data[0]).isNotEqualTo(r.solution().x1().data[0]);
        // the iteration limit binds first when it is smaller
        Result<MinimaxBilevelPoint> capped = m.solve(new SampledMinimaxBilevelProblem(toy, twoComponents(false)),
                start(), SolverOptions.builder().maxIterations(3).seed(7).build());
        assertThat(capped.iterations()).isEqualTo(3);
    }

    @Test
    void itApproachesThePenaltySaddleOfTheExactMethod() {
        double rho = 10;
        DanskinPenaltyMinimaxTest.Toy toy = new DanskinPenaltyMinimaxTest.Toy();
        // the exact penalty solution at the same rho (deterministic method, tight eps)
        Result<MinimaxBilevelPoint> exact = PenaltyMinimax.builder(rho).eps(1e-7).build().solve(toy,
                toy.centerPoint(), SolverOptions.builder().maxIterations(1_000_000).build());
        assertThat(exact.stopReason()).isEqualTo(StopReason.CONVERGED);
        Result<MinimaxBilevelPoint> r = StochasticPenaltyMinimax.builder(rho).batchSize(1).componentBudget(400_000)
                .build().solve(new SampledMinimaxBilevelProblem(toy, twoComponents(false)), start(),
                        SolverOptions.builder().maxIterations(1_000_000).seed(3).build());
        double err = Math.max(Math.abs(r.solution().x1().data[0] - exact.solution().x1().data[0]),
                Math.max(Math.abs(r.solution().y1().data[0] - exact.solution().y1().data[0]),
                        Math.abs(r.solution().y2().data[0] - exact.solution().y2().data[0])));
        // from 1.5 at the start to 0.048 after 400,000 component-gradient calls (batch 1, 9,998 outer steps)
        assertThat(err).isLessThan(0.1);
    }

    @Test
    void aNonFiniteEstimateStopsTheRunDivergedAtTheLastGoodIterate() {
        DanskinPenaltyMinimaxTest.Toy toy = new DanskinPenaltyMinimaxTest.Toy();
        StochasticPenaltyMinimax m = StochasticPenaltyMinimax.builder(5).batchSize(1).innerSteps(2).build();
        FiniteSum s = twoComponents(false);
        // Jacobian: 4 x 7 evaluations of 2 estimates; then 8 estimates per outer step: NaN from step 4 on
        s.nanAfter = 4 * 7 * 2 + 3 * 8;
        SolverOptions options = SolverOptions.builder().maxIterations(10).seed(1).build();
        Result<MinimaxBilevelPoint> r = m.solve(new SampledMinimaxBilevelProblem(toy, s), start(), options);
        assertThat(r.stopReason()).isEqualTo(StopReason.DIVERGED);
        assertThat(r.message()).startsWith("non-finite value at iteration 4; kept the iterate of iteration 3");
        Result<MinimaxBilevelPoint> three = m.solve(new SampledMinimaxBilevelProblem(toy, twoComponents(false)),
                start(), SolverOptions.builder().maxIterations(3).seed(1).build());
        assertThat(flat(r.solution())).containsExactly(flat(three.solution()));
    }

    @Test
    void aStartOutsideTheBoxIsProjectedAndReported() {
        DanskinPenaltyMinimaxTest.Toy toy = new DanskinPenaltyMinimaxTest.Toy();
        StochasticPenaltyMinimax m = StochasticPenaltyMinimax.builder(5).build();
        MinimaxBilevelPoint out = MinimaxBilevelPoint.of(new double[] {3}, new double[] {0}, new double[] {0},
                new double[] {0});
        StochasticPenaltyState st = m.init(new SampledMinimaxBilevelProblem(toy, twoComponents(false)), out,
                SolverOptions.defaults());
        assertThat(st.warnings()).containsExactly("the start's x1 = [3.0] lies outside X1 = " + toy.x1Domain()
                + "; the run started from its projection onto the box");
        assertThat(st.solution().x1().data[0]).isEqualTo(2.0);
        Result<MinimaxBilevelPoint> r = m.solve(new SampledMinimaxBilevelProblem(toy, twoComponents(false)), out,
                SolverOptions.builder().maxIterations(2).build());
        assertThat(r.message()).contains("; warning: the start's x1 = [3.0] lies outside X1");
    }

    @Test
    void badSettingsAreRejectedWithOneLineNamingTheValue() {
        assertThatThrownBy(() -> StochasticPenaltyMinimax.builder(0).build())
                .hasMessage("rho must be positive and finite, got 0.0");
        assertThatThrownBy(() -> StochasticPenaltyMinimax.builder(1).epsConstant(0).build())
                .hasMessage("the constant c in eps = c / rho must be positive and finite, got 0.0");
        assertThatThrownBy(() -> StochasticPenaltyMinimax.builder(1).epsConstant(Double.POSITIVE_INFINITY).build())
                .hasMessage("the constant c in eps = c / rho must be positive and finite, got Infinity");
        assertThatThrownBy(() -> StochasticPenaltyMinimax.builder(1).batchSize(0).build())
                .hasMessage("batch size must be at least 1, got 0");
        assertThatThrownBy(() -> StochasticPenaltyMinimax.builder(1).innerSteps(0).build())
                .hasMessage("inner steps must be at least 1, got 0");
        assertThatThrownBy(() -> StochasticPenaltyMinimax.builder(1).stepScale(0).build())
                .hasMessage("stepScale must be in (0, 1], got 0.0");
        assertThatThrownBy(() -> StochasticPenaltyMinimax.builder(1).stepScale(1.5).build())
                .hasMessage("stepScale must be in (0, 1], got 1.5");
        assertThatThrownBy(() -> StochasticPenaltyMinimax.builder(1).decay(0).build())
                .hasMessage("step decay horizon t0 must be positive and finite, got 0.0");
        assertThatThrownBy(() -> StochasticPenaltyMinimax.builder(1).decay(Double.POSITIVE_INFINITY).build())
                .hasMessage("step decay horizon t0 must be positive and finite, got Infinity");
        assertThatThrownBy(() -> StochasticPenaltyMinimax.builder(1).componentBudget(0).build())
                .hasMessage("component-gradient budget must be positive, got 0");
        assertThatThrownBy(() -> StochasticPenaltyMinimax.builder(1).jacobianBatches(0).build())
                .hasMessage("jacobianBatches must be at least 1, got 0");
        // the smallest legal values are accepted
        StochasticPenaltyMinimax ok = StochasticPenaltyMinimax.builder(1).batchSize(1).innerSteps(1).stepScale(1)
                .componentBudget(1).jacobianBatches(1).build();
        assertThat(ok.callsPerOuterStep()).isEqualTo(4);
        // a budget that the Jacobian estimate alone uses up: 1 minibatch of 7 evaluations of 2 x 1 calls
        DanskinPenaltyMinimaxTest.Toy toy = new DanskinPenaltyMinimaxTest.Toy();
        StochasticPenaltyMinimax tight = StochasticPenaltyMinimax.builder(1).batchSize(1).innerSteps(1)
                .jacobianBatches(1).componentBudget(14 + 3).build();
        assertThatThrownBy(() -> tight.solve(new SampledMinimaxBilevelProblem(toy, twoComponents(false)), start(),
                SolverOptions.defaults())).hasMessage("the component-gradient budget 17 does not cover one outer step"
                        + " after the Jacobian estimate (14 + 4)");
        StochasticPenaltyMinimax exact = StochasticPenaltyMinimax.builder(1).batchSize(1).innerSteps(1)
                .jacobianBatches(1).componentBudget(14 + 4).build();
        Result<MinimaxBilevelPoint> one = exact.solve(new SampledMinimaxBilevelProblem(toy, twoComponents(false)),
                start(), SolverOptions.defaults());
        assertThat(one.iterations()).isEqualTo(1);
    }
}
