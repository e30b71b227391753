package org.bilevel4j.solver.minimax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.bilevel4j.problem.Box;
import org.bilevel4j.problem.MinimaxBilevelPoint;
import org.bilevel4j.solver.IterationListener;
import org.bilevel4j.solver.Result;
import org.bilevel4j.solver.SolverOptions;
import org.bilevel4j.solver.StopReason;
import org.bilevel4j.solver.minimax.DanskinPenaltyMinimaxTest.Toy;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * {@link BlockExtragradient} and {@link DanskinPenaltyMinimax} step by step on the closed-form toy of
 * {@link DanskinPenaltyMinimaxTest} (tau = mu = 1, c = 0.5). On w = (y1, y2, x2, z1, z2) the inner
 * operator is
 * <pre>
 *   y1: x2 + rho (y1 + z2)        y2: -rho (z1 - y2 + x1)        x2: -(y1 - c - x2)
 *   z1: rho (z1 + y2)             z2: -rho (y1 - z2 + x1)        x1-gradient: rho (z2 - y2)
 * </pre>
 * and the block bounds of the toy give the rows of J: {@code (2 rho + 1, 2 rho, 2, 2 rho, 2 rho)}. The
 * inner saddle at x1 = x is, in closed form, {@code y2 = x / 2, z1 = -y2, y1 = (c - rho x) / (1 + 2 rho),
 * z2 = y1 + x, x2 = y1 - c}.
 */
class DanskinPenaltyStepTest {

    static final double C = DanskinPenaltyMinimaxTest.C;

    static double[] operator(double rho, double x1, double[] w) {
        double y1 = w[0];
        double y2 = w[1];
        double x2 = w[2];
        double z1 = w[3];
        double z2 = w[4];
        return new double[] {x2 + rho * (y1 + z2), -rho * (z1 - y2 + x1), -(y1 - C - x2), rho * (z1 + y2),
            -rho * (y1 - z2 + x1)};
    }

    /** The inner saddle (y1, y2, x2, z1, z2) at x1 = x. */
    static double[] saddle(double rho, double x) {
        double y2 = x / 2;
        double y1 = (C - rho * x) / (1 + 2 * rho);
        return new double[] {y1, y2, y1 - C, -y2, y1 + x};
    }

    static double penalty(Toy t, double rho, double x, double[] w) {
        DMatrixRMaj x1 = col(x);
        return t.upperValue(x1, col(w[2]), col(w[0]), col(w[1]))
                + rho * (t.lowerValue(x1, col(w[0]), col(w[4])) - t.lowerValue(x1, col(w[3]), col(w[1])));
    }

    static DMatrixRMaj col(double v) {
        return DMatrixRMaj.wrap(1, 1, new double[] {v});
    }

