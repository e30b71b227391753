package org.bilevel4j.solver.minimax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

/**
 * {@link Extragradient}, {@link JacobianScaling} and {@link ProximalPoint} against computations
 * written out by hand on linear operators {@code F(w) = M w + q}.
 */
class ExtragradientStepTest {

    /** F(w) = M w + q; throws for a point outside [lo, hi] and records every point it is applied at. */
    static final class Linear implements SaddleOperator {
        final double[][] m;
        final double[] q;
        final int nu;
        final double[] lo;
        final double[] hi;
        final List<double[]> points = new ArrayList<>();

        Linear(double[][] m, double[] q, int nu, double[] lo, double[] hi) {
            this.m = m;
            this.q = q;
            this.nu = nu;
            this.lo = lo;
            this.hi = hi;
        }

        @Override
        public int uDimension() {
            return nu;
        }

        @Override
        public int dimension() {
            return q.length;
        }

        @Override
        public void apply(double[] w, double[] out) {
            for (int i = 0; i < w.length; i++) {
                if (w[i] < lo[i] || w[i] > hi[i]) {
                    throw new IllegalStateException("coordinate " + i + " = " + w[i] + " outside the box");
                }
            }
            points.add(w.clone());
            for (int i = 0; i < q.length; i++) {
                double s = q[i];
                for (int j = 0; j < q.length; j++) {
                    s += m[i][j] * w[j];
                }
                out[i] = s;
            }
        }
    }

    /** phi(u, v) = 2 u v + u + v / 2 on [-10, 10]^2: F = (2 v + 1, -(2 u + 1/2)). */
    static Linear bilinear(double[] lo, double[] hi) {
        return new Linear(new double[][] {{0, 2}, {-2, 0}}, new double[] {1, -0.5}, 1, lo, hi);
    }

    static final double[] LO = {-10, -10};
    static final double[] HI = {10, 10};

    @Test
    void oneExtragradientStepOnABilinearSaddleWrittenOut() {
        Linear f = bilinear(LO, HI);
        Extragradient eg = new Extragradient(LO, HI, 1);
        eg.tau[0] = 0.25;
        eg.tau[1] = 0.25;
        double[] w = {1, 1};
        // G(w) = (3, -2.5); wbar = w - tau G(w) = (0.25, 1.625); G(wbar) = (4.25, -1);
        // local test: sum tau dG^2 = 0.953125 <= 0.81 sum dw^2 / tau = 0.81 * 3.8125: accepted;
        // w+ = w - tau G(wbar) = (-0.0625, 1.25), G(w+) = (3.5, -0.375)
        int it = eg.run(f, w, 0, 1, false);
        assertThat(it).isEqualTo(1);
        assertThat(w).containsExactly(-0.0625, 1.25);
        assertThat(eg.g).containsExactly(3.5, -0.375);
        assertThat(f.points).hasSize(3);
        assertThat(f.points.get(1)).containsExactly(0.25, 1.625);
        assertThat(eg.calls).isEqualTo(3);
        assertThat(eg.backtracks).isZero();
        // the residuals at the returned w: (w - Pi(w - tau G)) / tau = G inside the box
        assertThat(eg.residualU).isEqualTo(3.5);
        assertThat(eg.residualV).isEqualTo(0.375);
        assertThat(eg.reached).isFalse();
        // no iteration allowed: the residual at w only
        double[] w0 = {1, 1};
        Extragradient e0 = new Extragradient(LO, HI, 1);
        e0.tau[0] = 0.25;
        e0.tau[1] = 0.25;
        assertThat(e0.run(f, w0, 0, 0, false)).isZero();
        assertThat(w0).containsExactly(1, 1);
        assertThat(e0.residualU).isEqualTo(3);
        assertThat(e0.residualV).isEqualTo(2.5);
        assertThat(e0.calls).isEqualTo(1);
        // a tolerance equal to the residual sqrt(3^2 + 2.5^2) is reached at once
        assertThat(e0.run(f, w0, Math.sqrt(15.25), 5, true)).isZero();
        assertThat(e0.reached).isTrue();
        assertThat(e0.calls).isEqualTo(1); // G(w) was valid: not evaluated again
        assertThat(e0.run(f, w0, Math.nextDown(Math.sqrt(15.25)), 1, true)).isEqualTo(1);
        assertThat(w0).containsExactly(-0.0625, 1.25);
        assertThat(e0.calls).isEqualTo(3);
    }

