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

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.bilevel4j.function.BoxedQuadratic;
import org.bilevel4j.problem.BlockCompositeBilevelProblem;
import org.bilevel4j.problem.BlockIterate;
import org.bilevel4j.solver.Result;
import org.bilevel4j.solver.SolverOptions;
import org.bilevel4j.solver.StopReason;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * Tikhonov continuation against its iteration written out from the class documentation (FISTA of
 * Beck and Teboulle on {@code Phi = Psi2 + eps Psi1} with step {@code 1/((1 + eps)(L_X + L_Y))}, the
 * gradient restart of O'Donoghue and Candes, the two-part stage test and the schedule
 * {@code eps <- max(epsMin, factor eps)}), on {@link TinyProblem}.
 */
class TikhonovContinuationTest {

    /** The method written out coordinate-wise; records the rows (psi1, psi2, eps, residual, restarts). */
    static final class Reference {
        final double a;
        final TikhonovContinuation m;
        double[] w = TinyProblem.W0.clone();
        double[] z = TinyProblem.W0.clone();
        double t = 1;
        double eps;
        int stageIteration;
        boolean stalled;
        double windowPsi1;
        int restarts;
        boolean done;
        int stagesByTests;
        int stagesByLimit;
        int lastStagesByLimit;
        final List<double[]> rows = new ArrayList<>();

        Reference(double a, TikhonovContinuation m) {
            this.a = a;
            this.m = m;
            this.eps = m.eps0();
            this.windowPsi1 = TinyProblem.psi1(a, w);
        }

        void step() {
            double step = 1 / ((1 + eps) * (2 * a + a));
            double r = SumCoupling.residual(z);
            double[] g = {a * r, a * r, -a * r};
            double[] prev = w;
            double[] next = new double[3];
            for (int i = 0; i < 3; i++) {
                double ai = A2[i] + eps * A1[i];
                double bi = B2[i] + eps * B1[i];
                // prox of step * (f2 + eps f1) at Z - step grad((1 + eps) H)
                double u = z[i] - step * (1 + eps) * g[i];
                next[i] = Math.min(Math.max((u - step * bi) / (1 + step * ai), LO[i]), HI[i]);
            }
            double residual = TinyProblem.distance(next, z) / Math.max(1, TinyProblem.norm(next));
            double inner = 0;
            for (int i = 0; i < 3; i++) {
                inner += (z[i] - next[i]) * (next[i] - prev[i]);
            }
            w = next;
            double psi1 = TinyProblem.psi1(a, w);
            if (inner > 0) {
                t = 1;
                restarts++;
                z = w.clone();
            } else {
                double tNext = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
                double beta = (t - 1) / tNext;
                t = tNext;
                for (int i = 0; i < 3; i++) {
                    z[i] = w[i] + beta * (w[i] - prev[i]);
                }
            }
            stageIteration++;
            if (stageIteration % m.upperWindow() == 0) {
                stalled = Math.abs(windowPsi1 - psi1) / Math.max(1, Math.abs(psi1)) <= m.upperTolerance();
                windowPsi1 = psi1;
            }
            boolean byTests = residual <= m.stageTolerance() && stalled;
            if (byTests || stageIteration >= m.maxStageIterations()) {
                if (byTests) {
                    stagesByTests++;
                } else {
                    stagesByLimit++;
                }
                if (eps <= m.epsMin()) {
                    done = byTests;
                    lastStagesByLimit += byTests ? 0 : 1;
                } else {
                    eps = Math.max(m.epsMin(), eps * m.factor());
                    t = 1;
                    z = w.clone();
                }
                stageIteration = 0;
                stalled = false;
                windowPsi1 = psi1;
            }
            rows.add(new double[] {psi1, TinyProblem.psi2(a, w), eps, residual, restarts});
        }
    }

    private static Reference assertFollowsTheFormulas(double a, TikhonovContinuation m, int iterations) {
        BlockCompositeBilevelProblem p = TinyProblem.problem(new SumCoupling(a));
        Result<BlockIterate> r = m.solve(p, TinyProblem.start(), SolverOptions.builder().maxIterations(iterations)
                .build());
        Reference ref = new Reference(a, m);
        while (!ref.done && ref.rows.size() < iterations) {
            ref.step();
        }
        assertThat(r.trace().size()).isEqualTo(ref.rows.size());
        assertThat(r.iterations()).isEqualTo(ref.rows.size());
        assertThat(r.stopReason()).isEqualTo(ref.done ? StopReason.CONVERGED : StopReason.MAX_ITERATIONS);
        for (int k = 0; k < ref.rows.size(); k++) {
            double[] expected = ref.rows.get(k);
            double[] row = r.trace().row(k);
            for (int c = 0; c < expected.length; c++) {
                // reached: equal to about 1e-15 (the same operations, some in another order)
                assertThat(row[c + 2]).as("iteration %d, column %d", k + 1, c)
                        .isCloseTo(expected[c], within(1e-11 * Math.max(1, Math.abs(expected[c]))));
            }
        }
        assertThat(TinyProblem.joint(r.solution())).containsExactly(ref.w, within(1e-11));
        return ref;
    }

