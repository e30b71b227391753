package org.bilevel4j.solver.meha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import org.bilevel4j.problem.BilevelGradientCheck;
import org.bilevel4j.problem.BilevelProblem;
import org.bilevel4j.problem.PairIterate;
import org.bilevel4j.problem.QuadraticBilevel;
import org.bilevel4j.solver.Result;
import org.bilevel4j.solver.SolverOptions;
import org.bilevel4j.solver.StopReason;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class MehaTest {

    static PairIterate randomStart(BilevelProblem p, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        DMatrixRMaj x = new DMatrixRMaj(p.xRows(), 1);
        DMatrixRMaj y = new DMatrixRMaj(p.yRows(), 1);
        for (int i = 0; i < x.numRows; i++) {
            x.data[i] = rnd.nextDouble(-0.8, 0.8);
        }
        for (int i = 0; i < y.numRows; i++) {
            y.data[i] = rnd.nextDouble(-1, 1);
        }
        return new PairIterate(x, y);
    }

    static double[] minus(double[] a, double[] b) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i] - b[i];
        }
        return r;
    }

    static double[] grad(BilevelProblem p, String which, double[] x, double[] y) {
        DMatrixRMaj xm = DMatrixRMaj.wrap(x.length, 1, x.clone());
        DMatrixRMaj ym = DMatrixRMaj.wrap(y.length, 1, y.clone());
        boolean inX = which.endsWith("x");
        DMatrixRMaj out = new DMatrixRMaj(inX ? x.length : y.length, 1);
        switch (which) {
            case "Fx" -> p.upperGradientX(xm, ym, out);
            case "Fy" -> p.upperGradientY(xm, ym, out);
            case "fx" -> p.lowerSmoothGradientX(xm, ym, out);
            case "fy" -> p.lowerSmoothGradientY(xm, ym, out);
            case "gx" -> p.lowerNonsmoothGradientX(xm, ym, out);
            default -> throw new IllegalArgumentException(which);
        }
        return out.data;
    }

    /** prox of t g(x,.) + ind_Y of the test problem, written out again: soft threshold, then clip. */
    static double[] prox(L1CoupledProblem p, double[] x, double[] v, double t) {
        double w = 0;
        for (double xi : x) {
            w += xi * xi;
        }
        double thr = t * p.rho * (1 + w);
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            double s = Math.signum(v[i]) * Math.max(Math.abs(v[i]) - thr, 0);
            r[i] = Math.max(-p.lim, Math.min(p.lim, s));
        }
        return r;
    }

    /** One iteration of the method page, written out with plain arrays, independent of the solver. */
    static double[][] handIteration(L1CoupledProblem p, MehaOptions o, int k, double[] x, double[] y,
            double[] theta) {
        double c = o.c0() * Math.pow(k + 1, o.p());
        double w = o.upperWeight() == MehaOptions.UpperWeight.INVERSE ? 1 / c : c;
        double g = o.gamma();
        double[] gt = grad(p, "fy", x, theta);
        double[] v = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            v[i] = theta[i] - o.eta() * (gt[i] + (theta[i] - y[i]) / g);
        }
        double[] thetaNew = prox(p, x, v, o.eta());
        double[] xNew;
        double[] yNew;
        if (o.order() == MehaOptions.UpdateOrder.X_FIRST) {
            xNew = xUpdate(p, o, w, x, y, thetaNew);
            yNew = yUpdate(p, o, w, xNew, y, thetaNew);
        } else {
            yNew = yUpdate(p, o, w, x, y, thetaNew);
            xNew = xUpdate(p, o, w, x, yNew, thetaNew);
        }
        return new double[][] {xNew, yNew, thetaNew};
    }

    static double[] xUpdate(L1CoupledProblem p, MehaOptions o, double w, double[] x, double[] y, double[] th) {
        double[] fx = grad(p, "Fx", x, y);
        double[] a = grad(p, "fx", x, y);
        double[] b = grad(p, "gx", x, y);
        double[] c = grad(p, "fx", x, th);
        double[] d = grad(p, "gx", x, th);
        double[] r = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double dx = w * fx[i] + (a[i] + b[i]) - (c[i] + d[i]);
            r[i] = Math.max(-1, Math.min(1, x[i] - o.alpha() * dx));
        }
        return r;
    }

    static double[] yUpdate(L1CoupledProblem p, MehaOptions o, double w, double[] x, double[] y, double[] th) {
        double[] fy = grad(p, "Fy", x, y);
        double[] a = grad(p, "fy", x, y);
        double[] v = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            double dy = w * fy[i] + a[i] - (y[i] - th[i]) / o.gamma();
            v[i] = y[i] - o.beta() * dy;
        }
        return prox(p, x, v, o.beta());
    }

    static List<MehaOptions> variants() {
        MehaOptions base = MehaOptions.builder().gamma(2).eta(0.2).alpha(0.1).beta(0.15).c0(0.7).p(0.3).build();
        return List.of(base,
                base.toBuilder().upperWeight(MehaOptions.UpperWeight.DIRECT).build(),
                base.toBuilder().order(MehaOptions.UpdateOrder.Y_FIRST).build(),
                base.toBuilder().thetaStart(MehaOptions.ThetaStart.ZERO).build(),
                base.toBuilder().order(MehaOptions.UpdateOrder.Y_FIRST).upperWeight(MehaOptions.UpperWeight.DIRECT)
                        .thetaStart(MehaOptions.ThetaStart.ZERO).build());
    }

    @Test
    void everyVariantFollowsTheMethodPageIterationIncludingTheProxInThetaAndY() {
        L1CoupledProblem p = new L1CoupledProblem(new QuadraticBilevel(3, 5, 0.2, 0.3, 0.4, 7), 0.6, 0.3);
        assertThat(BilevelGradientCheck.check(p, randomStart(p, 1).x(), randomStart(p, 1).y(), 4, 2, 1e-6, 1.0))
                .isEmpty();
        for (MehaOptions o : variants()) {
            Meha meha = new Meha(o);
            PairIterate start = randomStart(p, 5);
            MehaState s = meha.init(p, start, SolverOptions.defaults());
            double[] x = start.x().data.clone();
            double[] y = start.y().data.clone();
            double[] th = o.thetaStart() == MehaOptions.ThetaStart.FROM_Y ? y.clone() : new double[y.length];
            boolean thresholded = false;
            boolean clipped = false;
            for (int k = 0; k < 6; k++) {
                double[][] next = handIteration(p, o, k, x, y, th);
                meha.step(p, s);
                for (int i = 0; i < x.length; i++) {
                    assertThat(s.x().data[i]).as("%s x[%d] at iteration %d", o, i, k + 1)
                            .isCloseTo(next[0][i], org.assertj.core.api.Assertions.within(1e-12));
                }
                for (int i = 0; i < y.length; i++) {
                    assertThat(s.y().data[i]).as("%s y[%d] at iteration %d", o, i, k + 1)
                            .isCloseTo(next[1][i], org.assertj.core.api.Assertions.within(1e-12));
                    assertThat(s.theta().data[i]).as("%s theta[%d] at iteration %d", o, i, k + 1)
                            .isCloseTo(next[2][i], org.assertj.core.api.Assertions.within(1e-12));
                    thresholded |= next[1][i] == 0.0 || next[2][i] == 0.0;
                    clipped |= Math.abs(next[1][i]) == p.lim || Math.abs(next[2][i]) == p.lim;
                }
                x = next[0];
                y = next[1];
                th = next[2];
            }
            assertThat(thresholded).as("the test must exercise the soft threshold").isTrue();
            assertThat(clipped).as("the test must exercise the set Y").isTrue();
        }
    }

    @Test
    void traceHasTheColumnsOfTheMethodPageAndTheGapEstimate() {
        QuadraticBilevel p = new QuadraticBilevel(4, 6, 0.1, 0, 0, 3);
        Result<PairIterate> r = new Meha(MehaOptions.paper()).solve(p, PairIterate.constant(p, 0, 0),
                SolverOptions.builder().maxIterations(3).build());
        assertThat(r.trace().columns()).containsExactly("iteration", "seconds", "F", "phi", "gap", "theta_y_dist",
                "dx_norm", "c_k", "x_rel_err", "y_rel_err");
        assertThat(r.trace().column("c_k")).containsExactly(0.6, 0.6 * Math.pow(2, 0.49), 0.6 * Math.pow(3, 0.49));
        MehaState s = new Meha(MehaOptions.paper()).init(p, PairIterate.constant(p, 0.5, 0.5),
                SolverOptions.defaults());
        // theta starts at y, so the envelope estimate equals phi and the gap is 0
        assertThat(s.gap()).isEqualTo(0.0);
    }

    @Test
    void reachesTheKnownSolutionOfAStronglyConvexLowerLevel() {
        QuadraticBilevel p = new QuadraticBilevel(4, 6, 0.1, 0, 0, 3);
        double l = p.lowerLipschitz();
        MehaOptions o = MehaOptions.builder().gamma(1).eta(0.9 / (l + 1)).beta(0.5 / (l + 1)).alpha(0.3).c0(1)
                .p(0.49).build();
        Result<PairIterate> r = new Meha(o).solve(p, PairIterate.constant(p, 0, 0),
                SolverOptions.builder().maxIterations(20000).build());
        assertThat(r.trace().lastValue("x_rel_err")).isLessThan(1e-2);
        assertThat(r.trace().lastValue("y_rel_err")).isLessThan(1e-2);
    }

    @Test
    void doesNotModifyTheStartAndRejectsWrongShapes() {
        QuadraticBilevel p = new QuadraticBilevel(4, 6, 0.1, 0, 0, 3);
        PairIterate start = PairIterate.constant(p, 0.25, 0.5);
        new Meha(MehaOptions.paper()).solve(p, start, SolverOptions.builder().maxIterations(5).build());
        assertThat(start.x().data).containsOnly(0.25);
        assertThat(start.y().data).containsOnly(0.5);
        PairIterate wrong = new PairIterate(new DMatrixRMaj(3, 1), new DMatrixRMaj(6, 1));
        assertThatThrownBy(() -> new Meha(MehaOptions.paper()).init(p, wrong, SolverOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x is 3x1");
    }

    @Test
    void aBlowUpIsReportedAsDivergedWithTheLastFiniteIterate() {
        QuadraticBilevel p = new QuadraticBilevel(4, 6, 0.1, 0, 0, 3);
        MehaOptions o = MehaOptions.builder().gamma(1).eta(5).beta(5).alpha(5).build();
        Result<PairIterate> r = new Meha(o).solve(p, PairIterate.constant(p, 0.1, 0.1),
                SolverOptions.builder().maxIterations(100000).build());
        assertThat(r.stopReason()).isEqualTo(StopReason.DIVERGED);
        assertThat(org.bilevel4j.linalg.MatOps.isFinite(r.solution().x())).isTrue();
    }
}