    @Test
    void theShiftAndCenterEnterTheOperatorAndTheBaseResidualsRemoveThem() {
        Linear f = bilinear(LO, HI);
        Extragradient eg = new Extragradient(LO, HI, 1);
        eg.tau[0] = 0.25;
        eg.tau[1] = 0.25;
        eg.shift[0] = 1;
        eg.shift[1] = 0.5;
        eg.center[0] = 0;
        eg.center[1] = 0;
        double[] w = {1, 1};
        // G = F + s o (w - c): G(w) = (4, -2); wbar = (0, 1.5); G(wbar) = (4, 0.25); w+ = (0, 0.9375);
        // G(w+) = (2.875, -0.03125)
        assertThat(eg.run(f, w, 0, 1, false)).isEqualTo(1);
        assertThat(w).containsExactly(0, 0.9375);
        assertThat(eg.g).containsExactly(2.875, -0.03125);
        assertThat(eg.residualU).isEqualTo(2.875);
        assertThat(eg.residualV).isEqualTo(0.03125);
        // the unshifted F(w+) = (2.875, -0.5)
        double[] out = new double[2];
        eg.baseResiduals(w, out);
        assertThat(out).containsExactly(2.875, 0.5);
        // with u bounded below at 0, Pi(w - tau F) keeps u = 0: no residual in u
        Extragradient clipped = new Extragradient(new double[] {0, -10}, HI, 1);
        clipped.tau[0] = 0.25;
        clipped.tau[1] = 0.25;
        clipped.shift[0] = 1;
        clipped.shift[1] = 0.5;
        System.arraycopy(eg.g, 0, clipped.g, 0, 2);
        clipped.baseResiduals(w, out);
        assertThat(out).containsExactly(0, 0.5);
        // the center is subtracted: with c = (1, 0.5), G carries s o (w - c) = (-1, 0.21875), and F is recovered
        eg.center[0] = 1;
        eg.center[1] = 0.5;
        eg.g[0] = 2.875 - 1;
        eg.g[1] = -0.5 + 0.21875;
        eg.baseResiduals(w, out);
        assertThat(out).containsExactly(2.875, 0.5);
        Extragradient hiClip = new Extragradient(LO, new double[] {10, 0.95}, 1);
        hiClip.tau[0] = 0.25;
        hiClip.tau[1] = 0.25;
        hiClip.g[0] = 2.875;
        hiClip.g[1] = -0.5;
        hiClip.baseResiduals(w, out);
        // v: 0.9375 + 0.125 clipped to 0.95: (0.9375 - 0.95) / 0.25 = -0.05
        assertThat(out[0]).isEqualTo(2.875);
        assertThat(out[1]).isCloseTo(0.05, within(1e-15));
    }

    @Test
    void projectionsClipBothTrialAndStep() {
        double[] lo = {0.5, -10};
        double[] hi = {10, 1.2};
        Linear f = bilinear(lo, hi);
        Extragradient eg = new Extragradient(lo, hi, 1);
        eg.tau[0] = 0.25;
        eg.tau[1] = 0.25;
        double[] w = {1, 1};
        // wbar = Pi(0.25, 1.625) = (0.5, 1.2); G(wbar) = (3.4, -1.5); w+ = Pi(0.15, 1.375) = (0.5, 1.2),
        // a fixed point: the residual there is 0
        assertThat(eg.run(f, w, 0, 1, false)).isEqualTo(1);
        assertThat(f.points.get(1)).containsExactly(0.5, 1.2);
        assertThat(w).containsExactly(0.5, 1.2);
        assertThat(eg.residualU).isZero();
        assertThat(eg.residualV).isZero();
        assertThat(eg.reached).isTrue();
    }

    @Test
    void aFailedLocalTestHalvesEveryStep() {
        Linear f = bilinear(LO, HI);
        Extragradient eg = new Extragradient(LO, HI, 1);
        double[] w = {1, 1};
        // tau = 1: sum tau dG^2 = 61 > 0.81 * 15.25; tau = 1/2: 7.625 > 0.81 * 7.625 (but not above 7.625);
        // tau = 1/4 passes, and the step is the one written out above
        assertThat(eg.run(f, w, 0, 1, false)).isEqualTo(1);
        assertThat(eg.tau).containsExactly(0.25, 0.25);
        assertThat(eg.backtracks).isEqualTo(2);
        assertThat(w).containsExactly(-0.0625, 1.25);
        assertThat(eg.calls).isEqualTo(5);
    }

