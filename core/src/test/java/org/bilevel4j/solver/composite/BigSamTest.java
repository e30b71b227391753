package org.bilevel4j.solver.composite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.bilevel4j.solver.composite.TinyProblem.A1;
import static org.bilevel4j.solver.composite.TinyProblem.A2;
import static org.bilevel4j.solver.composite.TinyProblem.B1;
import static org.bilevel4j.solver.composite.TinyProblem.B2;
import static org.bilevel4j.solver.composite.TinyProblem.HI;
import static org.bilevel4j.solver.composite.TinyProblem.LO;

import java.util.List;
import org.bilevel4j.function.BoxedQuadratic;
import org.bilevel4j.function.NormL1;
import org.bilevel4j.problem.BlockCompositeBilevelProblem;
import org.bilevel4j.problem.BlockIterate;
import org.bilevel4j.solver.Result;
import org.bilevel4j.solver.SolverOptions;
import org.bilevel4j.solver.StopReason;
import org.junit.jupiter.api.Test;

/**
 * BiG-SAM against its iteration written out from Sabach and Shtern (2017), on {@link TinyProblem}:
 * <pre>
 *   V = prox_{t (f2 + g2)}(W - t grad H(W)),  t = 1/(L_X + L_Y)
 *   Z = W - s grad omega(W),                s = 2/(L_omega + sigma)
 *   alpha_k = min(1, alpha0 / (k (1 - gamma))),  gamma = (L_omega - sigma)/(L_omega + sigma)
 *   W+ = alpha_k Z + (1 - alpha_k) V
 * </pre>
 * with {@code omega = q(f1) + q(g1)} (+ H when the outer function includes the coupling), the prox
 * of a boxed quadratic {@code clip((v - t b)/(1 + t a), lo, hi)} per coordinate.
 */
class BigSamTest {

    /** One run of the formulas above: the trace rows (psi1, psi2, weight, residual, restarts) and V. */
    static final class Reference {
        final double a;
        final double alpha0;
        final boolean include;
        final double[] w = TinyProblem.W0.clone();
        double[] v = TinyProblem.W0.clone();
        int k;

        Reference(double a, double alpha0, boolean include) {
            this.a = a;
            this.alpha0 = alpha0;
            this.include = include;
        }

        double[] step() {
            double lh = 2 * a + a;
            double t = 1 / lh;
            double r = SumCoupling.residual(w);
            double[] gh = {a * r, a * r, -a * r};
            double sigma = 1; // min(A1) = min(1, 4, 2)
            double lOmega = 4 + (include ? lh : 0); // max(A1)
            double s = 2 / (lOmega + sigma);
            double[] next = new double[3];
            double[] z = new double[3];
            for (int i = 0; i < 3; i++) {
                next[i] = Math.min(Math.max((w[i] - t * gh[i] - t * B2[i]) / (1 + t * A2[i]), LO[i]), HI[i]);
                double go = A1[i] * w[i] + B1[i] + (include ? gh[i] : 0);
                z[i] = w[i] - s * go;
            }
            k++;
            double gamma = (lOmega - sigma) / (lOmega + sigma);
            double alpha = Math.min(1, alpha0 / (k * (1 - gamma)));
            double residual = TinyProblem.distance(next, w) / Math.max(1, TinyProblem.norm(next));
            for (int i = 0; i < 3; i++) {
                w[i] = alpha * z[i] + (1 - alpha) * next[i];
            }
            v = next;
            return new double[] {TinyProblem.psi1(a, v), TinyProblem.psi2(a, v), alpha, residual, 0};
        }
    }

    private static void assertFollowsTheFormulas(double a, double alpha0, boolean include, int iterations) {
        BlockCompositeBilevelProblem p = TinyProblem.problem(new SumCoupling(a));
        Result<BlockIterate> r = new BigSam(alpha0, include).solve(p, TinyProblem.start(),
                SolverOptions.builder().maxIterations(iterations).build());
        assertThat(r.trace().columns()).containsExactly("iteration", "seconds", CompositeState.PSI1,
                CompositeState.PSI2, CompositeState.WEIGHT, CompositeState.RESIDUAL, CompositeState.RESTARTS);
        assertThat(r.trace().size()).isEqualTo(iterations);
        Reference ref = new Reference(a, alpha0, include);
        int weightsBelowOne = 0;
        for (int k = 0; k < iterations; k++) {
            double[] expected = ref.step();
            double[] row = r.trace().row(k);
            for (int c = 0; c < expected.length; c++) {
                // reached: equal to about 1e-15 (the same operations in another order)
                assertThat(row[c + 2]).as("iteration %d, column %d", k + 1, c)
                        .isCloseTo(expected[c], within(1e-12 * Math.max(1, Math.abs(expected[c]))));
            }
            weightsBelowOne += expected[2] < 1 ? 1 : 0;
        }
        assertThat(weightsBelowOne).as("the test must reach alpha < 1").isGreaterThan(0).isLessThan(iterations);
        double[] v = TinyProblem.joint(r.solution());
        for (int i = 0; i < 3; i++) {
            assertThat(v[i]).isCloseTo(ref.v[i], within(1e-12));
        }
    }