    @Test
    void blockStepsComeFromTheBlockBoundsAndOneStepIsTheFormulaWrittenOut() {
        Toy t = new Toy();
        BlockExtragradient eg = new BlockExtragradient(t);
        assertThat(eg.n).isEqualTo(5);
        assertThat(eg.off).containsExactly(0, 1, 2, 3, 4, 5);
        double rho = 1;
        eg.setRho(rho);
        // rows of J: (2 rho + 1, 2 rho, 2, 2 rho, 2 rho), steps 1 / (2 R_b)
        assertThat(eg.step).containsExactly(1.0 / 6, 0.25, 0.25, 0.25, 0.25);
        double x1 = 0.5;
        eg.setX1(new double[] {x1});
        double[] w = {0.3, -0.2, 0.1, 0.3, -0.2};
        double[] t0 = eg.step.clone();
        double[] g = operator(rho, x1, w);
        double[] wbar = new double[5];
        double res = 0;
        for (int i = 0; i < 5; i++) {
            wbar[i] = w[i] - t0[i] * g[i];
            res += g[i] * g[i];
        }
        double[] gbar = operator(rho, x1, wbar);
        double lhs = 0;
        double rhs = 0;
        for (int i = 0; i < 5; i++) {
            lhs += t0[i] * (gbar[i] - g[i]) * (gbar[i] - g[i]);
            rhs += (wbar[i] - w[i]) * (wbar[i] - w[i]) / t0[i];
        }
        assertThat(lhs).isLessThanOrEqualTo(0.81 * rhs); // the written-out step passes the local test
        double[] next = new double[5];
        for (int i = 0; i < 5; i++) {
            next[i] = w[i] - t0[i] * gbar[i];
        }
        // no iteration: the residual at w is ||F(w)|| inside the box
        assertThat(eg.run(w, 0, 0, false)).isZero();
        assertThat(eg.residual).isCloseTo(Math.sqrt(res), within(1e-15));
        assertThat(eg.calls).isEqualTo(1);
        assertThat(eg.g).containsExactly(g, within(1e-15));
        assertThat(eg.gradX1).containsExactly(new double[] {rho * (w[4] - w[1])}, within(1e-15));
        // one iteration
        assertThat(eg.run(w, 0, 1, true)).isEqualTo(1);
        assertThat(w).containsExactly(next, within(1e-15));
        assertThat(eg.calls).isEqualTo(3);
        assertThat(eg.backtracks).isZero();
        assertThat(eg.g).containsExactly(operator(rho, x1, next), within(1e-15));
        assertThat(eg.gradX1).containsExactly(new double[] {rho * (next[4] - next[1])}, within(1e-15));
        // a tolerance equal to the residual is met
        double r = eg.residual;
        assertThat(eg.run(w, r, 10, true)).isZero();
        // the values at w
        assertThat(eg.upper(w)).isEqualTo(t.upperValue(col(x1), col(w[2]), col(w[0]), col(w[1])));
        assertThat(eg.gap(w)).isEqualTo(t.lowerValue(col(x1), col(w[0]), col(w[4]))
                - t.lowerValue(col(x1), col(w[3]), col(w[1])));
        for (int b = 0; b < 5; b++) {
            assertThat(eg.block(w, b).data).containsExactly(w[b]);
        }
        // at rho = 4: rows (9, 8, 2, 8, 8)
        eg.setRho(4);
        assertThat(eg.step).containsExactly(1.0 / 18, 1.0 / 16, 0.25, 1.0 / 16, 1.0 / 16);
    }

    @Test
    void boundsThatAreTooSmallAreCaughtByTheLocalTestAndEveryBlockStepIsHalved() {
        Toy loose = new Toy() {
            @Override
            public double[][] lowerLipschitz() {
                return new double[][] {{0, 0, 0.01}, {0, 0.01, 0.01}, {0.01, 0.01, 0.01}};
            }
        };
        BlockExtragradient eg = new BlockExtragradient(loose);
        eg.setRho(10);
        double[] first = eg.step.clone();
        eg.setX1(new double[] {0.5});
        double[] w = {0.3, -0.2, 0.1, 0.3, -0.2};
        eg.run(w, 1e-8, 100_000, false);
        assertThat(eg.residual).isLessThanOrEqualTo(1e-8);
        assertThat(eg.backtracks).isPositive();
        for (int b = 0; b < 5; b++) {
            assertThat(eg.step[b]).isEqualTo(first[b] * Math.scalb(1.0, (int) -eg.backtracks));
        }
        assertThat(w).containsExactly(saddle(10, 0.5), within(1e-8)); // residual 1e-8, modulus >= 1
    }

    @Test
    void anAbsentBlockAddsNothingToTheStepsAndAnUncoupledBlockGetsStepOne() {
        // x2 of dimension 0 (its bounds still reported): y1's row is 2 rho, not 2 rho + 1
        Toy noX2 = new Toy() {
            @Override
            public Box x2Domain() {
                return Box.none();
            }

            @Override
            public double[][] upperLipschitz() {
                return new double[][] {{0, 0, 0, 0}, {0, 1, 1, 0}, {0, 1, 0, 0}, {0, 0, 0, 0}};
            }
        };
        BlockExtragradient eg = new BlockExtragradient(noX2);
        assertThat(eg.size).containsExactly(1, 1, 0, 1, 1);
        eg.setRho(2);
        assertThat(eg.step).containsExactly(1.0 / 8, 1.0 / 8, 1.0 / 2, 1.0 / 8, 1.0 / 8);
        Toy uncoupled = new Toy() {
            @Override
            public double[][] upperLipschitz() {
                return new double[4][4];
            }
        };
        BlockExtragradient e2 = new BlockExtragradient(uncoupled);
        e2.setRho(2);
        assertThat(e2.step).containsExactly(1.0 / 8, 1.0 / 8, 1.0, 1.0 / 8, 1.0 / 8);
    }