    @Test
    void theStepsAreHalvedAtMost60TimesPerRun() {
        // F jumps from 1 at u = 0 to 1e10 elsewhere: the local test fails for every step length
        SaddleOperator jump = new SaddleOperator() {
            @Override
            public int uDimension() {
                return 1;
            }

            @Override
            public int dimension() {
                return 2;
            }

            @Override
            public void apply(double[] w, double[] out) {
                out[0] = w[0] == 0.0 ? 1 : 1e10;
                out[1] = 0;
            }
        };
        Extragradient eg = new Extragradient(LO, HI, 1);
        double[] w = {0, 0};
        assertThat(eg.run(jump, w, 0, 1, false)).isEqualTo(1);
        assertThat(eg.backtracks).isEqualTo(60);
        assertThat(eg.tau[0]).isEqualTo(Math.scalb(1.0, -60));
        assertThat(w[0]).isEqualTo(-Math.scalb(1.0, -60) * 1e10);
    }

    /** M with row sums (3.5, 4, 6), column sums (4, 6, 3.5); its u block (2 x 2) rows (3, 3), columns (4, 2). */
    static final double[][] M3 = {{1, -2, 0.5}, {3, 0, -1}, {0, 4, 2}};

    @Test
    void jacobianSumsAreTheLargerOfRowAndColumnSumsAndTheDifferencesStepIntoTheBox() {
        double[] lo = {-5, -5, -5};
        double[] hi = {5, 5, 5};
        Linear f = new Linear(M3, new double[] {1, 2, 3}, 2, lo, hi);
        JacobianScaling js = new JacobianScaling(3, 2);
        double[] w = {0.5, -2, 5};
        assertThat(js.estimate(f, w, lo, hi)).isEqualTo(4);
        // reached 1.0e-9 (forward differences of a linear map in rounding)
        assertThat(js.all).containsExactly(new double[] {4, 6, 6}, within(4e-9));
        assertThat(js.uu).containsExactly(new double[] {4, 3}, within(4e-9));
        // the difference steps 1e-6 max(1, |w_j|), backwards at the upper bound
        assertThat(f.points.get(0)).containsExactly(w);
        assertThat(f.points.get(1)).containsExactly(0.5 + 1e-6, -2, 5);
        assertThat(f.points.get(2)).containsExactly(0.5, -2 + 1e-6 * 2, 5);
        assertThat(f.points.get(3)).containsExactly(0.5, -2, 5 - 1e-6 * 5);
        // a second estimate starts from zero sums
        assertThat(js.estimate(f, w, lo, hi)).isEqualTo(4);
        assertThat(js.all).containsExactly(new double[] {4, 6, 6}, within(4e-9));
        assertThat(js.uu).containsExactly(new double[] {4, 3}, within(4e-9));
    }

    @Test
    void aFixedCoordinateIsNotDifferencedAndANarrowBoxShortensTheStep() {
        double[] lo = {0.5, 1, -5};
        double[] hi = {0.5 + 1e-8, 1, 5};
        Linear f = new Linear(M3, new double[] {0, 0, 0}, 2, lo, hi);
        JacobianScaling js = new JacobianScaling(3, 2);
        double[] w = {0.5, 1, 0};
        assertThat(js.estimate(f, w, lo, hi)).isEqualTo(3);
        // column 1 left out: rows (1.5, 4, 2), columns (4, 0, 3.5); u block rows (1, 3), columns (4, 0)
        // (reached 4.4e-8 with the step 5e-9 of the narrow coordinate)
        assertThat(js.all).containsExactly(new double[] {4, 4, 3.5}, within(2e-7));
        assertThat(js.uu).containsExactly(new double[] {4, 3}, within(2e-7));
        assertThat(f.points.get(1)).containsExactly(0.5 + 0.5 * ((0.5 + 1e-8) - 0.5), 1, 0);
        assertThat(f.points.get(2)).containsExactly(0.5, 1, 1e-6);
    }

    @Test
    void stepsAreHalfTheInverseOfTheShiftedSumsWithTheStiffestStepForEmptyRows() {
        double[] tau = new double[3];
        JacobianScaling.steps(new double[] {4, 0, 2}, new double[] {0, 0, 1}, 0.5, tau);
        assertThat(tau).containsExactly(0.5 / 8, 0.5 / 8, 0.5 / 6);
        // a sum exactly at the floor 1e-12 max counts as empty
        JacobianScaling.steps(new double[] {1, 1e-12, 0}, new double[3], 1, tau);
        assertThat(tau).containsExactly(0.5, 0.5, 0.5);
        // a sum just above it does not
        JacobianScaling.steps(new double[] {1, 2e-12, 0}, new double[3], 1, tau);
        assertThat(tau[1]).isEqualTo(1 / (2 * 2e-12));
        // nothing depends on anything: steps scale / 2
        JacobianScaling.steps(new double[3], new double[3], 0.8, tau);
        assertThat(tau).containsExactly(0.4, 0.4, 0.4);
    }

