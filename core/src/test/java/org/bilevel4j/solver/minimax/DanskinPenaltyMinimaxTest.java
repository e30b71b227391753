package org.bilevel4j.solver.minimax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.bilevel4j.problem.BlockMinimaxBilevelProblem;
import org.bilevel4j.problem.Box;
import org.bilevel4j.problem.MinimaxBilevelPoint;
import org.bilevel4j.solver.Result;
import org.bilevel4j.solver.SolverOptions;
import org.bilevel4j.solver.StopReason;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * {@link DanskinPenaltyMinimax} on a problem with a closed-form solution:
 * <pre>
 *   lower: ft(x, y1, y2) = y1^2 / 2 + y1 y2 - (tau/2) y2^2 + x y2      saddle y2 = x / (1 + tau), y1 = -y2
 *   upper: f(x2, y1)     = x2 (y1 - c) - (mu/2) x2^2                     max over x2: (y1 - c)^2 / (2 mu)
 * </pre>
 * with tau = 1, c = 0.5, mu = 1, all variables in [-2, 2]: x* = -c (1 + tau) = -1, y1* = 0.5,
 * y2* = -0.5, x2* = 0. Lower coupled to x only through x y2, upper independent of x: the descent constant
 * of the value function is rho / tau.
 */
class DanskinPenaltyMinimaxTest {

    static final double TAU = 1;
    static final double C = 0.5;
    static final double MU = 1;

    static class Toy implements BlockMinimaxBilevelProblem {
        private final Box box = Box.cube(1, -2, 2);

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
            double p = x2.data[0];
            return p * (y1.data[0] - C) - 0.5 * MU * p * p;
        }

        @Override
        public double upperValueAndGradient(DMatrixRMaj x1, DMatrixRMaj x2, DMatrixRMaj y1, DMatrixRMaj y2,
                DMatrixRMaj gx1, DMatrixRMaj gx2, DMatrixRMaj gy1, DMatrixRMaj gy2) {
            double p = x2.data[0];
            gx1.data[0] = 0;
            gx2.data[0] = y1.data[0] - C - MU * p;
            gy1.data[0] = p;
            gy2.data[0] = 0;
            return upperValue(x1, x2, y1, y2);
        }

        @Override
        public double lowerValue(DMatrixRMaj x1, DMatrixRMaj y1, DMatrixRMaj y2) {
            double y = y1.data[0];
            double q = y2.data[0];
            return 0.5 * y * y + y * q - 0.5 * TAU * q * q + x1.data[0] * q;
        }

        @Override
        public double lowerValueAndGradient(DMatrixRMaj x1, DMatrixRMaj y1, DMatrixRMaj y2, DMatrixRMaj gx1,
                DMatrixRMaj gy1, DMatrixRMaj gy2) {
            double y = y1.data[0];
            double q = y2.data[0];
            gx1.data[0] = q;
            gy1.data[0] = y + q;
            gy2.data[0] = y - TAU * q + x1.data[0];
            return lowerValue(x1, y1, y2);
        }

        @Override
        public double[][] upperLipschitz() {
            return new double[][] {{0, 0, 0, 0}, {0, MU, 1, 0}, {0, 1, 0, 0}, {0, 0, 0, 0}};
        }

        @Override
        public double[][] lowerLipschitz() {
            return new double[][] {{0, 0, 1}, {0, 1, 1}, {1, 1, TAU}};
        }

        @Override
        public double valueLipschitzPerRho() {
            return 1 / TAU;
        }
    }

    @Test
    void convergesToTheBilevelSolutionWithin1OverRhoAndAShrinkingGap() {
        Toy t = new Toy();
        double[] err = new double[2];
        double[] gaps = new double[2];
        int i = 0;
        for (double rho : new double[] {100, 400}) {
            Result<MinimaxBilevelPoint> r = DanskinPenaltyMinimax.builder(rho).epsConstant(0.05).innerFactor(0.01)
                    .build().solve(t, t.centerPoint(), SolverOptions.builder().maxIterations(100_000).build());
            assertThat(r.stopReason()).as(r.message()).isEqualTo(StopReason.CONVERGED);
            MinimaxBilevelPoint s = r.solution();
            err[i] = Math.max(Math.abs(s.x1().data[0] + 1), Math.max(Math.abs(s.y1().data[0] - 0.5),
                    Math.abs(s.y2().data[0] + 0.5)));
            assertThat(s.x2().data[0]).isCloseTo(0, within(0.05));
            gaps[i] = r.trace().lastValue("gap");
            assertThat(gaps[i]).isGreaterThanOrEqualTo(-1e-9);
            i++;
        }
        assertThat(err[0]).isLessThan(0.05);
        assertThat(err[1]).isLessThan(0.0125);
        assertThat(err[0] / err[1]).isBetween(2.5, 6.0); // about 1/rho
        assertThat(gaps[0] / gaps[1]).isGreaterThan(6.0); // about 1/rho^2
    }

    @Test
    void aSuppliedInnerSolverIsCalledAndCountedAndBadConfigurationsAreRejected() {
        Toy t = new Toy();
        long[] calls = {0};
        // the exact inner saddle in closed form: (z1, y2) the lower saddle, (y1, x2, z2) from P's stationarity
        InnerSaddleSolver exact = (p, x1, rho, y1, y2, x2, z1, z2, tol) -> {
            calls[0]++;
            double x = x1.data[0];
            y2.data[0] = x / (1 + TAU);
            z1.data[0] = -y2.data[0];
            // y1 + rho (y1 + z2) + ... solve: x2 = y1 - C (mu = 1), x2 + rho (y1 + z2) = 0, y1 - z2 + x = 0
            // => y1 - C + rho (2 y1 + x) = 0
            double yy = (C - rho * x) / (1 + 2 * rho);
            y1.data[0] = yy;
            z2.data[0] = yy + x;
            x2.data[0] = yy - C;
            return 1;
        };
        Result<MinimaxBilevelPoint> r = DanskinPenaltyMinimax.builder(400).epsConstant(0.05).innerSolver(exact)
                .build().solve(t, t.centerPoint(), SolverOptions.builder().maxIterations(100_000).build());
        assertThat(r.stopReason()).isEqualTo(StopReason.CONVERGED);
        assertThat(calls[0]).isEqualTo(r.iterations());
        assertThat(r.solution().x1().data[0]).isCloseTo(-1, within(0.0125));
        assertThat(r.trace().lastValue("res_inner")).isLessThan(1e-9);
        assertThatThrownBy(() -> DanskinPenaltyMinimax.builder(40).growth(1).build())
                .hasMessageContaining("growth factor must exceed 1");
        assertThatThrownBy(() -> DanskinPenaltyMinimax.builder(40).innerFactor(0).build())
                .hasMessageContaining("innerFactor must be positive");
    }
}