    @Test
    void iteratesFollowFistaWithRestartsAndTheSchedule() {
        // stages of at most 7 iterations, eps = 1, 0.3, 0.09, 0.05 (the floor), then 0.05 again
        TikhonovContinuation m = new TikhonovContinuation(1, 0.3, 0.05, 7, 1e-3, 2, 1e-3);
        Reference ref = assertFollowsTheFormulas(1.0, m, 40);
        TreeSet<Double> weights = new TreeSet<>();
        for (double[] row : ref.rows) {
            weights.add(row[2]);
        }
        assertThat(weights).containsExactly(0.05, 0.09, 0.3, 1.0);
        assertThat(ref.restarts).as("restarts").isPositive().isLessThan(ref.rows.size() / 2);
        assertThat(ref.stagesByLimit).as("stages ended by the iteration limit").isPositive();
    }

    @Test
    void stagesEndByTheTwoTestsAndTheRunConverges() {
        TikhonovContinuation m = new TikhonovContinuation(0.5, 0.25, 0.01, 500, 1e-9, 5, 1e-10);
        Reference ref = assertFollowsTheFormulas(2.0, m, 5000);
        assertThat(ref.done).isTrue();
        assertThat(ref.stagesByTests).as("stages ended by both tests").isGreaterThan(1);
        assertThat(ref.rows.get(ref.rows.size() - 1)[2]).isEqualTo(0.01);
    }

    @Test
    void theLastStageRestartsItsTestsWhenItReachesItsLimit() {
        // the last stage (eps = 0.1) ends by its limit of 6 iterations several times before both tests hold
        TikhonovContinuation m = new TikhonovContinuation(0.5, 0.5, 0.1, 6, 1e-6, 4, 1e-4);
        Reference ref = assertFollowsTheFormulas(1.0, m, 2000);
        assertThat(ref.done).isTrue();
        assertThat(ref.lastStagesByLimit).isGreaterThan(1);
    }

    @Test
    void aFixedPointIsNoReasonToRestart() {
        // f2 = -10 (x0 + x1), g2 = -10 y on [0, 1]^3, f1, g1 = |.|^2 / 2, H = (x0 + x1 - y)^2 / 2: at the corner
        // (1, 1, 1) every coordinate of the gradient step leaves the box upwards (by 10 - 1 - eps, 10 + 1 + eps),
        // so the prox returns the corner exactly: W+ = W = Z, the restart test reads 0 > 0, false
        DMatrixRMaj one = TinyProblem.col(1, 1);
        DMatrixRMaj zero = TinyProblem.col(0, 0);
        BoxedQuadratic f2 = new BoxedQuadratic(zero, TinyProblem.col(-10, -10), 0, zero, one);
        BoxedQuadratic g2 = new BoxedQuadratic(TinyProblem.col(0), TinyProblem.col(-10), 0, TinyProblem.col(0),
                TinyProblem.col(1));
        BoxedQuadratic f1 = new BoxedQuadratic(one, zero, 0, zero, one);
        BoxedQuadratic g1 = new BoxedQuadratic(TinyProblem.col(1), TinyProblem.col(0), 0, TinyProblem.col(0),
                TinyProblem.col(1));
        BlockCompositeBilevelProblem p = BlockCompositeBilevelProblem.builder(new SumCoupling(1)).upper(f1, g1)
                .lower(f2, g2).build();
        BlockIterate corner = new BlockIterate(one, TinyProblem.col(1));
        Result<BlockIterate> r = new TikhonovContinuation(0.5, 0.5, 0.1, 4, 1e-9, 2, 0).solve(p, corner,
                SolverOptions.builder().maxIterations(20).build());
        assertThat(r.stopReason()).isEqualTo(StopReason.CONVERGED);
        assertThat(r.trace().column(CompositeState.RESTARTS)).containsOnly(0.0);
        assertThat(r.trace().column(CompositeState.RESIDUAL)).containsOnly(0.0);
        assertThat(TinyProblem.joint(r.solution())).containsExactly(1, 1, 1);
    }