    @Test
    void theDanskinGradientIsRhoTimesRMinusQAndMatchesCentralDifferencesOfTheValueFunction() {
        Toy t = new Toy();
        BlockExtragradient eg = new BlockExtragradient(t);
        for (double rho : new double[] {1, 7, 40}) {
            eg.setRho(rho);
            for (double x : new double[] {-1.3, 0.2, 0.9}) {
                double[] w = saddle(rho, x);
                eg.setX1(new double[] {x});
                eg.run(w, Double.POSITIVE_INFINITY, 0, false);
                assertThat(eg.residual).isLessThan(5e-16); // the closed form is the saddle (reached 1.7e-16)
                double h = 1e-5;
                double fd = (penalty(t, rho, x + h, saddle(rho, x + h)) - penalty(t, rho, x - h, saddle(rho, x - h)))
                        / (2 * h);
                // grad phi_rho = rho (z2 - y2) = rho (r - q); central differences reached 7.2e-11 relative
                assertThat(eg.gradX1[0]).isEqualTo(rho * (w[4] - w[1]));
                assertThat(eg.gradX1[0]).isCloseTo(fd, within(3e-10 * Math.max(1, Math.abs(fd))));
            }
        }
    }

    /** The exact inner saddle as a supplied solver, counting its calls; it reports 7 evaluations each. */
    static InnerSaddleSolver exact(int[] calls) {
        return (p, x1, rho, y1, y2, x2, z1, z2, tol) -> {
            calls[0]++;
            double[] s = saddle(rho, x1.data[0]);
            y1.data[0] = s[0];
            y2.data[0] = s[1];
            x2.data[0] = s[2];
            z1.data[0] = s[3];
            z2.data[0] = s[4];
            return 7;
        };
    }

    @Test
    void oneOuterStepMovesX1ByTheProjectedDanskinStepAndTheRhoScheduleFollowsTheStopRule() {
        Toy t = new Toy();
        int[] calls = {0};
        double scale = 0.5;
        DanskinPenaltyMinimax m = DanskinPenaltyMinimax.builder(50).startRho(10).growth(3).epsConstant(0.5)
                .outerStepScale(scale).innerSolver(exact(calls)).build();
        MinimaxBilevelPoint start = MinimaxBilevelPoint.of(new double[] {0.5}, new double[] {0.1}, new double[] {0.3},
                new double[] {-0.2});
        DanskinPenaltyState st = m.init(t, start, SolverOptions.defaults());
        assertThat(st.rho()).isEqualTo(10);
        assertThat(st.eps()).isEqualTo(0.05);
        assertThat(st.level()).isZero();
        assertThat(st.residualX1()).isNaN();
        double x = 0.5;
        double rho = 10;
        int level = 0;
        int outer = 0;
        double[] row = new double[11];
        int steps = 0;
        double lastRho = 0;
        while (!st.converged() && steps < 10_000) {
            st.step();
            steps++;
            outer++;
            double[] s = saddle(rho, x);
            double grad = rho * (s[4] - s[1]);
            double eta = scale / (1.0 * rho); // valueLipschitzPerRho = 1 / tau = 1
            double moved = Math.max(-2, Math.min(2, x - eta * grad));
            double resX1 = Math.abs(x - moved) / eta;
            st.traceValues(row);
            assertThat(row[0]).isEqualTo(level);
            assertThat(row[1]).isEqualTo(rho);
            assertThat(row[2]).isEqualTo(0.5 / rho);
            assertThat(row[3]).isEqualTo(outer);
            assertThat(row[4]).isEqualTo(7);
            assertThat(row[5]).isEqualTo(7.0 * steps);
            assertThat(row[8]).isEqualTo(resX1); // the same operations in the same order
            assertThat(row[10]).isEqualTo(8.0 * steps); // 7 reported + 1 evaluation for the gradient
            assertThat(st.residualX1()).isEqualTo(row[8]);
            assertThat(st.gradientCalls()).isEqualTo(8L * steps);
            assertThat(st.innerIterations()).isEqualTo(7L * steps);
            // the solution is the point solved at the x1 before the move
            MinimaxBilevelPoint p = st.solution();
            assertThat(p.x1().data[0]).isEqualTo(x);
            assertThat(p.y1().data[0]).isEqualTo(s[0]);
            assertThat(p.y2().data[0]).isEqualTo(s[1]);
            assertThat(p.x2().data[0]).isEqualTo(s[2]);
            assertThat(st.z1().data[0]).isEqualTo(s[3]);
            assertThat(st.z2().data[0]).isEqualTo(s[4]);
            assertThat(row[6]).isEqualTo(st.upperValue());
            assertThat(row[7]).isEqualTo(st.gap());
            assertThat(st.objectives()).containsExactly(st.upperValue(), st.gap(), st.rho(), row[8]);
            assertThat(st.residualInner()).isEqualTo(row[9]);
            lastRho = rho;
            if (resX1 <= 0.5 / rho) {
                if (rho >= 50) {
                    assertThat(st.converged()).isTrue();
                } else {
                    rho = Math.min(3 * rho, 50);
                    level++;
                    outer = 0;
                    assertThat(st.x1().data[0]).isEqualTo(x); // a level change leaves x1 where it was solved
                }
            } else {
                x = moved;
                assertThat(st.x1().data[0]).isEqualTo(x);
            }
            x = st.x1().data[0];
        }
        assertThat(st.converged()).isTrue();
        assertThat(lastRho).isEqualTo(50);
        assertThat(st.level()).isEqualTo(2); // 10, 30, 50
        assertThat(st.rho()).isEqualTo(50);
        assertThat(calls[0]).isEqualTo(steps);
        assertThat(st.backtracks()).isZero();
        assertThat(st.traceColumns()).isEqualTo(DanskinPenaltyState.COLUMNS);
        // phi_rho'(x) = rho (c + x / 2) / (1 + 2 rho) vanishes at x = -2 c = -1 for every rho
        assertThat(st.solution().x1().data[0]).isCloseTo(-1, within(0.05));
    }

