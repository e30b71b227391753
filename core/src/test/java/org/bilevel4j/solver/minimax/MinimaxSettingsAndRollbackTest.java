package org.bilevel4j.solver.minimax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.bilevel4j.problem.Box;
import org.bilevel4j.problem.MinimaxBilevelPoint;
import org.bilevel4j.problem.SaddlePoint;
import org.bilevel4j.problem.SaddleProblem;
import org.bilevel4j.solver.IterationListener;
import org.bilevel4j.solver.Result;
import org.bilevel4j.solver.SolverOptions;
import org.bilevel4j.solver.StopReason;
import org.bilevel4j.solver.minimax.DanskinPenaltyMinimaxTest.Toy;
import org.bilevel4j.solver.minimax.MinimaxSolverTest.QuadraticSaddle;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * Settings, read-back, the trace rows, DIVERGED with the last good iterate, and a rollback followed by
 * a step (which must not reuse a stale operator value) for {@link PenaltyMinimax}, {@link MinimaxSolver},
 * {@link DanskinPenaltyMinimax} and {@link MinimaxPenalty}.
 */
class MinimaxSettingsAndRollbackTest {

    @Test
    void penaltyMinimaxSettingsAreValidatedWithOneLineAndReadBack() {
        assertThatThrownBy(() -> PenaltyMinimax.builder(10).eps(Double.POSITIVE_INFINITY).build())
                .hasMessage("eps must be positive and finite, got Infinity");
        assertThatThrownBy(() -> PenaltyMinimax.builder(10).epsConstant(Double.POSITIVE_INFINITY).build())
                .hasMessage("the constant c in eps = c / rho must be positive and finite, got Infinity");
        assertThatThrownBy(() -> PenaltyMinimax.builder(10).startRho(Double.POSITIVE_INFINITY).build())
                .hasMessage("the starting rho must be positive and finite, got Infinity");
        assertThatThrownBy(() -> PenaltyMinimax.builder(10).startRho(0).build())
                .hasMessage("the starting rho must be positive and finite, got 0.0");
        assertThatThrownBy(() -> PenaltyMinimax.builder(10).growth(1).build())
                .hasMessage("the rho growth factor must exceed 1, got 1.0");
        assertThatThrownBy(() -> PenaltyMinimax.builder(10).growth(Double.POSITIVE_INFINITY).build())
                .hasMessage("the rho growth factor must exceed 1, got Infinity");
        assertThatThrownBy(() -> PenaltyMinimax.builder(10).stepScale(0).build())
                .hasMessage("stepScale must be in (0, 1], got 0.0");
        assertThatThrownBy(() -> PenaltyMinimax.builder(10).stepScale(1.5).build())
                .hasMessage("stepScale must be in (0, 1], got 1.5");
        assertThatThrownBy(() -> PenaltyMinimax.builder(10).maxInnerIterations(0).build())
                .hasMessage("maxInnerIterations must be at least 1, got 0");
        assertThatThrownBy(() -> PenaltyMinimax.builder(10).jacobianRefresh(-1).build())
                .hasMessage("jacobianRefresh must be nonnegative, got -1");
        // the boundary values are legal
        PenaltyMinimax m = PenaltyMinimax.builder(100).stepScale(1).maxInnerIterations(1).jacobianRefresh(0)
                .startRho(7).growth(3).build();
        assertThat(m.firstRho()).isEqualTo(7);
        assertThat(m.nextRho(7)).isEqualTo(21);
        assertThat(m.nextRho(63)).isEqualTo(100);
        assertThat(m.rho()).isEqualTo(100);
        assertThat(m.continuation()).isTrue();
        assertThat(m.epsConstant()).isEqualTo(0.5);
        assertThat(m.eps()).isEqualTo(0.005);
        assertThat(m.name()).isEqualTo("penalty minimax");
        // epsConstant after eps replaces it
        assertThat(PenaltyMinimax.builder(100).eps(1e-3).epsConstant(0.2).build().epsConstant()).isEqualTo(0.2);
        assertThat(PenaltyMinimax.builder(100).continuation(false).build().continuation()).isFalse();
    }