    @Test
    void theStageToleranceIsNotStrict() {
        // windows of 1 with a huge upper tolerance: the upper test holds from the first iteration on, so the
        // stage (the only one) ends at the first residual at or below the stage tolerance. Take as tolerance
        // the exact residual of iteration 5 of a first run: the second run stops there
        BlockCompositeBilevelProblem p = TinyProblem.problem(new SumCoupling(1));
        Result<BlockIterate> probe = new TikhonovContinuation(0.2, 0.5, 0.2, 100, 1e-300, 1, 1e9).solve(p,
                TinyProblem.start(), SolverOptions.builder().maxIterations(5).build());
        double[] residuals = probe.trace().column(CompositeState.RESIDUAL);
        for (int k = 0; k < 4; k++) {
            assertThat(residuals[k]).isGreaterThan(residuals[4]);
        }
        Result<BlockIterate> r = new TikhonovContinuation(0.2, 0.5, 0.2, 100, residuals[4], 1, 1e9).solve(p,
                TinyProblem.start(), SolverOptions.builder().maxIterations(100).build());
        assertThat(r.stopReason()).isEqualTo(StopReason.CONVERGED);
        assertThat(r.iterations()).isEqualTo(5);
    }

    @Test
    void aWeightWithinRoundingOfTheLastIsTheLastStage() {
        // eps0 = epsMin (1 + 1e-12) counts as the last weight: the weight never moves to epsMin
        double epsMin = 0.2;
        TikhonovContinuation m = new TikhonovContinuation(epsMin * (1 + 1e-12), 0.5, epsMin, 3, 1e-300, 1, 1e9);
        Result<BlockIterate> r = m.solve(TinyProblem.problem(new SumCoupling(1)), TinyProblem.start(),
                SolverOptions.builder().maxIterations(10).build());
        assertThat(r.trace().column(CompositeState.WEIGHT)).containsOnly(epsMin * (1 + 1e-12));
        // a little more and the next stage has eps = epsMin
        TikhonovContinuation m2 = new TikhonovContinuation(epsMin * (1 + 1e-11), 0.5, epsMin, 3, 1e-300, 1, 1e9);
        Result<BlockIterate> r2 = m2.solve(TinyProblem.problem(new SumCoupling(1)), TinyProblem.start(),
                SolverOptions.builder().maxIterations(10).build());
        assertThat(r2.trace().lastValue(CompositeState.WEIGHT)).isEqualTo(epsMin);
    }

    @Test
    void theFirstStepWrittenOutByHand() {
        // eps = 1, a = 1: step = 1/(2 * 3) = 1/6, Z = W0 = (2.5, 0.5, 1), r = 2, grad H = (2, 2, -2),
        // (1 + eps) step grad H = (2/3, 2/3, -2/3); f2 + f1: a = (1.5, 4, 3), b = (-1, -1, -4)
        // W1 = clip(((2.5 - 2/3) + 1/6)/(1 + 1.5/6), ((0.5 - 2/3) + 1/6)/(1 + 4/6), ((1 + 2/3) + 4/6)/(1 + 3/6))
        //    = (2/1.25, 0, (7/3)/1.5) = (1.6, 0, 14/9)
        BlockCompositeBilevelProblem p = TinyProblem.problem(new SumCoupling(1));
        TikhonovContinuation m = new TikhonovContinuation(1, 0.5, 0.1, 100, 1e-6, 10, 1e-9);
        CompositeState s = m.init(p, TinyProblem.start(), SolverOptions.defaults());
        assertThat(s.weight()).isEqualTo(1.0);
        m.step(p, s);
        double[] w1 = {1.6, 0, 14.0 / 9};
        assertThat(TinyProblem.joint(s.solution())).containsExactly(w1, within(1e-15));
        // the gradient-mapping step ||W1 - Z|| / max(1, ||W1||)
        double[] row = new double[5];
        s.traceValues(row);
        assertThat(row[3]).isCloseTo(TinyProblem.distance(w1, TinyProblem.W0) / TinyProblem.norm(w1),
                within(1e-15));
        // restart test <Z - W1, W1 - W0> with Z = W0: -||W1 - W0||^2 < 0, so no restart: t = (1 + sqrt 5)/2,
        // beta = 0, the next momentum point is W1 itself
        assertThat(row[4]).isZero();
        assertThat(s.psi1()).isCloseTo(TinyProblem.psi1(1, w1), within(1e-14));
        assertThat(s.psi2()).isCloseTo(TinyProblem.psi2(1, w1), within(1e-14));
        assertThat(s.converged()).isFalse();
        assertThat(s.iteration()).isEqualTo(1);
        assertThat(s.weight()).isEqualTo(1.0);
    }