    @Test
    void aNonFiniteValueStopsTheRunDivergedAtTheLastGoodIterate() {
        boolean[] poisoned = {false};
        Toy bad = new Toy() {
            @Override
            public double upperValue(DMatrixRMaj x1, DMatrixRMaj x2, DMatrixRMaj y1, DMatrixRMaj y2) {
                return poisoned[0] ? Double.NaN : super.upperValue(x1, x2, y1, y2);
            }
        };
        DanskinPenaltyMinimax m = DanskinPenaltyMinimax.builder(100).maxInnerIterations(5).build();
        // f turns NaN after iteration 3
        IterationListener poison = info -> poisoned[0] = info.iteration() >= 3;
        Result<MinimaxBilevelPoint> r = m.solve(bad, bad.centerPoint(), SolverOptions.builder().maxIterations(50)
                .build(), poison);
        assertThat(r.stopReason()).isEqualTo(StopReason.DIVERGED);
        assertThat(r.message()).isEqualTo("non-finite value at iteration 4; kept the iterate of iteration 3");
        Result<MinimaxBilevelPoint> three = m.solve(new Toy(), new Toy().centerPoint(),
                SolverOptions.builder().maxIterations(3).build());
        assertThat(r.solution().x1().data).containsExactly(three.solution().x1().data);
        assertThat(r.solution().y1().data).containsExactly(three.solution().y1().data);
        assertThat(r.solution().y2().data).containsExactly(three.solution().y2().data);
        assertThat(r.solution().x2().data).containsExactly(three.solution().x2().data);
        assertThat(r.solution().x1().data[0]).isNotEqualTo(0.0); // x1 moved from the center
    }

    @Test
    void aStartOutsideTheBoxIsProjected() {
        Toy t = new Toy();
        MinimaxBilevelPoint out = MinimaxBilevelPoint.of(new double[] {5}, new double[] {-7}, new double[] {3},
                new double[] {-3});
        DanskinPenaltyState st = DanskinPenaltyMinimax.builder(10).build().init(t, out, SolverOptions.defaults());
        assertThat(st.x1().data).containsExactly(2);
        MinimaxBilevelPoint p = st.solution();
        assertThat(p.x1().data).containsExactly(2);
        assertThat(p.x2().data).containsExactly(-2);
        assertThat(p.y1().data).containsExactly(2);
        assertThat(p.y2().data).containsExactly(-2);
        assertThat(st.z1().data).containsExactly(2);
        assertThat(st.z2().data).containsExactly(-2);
        assertThat(st.upperValue()).isEqualTo(t.upperValue(col(2), col(-2), col(2), col(-2)));
        assertThat(st.gap()).isEqualTo(0.0); // z = y at the start
    }