    @Test
    void theProximalPointLoopShiftsUByTwiceItsWeightsAndRegularizesVTowardItsStart() {
        double[] lo = {-5, -5, -5};
        double[] hi = {5, 5, 5};
        Linear f = new Linear(M3, new double[] {1, 2, 3}, 2, lo, hi);
        double eps = 0.01;
        double diameter = 3;
        ProximalPoint pp = new ProximalPoint(lo, hi, 2, diameter, 0.5, 100_000, 2);
        double[] w = {0.5, -2, 1};
        pp.start(f, w, eps);
        assertThat(pp.eg.calls).isEqualTo(4);
        // reached 1.2e-10, 2.3e-10 and 6e-13 (forward differences)
        assertThat(pp.weights).containsExactly(new double[] {4, 3}, within(5e-10));
        assertThat(pp.eg.shift).containsExactly(new double[] {8, 6, eps / (2 * diameter)}, within(1e-9));
        assertThat(pp.eg.center[2]).isEqualTo(1);
        assertThat(pp.eg.tau).containsExactly(new double[] {0.5 / (2 * 12), 0.5 / (2 * 12),
            0.5 / (2 * (6 + eps / 6))}, within(3e-12));
        assertThat(pp.k).isZero();
        assertThat(pp.stopped).isFalse();
        // one outer step solves h_0 = phi + sum L_i (u_i - u_0,i)^2 - eps/(4 D) (v - v0)^2 to eps:
        // in the interior its saddle solves (M + diag(shift)) w = -q + shift o (w0)
        double[] w0 = w.clone();
        for (int k = 1; k <= 3; k++) {
            double[] before = w.clone();
            pp.step(f, w);
            assertThat(pp.k).isEqualTo(k);
            assertThat(pp.lastInner).isPositive();
            double[] star = shiftedSaddle(pp.eg.shift, before, w0);
            // the residual at w is at most eps / k, and G is strongly monotone with modulus >= 1 here
            // (reached 0.24 eps / k)
            for (int i = 0; i < 3; i++) {
                assertThat(w[i]).as("step %d coordinate %d", k, i).isCloseTo(star[i], within(eps / k));
            }
            double s = 0;
            for (int i = 0; i < 2; i++) {
                double d = pp.weights[i] * (w[i] - before[i]);
                s += d * d;
            }
            assertThat(pp.stepNorm).isEqualTo(Math.sqrt(s));
            assertThat(pp.stopped).isEqualTo(pp.stepNorm <= eps / 4);
            // the residual of G at the returned w is within the tolerance eps / k of step k
            assertThat(Math.hypot(pp.eg.residualU, pp.eg.residualV)).isLessThanOrEqualTo(eps / k);
        }
        // refresh every 2 steps: the estimate (4 evaluations) was repeated before step 3
        long inner = pp.innerTotal;
        assertThat(pp.eg.calls).isEqualTo(4 + 1 + 2 * inner + pp.eg.backtracks + 4 + 1);
    }

    /** The saddle of G(w) = M3 w + q + shift o (w - c) with c = (u_k, v0), from the linear system. */
    static double[] shiftedSaddle(double[] shift, double[] uk, double[] w0) {
        DMatrixRMaj a = new DMatrixRMaj(M3);
        DMatrixRMaj b = new DMatrixRMaj(3, 1);
        double[] q = {1, 2, 3};
        double[] c = {uk[0], uk[1], w0[2]};
        for (int i = 0; i < 3; i++) {
            a.add(i, i, shift[i]);
            b.data[i] = -q[i] + shift[i] * c[i];
        }
        DMatrixRMaj x = new DMatrixRMaj(3, 1);
        assertThat(CommonOps_DDRM.solve(a, b, x)).isTrue();
        return x.data;
    }

    @Test
    void withoutAVDiameterThereIsNoVRegularization() {
        double[] lo = {-5, -5, -5};
        double[] hi = {5, 5, 5};
        Linear f = new Linear(M3, new double[] {1, 2, 3}, 2, lo, hi);
        ProximalPoint pp = new ProximalPoint(lo, hi, 2, 0, 1, 10, 0);
        pp.start(f, new double[] {0, 0, 0}, 0.1);
        assertThat(pp.eg.shift[2]).isZero();
    }
}
