package org.bilevel4j.apps.robust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntToDoubleFunction;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * {@link LowerLevelFit} value by value: the objectives' class weights and loss parts by hand, the
 * L-BFGS iterates against the method written out here with the inverse-Hessian approximation formed
 * as a dense matrix (the BFGS update {@code H <- (I - rho s y^T) H (I - rho y s^T) + rho s s^T}, oldest
 * pair first, from {@code H0 = (s^T y / y^T y) I} of the newest pair), and each stop rule at its
 * boundary with scripted values (the interface lets a test choose the values and gradients freely).
 */
class LowerLevelFitStepsTest {

    /** A function whose value is chosen by the call's index and whose gradient by the point; records each point. */
    static final class Scripted implements LowerLevelFit.Smooth {
        final IntToDoubleFunction value;
        final java.util.function.BiConsumer<double[], double[]> gradient;
        final List<double[]> points = new ArrayList<>();

        Scripted(IntToDoubleFunction value, java.util.function.BiConsumer<double[], double[]> gradient) {
            this.value = value;
            this.gradient = gradient;
        }

        @Override
        public double valueAndGradient(DMatrixRMaj w, DMatrixRMaj g) {
            int call = points.size();
            points.add(w.data.clone());
            gradient.accept(w.data, g.data);
            return value.applyAsDouble(call);
        }
    }

    static java.util.function.BiConsumer<double[], double[]> constant(double... g) {
        return (w, out) -> System.arraycopy(g, 0, out, 0, g.length);
    }

    // ---------------------------------------------------------------- objectives

    @Test
    void ermAndBalancedWeights() {
        ClassLosses tr = SmallData.of(new int[] {15, 12, 3}, 2, 1.0, 3).losses(3);
        LowerLevelFit.Objective erm = LowerLevelFit.Objective.erm(tr);
        assertThat(erm.name()).isEqualTo("ERM");
        assertThat(erm.weights()).containsExactly(0.5, 0.4, 0.1);
        assertThat(erm.shift()).isNull();
        LowerLevelFit.Objective bal = LowerLevelFit.Objective.balanced(4);
        assertThat(bal.name()).isEqualTo("class-balanced");
        assertThat(bal.weights()).containsExactly(0.25, 0.25, 0.25, 0.25);
        // fixed weights: copied whatever the losses, and the loss part is sum_k c_k L_k
        double[] out = {9, 9, 9};
        erm.weightsAt(new double[] {1, 2, 4}, out);
        assertThat(out).containsExactly(0.5, 0.4, 0.1);
        assertThat(erm.lossPart(new double[] {1, 2, 4}, out)).isCloseTo(0.5 + 0.8 + 0.4, within(1e-15));
    }

    /**
     * tau = 10, a = (0.1, -0.2, 0.1), L = (1, 2, 0.5): u0 + (L + a) / tau = 1/3 + (0.11, 0.18, 0.06), sum
     * 1.35, all entries stay positive after the shift by -0.35 / 3, so q = 1/3 + (0.11, 0.18, 0.06) - 0.35/3.
     */
    @Test
    void groupDroWeightsAreTheSimplexProjectionAndTheLossPartSubtractsTheRegularizer() {
        LowerLevelFit.Objective o = LowerLevelFit.Objective.groupDro("g", 10, new double[] {0.1, -0.2, 0.1});
        double[] l = {1, 2, 0.5};
        double[] q = new double[3];
        o.weightsAt(l, q);
        double shift = 1.0 / 3 - 0.35 / 3;
        assertThat(q[0]).isCloseTo(0.11 + shift, within(1e-15));
        assertThat(q[1]).isCloseTo(0.18 + shift, within(1e-15));
        assertThat(q[2]).isCloseTo(0.06 + shift, within(1e-15));
        // sum_k q_k (L_k + a_k) - (tau/2) ||q - u0||^2
        double want = q[0] * 1.1 + q[1] * 1.8 + q[2] * 0.6;
        double reg = 0;
        for (double v : q) {
            reg += (v - 1.0 / 3) * (v - 1.0 / 3);
        }
        assertThat(o.lossPart(l, q)).isCloseTo(want - 5 * reg, within(1e-14));
        // at given weights (not the maximizer): (0.5, 0.5, 0) on L = (1, 2, 0.5)
        double[] c = {0.5, 0.5, 0};
        double r2 = 2 * (0.5 - 1.0 / 3) * (0.5 - 1.0 / 3) + 1.0 / 9;
        assertThat(o.lossPart(l, c)).isCloseTo(0.5 * 1.1 + 0.5 * 1.8 - 5 * r2, within(1e-14));
        // small tau: the projection clips; tau = 1, a = 0, L = (0, 3, 0): q = e_1
        LowerLevelFit.Objective sharp = LowerLevelFit.Objective.groupDro("s", 1, new double[3]);
        sharp.weightsAt(new double[] {0, 3, 0}, q);
        assertThat(q).containsExactly(0.0, 1.0, 0.0);
    }

