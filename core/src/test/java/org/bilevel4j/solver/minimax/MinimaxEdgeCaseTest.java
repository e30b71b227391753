package org.bilevel4j.solver.minimax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.bilevel4j.problem.BlockMinimaxBilevelProblem;
import org.bilevel4j.problem.Box;
import org.bilevel4j.problem.MinimaxBilevelPoint;
import org.bilevel4j.problem.SaddlePoint;
import org.bilevel4j.problem.SaddleProblem;
import org.bilevel4j.problem.SampledMinimaxBilevelProblem;
import org.bilevel4j.solver.Result;
import org.bilevel4j.solver.SolverOptions;
import org.bilevel4j.solver.StopReason;
import org.bilevel4j.solver.minimax.DanskinPenaltyMinimaxTest.Toy;
import org.bilevel4j.solver.minimax.MinimaxSolverTest.QuadraticSaddle;
import org.bilevel4j.solver.minimax.StochasticPenaltyMinimaxTest.FiniteSum;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * Boundary cases of the minimax engines with values that can be written out exactly: the local
 * Lipschitz test at equality, the limit on halvings, block bounds with non-unit entries, blocks of
 * dimension 2, the outer stop rule at equality, starts and projections, finiteness checks and the
 * first trace row.
 */
class MinimaxEdgeCaseTest {

    static DMatrixRMaj col(double... v) {
        return DMatrixRMaj.wrap(v.length, 1, v.clone());
    }

    @Test
    void theLocalTestAcceptsAStepAtExactlyTheBoundTheta() {
        // F(0) = -1, F(u) = 0.9 - 1 elsewhere: from u = 0 with tau = 1, wbar = 1, dG = 0.9 = theta exactly,
        // so sum tau dG^2 = theta^2 sum dw^2 / tau (in floating point, too): accepted, not halved
        SaddleOperator f = new SaddleOperator() {
            @Override
            public int uDimension() {
                return 1;
            }

            @Override
            public int dimension() {
                return 1;
            }

            @Override
            public void apply(double[] w, double[] out) {
                out[0] = w[0] == 0.0 ? -1 : 0.9 - 1;
            }
        };
        Extragradient eg = new Extragradient(new double[] {-10}, new double[] {10}, 1);
        double[] w = {0};
        assertThat(eg.run(f, w, 0, 1, false)).isEqualTo(1);
        assertThat(eg.backtracks).isZero();
        assertThat(w[0]).isEqualTo(-(0.9 - 1));
    }

    /** x1, x2, y2 absent; y1 in [-10, 10]; f = 0; the y1-gradient of ft is the given jump function. */
    static BlockMinimaxBilevelProblem scalar(java.util.function.DoubleUnaryOperator ftPrime) {
        return new BlockMinimaxBilevelProblem() {
            @Override
            public Box x1Domain() {
                return Box.none();
            }

            @Override
            public Box x2Domain() {
                return Box.none();
            }

            @Override
            public Box y1Domain() {
                return Box.cube(1, -10, 10);
            }

            @Override
            public Box y2Domain() {
                return Box.none();
            }

            @Override
            public double upperValue(DMatrixRMaj x1, DMatrixRMaj x2, DMatrixRMaj y1, DMatrixRMaj y2) {
                return 0;
            }

            @Override
            public double upperValueAndGradient(DMatrixRMaj x1, DMatrixRMaj x2, DMatrixRMaj y1, DMatrixRMaj y2,
                    DMatrixRMaj gx1, DMatrixRMaj gx2, DMatrixRMaj gy1, DMatrixRMaj gy2) {
                gy1.data[0] = 0;
                return 0;
            }

            @Override
            public double lowerValue(DMatrixRMaj x1, DMatrixRMaj y1, DMatrixRMaj y2) {
                return 0;
            }

            @Override
            public double lowerValueAndGradient(DMatrixRMaj x1, DMatrixRMaj y1, DMatrixRMaj y2, DMatrixRMaj gx1,
                    DMatrixRMaj gy1, DMatrixRMaj gy2) {
                gy1.data[0] = ftPrime.applyAsDouble(y1.data[0]);
                return 0;
            }

            @Override
            public double[][] upperLipschitz() {
                return new double[4][4];
            }

            @Override
            public double[][] lowerLipschitz() {
                return new double[3][3];
            }

            @Override
            public double valueLipschitzPerRho() {
                return 1;
            }
        };
    }

