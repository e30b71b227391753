package org.bilevel4j.apps.robust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.bilevel4j.problem.MinimaxBilevelPoint;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The best-response inner solver of the group-DRO penalty, and the small parts of {@link GroupDroBilevel}
 * and {@link ClassLosses} that the gradient tests do not reach: each output of one inner solve against
 * its definition (the two smooth functions' gradients recomputed here, the closed-form weights at the
 * returned W and Z), with the box of W inactive and active.
 */
class GroupDroInnerSolverTest {

    private static final int K = 3;
    private static final double TAU = 0.5;
    private static final double LAM = 0.05;
    private static final double MU = 0.2;

    static GroupDroBilevel problem(double weightBound) {
        ClassLosses tr = SmallData.of(new int[] {9, 7, 4}, 2, 2.0, 31).losses(K);
        ClassLosses va = SmallData.of(new int[] {5, 5, 5}, 2, 2.0, 32).losses(K);
        return new GroupDroBilevel(tr, va, TAU, LAM, MU, 1.0, weightBound);
    }

    private static DMatrixRMaj col(double... v) {
        return DMatrixRMaj.wrap(v.length, 1, v);
    }

    /** The W-function of the solver: sum_k p*_k V_k + rho (sum_k r*_k (L_k + a_k) - tau/2 ||r* - u0||^2 + lam/2 ||W||^2). */
    static LowerLevelFit.Smooth phi(GroupDroBilevel p, double[] a, double rho) {
        LowerLevelFit.Objective r = LowerLevelFit.Objective.groupDro("r", p.tau(), a);
        LowerLevelFit.Objective q = LowerLevelFit.Objective.groupDro("p", p.mu(), new double[K]);
        int d = p.train().dimension();
        double[] lv = new double[K];
        double[] vv = new double[K];
        double[] rw = new double[K];
        double[] pw = new double[K];
        DMatrixRMaj gv = new DMatrixRMaj(d, K);
        return (w, g) -> {
            p.validation().lossesAndGradient(w, q::weightsAt, vv, pw, gv);
            p.train().lossesAndGradient(w, r::weightsAt, lv, rw, g);
            double sq = 0;
            for (int i = 0; i < g.getNumElements(); i++) {
                sq += w.data[i] * w.data[i];
                g.data[i] = gv.data[i] + rho * (g.data[i] + p.lambda() * w.data[i]);
            }
            return q.lossPart(vv, pw) + rho * (r.lossPart(lv, rw) + 0.5 * p.lambda() * sq);
        };
    }

    private static double gradientNorm(LowerLevelFit.Smooth f, DMatrixRMaj w) {
        DMatrixRMaj g = new DMatrixRMaj(w.numRows, w.numCols);
        f.valueAndGradient(w, g);
        return LowerLevelFit.norm(g.data);
    }

    private static double[] weightsAt(ClassLosses set, DMatrixRMaj w, double tau, double[] shift) {
        double[] l = new double[K];
        set.losses(w, l);
        double[] out = new double[K];
        LowerLevelFit.Objective.groupDro("x", tau, shift).weightsAt(l, out);
        return out;
    }

    @Test
    void oneSolveReturnsBothSaddlePointsAndTheirClosedFormWeights() {
        GroupDroBilevel p = problem(20);
        int d = p.train().dimension();
        double[] a = {0.2, -0.1, 0};
        double rho = 5;
        double tol = 1e-6;
        double[] w0 = new double[d * K];
        double[] z0 = new double[d * K];
        for (int i = 0; i < d * K; i++) {
            w0[i] = 0.1 * (i % 4) - 0.15;
            z0[i] = -0.05 * (i % 3);
        }
        DMatrixRMaj y1 = col(w0.clone());
        DMatrixRMaj z1 = col(z0.clone());
        DMatrixRMaj y2 = col(0.7, 0.2, 0.1);
        DMatrixRMaj x2 = col(0.1, 0.1, 0.8);
        DMatrixRMaj z2 = col(0.5, 0.5, 0);
        DMatrixRMaj x1 = col(a.clone());
        long calls = new GroupDroInnerSolver(1000).solve(p, x1, rho, y1, y2, x2, z1, z2, tol);
        assertThat(x1.data).containsExactly(a);
        DMatrixRMaj z = DMatrixRMaj.wrap(d, K, z1.data);
        DMatrixRMaj w = DMatrixRMaj.wrap(d, K, y1.data);
        // (Z, q): Z minimizes the lower level at a (gradient norm <= tol), q = q*(Z)
        LowerLevelFit.Fit lower = LowerLevelFit.fit(p.train(), LowerLevelFit.Objective.groupDro("l", TAU, a), LAM,
                DMatrixRMaj.wrap(d, K, z0.clone()), tol, 1000);
        assertThat(z1.data).containsExactly(lower.w().data);
        assertThat(lower.gradientNorm()).isLessThanOrEqualTo(tol);
        assertThat(y2.data).containsExactly(weightsAt(p.train(), z, TAU, a));
        // (W, p, r): W minimizes phi to rho tol; r = r*(W), p = p*(W)
        LowerLevelFit.Smooth f = phi(p, a, rho);
        assertThat(gradientNorm(f, w)).isLessThanOrEqualTo(rho * tol);
        assertThat(z2.data).containsExactly(weightsAt(p.train(), w, TAU, a));
        assertThat(x2.data).containsExactly(weightsAt(p.validation(), w, MU, new double[K]));
        // the count: the lower fit's evaluations and the W minimization's
        LowerLevelFit.Minimum m = LowerLevelFit.minimize(f, DMatrixRMaj.wrap(d, K, w0.clone()), rho * tol, 1000);
        assertThat(y1.data).containsExactly(m.w().data);
        assertThat(calls).isEqualTo(lower.gradientCalls() + m.calls());
        assertThat(m.calls()).isGreaterThan(2);
    }