    @Test
    void minimaxSolverSettingsAreValidatedWithOneLineAndReadBack() {
        assertThatThrownBy(() -> MinimaxSolver.builder().tolerance(0).build())
                .hasMessage("tolerance (eps) must be positive and finite, got 0.0");
        assertThatThrownBy(() -> MinimaxSolver.builder().tolerance(Double.POSITIVE_INFINITY).build())
                .hasMessage("tolerance (eps) must be positive and finite, got Infinity");
        assertThatThrownBy(() -> MinimaxSolver.builder().stepScale(0).build())
                .hasMessage("stepScale must be in (0, 1], got 0.0");
        assertThatThrownBy(() -> MinimaxSolver.builder().stepScale(1.5).build())
                .hasMessage("stepScale must be in (0, 1], got 1.5");
        assertThatThrownBy(() -> MinimaxSolver.builder().maxInnerIterations(0).build())
                .hasMessage("maxInnerIterations must be at least 1, got 0");
        assertThatThrownBy(() -> MinimaxSolver.builder().jacobianRefresh(-1).build())
                .hasMessage("jacobianRefresh must be nonnegative, got -1");
        assertThatThrownBy(() -> MinimaxSolver.builder().mode(null).build()).hasMessage("mode");
        MinimaxSolver ok = MinimaxSolver.builder().stepScale(1).maxInnerIterations(1).jacobianRefresh(0).build();
        assertThat(ok.mode()).isEqualTo(MinimaxSolver.Mode.PROXIMAL_POINT);
        assertThat(ok.tolerance()).isEqualTo(1e-6);
        assertThat(ok.name()).isEqualTo("proximal-point extragradient");
        MinimaxSolver eg = MinimaxSolver.extragradient(1e-4);
        assertThat(eg.mode()).isEqualTo(MinimaxSolver.Mode.EXTRAGRADIENT);
        assertThat(eg.tolerance()).isEqualTo(1e-4);
        assertThat(eg.name()).isEqualTo("extragradient");
        assertThat(MinimaxSolver.proximalPoint(1e-3).tolerance()).isEqualTo(1e-3);
    }

    @Test
    void extragradientModeReestimatesTheJacobianEveryRefreshIterations() {
        QuadraticSaddle q = MinimaxSolverTest.badlyScaled();
        MinimaxSolver eg = MinimaxSolver.builder().mode(MinimaxSolver.Mode.EXTRAGRADIENT).tolerance(1e-10)
                .jacobianRefresh(3).build();
        Result<SaddlePoint> r = eg.solve(q, SaddlePoint.of(new double[3], new double[2]),
                SolverOptions.builder().maxIterations(10).build());
        double[] calls = r.trace().column("grad_calls");
        double[] inner = r.trace().column("inner");
        double[] step = r.trace().column("step");
        double[] value = r.trace().column("value");
        assertThat(calls).hasSize(10);
        for (int k = 1; k <= 10; k++) {
            // 6 for the estimate and 1 at the start, 2 per iteration, and 6 + 1 again before iterations 4, 7, 10
            assertThat(calls[k - 1]).as("iteration %d", k).isEqualTo(2.0 * k + 7 + 7 * ((k - 1) / 3));
            assertThat(inner[k - 1]).isEqualTo(1);
            assertThat(step[k - 1]).isZero();
        }
        double[] u = r.solution().u().data;
        double[] v = r.solution().v().data;
        assertThat(value[9]).isEqualTo(q.value(DMatrixRMaj.wrap(3, 1, u.clone()), DMatrixRMaj.wrap(2, 1, v.clone())));
    }

    /** A saddle problem whose value turns NaN once the flag is set. */
    static final class Poisoned implements SaddleProblem {
        final QuadraticSaddle q;
        boolean poisoned;

        Poisoned(QuadraticSaddle q) {
            this.q = q;
        }

        @Override
        public Box uDomain() {
            return q.uDomain();
        }

        @Override
        public Box vDomain() {
            return q.vDomain();
        }

        @Override
        public double value(DMatrixRMaj u, DMatrixRMaj v) {
            return poisoned ? Double.NaN : q.value(u, v);
        }

        @Override
        public void gradient(DMatrixRMaj u, DMatrixRMaj v, DMatrixRMaj gu, DMatrixRMaj gv) {
            q.gradient(u, v, gu, gv);
        }
    }