    @Test
    void theBlockLocalTestAcceptsAtExactlyThetaAndHalvesAtMost60Times() {
        // blocks y1 and z1 only, rho = 1, steps 1: F = (ft'(y1), ft'(z1)), as in the scalar case above
        BlockExtragradient eg = new BlockExtragradient(scalar(y -> y == 0.0 ? -1 : 0.9 - 1));
        assertThat(eg.size).containsExactly(1, 0, 0, 1, 0);
        eg.setRho(1);
        assertThat(eg.step).containsExactly(1, 1, 1, 1, 1); // no bounds: step 1
        double[] w = new double[2];
        assertThat(eg.run(w, 0, 1, false)).isEqualTo(1);
        assertThat(eg.backtracks).isZero();
        assertThat(w).containsExactly(-(0.9 - 1), -(0.9 - 1));
        // the step always fails: halved 60 times, then taken
        BlockExtragradient jump = new BlockExtragradient(scalar(y -> y == 0.0 ? -1 : 1e10));
        jump.setRho(1);
        double[] w2 = new double[2];
        assertThat(jump.run(w2, 0, 1, false)).isEqualTo(1);
        assertThat(jump.backtracks).isEqualTo(60);
        assertThat(jump.step[0]).isEqualTo(Math.scalb(1.0, -60));
        assertThat(jump.step[3]).isEqualTo(Math.scalb(1.0, -60));
        assertThat(w2[0]).isEqualTo(-Math.scalb(1.0, -60) * 1e10);
        // from w = (1, 1) with dG = 2 at every trial point: sum tau dG^2 = 8 tau > 0.81 sum dw^2 / tau = 1.62 tau,
        // so every step fails the test (with dw = wbar + w instead of wbar - w, the first would pass), until
        // tau = 2^-53, where 1 + tau rounds to 1: the trial point is w itself, the residual 0 and the run returns
        BlockExtragradient steep = new BlockExtragradient(scalar(y -> y == 1.0 ? -1 : 1));
        steep.setRho(1);
        double[] w3 = {1, 1};
        assertThat(steep.run(w3, 0, 1, false)).isZero();
        assertThat(steep.backtracks).isEqualTo(53);
        assertThat(w3).containsExactly(1, 1);
        // a constant push beyond the box: both the trial point and the step are projected onto it
        BlockExtragradient push = new BlockExtragradient(scalar(y -> -1));
        push.setRho(1);
        double[] w4 = {9.5, 9.5};
        assertThat(push.run(w4, 0, 1, false)).isEqualTo(1);
        assertThat(w4).containsExactly(10, 10);
        assertThat(push.residual).isZero();
    }

    @Test
    void theProximalStopRuleHoldsAtEquality() {
        // one extragradient iteration per outer step (maxInner 1), so that the move does not depend on eps:
        // measure ||L o (u_1 - u_0)|| with one eps, then take eps = 4 times it
        double[] lo = {-10};
        double[] hi = {10};
        double[] stepNorm = new double[1];
        for (int run = 0; run < 2; run++) {
            ExtragradientStepTest.Linear f = new ExtragradientStepTest.Linear(new double[][] {{1}}, new double[] {0}, 1,
                    lo, hi);
            ProximalPoint pp = new ProximalPoint(lo, hi, 1, 0, 1, 1, 0);
            double[] w = {1};
            pp.start(f, w, run == 0 ? 1e-3 : 4 * stepNorm[0]);
            pp.step(f, w);
            assertThat(pp.lastInner).isEqualTo(1);
            if (run == 0) {
                stepNorm[0] = pp.stepNorm;
                assertThat(pp.stopped).isFalse();
            } else {
                assertThat(pp.stepNorm).isEqualTo(stepNorm[0]);
                assertThat(pp.stopped).isTrue();
            }
        }
    }

    @Test
    void blockStepsUseEveryEntryOfTheBoundsAsTheFormulaSays() {
        Toy t = new Toy() {
            @Override
            public double[][] upperLipschitz() {
                return new double[][] {{0, 0, 0, 0}, {0, 2, 3, 0}, {0, 3, 5, 7}, {0, 0, 7, 11}};
            }

            @Override
            public double[][] lowerLipschitz() {
                return new double[][] {{0, 0, 0}, {0, 13, 17}, {0, 17, 19}};
            }
        };
        BlockExtragradient eg = new BlockExtragradient(t);
        eg.setRho(2);
        // R = (|5 + 2 13| + 7 + 3 + 2 17, 7 + |11 + 2 19| + 2 17, 3 + 0 + 2, 2 17 + 2 13, 2 17 + 2 19)
        //   = (75, 90, 5, 60, 72)
        assertThat(eg.step).containsExactly(1.0 / 150, 1.0 / 180, 1.0 / 10, 1.0 / 120, 1.0 / 144);
    }

    /** Two uncoupled copies of the toy with c = 0.5 and c = -0.25: every block has dimension 2. */
    static final class TwoToys implements BlockMinimaxBilevelProblem {
        static final double[] CS = {0.5, -0.25};
        private final Box box = Box.cube(2, -2, 2);

        @Override
        public Box x1Domain() {
            return box;
        }

        @Override
        public Box x2Domain() {
            return box;
        }

        @Override
        public Box y1Domain() {
            return box;
        }