    @Test
    void iteratesFollowTheFormulasWithTheSmoothUpperLevelAsOmega() {
        // L_omega = 4, sigma = 1, 1 - gamma = 2/5: alpha_k = min(1, 1.25 / k)
        assertFollowsTheFormulas(1.0, 0.5, false, 6);
    }

    @Test
    void iteratesFollowTheFormulasWithTheCouplingInOmega() {
        // L_omega = 4 + 3 a = 10, sigma = 1, 1 - gamma = 2/11: alpha_k = min(1, 0.55 * 5.5 / k)
        assertFollowsTheFormulas(2.0, 0.55, true, 6);
    }

    @Test
    void theFirstStepsWrittenOutByHand() {
        // a = 1, W0 = (2.5, 0.5, 1): r = 2, grad H = (2, 2, -2), t = 1/3.
        // V1 = clip((2.5 - 2/3 - 1/3)/(1 + 1/6), (0.5 - 2/3 + 2/3)/1, (1 + 2/3 + 1/3)/(1 + 1/3)) = (9/7, 1/2, 3/2)
        // grad omega = (2.5 - 2, 2 + 1, 2 - 3) = (0.5, 3, -1), s = 2/5: Z = (2.3, -0.7, 1.4)
        // alpha_1 = min(1, 0.5 / (2/5)) = 1: W1 = Z
        BlockCompositeBilevelProblem p = TinyProblem.problem(new SumCoupling(1));
        BigSam m = new BigSam(0.5, false);
        CompositeState s = m.init(p, TinyProblem.start(), SolverOptions.defaults());
        assertThat(s.weight()).isEqualTo(1.0);
        assertThat(s.iteration()).isZero();
        m.step(p, s);
        double[] v = TinyProblem.joint(s.solution());
        assertThat(v).containsExactly(new double[] {9.0 / 7, 0.5, 1.5}, within(1e-15));
        assertThat(s.iteration()).isEqualTo(1);
        assertThat(s.weight()).isEqualTo(1.0);
        // Psi at V1: r = 9/7 + 1/2 - 3/2 = 2/7
        double r = 2.0 / 7;
        double psi1 = (0.5 * 81 / 49 - 18.0 / 7) + (2 * 0.25 + 0.5) + 0.5 + (2.25 - 4.5) + 0.5 * r * r;
        double psi2 = (0.25 * 81 / 49 + 9.0 / 7) - 1 + (0.5 * 2.25 - 1.5 + 0.25) + 0.5 * r * r;
        assertThat(s.psi1()).isCloseTo(psi1, within(1e-14));
        assertThat(s.psi2()).isCloseTo(psi2, within(1e-14));
        assertThat(s.objectives()).containsExactly(s.psi1(), s.psi2());
        double[] row = new double[5];
        s.traceValues(row);
        // residual: ||V1 - W0|| / max(1, ||V1||), ||V1||^2 = 81/49 + 1/4 + 9/4 > 1
        double residual = TinyProblem.distance(v, TinyProblem.W0) / TinyProblem.norm(v);
        assertThat(row).containsExactly(new double[] {psi1, psi2, 1.0, residual, 0}, within(1e-14));
        // the second step starts from W1 = Z = (2.3, -0.7, 1.4): r = 0.2, grad H = (0.2, 0.2, -0.2)
        // V2 = clip((2.3 - 0.2/3 - 1/3)/(7/6), -0.7 - 0.2/3 + 2/3, (1.4 + 0.2/3 + 1/3)/(4/3)) = (1.9 * 6/7, 0, 1.35)
        m.step(p, s);
        assertThat(TinyProblem.joint(s.solution())).containsExactly(new double[] {1.9 * 6 / 7, 0, 1.35},
                within(1e-14));
        // alpha_2 = min(1, 0.5 / (2 * 2/5)) = 0.625
        assertThat(s.weight()).isCloseTo(0.625, within(1e-15));
    }

    @Test
    void aBlowUpStopsWithTheLastGoodIterate() {
        // from the 4th gradient on the coupling returns NaN: the run stops in iteration 4 with V_3
        BlockCompositeBilevelProblem bad = TinyProblem.problem(new SumCoupling(1, 4));
        Result<BlockIterate> r = new BigSam(0.5, false).solve(bad, TinyProblem.start(),
                SolverOptions.builder().maxIterations(10).build());
        assertThat(r.stopReason()).isEqualTo(StopReason.DIVERGED);
        assertThat(r.iterations()).isEqualTo(3);
        Reference ref = new Reference(1, 0.5, false);
        for (int k = 0; k < 3; k++) {
            ref.step();
        }
        assertThat(TinyProblem.joint(r.solution())).containsExactly(ref.v, within(1e-12));
    }