    @Test
    void minimaxSolverStopsDivergedAtTheLastGoodIterateInBothModes() {
        for (MinimaxSolver s : new MinimaxSolver[] {MinimaxSolver.extragradient(1e-12), MinimaxSolver.proximalPoint(1e-9)}) {
            Poisoned p = new Poisoned(MinimaxSolverTest.badlyScaled());
            IterationListener poison = info -> p.poisoned = info.iteration() >= 2;
            Result<SaddlePoint> r = s.solve(p, SaddlePoint.of(new double[3], new double[2]),
                    SolverOptions.builder().maxIterations(100).build(), poison);
            assertThat(r.stopReason()).as(s.name()).isEqualTo(StopReason.DIVERGED);
            assertThat(r.message()).isEqualTo("non-finite value at iteration 3; kept the iterate of iteration 2");
            Result<SaddlePoint> two = s.solve(MinimaxSolverTest.badlyScaled(), SaddlePoint.of(new double[3],
                    new double[2]), SolverOptions.builder().maxIterations(2).build());
            assertThat(r.solution().u().data).containsExactly(two.solution().u().data);
            assertThat(r.solution().v().data).containsExactly(two.solution().v().data);
        }
    }

    /**
     * rollback restores the iterate only (SolverState's contract), not the counters of the proximal-point
     * loop (k sets the inner tolerance eps / (k + 1)): with a tiny eps and 3 inner iterations per step the
     * counters do not matter, and the step after a rollback must equal the step the committed iterate
     * would have taken (a stale cached operator value would change it).
     */
    @Test
    void minimaxSolverStepsAfterARollbackAsIfTheRolledBackStepHadNotHappened() {
        MinimaxSolver pp = MinimaxSolver.builder().tolerance(1e-14).maxInnerIterations(3).build();
        for (MinimaxSolver s : new MinimaxSolver[] {MinimaxSolver.extragradient(1e-12), pp}) {
            QuadraticSaddle q = MinimaxSolverTest.badlyScaled();
            SaddlePoint start = SaddlePoint.of(new double[3], new double[2]);
            MinimaxState a = s.init(q, start, SolverOptions.defaults());
            a.step();
            a.commit();
            double value = a.value();
            a.step();
            a.rollback();
            assertThat(a.value()).isEqualTo(value);
            a.step();
            MinimaxState b = s.init(q, start, SolverOptions.defaults());
            b.step();
            b.step();
            assertThat(a.solution().u().data).as(s.name()).containsExactly(b.solution().u().data);
            assertThat(a.solution().v().data).containsExactly(b.solution().v().data);
            assertThat(a.value()).isEqualTo(b.value());
            assertThat(a.residualU()).isEqualTo(b.residualU());
            assertThat(a.residualV()).isEqualTo(b.residualV());
            assertThat(a.objectives()).containsExactly(b.value(), b.residualU(), b.residualV());
            assertThat(a.isFinite()).isTrue();
            assertThat(a.traceColumns()).isEqualTo(MinimaxState.COLUMNS);
        }
    }

    @Test
    void penaltyMinimaxStopsDivergedAtTheLastGoodIterateAndRollsBackCleanly() {
        boolean[] poisoned = {false};
        Toy bad = new Toy() {
            @Override
            public double lowerValue(DMatrixRMaj x1, DMatrixRMaj y1, DMatrixRMaj y2) {
                return poisoned[0] ? Double.NaN : super.lowerValue(x1, y1, y2);
            }
        };
        PenaltyMinimax m = PenaltyMinimax.of(100);
        IterationListener poison = info -> poisoned[0] = info.iteration() >= 2;
        Result<MinimaxBilevelPoint> r = m.solve(bad, bad.centerPoint(), SolverOptions.builder().maxIterations(100)
                .build(), poison);
        assertThat(r.stopReason()).isEqualTo(StopReason.DIVERGED);
        assertThat(r.message()).isEqualTo("non-finite value at iteration 3; kept the iterate of iteration 2");
        Toy t = new Toy();
        Result<MinimaxBilevelPoint> two = m.solve(t, t.centerPoint(), SolverOptions.builder().maxIterations(2).build());
        assertThat(r.solution().x1().data).containsExactly(two.solution().x1().data);
        assertThat(r.solution().y1().data).containsExactly(two.solution().y1().data);
        // a rollback, then a step: the same as two steps (3 inner iterations per step and a tiny eps, so
        // that the counters, which rollback leaves, do not matter)
        m = PenaltyMinimax.builder(100).continuation(false).eps(1e-14).maxInnerIterations(3).build();
        PenaltyMinimaxState a = m.init(t, t.centerPoint(), SolverOptions.defaults());
        a.step();
        a.commit();
        a.step();
        a.rollback();
        a.step();
        PenaltyMinimaxState b = m.init(t, t.centerPoint(), SolverOptions.defaults());
        b.step();
        b.step();
        assertThat(a.solution().x1().data).containsExactly(b.solution().x1().data);
        assertThat(a.solution().x2().data).containsExactly(b.solution().x2().data);
        assertThat(a.z1().data).containsExactly(b.z1().data);
        assertThat(a.z2().data).containsExactly(b.z2().data);
    }