        @Override
        public Box y2Domain() {
            return box;
        }

        @Override
        public double upperValue(DMatrixRMaj x1, DMatrixRMaj x2, DMatrixRMaj y1, DMatrixRMaj y2) {
            double s = 0;
            for (int k = 0; k < 2; k++) {
                double p = x2.data[k];
                s += p * (y1.data[k] - CS[k]) - 0.5 * p * p;
            }
            return s;
        }

        @Override
        public double upperValueAndGradient(DMatrixRMaj x1, DMatrixRMaj x2, DMatrixRMaj y1, DMatrixRMaj y2,
                DMatrixRMaj gx1, DMatrixRMaj gx2, DMatrixRMaj gy1, DMatrixRMaj gy2) {
            for (int k = 0; k < 2; k++) {
                gx1.data[k] = 0;
                gx2.data[k] = y1.data[k] - CS[k] - x2.data[k];
                gy1.data[k] = x2.data[k];
                gy2.data[k] = 0;
            }
            return upperValue(x1, x2, y1, y2);
        }

        @Override
        public double lowerValue(DMatrixRMaj x1, DMatrixRMaj y1, DMatrixRMaj y2) {
            double s = 0;
            for (int k = 0; k < 2; k++) {
                double y = y1.data[k];
                double q = y2.data[k];
                s += 0.5 * y * y + y * q - 0.5 * q * q + x1.data[k] * q;
            }
            return s;
        }

        @Override
        public double lowerValueAndGradient(DMatrixRMaj x1, DMatrixRMaj y1, DMatrixRMaj y2, DMatrixRMaj gx1,
                DMatrixRMaj gy1, DMatrixRMaj gy2) {
            for (int k = 0; k < 2; k++) {
                double y = y1.data[k];
                double q = y2.data[k];
                gx1.data[k] = q;
                gy1.data[k] = y + q;
                gy2.data[k] = y - q + x1.data[k];
            }
            return lowerValue(x1, y1, y2);
        }

        @Override
        public double[][] upperLipschitz() {
            return new double[][] {{0, 0, 0, 0}, {0, 1, 1, 0}, {0, 1, 0, 0}, {0, 0, 0, 0}};
        }

        @Override
        public double[][] lowerLipschitz() {
            return new double[][] {{0, 0, 1}, {0, 1, 1}, {1, 1, 1}};
        }

        @Override
        public double valueLipschitzPerRho() {
            return 1;
        }
    }

    @Test
    void blocksOfDimensionTwoAreLaidOutBlockByBlock() {
        TwoToys t = new TwoToys();
        BlockExtragradient eg = new BlockExtragradient(t);
        assertThat(eg.off).containsExactly(0, 2, 4, 6, 8, 10);
        double rho = 3;
        eg.setRho(rho);
        double[] x1 = {0.5, -0.7};
        eg.setX1(x1);
        // w = (y1, y2, x2, z1, z2), two coordinates each
        double[] w = {0.3, -0.1, -0.2, 0.4, 0.1, 0.2, 0.25, -0.5, -0.3, 0.6};
        double[] out = new double[10];
        double[] gx = new double[2];
        eg.evaluate(w, out, gx);
        for (int k = 0; k < 2; k++) {
            double y1 = w[k];
            double y2 = w[2 + k];
            double x2 = w[4 + k];
            double z1 = w[6 + k];
            double z2 = w[8 + k];
            double[] expected = DanskinPenaltyStepTest.operator(rho, x1[k], new double[] {y1, y2, x2, z1, z2});
            expected[2] = -(y1 - TwoToys.CS[k] - x2);
            for (int b = 0; b < 5; b++) {
                assertThat(out[2 * b + k]).as("block %d coordinate %d", b, k).isCloseTo(expected[b], within(1e-15));
            }
            assertThat(gx[k]).isCloseTo(rho * (z2 - y2), within(1e-15));
        }
        // the values read the w they are given
        double[] other = w.clone();
        other[0] = 1.5;
        other[8] = -1.1;
        double upper = eg.upper(w);
        assertThat(eg.gap(other)).isCloseTo(t.lowerValue(col(x1), col(1.5, -0.1), col(-1.1, 0.6))
                - t.lowerValue(col(x1), col(0.25, -0.5), col(-0.2, 0.4)), within(1e-15));
        assertThat(upper).isEqualTo(t.upperValue(col(x1), col(0.1, 0.2), col(0.3, -0.1), col(-0.2, 0.4)));
        // a trial point beyond the box is projected: from y1_0 = 1.99 with a large gradient
        double[] edge = w.clone();
        edge[0] = 1.99;
        edge[8] = 2.0;
        eg.run(edge, 0, 1, false);
        for (double v : edge) {
            assertThat(v).isBetween(-2.0, 2.0);
        }
    }