    @Test
    void objectiveChecksTauAndShiftsOfGroupDroAndCopiesItsArrays() {
        for (double tau : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> LowerLevelFit.Objective.groupDro("g", tau, new double[2]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("tau must be positive and finite, got " + tau);
        }
        assertThatThrownBy(() -> LowerLevelFit.Objective.groupDro("g", 1, null))
                .hasMessage("group DRO needs shifts (zeros for plain group DRO)");
        double[] a = {0.5, 0};
        LowerLevelFit.Objective o = LowerLevelFit.Objective.groupDro("g", 1, a);
        a[0] = 7;
        assertThat(o.shift()).containsExactly(0.5, 0);
        double[] c = {0.3, 0.7};
        LowerLevelFit.Objective f = new LowerLevelFit.Objective("f", c, Double.NaN, null);
        c[0] = 7;
        assertThat(f.weights()).containsExactly(0.3, 0.7);
    }

    // ---------------------------------------------------------------- the L-BFGS iterates

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** -H g with H the dense BFGS matrix of the pairs (newest first). */
    static double[] denseDirection(List<double[][]> pairs, double[] g) {
        int n = g.length;
        double[][] h = new double[n][n];
        if (pairs.isEmpty()) {
            for (int i = 0; i < n; i++) {
                h[i][i] = 1;
            }
        } else {
            double[][] newest = pairs.get(0);
            double gamma = dot(newest[0], newest[1]) / dot(newest[1], newest[1]);
            for (int i = 0; i < n; i++) {
                h[i][i] = gamma;
            }
            for (int p = pairs.size() - 1; p >= 0; p--) {
                double[] s = pairs.get(p)[0];
                double[] y = pairs.get(p)[1];
                double rho = 1 / dot(s, y);
                // V = I - rho y s^T; H <- V^T H V + rho s s^T
                double[][] v = new double[n][n];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        v[i][j] = (i == j ? 1 : 0) - rho * y[i] * s[j];
                    }
                }
                double[][] hv = new double[n][n];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        double t = 0;
                        for (int m = 0; m < n; m++) {
                            t += h[i][m] * v[m][j];
                        }
                        hv[i][j] = t;
                    }
                }
                double[][] next = new double[n][n];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        double t = 0;
                        for (int m = 0; m < n; m++) {
                            t += v[m][i] * hv[m][j];
                        }
                        next[i][j] = t + rho * s[i] * s[j];
                    }
                }
                h = next;
            }
        }
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                d[i] -= h[i][j] * g[j];
            }
        }
        return d;
    }

    /**
     * On the gradient field {@code g(w) = A w - b} (A with a positive definite symmetric part and a skew
     * part, 12 entries) with values that fall by 1000 per call (so the first trial of every line search
     * is accepted and nothing stalls), 16 iterations: more than the memory of 10 pairs. Every evaluated
     * point equals the one of the dense-matrix L-BFGS.
     */
    @Test
    void iteratesFollowTheDenseBfgsUpdateWithMemoryTen() {
        int n = 12;
        SplittableRandom rnd = new SplittableRandom(17);
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            a[i][i] = 1 + 0.5 * i;
            for (int j = 0; j < i; j++) {
                double skew = 0.3 * (2 * rnd.nextDouble() - 1);
                double sym = 0.05 * (2 * rnd.nextDouble() - 1);
                a[i][j] = sym + skew;
                a[j][i] = sym - skew;
            }
        }
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            b[i] = 3 * (2 * rnd.nextDouble() - 1);
        }
        java.util.function.BiConsumer<double[], double[]> field = (w, out) -> {
            for (int i = 0; i < n; i++) {
                double s = -b[i];
                for (int j = 0; j < n; j++) {
                    s += a[i][j] * w[j];
                }
                out[i] = s;
            }
        };
        Scripted f = new Scripted(c -> -1000.0 * c, field);
        int iterations = 16;
        LowerLevelFit.Minimum m = LowerLevelFit.minimize(f, new DMatrixRMaj(4, 3), 1e-300, iterations);
        assertThat(m.iterations()).isEqualTo(iterations);
        assertThat(m.calls()).isEqualTo(iterations + 1);
        assertThat(m.value()).isEqualTo(-1000.0 * iterations);
        assertThat(m.w().numRows).isEqualTo(4);
        assertThat(m.w().numCols).isEqualTo(3);
        // the reference
        double[] w = new double[n];
        double[] g = new double[n];
        field.accept(w, g);
        List<double[][]> pairs = new ArrayList<>();
        int stored = 0;
        for (int it = 1; it <= iterations; it++) {
            double[] d = denseDirection(pairs, g);
            double gn = Math.sqrt(dot(g, g));
            double step = pairs.isEmpty() ? Math.min(1, 1 / gn) : 1;
            double[] wt = new double[n];
            for (int i = 0; i < n; i++) {
                wt[i] = w[i] + step * d[i];
            }
            double[] got = f.points.get(it);
            for (int i = 0; i < n; i++) {
                assertThat(got[i]).as("iteration %d entry %d", it, i)
                        .isCloseTo(wt[i], within(1e-9 * Math.max(1, Math.abs(wt[i]))));
            }
            double[] gt = new double[n];
            field.accept(wt, gt);
            double[] s = new double[n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                s[i] = wt[i] - w[i];
                y[i] = gt[i] - g[i];
            }
            if (dot(s, y) > 1e-16 * Math.sqrt(dot(s, s) * dot(y, y))) {
                pairs.add(0, new double[][] {s, y});
                stored++;
                if (pairs.size() > 10) {
                    pairs.remove(10);
                }
            }
            w = wt;
            g = gt;
        }
        assertThat(stored).as("pairs stored: the memory limit is reached").isEqualTo(iterations);
        assertThat(m.gradientNorm()).isCloseTo(Math.sqrt(dot(g, g)), within(1e-9 * Math.sqrt(dot(g, g))));
    }

    /**
     * The curvature test {@code s^T y > 1e-16 ||s|| ||y||} with {@code ||s|| = 0.01}, {@code ||y|| = 100}:
     * the first step from w0 = 0 is {@code -g0} (g0 = (-0.01, 0), norm below 1), and y = (kappa, 100).
     * With {@code s^T y = 1e-14} (above 1e-16 but below 1e-16 / ||s|| ||y|| = 1e-12) the pair is kept and the
     * next step is far from the steepest-descent step; with {@code s^T y = 1e-18} (below 1e-16, above
     * 1e-16 ||s|| / ||y|| = 1e-20) it is dropped and the next step is exactly the steepest-descent step.
     */
    @Test
    void thePairIsKeptExactlyWhenTheCurvatureTestHolds() {
        for (double kappa : new double[] {1e-12, 1e-16}) {
            double[] g0 = {-0.01, 0};
            double[] g1 = {-0.01 + kappa, 100};
            Scripted f = new Scripted(c -> -1000.0 * c, (w, out) -> {
                boolean start = w[0] == 0 && w[1] == 0;
                System.arraycopy(start ? g0 : g1, 0, out, 0, 2);
            });
            LowerLevelFit.minimize(f, new DMatrixRMaj(2, 1), 0, 2);
            double[] w1 = f.points.get(1);
            assertThat(w1).containsExactly(0.01, 0.0);
            double[] w2 = f.points.get(2);
            double gn = Math.sqrt(g1[0] * g1[0] + g1[1] * g1[1]);
            double step = Math.min(1, 1 / gn);
            double[] steepest = {w1[0] - step * g1[0], w1[1] - step * g1[1]};
            if (kappa == 1e-12) {
                assertThat(Math.abs(w2[0] - steepest[0])).as("kept: quasi-Newton step").isGreaterThan(1e3);
                double[][] pair = {{w1[0], w1[1]}, {g1[0] - g0[0], g1[1] - g0[1]}};
                double[] d = denseDirection(List.<double[][]>of(pair), g1);
                assertThat(w2[0]).isCloseTo(w1[0] + d[0], within(1e-6 * Math.abs(d[0])));
            } else {
                assertThat(w2).as("dropped: steepest descent").containsExactly(steepest);
            }
        }
    }

    // ---------------------------------------------------------------- stop rules at their boundaries

    @Test
    void noIterationWhenTheStartGradientNormEqualsTheTolerance() {
        Scripted f = new Scripted(c -> -1000.0 * c, constant(3, 4));
        LowerLevelFit.Minimum m = LowerLevelFit.minimize(f, new DMatrixRMaj(2, 1), 5.0, 10);
        assertThat(m.iterations()).isZero();
        assertThat(m.calls()).isEqualTo(1);
        assertThat(m.gradientNorm()).isEqualTo(5.0);
        assertThat(m.value()).isEqualTo(0.0);
    }

    @Test
    void theBudgetIsTheNumberOfIterations() {
        Scripted f = new Scripted(c -> -1000.0 * c, constant(3, 4));
        LowerLevelFit.Minimum m = LowerLevelFit.minimize(f, new DMatrixRMaj(2, 1), 0, 3);
        assertThat(m.iterations()).isEqualTo(3);
        assertThat(m.calls()).isEqualTo(4);
        // constant gradient: y = 0, no pair is kept, every step is -g / ||g|| = (-0.6, -0.8)
        assertThat(m.w().data[0]).isCloseTo(-1.8, within(1e-15));
        assertThat(m.w().data[1]).isCloseTo(-2.4, within(1e-15));
        assertThat(m.value()).isEqualTo(-3000.0);
    }

    /**
     * g = 4 (one entry), step min(1, 1/4) = 0.25, slope -16: the Armijo bound is
     * {@code 0 + 1e-4 * 0.25 * (-16)}. A trial value equal to the bound is accepted; half the bound (a
     * smaller decrease) is refused and the step halves.
     */
    @Test
    void armijoAcceptsTheBoundItselfAndHalvesTheStepAboveIt() {
        double bound = 0 + 1e-4 * 0.25 * -16.0;
        Scripted at = new Scripted(c -> c == 0 ? 0 : (c == 1 ? bound : -1), constant(4));
        LowerLevelFit.Minimum m = LowerLevelFit.minimize(at, new DMatrixRMaj(1, 1), 0, 1);
        assertThat(m.calls()).isEqualTo(2);
        assertThat(m.w().data[0]).isEqualTo(-1.0);
        assertThat(m.value()).isEqualTo(bound);
        Scripted above = new Scripted(c -> c == 0 ? 0 : (c == 1 ? bound / 2 : -1), constant(4));
        m = LowerLevelFit.minimize(above, new DMatrixRMaj(1, 1), 0, 1);
        assertThat(m.calls()).isEqualTo(3);
        assertThat(above.points.get(1)[0]).isEqualTo(-1.0);
        assertThat(above.points.get(2)[0]).isEqualTo(-0.5);
        assertThat(m.w().data[0]).isEqualTo(-0.5);
        assertThat(m.value()).isEqualTo(-1.0);
    }

    @Test
    void sixtyRefusedTrialsEndTheRunAtTheLastIterate() {
        Scripted f = new Scripted(c -> c == 0 ? 1 : Double.NaN, constant(4));
        LowerLevelFit.Minimum m = LowerLevelFit.minimize(f, new DMatrixRMaj(1, 1), 0, 5);
        assertThat(m.calls()).isEqualTo(61);
        assertThat(m.iterations()).isZero();
        assertThat(m.w().data[0]).isEqualTo(0.0);
        assertThat(m.value()).isEqualTo(1.0);
        // the trial steps halve: 0.25 * 4 * 2^-k
        for (int k = 0; k < 60; k++) {
            assertThat(f.points.get(k + 1)[0]).isEqualTo(-Math.scalb(1.0, -k));
        }
        Scripted inf = new Scripted(c -> c == 0 ? 1 : Double.NEGATIVE_INFINITY, constant(4));
        assertThat(LowerLevelFit.minimize(inf, new DMatrixRMaj(1, 1), 0, 5).calls()).isEqualTo(61);
    }

    /**
     * A gradient of 1e-160 makes the Armijo term {@code 1e-4 step slope} underflow to -0, so a trial
     * with the same value is accepted. Values 0 for 19 steps, then one decrease of exactly
     * {@code 1e-15 max(1, |f|) = 1e-15}: the 20th step without a decrease above rounding stops the run.
     */
    @Test
    void twentyStepsWithoutADecreaseAboveRoundingStopTheRun() {
        Scripted f = new Scripted(c -> c < 20 ? 0 : -1e-15, constant(1e-160, 0));
        LowerLevelFit.Minimum m = LowerLevelFit.minimize(f, new DMatrixRMaj(2, 1), 0, 100);
        assertThat(m.iterations()).isEqualTo(20);
        assertThat(m.calls()).isEqualTo(21);
        assertThat(m.value()).isEqualTo(-1e-15);
        // at |f| = 2^20 the threshold is 1e-15 * 2^20, above one ulp of 2^20: steps of one ulp stall
        double ulp = Math.ulp(1048576.0);
        Scripted big = new Scripted(c -> 1048576.0 - c * ulp, constant(1e-160, 0));
        m = LowerLevelFit.minimize(big, new DMatrixRMaj(2, 1), 0, 100);
        assertThat(m.iterations()).isEqualTo(20);
        // a decrease of 1e-14 at |f| <= 1 is above the threshold: no stall, the budget ends the run
        Scripted falling = new Scripted(c -> -1e-14 * c, constant(1e-160, 0));
        m = LowerLevelFit.minimize(falling, new DMatrixRMaj(2, 1), 0, 30);
        assertThat(m.iterations()).isEqualTo(30);
    }

    // ---------------------------------------------------------------- fit

    @Test
    void fitChecksLambdaAndReportsAStartThatAlreadyMeetsTheTolerance() {
        SmallData data = SmallData.of(new int[] {6, 5, 4}, 2, 1.5, 5);
        ClassLosses tr = data.losses(3);
        assertThatThrownBy(() -> LowerLevelFit.fit(tr, LowerLevelFit.Objective.balanced(3), 0, null, 1e-6, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("lambda must be positive, got 0.0");
        LowerLevelFit.Objective o = LowerLevelFit.Objective.groupDro("g", 1, new double[] {0.1, -0.1, 0});
        // the gradient norm at W = 0, computed as the fit computes it
        DMatrixRMaj g = new DMatrixRMaj(3, 3);
        double[] l = new double[3];
        double[] c = new double[3];
        tr.lossesAndGradient(new DMatrixRMaj(3, 3), o::weightsAt, l, c, g);
        double gn = LowerLevelFit.norm(g.data);
        long t0 = System.nanoTime();
        LowerLevelFit.Fit fit = LowerLevelFit.fit(tr, o, 0.5, null, gn, 100);
        double elapsed = (System.nanoTime() - t0) * 1e-9;
        assertThat(fit.iterations()).isZero();
        assertThat(fit.converged()).isTrue();
        assertThat(fit.gradientNorm()).isEqualTo(gn);
        assertThat(fit.gradientCalls()).isEqualTo(2);
        assertThat(fit.seconds()).isBetween(0.0, elapsed);
        assertThat(fit.w().data).containsOnly(0.0);
        assertThat(fit.maxAbs()).isZero();
        // at W = 0 every logit is 0: L_k = log 3, and q = Pi(u0 + (log 3 + a) / 1) = u0 + a
        for (int k = 0; k < 3; k++) {
            assertThat(fit.trainLosses()[k]).isCloseTo(Math.log(3), within(1e-15));
        }
        assertThat(fit.weights()[0]).isCloseTo(1.0 / 3 + 0.1, within(1e-15));
        assertThat(fit.weights()[1]).isCloseTo(1.0 / 3 - 0.1, within(1e-15));
        assertThat(fit.weights()[2]).isCloseTo(1.0 / 3, within(1e-15));
        // value: sum q (L + a) - (1/2) ||q - u0||^2 = log 3 + (0.1 * 0.1 - 0.1 * -0.1) - 0.01
        assertThat(fit.value()).isCloseTo(Math.log(3) + 0.02 - 0.01, within(1e-15));
        // a tolerance one ulp below: not met at the start, so the fit iterates
        LowerLevelFit.Fit more = LowerLevelFit.fit(tr, o, 0.5, null, Math.nextDown(gn), 100);
        assertThat(more.iterations()).isPositive();
    }

    @Test
    void fitReachesTheToleranceAndReportsTheValuesAtItsW() {
        SmallData data = SmallData.of(new int[] {8, 6, 3}, 2, 1.5, 7);
        ClassLosses tr = data.losses(3);
        LowerLevelFit.Objective o = LowerLevelFit.Objective.groupDro("g", 0.5, new double[] {0.2, 0, -0.2});
        double lam = 0.05;
        DMatrixRMaj start = new DMatrixRMaj(3, 3);
        start.data[4] = 0.5;
        LowerLevelFit.Fit fit = LowerLevelFit.fit(tr, o, lam, start, 1e-9, 1000);
        assertThat(start.data[4]).as("start not modified").isEqualTo(0.5);
        assertThat(fit.converged()).isTrue();
        DMatrixRMaj w = fit.w();
        double[] l = new double[3];
        double[] q = new double[3];
        DMatrixRMaj g = new DMatrixRMaj(3, 3);
        tr.lossesAndGradient(w, o::weightsAt, l, q, g);
        double sq = 0;
        double gsq = 0;
        double max = 0;
        for (int i = 0; i < 9; i++) {
            sq += w.data[i] * w.data[i];
            double gi = g.data[i] + lam * w.data[i];
            gsq += gi * gi;
            max = Math.max(max, Math.abs(w.data[i]));
        }
        assertThat(Math.sqrt(gsq)).isLessThanOrEqualTo(1e-9);
        assertThat(fit.gradientNorm()).isCloseTo(Math.sqrt(gsq), within(1e-12));
        assertThat(fit.trainLosses()).containsExactly(l);
        assertThat(fit.weights()).containsExactly(q);
        assertThat(fit.value()).isCloseTo(o.lossPart(l, q) + 0.5 * lam * sq, within(1e-12));
        assertThat(fit.maxAbs()).isEqualTo(max);
        assertThat(fit.gradientCalls()).isGreaterThan(fit.iterations());
        // the budget: one iteration, not converged
        LowerLevelFit.Fit one = LowerLevelFit.fit(tr, o, lam, null, 1e-9, 1);
        assertThat(one.iterations()).isEqualTo(1);
        assertThat(one.converged()).isFalse();
    }

    @Test
    void maxAbsOfTheFitsW() {
        DMatrixRMaj w = new DMatrixRMaj(new double[][] {{1, -3}, {2, 0}});
        LowerLevelFit.Fit f = new LowerLevelFit.Fit(w, new double[2], new double[2], 0, 0, 0, 0, true, 0);
        assertThat(f.maxAbs()).isEqualTo(3.0);
    }

    @Test
    void projectSimplexIsTheEuclideanProjection() {
        double[] v = {0.5, 0.5, 0.5};
        LowerLevelFit.projectSimplex(v);
        assertThat(v[0]).isCloseTo(1.0 / 3, within(1e-15));
        double[] u = {2, -1};
        LowerLevelFit.projectSimplex(u);
        assertThat(u).containsExactly(1.0, 0.0);
    }
}