    @Test
    void penaltyMinimaxTraceRowsAgreeWithTheStateAndTheProblem() {
        Toy t = new Toy();
        PenaltyMinimax m = PenaltyMinimax.builder(40).continuation(false).build();
        PenaltyMinimaxState st = m.init(t, t.centerPoint(), SolverOptions.defaults());
        assertThat(st.rho()).isEqualTo(40);
        assertThat(st.traceColumns()).containsExactly("level", "rho", "eps", "outer", "inner", "inner_total", "upper",
                "gap", "res_u", "res_v", "step", "grad_calls");
        double[] row = new double[12];
        long total = 0;
        for (int k = 1; k <= 4; k++) {
            st.step();
            st.traceValues(row);
            total += (long) row[4];
            assertThat(row[0]).isZero();
            assertThat(row[1]).isEqualTo(40);
            assertThat(row[2]).isEqualTo(0.5 / 40);
            assertThat(row[3]).isEqualTo(k);
            assertThat(row[5]).isEqualTo(total);
            assertThat(st.innerIterations()).isEqualTo(total);
            MinimaxBilevelPoint p = st.solution();
            double upper = t.upperValue(p.x1(), p.x2(), p.y1(), p.y2());
            double gap = t.lowerValue(p.x1(), p.y1(), st.z2()) - t.lowerValue(p.x1(), st.z1(), p.y2());
            assertThat(row[6]).isEqualTo(upper);
            assertThat(st.upperValue()).isEqualTo(upper);
            assertThat(row[7]).isEqualTo(gap);
            assertThat(st.gap()).isEqualTo(gap);
            assertThat(row[8]).isEqualTo(st.residualU());
            assertThat(row[9]).isEqualTo(st.residualV());
            assertThat(row[11]).isEqualTo(st.gradientCalls());
            assertThat(st.objectives()).containsExactly(upper, gap, 40, st.residualU(), st.residualV());
            assertThat(st.isFinite()).isTrue();
        }
        assertThat(st.warnings()).isEmpty();
        assertThat(st.level()).isZero();
    }

    @Test
    void theRunOfTheDanskinMethodStepsAfterARollbackAsIfTheStepHadNotHappened() {
        Toy t = new Toy();
        DanskinPenaltyMinimax m = DanskinPenaltyMinimax.builder(100).build();
        DanskinPenaltyState a = m.init(t, t.centerPoint(), SolverOptions.defaults());
        a.step();
        a.commit();
        a.step();
        a.rollback();
        a.step();
        DanskinPenaltyState b = m.init(t, t.centerPoint(), SolverOptions.defaults());
        b.step();
        b.step();
        assertThat(a.x1().data).containsExactly(b.x1().data);
        assertThat(a.solution().x1().data).containsExactly(b.solution().x1().data);
        assertThat(a.solution().y1().data).containsExactly(b.solution().y1().data);
        assertThat(a.z2().data).containsExactly(b.z2().data);
        assertThat(a.isFinite()).isTrue();
    }

    @Test
    void thePenaltyRejectsBlocksOfTheWrongSize() {
        SmoothTestProblem p = new SmoothTestProblem();
        MinimaxPenalty pen = new MinimaxPenalty(p, 2.5);
        assertThat(pen.rho()).isEqualTo(2.5);
        DMatrixRMaj u = new DMatrixRMaj(6, 1);
        DMatrixRMaj v = new DMatrixRMaj(5, 1);
        assertThat(pen.value(u, v)).isCloseTo(pen.upperValue(u, v) + 2.5 * pen.gap(u, v), within(1e-12));
        assertThatThrownBy(() -> pen.value(new DMatrixRMaj(5, 1), v))
                .hasMessage("u has 5 and v 5 entries; the penalty needs 6 and 5");
        assertThatThrownBy(() -> pen.gap(u, new DMatrixRMaj(6, 1)))
                .hasMessage("u has 6 and v 6 entries; the penalty needs 6 and 5");
        assertThatThrownBy(() -> new MinimaxPenalty(null, 1)).hasMessage("problem");
    }
}