    @Test
    void theOuterStopRuleHoldsAtEqualityAndAStepLeavingTheBoxIsProjected() {
        // rho = 8 = target, c = 0.5: eps = 1/16; eta = 1/8; an inner "solver" that leaves z2 - y2 = 1/128, so
        // grad = 8/128 = 1/16 and the residual |x - (x - eta grad)| / eta = 1/16 = eps exactly
        InnerSaddleSolver fixed = (p, x1, rho, y1, y2, x2, z1, z2, tol) -> {
            y1.data[0] = 0;
            y2.data[0] = 0;
            x2.data[0] = 0;
            z1.data[0] = 0;
            z2.data[0] = 1.0 / 128;
            return 1;
        };
        Toy t = new Toy();
        DanskinPenaltyMinimax m = DanskinPenaltyMinimax.builder(8).startRho(8).innerSolver(fixed).build();
        DanskinPenaltyState st = m.init(t, t.centerPoint(), SolverOptions.defaults());
        st.step();
        assertThat(st.residualX1()).isEqualTo(1.0 / 16);
        assertThat(st.converged()).isTrue();
        assertThat(st.x1().data[0]).isZero();
        // x1 in [-0.8, 2]: the penalty solution x1 = -1 lies outside; the run ends on the bound
        Toy bounded = new Toy() {
            @Override
            public Box x1Domain() {
                return Box.of(new double[] {-0.8}, new double[] {2});
            }
        };
        Result<MinimaxBilevelPoint> r = DanskinPenaltyMinimax.builder(40).innerSolver(
                DanskinPenaltyStepTest.exact(new int[1])).build().solve(bounded, bounded.centerPoint(),
                        SolverOptions.builder().maxIterations(100_000).build());
        assertThat(r.stopReason()).isEqualTo(StopReason.CONVERGED);
        assertThat(r.solution().x1().data[0]).isEqualTo(-0.8);
    }

    @Test
    void theBuiltInInnerSolverSolvesAtTheStartX1AndCountsItsBacktracks() {
        Toy t = new Toy();
        MinimaxBilevelPoint start = MinimaxBilevelPoint.of(new double[] {0.5}, new double[] {0}, new double[] {0},
                new double[] {0});
        DanskinPenaltyState st = DanskinPenaltyMinimax.builder(10).innerFactor(1e-6).build().init(t, start,
                SolverOptions.defaults());
        // the first row, before any step: level 0, rho 10, eps 0.05, no outer or inner steps yet
        double[] row = new double[11];
        st.traceValues(row);
        assertThat(row).containsExactly(0, 10, 0.05, 0, 0, 0, st.upperValue(), st.gap(), Double.NaN, 0, 0);
        st.step();
        double[] s = DanskinPenaltyStepTest.saddle(10, 0.5);
        MinimaxBilevelPoint p = st.solution();
        // inner tolerance 1e-6 eps = 5e-8 in the residual; strongly monotone inner operator (reached 3.0e-8)
        assertThat(p.y1().data[0]).isCloseTo(s[0], within(1e-7));
        assertThat(p.y2().data[0]).isCloseTo(s[1], within(1e-7));
        assertThat(p.x2().data[0]).isCloseTo(s[2], within(1e-7));
        assertThat(st.z1().data[0]).isCloseTo(s[3], within(1e-7));
        assertThat(st.z2().data[0]).isCloseTo(s[4], within(1e-7));
        // bounds that are too small make the local test halve the steps, and the state reports it
        Toy loose = new Toy() {
            @Override
            public double[][] lowerLipschitz() {
                return new double[][] {{0, 0, 0.01}, {0, 0.01, 0.01}, {0.01, 0.01, 0.01}};
            }
        };
        DanskinPenaltyState ls = DanskinPenaltyMinimax.builder(10).build().init(loose, start, SolverOptions.defaults());
        ls.step();
        assertThat(ls.backtracks()).isPositive();
    }