    @Test
    void anActiveBoxClipsBothWAndTheWeightsFollowTheClippedW() {
        double bound = 0.05;
        GroupDroBilevel p = problem(bound);
        int d = p.train().dimension();
        double[] a = {0.3, 0, -0.3};
        double rho = 2;
        double tol = 1e-7;
        DMatrixRMaj y1 = new DMatrixRMaj(d * K, 1);
        DMatrixRMaj z1 = new DMatrixRMaj(d * K, 1);
        DMatrixRMaj y2 = col(1, 0, 0);
        DMatrixRMaj x2 = col(1, 0, 0);
        DMatrixRMaj z2 = col(1, 0, 0);
        new GroupDroInnerSolver(1000).solve(p, col(a.clone()), rho, y1, y2, x2, z1, z2, tol);
        LowerLevelFit.Fit lower = LowerLevelFit.fit(p.train(), LowerLevelFit.Objective.groupDro("l", TAU, a), LAM,
                new DMatrixRMaj(d, K), tol, 1000);
        LowerLevelFit.Minimum m = LowerLevelFit.minimize(phi(p, a, rho), new DMatrixRMaj(d, K), rho * tol, 1000);
        assertThat(lower.maxAbs()).as("the box is active for Z").isGreaterThan(2 * bound);
        double mw = 0;
        for (int i = 0; i < d * K; i++) {
            assertThat(z1.data[i]).isEqualTo(Math.max(-bound, Math.min(bound, lower.w().data[i])));
            assertThat(y1.data[i]).isEqualTo(Math.max(-bound, Math.min(bound, m.w().data[i])));
            mw = Math.max(mw, Math.abs(m.w().data[i]));
        }
        assertThat(mw).as("the box is active for W").isGreaterThan(2 * bound);
        // q comes from the lower fit (at the unclipped Z); p and r from the clipped W
        assertThat(y2.data).containsExactly(lower.weights());
        DMatrixRMaj w = DMatrixRMaj.wrap(d, K, y1.data);
        assertThat(z2.data).containsExactly(weightsAt(p.train(), w, TAU, a));
        assertThat(x2.data).containsExactly(weightsAt(p.validation(), w, MU, new double[K]));
        assertThat(z2.data).isNotEqualTo(weightsAt(p.train(), m.w(), TAU, a));
    }