    @Test
    void theStateSeesAnInfiniteUpperObjective() {
        // f1 on a smaller box than f2: V1 lies in f2's box, its x1 = 0.05 + 0.3 + 2/3 outside f1's
        BoxedQuadratic f1 = new BoxedQuadratic(TinyProblem.col(1, 4), TinyProblem.col(-2, 1), 0,
                TinyProblem.col(0, 0), TinyProblem.col(0.1, 0.1));
        BlockCompositeBilevelProblem p = TinyProblem.problem(new SumCoupling(1));
        BlockCompositeBilevelProblem q = new BlockCompositeBilevelProblem(f1, p.g1(), p.f2(), p.g2(), p.coupling());
        BigSam m = new BigSam(0.5, false);
        CompositeState s = m.init(q, new BlockIterate(TinyProblem.col(0.05, 0.05), TinyProblem.col(1)),
                SolverOptions.defaults());
        assertThat(s.isFinite()).isTrue();
        m.step(q, s);
        assertThat(s.psi1()).isInfinite();
        assertThat(s.psi2()).isFinite();
        assertThat(s.isFinite()).isFalse();
    }

    @Test
    void aStartOutsideEitherLevelsDomainIsRejected() {
        BlockCompositeBilevelProblem p = TinyProblem.problem(new SumCoupling(1));
        // y = 6: outside g2's box [0, 5], inside g1's [0, 7] (Psi2 infinite, Psi1 finite), and the reverse
        BoxedQuadratic wide1 = new BoxedQuadratic(TinyProblem.col(2), TinyProblem.col(-3), 0, TinyProblem.col(0),
                TinyProblem.col(7));
        BoxedQuadratic wide2 = new BoxedQuadratic(TinyProblem.col(1), TinyProblem.col(-1), 0, TinyProblem.col(0),
                TinyProblem.col(7));
        BlockIterate start = new BlockIterate(TinyProblem.col(1, 1), TinyProblem.col(6));
        BlockCompositeBilevelProblem lowerOnly = new BlockCompositeBilevelProblem(p.f1(), wide1, p.f2(), p.g2(),
                p.coupling());
        BlockCompositeBilevelProblem upperOnly = new BlockCompositeBilevelProblem(p.f1(), p.g1(), p.f2(), wide2,
                p.coupling());
        CompositeState s = new BigSam(2, false).init(lowerOnly, start, SolverOptions.defaults());
        assertThat(s.psi1()).isFinite();
        assertThat(s.psi2()).isInfinite();
        CompositeState s2 = new BigSam(2, false).init(upperOnly, start, SolverOptions.defaults());
        assertThat(s2.psi1()).isInfinite();
        assertThat(s2.psi2()).isFinite();
        for (BlockCompositeBilevelProblem q : List.of(lowerOnly, upperOnly)) {
            assertThatThrownBy(() -> new BigSam(2, false).solve(q, start, SolverOptions.defaults()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-finite");
        }
        BlockIterate wrongShape = new BlockIterate(TinyProblem.col(1, 1, 1), TinyProblem.col(1));
        assertThatThrownBy(() -> new BigSam(2, false).init(p, wrongShape, SolverOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("X is 3x1, expected 2x1");
        BlockIterate nanX = new BlockIterate(TinyProblem.col(1, Double.NaN), TinyProblem.col(1));
        assertThatThrownBy(() -> new BigSam(2, false).init(p, nanX, SolverOptions.defaults()))
                .hasMessageContaining("non-finite");
        BlockIterate nanY = new BlockIterate(TinyProblem.col(1, 1), TinyProblem.col(Double.NaN));
        assertThatThrownBy(() -> new BigSam(2, false).init(p, nanY, SolverOptions.defaults()))
                .hasMessageContaining("non-finite");
    }

    @Test
    void needsASmoothStronglyConvexOuterFunction() {
        BlockCompositeBilevelProblem p = TinyProblem.problem(new SumCoupling(1));
        BoxedQuadratic flat = new BoxedQuadratic(TinyProblem.col(1, 0), TinyProblem.col(0, 0), 0,
                TinyProblem.col(0, 0), TinyProblem.col(3, 3));
        BlockCompositeBilevelProblem q = new BlockCompositeBilevelProblem(flat, p.g1(), p.f2(), p.g2(), p.coupling());
        assertThatThrownBy(() -> new BigSam(2, false).init(q, TinyProblem.start(), SolverOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("curvatures");
        BlockCompositeBilevelProblem q2 = new BlockCompositeBilevelProblem(p.f1(), new NormL1(1), p.f2(), p.g2(),
                p.coupling());
        assertThatThrownBy(() -> new BigSam(2, false).init(q2, TinyProblem.start(), SolverOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be BoxedQuadratic");
        for (double bad : List.of(0.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY)) {
            assertThatThrownBy(() -> new BigSam(bad, false)).hasMessageContaining("alpha0");
        }
        assertThat(new BigSam(1e-3, true).name()).isEqualTo("BiG-SAM");
    }
}