    @Test
    void aRunStartedAtItsOwnLimitEndsAfterOneWindow() {
        // the limit of the run above is a fixed point of the iteration up to an ulp: started there (momentum 1),
        // Psi1 does not change over the first window, compared with Psi1 at the start point
        TikhonovContinuation m = new TikhonovContinuation(0.2, 0.5, 0.2, 100_000, 1e-3, 3, 0.0);
        BlockCompositeBilevelProblem p = TinyProblem.problem(new SumCoupling(1));
        Result<BlockIterate> first = m.solve(p, TinyProblem.start(), SolverOptions.builder().maxIterations(20_000)
                .build());
        assertThat(first.stopReason()).isEqualTo(StopReason.CONVERGED);
        Result<BlockIterate> again = m.solve(p, first.solution(), SolverOptions.builder().maxIterations(20_000)
                .build());
        assertThat(again.stopReason()).isEqualTo(StopReason.CONVERGED);
        assertThat(again.iterations()).isEqualTo(3);
        // reached: a difference of one ulp (2e-16)
        assertThat(TinyProblem.joint(again.solution())).containsExactly(TinyProblem.joint(first.solution()),
                within(1e-15));
    }

    @Test
    void theStateRollsBackItsPointAndObjectives() {
        BlockCompositeBilevelProblem p = TinyProblem.problem(new SumCoupling(1));
        TikhonovContinuation m = new TikhonovContinuation(1, 0.5, 0.1, 100, 1e-6, 10, 1e-9);
        CompositeState s = m.init(p, TinyProblem.start(), SolverOptions.defaults());
        m.step(p, s);
        s.commit();
        double psi1 = s.psi1();
        double psi2 = s.psi2();
        double[] w = TinyProblem.joint(s.solution());
        m.step(p, s);
        assertThat(s.psi1()).isNotEqualTo(psi1);
        assertThat(s.psi2()).isNotEqualTo(psi2);
        s.rollback();
        assertThat(s.psi1()).isEqualTo(psi1);
        assertThat(s.psi2()).isEqualTo(psi2);
        assertThat(TinyProblem.joint(s.solution())).containsExactly(w);
        assertThat(s.isFinite()).isTrue();
        assertThat(s.converged()).isFalse();
        assertThat(s.traceColumns()).containsExactly(CompositeState.PSI1, CompositeState.PSI2, CompositeState.WEIGHT,
                CompositeState.RESIDUAL, CompositeState.RESTARTS);
    }

    @Test
    void anExactlyUnchangedUpperLevelCountsAsStalledWithToleranceZero() {
        // eps0 = epsMin: one stage, windows of 3. FISTA with restarts settles on a floating-point fixed
        // point, where Psi1 stops changing exactly; with upperTolerance = 0 only that ends the stage
        TikhonovContinuation m = new TikhonovContinuation(0.2, 0.5, 0.2, 100_000, 1e-3, 3, 0.0);
        Result<BlockIterate> r = m.solve(TinyProblem.problem(new SumCoupling(1)), TinyProblem.start(),
                SolverOptions.builder().maxIterations(20_000).build());
        assertThat(r.stopReason()).isEqualTo(StopReason.CONVERGED);
        int n = r.iterations();
        assertThat(n % 3).isZero();
        double[] psi1 = r.trace().column(CompositeState.PSI1);
        assertThat(psi1[n - 1]).isEqualTo(psi1[n - 4]);
        // and not before: each earlier window changed Psi1
        for (int k = 3; k < n - 3; k += 3) {
            assertThat(psi1[k - 1]).as("window ending at %d", k).isNotEqualTo(psi1[k + 2]);
        }
        assertThat(r.trace().lastValue(CompositeState.RESIDUAL)).isLessThanOrEqualTo(1e-3);
    }

    @Test
    void aBlowUpStopsWithTheLastGoodIterate() {
        BlockCompositeBilevelProblem bad = TinyProblem.problem(new SumCoupling(1, 5));
        TikhonovContinuation m = new TikhonovContinuation(1, 0.3, 0.05, 7, 1e-3, 2, 1e-3);
        Result<BlockIterate> r = m.solve(bad, TinyProblem.start(), SolverOptions.builder().maxIterations(10).build());
        assertThat(r.stopReason()).isEqualTo(StopReason.DIVERGED);
        assertThat(r.iterations()).isEqualTo(4);
        Reference ref = new Reference(1, m);
        for (int k = 0; k < 4; k++) {
            ref.step();
        }
        assertThat(TinyProblem.joint(r.solution())).containsExactly(ref.w, within(1e-12));
    }