    @Test
    void theBudgetMustBeAtLeastOne() {
        assertThatThrownBy(() -> new GroupDroInnerSolver(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxIterations must be at least 1, got 0");
        GroupDroBilevel p = problem(20);
        int d = p.train().dimension();
        // one iteration each: still a descent from the start
        DMatrixRMaj y1 = new DMatrixRMaj(d * K, 1);
        DMatrixRMaj z1 = new DMatrixRMaj(d * K, 1);
        long calls = new GroupDroInnerSolver(1).solve(p, col(0, 0, 0), 3, y1, col(1, 0, 0), col(1, 0, 0), z1,
                col(1, 0, 0), 1e-12);
        assertThat(calls).isGreaterThanOrEqualTo(4);
        LowerLevelFit.Smooth f = phi(p, new double[K], 3);
        assertThat(gradientNorm(f, DMatrixRMaj.wrap(d, K, y1.data)))
                .isLessThan(gradientNorm(f, new DMatrixRMaj(d, K)));
    }

    // ---------------------------------------------------------------- GroupDroBilevel's small parts

    @Test
    void constructorRefusesZeroInfiniteAndNanParameters() {
        ClassLosses tr = SmallData.of(new int[] {3, 3, 3}, 2, 2.0, 1).losses(K);
        for (int which = 0; which < 5; which++) {
            for (double bad : new double[] {0, Double.POSITIVE_INFINITY, Double.NaN, -1}) {
                double[] v = {1, 1, 1, 1, 1};
                v[which] = bad;
                assertThatThrownBy(() -> new GroupDroBilevel(tr, tr, v[0], v[1], v[2], v[3], v[4]))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessage("tau, lambda, mu and the box bounds must be positive and finite, got " + bad);
            }
        }
    }

    @Test
    void standardInstanceBoxesStartAndBounds() {
        ClassLosses tr = SmallData.of(new int[] {4, 3, 2}, 2, 2.0, 5).losses(K);
        ClassLosses va = SmallData.of(new int[] {3, 3, 3}, 2, 2.0, 6).losses(K);
        GroupDroBilevel s = GroupDroBilevel.standard(tr, va);
        assertThat(new double[] {s.tau(), s.lambda(), s.mu(), s.shiftBound(), s.weightBound()})
                .containsExactly(1.0, 1e-2, 0.1, 1.0, 20.0);
        assertThat(s.train()).isSameAs(tr);
        assertThat(s.validation()).isSameAs(va);
        int n = 3 * K;
        assertThat(s.y1Domain().dimension()).isEqualTo(n);
        for (int i = 0; i < n; i++) {
            assertThat(s.y1Domain().lower(i)).isEqualTo(-20.0);
            assertThat(s.y1Domain().upper(i)).isEqualTo(20.0);
        }
        for (int i = 0; i < K; i++) {
            assertThat(s.x1Domain().lower(i)).isEqualTo(-1.0);
            assertThat(s.x1Domain().upper(i)).isEqualTo(1.0);
        }
        MinimaxBilevelPoint start = s.start();
        assertThat(start.x1().data).containsExactly(0.0, 0.0, 0.0);
        assertThat(start.x2().data).containsExactly(1.0 / 3, 1.0 / 3, 1.0 / 3);
        assertThat(start.y2().data).containsExactly(1.0 / 3, 1.0 / 3, 1.0 / 3);
        assertThat(start.y1().data).containsOnly(0.0);
        assertThat(s.lowerLipschitz()[1][1]).isEqualTo(tr.maxHessianBound() + 1e-2);
        assertThat(s.lowerLipschitz()[2][2]).isEqualTo(1.0);
        assertThat(s.upperLipschitz()[1][1]).isEqualTo(0.1);
        assertThat(s.upperLipschitz()[2][2]).isEqualTo(va.maxHessianBound());
        assertThat(s.valueLipschitzPerRho()).isEqualTo(1.0);
        GroupDroBilevel t = new GroupDroBilevel(tr, va, 4, 1e-2, 0.1, 1, 20);
        assertThat(t.valueLipschitzPerRho()).isEqualTo(0.25);
        assertThat(t.lowerLipschitz()[2][2]).isEqualTo(4.0);
    }

    @Test
    void upperGradientClearsTheQBlockAndTheWorstValidationLossIsTheLargestClassLoss() {
        GroupDroBilevel p = problem(20);
        int n = p.y1Domain().dimension();
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = 0.3 * Math.sin(i + 1);
        }
        DMatrixRMaj gx1 = col(5, 5, 5);
        DMatrixRMaj gx2 = new DMatrixRMaj(K, 1);
        DMatrixRMaj gy1 = new DMatrixRMaj(n, 1);
        DMatrixRMaj gy2 = col(5, 5, 5);
        double v = p.upperValueAndGradient(col(0.1, 0.2, 0.3), col(0.2, 0.3, 0.5), col(w), col(0.3, 0.3, 0.4), gx1,
                gx2, gy1, gy2);
        assertThat(gx1.data).containsOnly(0.0);
        assertThat(gy2.data).containsOnly(0.0);
        double[] vl = new double[K];
        p.validation().losses(p.matrix(col(w)), vl);
        double reg = 0;
        double[] pp = {0.2, 0.3, 0.5};
        double lin = 0;
        for (int k = 0; k < K; k++) {
            reg += (pp[k] - 1.0 / 3) * (pp[k] - 1.0 / 3);
            lin += pp[k] * vl[k];
            assertThat(gx2.data[k]).isCloseTo(vl[k] - MU * (pp[k] - 1.0 / 3), within(1e-14));
        }
        assertThat(v).isCloseTo(lin - 0.5 * MU * reg, within(1e-14));
        assertThat(p.worstValidationLoss(col(w))).isEqualTo(Math.max(vl[0], Math.max(vl[1], vl[2])));
    }

    /**
     * X = [[1, 0], [0, 1], [2, 0]], labels 0, 0, 1: class 0 has {@code X_0^T X_0 / 2 = I / 2} (h_0 = 1/4),
     * class 1 has {@code diag(4, 0)} (h_1 = 2); the gradient-matrix bound is {@code sqrt(4 (1/4 + 2)) = 3}.
     */
    @Test
    void hessianBoundsByHand() {
        ClassLosses c = new ClassLosses(new DMatrixRMaj(new double[][] {{1, 0}, {0, 1}, {2, 0}}), new int[] {0, 0, 1}, 2);
        assertThat(c.hessianBound(0)).isCloseTo(0.25, within(1e-15));
        assertThat(c.hessianBound(1)).isCloseTo(2.0, within(1e-15));
        assertThat(c.maxHessianBound()).isCloseTo(2.0, within(1e-15));
        assertThat(c.gradientMatrixBound()).isCloseTo(3.0, within(1e-15));
    }
}