    @Test
    void everyStateReportsNonFiniteIteratesAndValues() {
        // DanskinPenaltyState: NaN in the inner blocks, in x1 (from the gradient), in f
        Toy t = new Toy();
        InnerSaddleSolver nanBlocks = (p, x1, rho, y1, y2, x2, z1, z2, tol) -> {
            y1.data[0] = Double.NaN;
            return 1;
        };
        DanskinPenaltyState a = DanskinPenaltyMinimax.builder(10).innerSolver(nanBlocks).build().init(t,
                t.centerPoint(), SolverOptions.defaults());
        assertThat(a.isFinite()).isTrue();
        a.step();
        assertThat(a.isFinite()).isFalse();
        Toy nanGradX1 = new Toy() {
            @Override
            public double lowerValueAndGradient(DMatrixRMaj x1, DMatrixRMaj y1, DMatrixRMaj y2, DMatrixRMaj gx1,
                    DMatrixRMaj gy1, DMatrixRMaj gy2) {
                double v = super.lowerValueAndGradient(x1, y1, y2, gx1, gy1, gy2);
                gx1.data[0] = Double.NaN;
                return v;
            }
        };
        DanskinPenaltyState b = DanskinPenaltyMinimax.builder(10).innerSolver(DanskinPenaltyStepTest.exact(new int[1]))
                .build().init(nanGradX1, nanGradX1.centerPoint(), SolverOptions.defaults());
        b.step();
        assertThat(b.x1().data[0]).isNaN();
        assertThat(b.solution().y1().data[0]).isFinite();
        assertThat(b.isFinite()).isFalse();
        boolean[] poison = {false};
        Toy nanF = new Toy() {
            @Override
            public double upperValue(DMatrixRMaj x1, DMatrixRMaj x2, DMatrixRMaj y1, DMatrixRMaj y2) {
                return poison[0] ? Double.NaN : super.upperValue(x1, x2, y1, y2);
            }
        };
        DanskinPenaltyState c = DanskinPenaltyMinimax.builder(10).innerSolver(DanskinPenaltyStepTest.exact(new int[1]))
                .build().init(nanF, nanF.centerPoint(), SolverOptions.defaults());
        poison[0] = true;
        c.step();
        assertThat(c.x1().data[0]).isFinite();
        assertThat(c.isFinite()).isFalse();

        // PenaltyMinimaxState: NaN gradients reach the iterate; a NaN value alone
        Toy nanGrad = new Toy() {
            @Override
            public double upperValueAndGradient(DMatrixRMaj x1, DMatrixRMaj x2, DMatrixRMaj y1, DMatrixRMaj y2,
                    DMatrixRMaj gx1, DMatrixRMaj gx2, DMatrixRMaj gy1, DMatrixRMaj gy2) {
                double v = super.upperValueAndGradient(x1, x2, y1, y2, gx1, gx2, gy1, gy2);
                gy1.data[0] = poison[0] ? Double.NaN : gy1.data[0];
                return v;
            }
        };
        poison[0] = false;
        // (10 inner iterations: a NaN residual never meets the tolerance)
        PenaltyMinimaxState d = PenaltyMinimax.builder(10).maxInnerIterations(10).build().init(nanGrad, nanGrad.centerPoint(), SolverOptions.defaults());
        poison[0] = true;
        d.step();
        assertThat(d.solution().y1().data[0]).isNaN();
        assertThat(d.isFinite()).isFalse();
        poison[0] = false;
        PenaltyMinimaxState e = PenaltyMinimax.of(10).init(nanF, nanF.centerPoint(), SolverOptions.defaults());
        poison[0] = true;
        e.step();
        assertThat(e.solution().y1().data[0]).isFinite();
        assertThat(e.isFinite()).isFalse();

        // StochasticPenaltyState: a NaN estimate reaches the iterate; a NaN value alone
        FiniteSum s = StochasticPenaltyMinimaxTest.twoComponents(false);
        StochasticPenaltyState f = StochasticPenaltyMinimax.builder(10).build().init(
                new SampledMinimaxBilevelProblem(t, s), t.centerPoint(), SolverOptions.defaults());
        s.nanAfter = s.estimates;
        f.step();
        assertThat(f.solution().x1().data[0]).isNaN();
        assertThat(f.isFinite()).isFalse();
        poison[0] = false;
        StochasticPenaltyState g = StochasticPenaltyMinimax.builder(10).build().init(
                new SampledMinimaxBilevelProblem(nanF, StochasticPenaltyMinimaxTest.twoComponents(false)),
                nanF.centerPoint(), SolverOptions.defaults());
        poison[0] = true;
        g.step();
        assertThat(g.solution().x1().data[0]).isFinite();
        assertThat(g.isFinite()).isFalse();

        // MinimaxState: NaN gradient into the iterate; NaN value alone
        for (MinimaxSolver solver : new MinimaxSolver[] {MinimaxSolver.extragradient(1e-9),
            MinimaxSolver.builder().tolerance(1e-6).maxInnerIterations(10).build()}) {
            boolean[] bad = {false};
            QuadraticSaddle q = MinimaxSolverTest.badlyScaled();
            MinimaxSettingsAndRollbackTest.Poisoned nanValue = new MinimaxSettingsAndRollbackTest.Poisoned(q);
            MinimaxState h = solver.init(nanValue, SaddlePoint.of(new double[3], new double[2]), SolverOptions.defaults());
            nanValue.poisoned = true;
            h.step();
            assertThat(h.solution().u().data[0]).isFinite();
            assertThat(h.isFinite()).isFalse();
            SaddleProblem nanGradient = new SaddleProblem() {
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
                    return 0;
                }

                @Override
                public void gradient(DMatrixRMaj u, DMatrixRMaj v, DMatrixRMaj gu, DMatrixRMaj gv) {
                    q.gradient(u, v, gu, gv);
                    if (bad[0]) {
                        gu.data[0] = Double.NaN;
                    }
                }
            };
            MinimaxState k = solver.init(nanGradient, SaddlePoint.of(new double[3], new double[2]),
                    SolverOptions.defaults());
            bad[0] = true;
            k.step();
            assertThat(k.solution().u().data[0]).isNaN();
            assertThat(k.isFinite()).isFalse();
        }
    }

    @Test
    void startsAreTakenAndProjectedAndCheckedBySize() {
        Toy t = new Toy();
        MinimaxBilevelPoint start = MinimaxBilevelPoint.of(new double[] {0.5}, new double[] {3}, new double[] {-0.3},
                new double[] {0.2});
        PenaltyMinimaxState p = PenaltyMinimax.of(10).init(t, start, SolverOptions.defaults());
        assertThat(p.solution().x1().data).containsExactly(0.5);
        assertThat(p.solution().x2().data).containsExactly(2); // projected
        assertThat(p.solution().y1().data).containsExactly(-0.3);
        assertThat(p.z1().data).containsExactly(-0.3);
        assertThat(p.z2().data).containsExactly(0.2);
        // the first row, before any step
        double[] row = new double[12];
        p.traceValues(row);
        assertThat(row[1]).isEqualTo(10);
        assertThat(row[2]).isEqualTo(0.05);
        assertThat(row[6]).isEqualTo(t.upperValue(col(0.5), col(2), col(-0.3), col(0.2)));
        assertThat(row[11]).isEqualTo(7); // the Jacobian estimate: 6 columns and the base point
        MinimaxBilevelPoint wrong = MinimaxBilevelPoint.of(new double[2], new double[1], new double[1], new double[1]);
        assertThatThrownBy(() -> StochasticPenaltyMinimax.builder(10).build().init(
                new SampledMinimaxBilevelProblem(t, StochasticPenaltyMinimaxTest.twoComponents(false)), wrong,
                SolverOptions.defaults())).hasMessage("x1 has 2 entries, its domain has 1 coordinates");
        assertThatThrownBy(() -> DanskinPenaltyMinimax.builder(10).build().init(t, wrong, SolverOptions.defaults()))
                .hasMessage("x1 has 2 entries, its domain has 1 coordinates");
        // MinimaxSolver: the start is taken and projected, and the first value is phi there
        QuadraticSaddle q = MinimaxSolverTest.badlyScaled();
        for (MinimaxSolver s : new MinimaxSolver[] {MinimaxSolver.extragradient(1e-9), MinimaxSolver.proximalPoint(1e-6)}) {
            MinimaxState st = s.init(q, SaddlePoint.of(new double[] {1, 20, -3}, new double[] {0.5, -0.25}),
                    SolverOptions.defaults());
            assertThat(st.solution().u().data).containsExactly(1, 10, -3);
            assertThat(st.solution().v().data).containsExactly(0.5, -0.25);
            assertThat(st.value()).isEqualTo(q.value(col(1, 10, -3), col(0.5, -0.25)));
            assertThat(st.gradientCalls()).isEqualTo(6);
        }
    }

    @Test
    void theResidualsInTheTraceAreThoseOfTheUnshiftedOperatorAndTheStepIsTheWeightedMove() {
        // phi = -u^2 + 2 u v - v^2 / 2 + u (concave in u): L = |phi_uu| = 2
        DMatrixRMaj a = new DMatrixRMaj(new double[][] {{-2}});
        DMatrixRMaj b = new DMatrixRMaj(new double[][] {{2}});
        DMatrixRMaj c = new DMatrixRMaj(new double[][] {{1}});
        QuadraticSaddle q = new QuadraticSaddle(a, b, c, new double[] {1}, new double[] {0}, Box.cube(1, -5, 5),
                Box.cube(1, -5, 5));
        MinimaxState st = MinimaxSolver.proximalPoint(1e-6).init(q, SaddlePoint.of(new double[] {3}, new double[] {0}),
                SolverOptions.defaults());
        st.step();
        double u = st.solution().u().data[0];
        double v = st.solution().v().data[0];
        double[] row = new double[6];
        st.traceValues(row);
        // interior: the residuals are |grad_u phi| and |grad_v phi| (reached agreement 0 and 6.9e-16)
        assertThat(row[2]).isCloseTo(Math.abs(-2 * u + 2 * v + 1), within(3e-15));
        assertThat(row[3]).isCloseTo(Math.abs(2 * u - v), within(3e-15));
        assertThat(row[2]).isGreaterThan(1e-3); // one proximal step is far from the saddle
        assertThat(row[4]).isCloseTo(2 * Math.abs(u - 3), within(1e-10)); // L from differences: reached 1.9e-11
        assertThat(row[5]).isEqualTo(st.gradientCalls());
        // the same for the penalty method: res_u is |grad_u P_rho| at an interior point
        Toy t = new Toy();
        PenaltyMinimaxState ps = PenaltyMinimax.builder(10).build().init(t, t.centerPoint(), SolverOptions.defaults());
        ps.step();
        MinimaxPenalty pen = new MinimaxPenalty(t, 10);
        MinimaxBilevelPoint p = ps.solution();
        DMatrixRMaj uu = col(p.x1().data[0], p.y1().data[0], p.y2().data[0]);
        DMatrixRMaj vv = col(p.x2().data[0], ps.z1().data[0], ps.z2().data[0]);
        DMatrixRMaj gu = new DMatrixRMaj(3, 1);
        DMatrixRMaj gv = new DMatrixRMaj(3, 1);
        pen.gradient(uu, vv, gu, gv);
        double nu = Math.sqrt(gu.data[0] * gu.data[0] + gu.data[1] * gu.data[1] + gu.data[2] * gu.data[2]);
        double nv = Math.sqrt(gv.data[0] * gv.data[0] + gv.data[1] * gv.data[1] + gv.data[2] * gv.data[2]);
        // reached 0 and 1.4e-17
        assertThat(ps.residualU()).isCloseTo(nu, within(5e-17));
        assertThat(ps.residualV()).isCloseTo(nv, within(5e-17));
        assertThat(nu + nv).isGreaterThan(1e-6);
    }

    @Test
    void aLevelChangeRestartsTheProximalLoop() {
        Toy t = new Toy();
        Result<MinimaxBilevelPoint> r = PenaltyMinimax.builder(40).startRho(10).build().solve(t, t.centerPoint(),
                SolverOptions.builder().maxIterations(100_000).build());
        assertThat(r.stopReason()).isEqualTo(StopReason.CONVERGED);
        double[] level = r.trace().column("level");
        double[] outer = r.trace().column("outer");
        double[] rho = r.trace().column("rho");
        double[] eps = r.trace().column("eps");
        int changes = 0;
        for (int i = 1; i < level.length; i++) {
            assertThat(eps[i]).isEqualTo(0.5 / rho[i]);
            if (level[i] != level[i - 1]) {
                changes++;
                assertThat(outer[i]).as("row %d", i).isEqualTo(1);
                assertThat(rho[i]).isEqualTo(2 * rho[i - 1]);
            } else {
                assertThat(outer[i]).isEqualTo(outer[i - 1] + 1);
            }
        }
        assertThat(changes).isEqualTo(2); // 10, 20, 40
    }

    @Test
    void jacobianDifferencesStepForwardWhenTheyEndExactlyOnTheUpperBound() {
        double[] lo = {-5, -5, -5};
        double[] hi = {1 + 1e-6, 5, 5};
        ExtragradientStepTest.Linear f = new ExtragradientStepTest.Linear(ExtragradientStepTest.M3,
                new double[] {0, 0, 0}, 2, lo, hi);
        JacobianScaling js = new JacobianScaling(3, 2);
        js.estimate(f, new double[] {1, 0, 0}, lo, hi);
        assertThat(f.points.get(1)).containsExactly(1 + 1e-6, 0, 0);
        // the largest shifted sum sets the step of an empty row: max(1 + 0, 0, 0 + 3) = 3
        double[] tau = new double[3];
        JacobianScaling.steps(new double[] {1, 0, 0}, new double[] {0, 0, 3}, 1, tau);
        assertThat(tau).containsExactly(0.5, 1.0 / 6, 1.0 / 6);
        // the floor is 1e-12 times the largest sum (here 4): a sum of 4e-12 is empty
        JacobianScaling.steps(new double[] {4, 4e-12, 0}, new double[3], 1, tau);
        assertThat(tau).containsExactly(0.125, 0.125, 0.125);
    }

    @Test
    void theProximalLoopWithoutRefreshEstimatesOnlyAtTheStart() {
        double[] lo = {-5, -5, -5};
        double[] hi = {5, 5, 5};
        ExtragradientStepTest.Linear f = new ExtragradientStepTest.Linear(ExtragradientStepTest.M3,
                new double[] {1, 2, 3}, 2, lo, hi);
        ProximalPoint pp = new ProximalPoint(lo, hi, 2, 3, 0.5, 100_000, 0);
        double[] w = {0.5, -2, 1};
        pp.start(f, w, 0.01);
        pp.step(f, w);
        pp.step(f, w);
        assertThat(pp.eg.calls).isEqualTo(4 + 1 + 2 * pp.innerTotal + pp.eg.backtracks);
    }

    @Test
    void aDegenerateVBoxGetsNoRegularizationInTheStochasticMethod() {
        // z1 and z2 pinned (Y1 = Y2 = {0.25}), no x2: the diameter of V is 0
        Toy pinned = new Toy() {
            @Override
            public Box x2Domain() {
                return Box.none();
            }

            @Override
            public Box y1Domain() {
                return Box.of(new double[] {0.25}, new double[] {0.25});
            }

            @Override
            public Box y2Domain() {
                return Box.of(new double[] {0.25}, new double[] {0.25});
            }

            @Override
            public double upperValue(DMatrixRMaj x1, DMatrixRMaj x2, DMatrixRMaj y1, DMatrixRMaj y2) {
                return 0;
            }

            @Override
            public double upperValueAndGradient(DMatrixRMaj x1, DMatrixRMaj x2, DMatrixRMaj y1, DMatrixRMaj y2,
                    DMatrixRMaj gx1, DMatrixRMaj gx2, DMatrixRMaj gy1, DMatrixRMaj gy2) {
                gx1.data[0] = x1.data[0] - 1;
                gy1.data[0] = 0;
                gy2.data[0] = 0;
                return 0;
            }
        };
        Result<MinimaxBilevelPoint> r = StochasticPenaltyMinimax.builder(10).componentBudget(100_000).build().solve(
                new SampledMinimaxBilevelProblem(pinned, StochasticPenaltyMinimaxTest.twoComponents(false)),
                MinimaxBilevelPoint.of(new double[] {0}, new double[0], new double[] {0.25}, new double[] {0.25}),
                SolverOptions.builder().maxIterations(1_000_000).build());
        assertThat(r.stopReason()).isEqualTo(StopReason.MAX_ITERATIONS);
        // with y pinned the x1-gradient is (x1 - 1) + rho (z2 - y2) = x1 - 1: x1 goes to 1
        assertThat(r.solution().x1().data[0]).isCloseTo(1, within(0.01)); // reached 2.6e-3
    }

    @Test
    void valuesAndCopiesReadTheirOwnPointNotTheLastOneLoaded() {
        SmoothTestProblem sp = new SmoothTestProblem();
        MinimaxPenalty pen = new MinimaxPenalty(sp, 2);
        DMatrixRMaj u1 = col(0.1, 0.2, 0.3, -0.4, 0.5, 0.6);
        DMatrixRMaj v1 = col(0.7, -0.8, 0.9, 1.0, -1.1);
        DMatrixRMaj u2 = col(-1, 1, 2, 0.5, -0.5, 0.25);
        DMatrixRMaj v2 = col(1.5, 0.2, -0.3, 0.4, 0.1);
        double up2 = sp.upperValue(col(-1, 1), col(1.5), col(2, 0.5), col(-0.5, 0.25));
        double gap2 = sp.lowerValue(col(-1, 1), col(2, 0.5), col(0.4, 0.1))
                - sp.lowerValue(col(-1, 1), col(0.2, -0.3), col(-0.5, 0.25));
        pen.value(u1, v1);
        assertThat(pen.upperValue(u2, v2)).isEqualTo(up2);
        pen.value(u1, v1);
        assertThat(pen.gap(u2, v2)).isEqualTo(gap2);
        // the states' copies of z after a rollback (nothing loaded since the rolled-back step)
        Toy t = new Toy();
        PenaltyMinimaxState a = PenaltyMinimax.of(10).init(t, t.centerPoint(), SolverOptions.defaults());
        a.step();
        a.commit();
        double[] z = {a.z1().data[0], a.z2().data[0]};
        a.step();
        a.rollback();
        assertThat(new double[] {a.z1().data[0], a.z2().data[0]}).containsExactly(z);
        a.step();
        a.rollback();
        assertThat(a.z2().data[0]).isEqualTo(z[1]);
        StochasticPenaltyState s = StochasticPenaltyMinimax.builder(10).build().init(
                new SampledMinimaxBilevelProblem(t, StochasticPenaltyMinimaxTest.twoComponents(false)),
                t.centerPoint(), SolverOptions.defaults());
        s.step();
        s.commit();
        double[] sz = {s.z1().data[0], s.z2().data[0]};
        double[] sx = StochasticPenaltyMinimaxTest.flat(s.solution());
        s.step();
        s.rollback();
        assertThat(new double[] {s.z1().data[0], s.z2().data[0]}).containsExactly(sz);
        s.step();
        s.rollback();
        assertThat(s.z2().data[0]).isEqualTo(sz[1]);
        assertThat(StochasticPenaltyMinimaxTest.flat(s.solution())).containsExactly(sx);
        // the operators' dimensions
        PenaltyOperator op = new PenaltyOperator(sp, 1);
        assertThat(op.uDimension()).isEqualTo(6);
        assertThat(op.dimension()).isEqualTo(11);
        ProblemOperator po = new ProblemOperator(MinimaxSolverTest.badlyScaled());
        assertThat(po.uDimension()).isEqualTo(3);
        assertThat(po.dimension()).isEqualTo(5);
    }
}