    @Test
    void needsBoxedQuadraticsOnEqualBoxes() {
        BlockCompositeBilevelProblem p = TinyProblem.problem(new SumCoupling(1));
        BoxedQuadratic otherBox = new BoxedQuadratic(TinyProblem.col(1, 4), TinyProblem.col(-2, 1), 0,
                TinyProblem.col(0, 0), TinyProblem.col(3, 2));
        BoxedQuadratic otherYBox = new BoxedQuadratic(TinyProblem.col(2), TinyProblem.col(-3), 0,
                TinyProblem.col(0), TinyProblem.col(4));
        TikhonovContinuation m = TikhonovContinuation.defaults();
        for (BlockCompositeBilevelProblem q : List.of(
                new BlockCompositeBilevelProblem(otherBox, p.g1(), p.f2(), p.g2(), p.coupling()),
                new BlockCompositeBilevelProblem(p.f1(), otherYBox, p.f2(), p.g2(), p.coupling()))) {
            assertThatThrownBy(() -> m.init(q, TinyProblem.start(), SolverOptions.defaults()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("same box");
        }
        org.bilevel4j.function.NormL1 l1 = new org.bilevel4j.function.NormL1(1);
        for (BlockCompositeBilevelProblem q : List.of(
                new BlockCompositeBilevelProblem(p.f1(), l1, p.f2(), p.g2(), p.coupling()),
                new BlockCompositeBilevelProblem(p.f1(), p.g1(), l1, p.g2(), p.coupling()),
                new BlockCompositeBilevelProblem(p.f1(), p.g1(), p.f2(), l1, p.coupling()))) {
            assertThatThrownBy(() -> m.init(q, TinyProblem.start(), SolverOptions.defaults()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("BoxedQuadratic");
        }
        assertThat(m.name()).isEqualTo("Tikhonov");
        assertThat(m).isEqualTo(new TikhonovContinuation(1.0, 0.1, 1e-9, 1_000_000, 1e-11,
                TikhonovContinuation.DEFAULT_UPPER_WINDOW, TikhonovContinuation.DEFAULT_UPPER_TOLERANCE));
    }

    @Test
    void rejectsBadParameters() {
        assertThatThrownBy(() -> new TikhonovContinuation(0, 0.5, 1e-3, 10, 1e-6)).hasMessageContaining("eps0");
        assertThatThrownBy(() -> new TikhonovContinuation(1, 0.5, 0, 10, 1e-6)).hasMessageContaining("epsMin");
        assertThatThrownBy(() -> new TikhonovContinuation(1, 0.5, 2, 10, 1e-6)).hasMessageContaining("epsMin");
        assertThatThrownBy(() -> new TikhonovContinuation(Double.POSITIVE_INFINITY, 0.5, 1, 10, 1e-6))
                .hasMessageContaining("eps0");
        assertThatThrownBy(() -> new TikhonovContinuation(1, 0, 1e-3, 10, 1e-6)).hasMessageContaining("factor");
        assertThatThrownBy(() -> new TikhonovContinuation(1, 1, 1e-3, 10, 1e-6)).hasMessageContaining("factor");
        assertThatThrownBy(() -> new TikhonovContinuation(1, 0.5, 1e-3, 0, 1e-6))
                .hasMessageContaining("maxStageIterations");
        assertThatThrownBy(() -> new TikhonovContinuation(1, 0.5, 1e-3, 10, 0)).hasMessageContaining("stageTolerance");
        assertThatThrownBy(() -> new TikhonovContinuation(1, 0.5, 1e-3, 10, 1e-6, 0, 1e-9))
                .hasMessageContaining("upperWindow");
        assertThatThrownBy(() -> new TikhonovContinuation(1, 0.5, 1e-3, 10, 1e-6, 1, -1))
                .hasMessageContaining("upperTolerance");
        assertThatThrownBy(() -> new TikhonovContinuation(1, 0.5, 1e-3, 10, 1e-6, 1, Double.POSITIVE_INFINITY))
                .hasMessageContaining("upperTolerance");
        // the boundary values are allowed
        assertThat(new TikhonovContinuation(1, 0.5, 1, 1, 1e-6, 1, 0).epsMin()).isEqualTo(1);
    }
}