    @Test
    void settingsAreValidatedWithOneLineNamingTheValueAndReadBack() {
        assertThatThrownBy(() -> DanskinPenaltyMinimax.builder(0).build())
                .hasMessage("rho must be positive and finite, got 0.0");
        assertThatThrownBy(() -> DanskinPenaltyMinimax.builder(10).startRho(0).build())
                .hasMessage("the starting rho must be positive and finite, got 0.0");
        assertThatThrownBy(() -> DanskinPenaltyMinimax.builder(10).startRho(Double.POSITIVE_INFINITY).build())
                .hasMessage("the starting rho must be positive and finite, got Infinity");
        assertThatThrownBy(() -> DanskinPenaltyMinimax.builder(10).growth(1).build())
                .hasMessage("the rho growth factor must exceed 1, got 1.0");
        assertThatThrownBy(() -> DanskinPenaltyMinimax.builder(10).growth(Double.POSITIVE_INFINITY).build())
                .hasMessage("the rho growth factor must exceed 1, got Infinity");
        assertThatThrownBy(() -> DanskinPenaltyMinimax.builder(10).epsConstant(0).build())
                .hasMessage("the constant c in eps = c / rho must be positive and finite, got 0.0");
        assertThatThrownBy(() -> DanskinPenaltyMinimax.builder(10).epsConstant(Double.POSITIVE_INFINITY).build())
                .hasMessage("the constant c in eps = c / rho must be positive and finite, got Infinity");
        assertThatThrownBy(() -> DanskinPenaltyMinimax.builder(10).innerFactor(0).build())
                .hasMessage("innerFactor must be positive and finite, got 0.0");
        assertThatThrownBy(() -> DanskinPenaltyMinimax.builder(10).innerFactor(Double.POSITIVE_INFINITY).build())
                .hasMessage("innerFactor must be positive and finite, got Infinity");
        assertThatThrownBy(() -> DanskinPenaltyMinimax.builder(10).outerStepScale(0).build())
                .hasMessage("outerStepScale must be positive and finite, got 0.0");
        assertThatThrownBy(() -> DanskinPenaltyMinimax.builder(10).outerStepScale(Double.POSITIVE_INFINITY).build())
                .hasMessage("outerStepScale must be positive and finite, got Infinity");
        assertThatThrownBy(() -> DanskinPenaltyMinimax.builder(10).maxInnerIterations(0).build())
                .hasMessage("maxInnerIterations must be at least 1, got 0");
        DanskinPenaltyMinimax m = DanskinPenaltyMinimax.builder(100).startRho(5).growth(4).epsConstant(0.2)
                .innerFactor(0.3).outerStepScale(2).maxInnerIterations(1).build();
        assertThat(m.rho()).isEqualTo(100);
        assertThat(m.startRho()).isEqualTo(5);
        assertThat(m.nextRho(5)).isEqualTo(20);
        assertThat(m.nextRho(80)).isEqualTo(100);
        assertThat(m.epsConstant()).isEqualTo(0.2);
        assertThat(m.innerFactor()).isEqualTo(0.3);
        assertThat(m.outerStepScale()).isEqualTo(2);
        assertThat(m.maxInnerIterations()).isEqualTo(1);
        assertThat(m.innerSolver()).isNull();
        assertThat(m.name()).isEqualTo("penalty minimax (Danskin outer step)");
        // a target below the start value starts at the target
        assertThat(DanskinPenaltyMinimax.builder(3).build().startRho()).isEqualTo(3);
        DanskinPenaltyMinimax d = DanskinPenaltyMinimax.builder(100).build();
        assertThat(d.startRho()).isEqualTo(10);
        assertThat(d.nextRho(10)).isEqualTo(20);
        assertThat(d.epsConstant()).isEqualTo(0.5);
        assertThat(d.innerFactor()).isEqualTo(0.1);
        assertThat(d.outerStepScale()).isEqualTo(1);
        assertThat(d.maxInnerIterations()).isEqualTo(100_000);
        for (double c : new double[] {0, Double.POSITIVE_INFINITY}) {
            Toy bad = new Toy() {
                @Override
                public double valueLipschitzPerRho() {
                    return c;
                }
            };
            assertThatThrownBy(() -> d.init(bad, bad.centerPoint(), SolverOptions.defaults()))
                    .hasMessage("valueLipschitzPerRho must be positive and finite, got " + c);
        }
    }
}
