package org.bilevel4j.solver.binno;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.bilevel4j.function.IndNonnegative;
import org.bilevel4j.function.NormL1;
import org.bilevel4j.function.NuclearNorm;
import org.bilevel4j.function.ProxFunction;
import org.bilevel4j.linalg.MatOps;
import org.bilevel4j.problem.BlockCompositeBilevelProblem;
import org.bilevel4j.problem.BlockCoupling;
import org.bilevel4j.problem.BlockIterate;
import org.bilevel4j.problem.FactorizationCoupling;
import org.bilevel4j.solver.IterationInfo;
import org.bilevel4j.solver.IterationListener;
import org.bilevel4j.solver.Result;
import org.bilevel4j.solver.SolverOptions;
import org.bilevel4j.solver.StopReason;
import org.bilevel4j.solver.Trace;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

class BinnoTest {

    /** A rank-k matrix with Gaussian-like factors, plus optional noise. */
    static DMatrixRMaj lowRank(int m, int n, int k, double noise, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        DMatrixRMaj a = new DMatrixRMaj(m, k);
        DMatrixRMaj b = new DMatrixRMaj(k, n);
        for (int i = 0; i < a.getNumElements(); i++) {
            a.data[i] = rnd.nextDouble(-1, 1);
        }
        for (int i = 0; i < b.getNumElements(); i++) {
            b.data[i] = rnd.nextDouble(-1, 1);
        }
        DMatrixRMaj mm = new DMatrixRMaj(m, n);
        CommonOps_DDRM.mult(a, b, mm);
        for (int i = 0; i < mm.getNumElements(); i++) {
            mm.data[i] += noise * rnd.nextDouble(-1, 1);
        }
        return mm;
    }

    static BlockCompositeBilevelProblem sparseLowRank(DMatrixRMaj m, int r, double l1, double l2, double g1,
            double g2) {
        return BlockCompositeBilevelProblem.builder(new FactorizationCoupling(m, r))
                .upper(new NormL1(l1), new NormL1(l2)).lower(new NuclearNorm(g1), new NuclearNorm(g2)).build();
    }

    private static double relErr(DMatrixRMaj ref, DMatrixRMaj est) {
        return MatOps.distance(ref, est) / Math.sqrt(MatOps.normSq(ref));
    }

    @Test
    void withoutRegularizersBothLevelsAreTheFactorizationAndAnExactLowRankMatrixIsRecovered() {
        DMatrixRMaj m = lowRank(40, 30, 3, 0.0, 11);
        var p = sparseLowRank(m, 3, 0, 0, 0, 0);
        Result<BlockIterate> r = new Binno(BinnoWeights.MIDPOINT).solve(p, p.uniformStart(5),
                SolverOptions.builder().maxIterations(5000).build());
        assertThat(relErr(m, r.solution().product())).isLessThan(1e-5);
        // monotone while the value is above the rounding floor of an exactly recovered product
        double[] d2 = r.trace().column("psi2_decreased");
        double[] psi2 = r.trace().column("psi2");
        int checked = 0;
        for (int i = 0; i < psi2.length && psi2[i] > 1e-20; i++) {
            assertThat(d2[i]).as("psi2 decreased at iteration %d", i + 1).isEqualTo(1.0);
            checked++;
        }
        assertThat(checked).isGreaterThan(20);
    }

    @Test
    void firstIterationFollowsTheStepAndWindowFormulas() {
        DMatrixRMaj m = lowRank(12, 10, 2, 0.05, 3);
        double l1 = 0.3;
        double l2 = 0.2;
        double g1 = 0.1;
        double g2 = 0.4;
        var p = sparseLowRank(m, 2, l1, l2, g1, g2);
        BlockIterate start = p.uniformStart(9);
        Binno binno = new Binno(BinnoWeights.MIDPOINT);
        BinnoState s = binno.init(p, start, SolverOptions.defaults());
        binno.step(p, s);

        // the same quantities from the method page, computed here from scratch
        DMatrixRMaj x = start.x();
        DMatrixRMaj y = start.y();
        DMatrixRMaj yyt = new DMatrixRMaj(2, 2);
        CommonOps_DDRM.multTransB(y, y, yyt);
        double lx = MatOps.spectralNormPsd(yyt);
        double lf1 = l1 * Math.sqrt(12 * 2);
        double lf2 = g1 * Math.sqrt(2);
        double nuX = Math.min(1 / (Math.sqrt((lx + lf2) * (lx + lf1)) - lx), 1 / lx);
        assertThat(s.nuX).isCloseTo(nuX, within(1e-14 * nuX));
        DMatrixRMaj resid = new DMatrixRMaj(12, 10);
        CommonOps_DDRM.mult(x, y, resid);
        CommonOps_DDRM.subtractEquals(resid, m);
        DMatrixRMaj gx = new DMatrixRMaj(12, 2);
        CommonOps_DDRM.multTransB(resid, y, gx);
        DMatrixRMaj z = x.copy();
        CommonOps_DDRM.addEquals(z, -nuX, gx);
        DMatrixRMaj xu = new NormL1(l1).prox(z, nuX);
        DMatrixRMaj xl = new NuclearNorm(g1).prox(z, nuX);
        double aMin = (1 / nuX + lx) / (lf1 + 1 / nuX + 2 * lx);
        double aMax = (lf2 + lx) / (lf2 + 1 / nuX + 2 * lx);
        double alpha = (aMin + aMax) / 2;
        assertThat(s.alpha()).isCloseTo(alpha, within(1e-14));

        double lu = Math.pow(MatOps.spectralNorm(xu), 2);
        double ll = Math.pow(MatOps.spectralNorm(xl), 2);
        double lg1 = l2 * Math.sqrt(2 * 10);
        double lg2 = g2 * Math.sqrt(2);
        double a = lu + ll;
        double b = lg1 * lg2 + lg2 * lu + lg1 * ll;
        double nuY = Math.min(2 / (Math.sqrt(a * a + 4 * b) - a), 1 / Math.max(lu, ll));
        assertThat(s.nuY).isCloseTo(nuY, within(1e-12 * nuY));
        double bMin = (1 / nuY + lu) / (lg1 + 1 / nuY + 2 * lu);
        double bMax = (lg2 + ll) / (lg2 + 1 / nuY + 2 * ll);
        assertThat(s.beta()).isCloseTo((bMin + bMax) / 2, within(1e-12));

        DMatrixRMaj yu = yStep(xu, y, m, nuY, new NormL1(l2));
        DMatrixRMaj yl = yStep(xl, y, m, nuY, new NuclearNorm(g2));
        DMatrixRMaj xNew = new DMatrixRMaj(12, 2);
        MatOps.combine(alpha, xu, 1 - alpha, xl, xNew);
        DMatrixRMaj yNew = new DMatrixRMaj(2, 10);
        MatOps.combine(s.beta(), yu, 1 - s.beta(), yl, yNew);
        assertThat(MatOps.distance(s.x(), xNew)).isLessThan(1e-12);
        assertThat(MatOps.distance(s.y(), yNew)).isLessThan(1e-12);
        assertThat(s.psi1()).isCloseTo(p.upperValue(xNew, yNew), within(1e-10));
        assertThat(s.psi2()).isCloseTo(p.lowerValue(xNew, yNew), within(1e-10));
    }

    private static DMatrixRMaj yStep(DMatrixRMaj xc, DMatrixRMaj y, DMatrixRMaj m, double nu, ProxFunction g) {
        DMatrixRMaj resid = new DMatrixRMaj(m.numRows, m.numCols);
        CommonOps_DDRM.mult(xc, y, resid);
        CommonOps_DDRM.subtractEquals(resid, m);
        DMatrixRMaj grad = new DMatrixRMaj(y.numRows, y.numCols);
        CommonOps_DDRM.multTransA(xc, resid, grad);
        DMatrixRMaj w = y.copy();
        CommonOps_DDRM.addEquals(w, -nu, grad);
        return g.prox(w, nu);
    }

    @Test
    void bothLevelsDecreaseAtEveryIterationOnThePaperInstance() {
        DMatrixRMaj m = lowRank(100, 80, 5, 0.01, 21);
        for (BinnoWeights w : new BinnoWeights[] {BinnoWeights.MIDPOINT, BinnoWeights.LINESEARCH}) {
            var p = sparseLowRank(m, 5, 0.005, 0.005, 0.005, 0.005);
            Result<BlockIterate> r = new Binno(w).solve(p, p.uniformStart(1),
                    SolverOptions.builder().maxIterations(600).build());
            assertThat(r.stopReason()).isEqualTo(StopReason.MAX_ITERATIONS);
            assertThat(r.trace().column("psi1_decreased")).as(w.label()).containsOnly(1.0);
            assertThat(r.trace().column("psi2_decreased")).as(w.label()).containsOnly(1.0);
            // reached: 0.00672 with either rule (the noise floor of this instance)
            assertThat(relErr(m, r.solution().product())).as(w.label()).isLessThan(0.0075);
        }
    }

    /**
     * Strong regularization of the lower level (gamma = 1): the midpoint weights leave simultaneous
     * descent in some iterations. From the midpoint run's last point before its first failure, one
     * midpoint step increases a level and one linesearch step decreases both sufficiently.
     */
    @Test
    void whereTheMidpointFailsToDecreaseBothLevelsTheLinesearchSucceeds() {
        DMatrixRMaj m = lowRank(12, 10, 2, 0.1, 1);
        var p = sparseLowRank(m, 2, 0.1, 0.1, 1.0, 1.0);
        SolverOptions o = SolverOptions.builder().maxIterations(30).build();
        Result<BlockIterate> mid = new Binno(BinnoWeights.MIDPOINT).solve(p, p.uniformStart(1), o);
        double[] d1 = mid.trace().column("psi1_decreased");
        double[] d2 = mid.trace().column("psi2_decreased");
        int first = -1;
        int failures = 0;
        for (int i = 0; i < d1.length; i++) {
            if (d1[i] * d2[i] == 0) {
                failures++;
                first = first < 0 ? i : first;
            }
        }
        assertThat(failures).isGreaterThan(5);
        // the linesearch run from the same start: every iteration decreases both levels, no fallback
        Result<BlockIterate> ls = new Binno(BinnoWeights.LINESEARCH).solve(p, p.uniformStart(1), o);
        assertThat(ls.trace().column("psi1_decreased")).containsOnly(1.0);
        assertThat(ls.trace().column("psi2_decreased")).containsOnly(1.0);
        assertThat(ls.trace().column("descent_failed")).containsOnly(0.0);
        assertThat(ls.message()).isEqualTo("reached the iteration limit of 30");

        // the same point: the midpoint iterate before its first failure
        BlockIterate before = first == 0 ? p.uniformStart(1)
                : new Binno(BinnoWeights.MIDPOINT).solve(p, p.uniformStart(1),
                        SolverOptions.builder().maxIterations(first).build()).solution();
        Binno midpoint = new Binno(BinnoWeights.MIDPOINT);
        BinnoState sm = midpoint.init(p, before, SolverOptions.defaults());
        double old1 = sm.psi1();
        double old2 = sm.psi2();
        midpoint.step(p, sm);
        assertThat(sm.psi1() > old1 || sm.psi2() > old2).isTrue();
        Binno search = new Binno(BinnoWeights.LINESEARCH);
        BinnoState sl = search.init(p, before, SolverOptions.defaults());
        search.step(p, sl);
        assertThat(sl.descentFailed).isFalse();
        assertThat(sl.trials).isGreaterThan(1);
        // sufficient decrease: Psi_i(new) <= Psi_i(old) - sigma D, D >= 0 recomputed from the accepted point
        double d = MatOps.normSq(diff(sl.x(), before.x())) / (2 * sl.nuX)
                + MatOps.normSq(diff(sl.y(), before.y())) / (2 * sl.nuY);
        assertThat(d).isPositive();
        double sigma = BinnoWeights.Linesearch.DEFAULT_SIGMA;
        assertThat((sl.psi1() - old1 + sigma * d) / Math.max(1, Math.abs(old1))).isLessThanOrEqualTo(1e-15);
        assertThat((sl.psi2() - old2 + sigma * d) / Math.max(1, Math.abs(old2))).isLessThanOrEqualTo(1e-15);
        // the accepted weights lie on the segment between the windows' clipped ends
        assertThat(sl.alpha()).isBetween(0.0, 1.0);
    }

    private static DMatrixRMaj diff(DMatrixRMaj a, DMatrixRMaj b) {
        DMatrixRMaj d = a.copy();
        CommonOps_DDRM.subtractEquals(d, b);
        return d;
    }

    /** Strong upper regularization (lambda = 3): no pair decreases both levels in some iterations. */
    @Test
    void theFallbackIsCountedInTheTraceAndTheMessage() {
        DMatrixRMaj m = lowRank(12, 10, 2, 0.1, 1);
        var p = sparseLowRank(m, 2, 3.0, 3.0, 0.01, 0.01);
        Result<BlockIterate> ls = new Binno(BinnoWeights.LINESEARCH).solve(p, p.uniformStart(1),
                SolverOptions.builder().maxIterations(30).build());
        double[] failed = ls.trace().column("descent_failed");
        double[] trials = ls.trace().column("trials");
        double[] d1 = ls.trace().column("psi1_decreased");
        double[] d2 = ls.trace().column("psi2_decreased");
        int n = 0;
        for (int i = 0; i < failed.length; i++) {
            if (failed[i] == 1) {
                n++;
                // the fallback comes after all 31 trials
                assertThat(trials[i]).isEqualTo(31.0);
            } else {
                assertThat(d1[i] * d2[i]).isEqualTo(1.0);
            }
        }
        assertThat(ls.trace().size()).isEqualTo(30);
        assertThat(n).isGreaterThan(0);
        // the state counts the same iterations
        Binno binno = new Binno(BinnoWeights.LINESEARCH);
        BinnoState s = binno.init(p, p.uniformStart(1), SolverOptions.defaults());
        int count = 0;
        for (int k = 0; k < 30; k++) {
            binno.step(p, s);
            count += s.descentFailed ? 1 : 0;
        }
        assertThat(s.descentFailures()).isEqualTo(count).isEqualTo(n);
        assertThat(ls.message()).contains("linesearch: no weight pair gave sufficient decrease of both levels in " + n
                + " of 30 iterations");
    }

    /**
     * A factor thresholded to (almost) zero: L_X = ||Y Y^T|| = 2.5e-19 is below the floor 2^-52, so the
     * step is the cap 2^52 and moves X by at most ||XY - M|| / sqrt(2^-52); without regularizers nothing
     * damps it. With the old floor (Double.MIN_NORMAL) the step 4.5e307 overflowed on the first iteration.
     */
    @Test
    void aFactorBelowTheLipschitzFloorGivesABoundedStep() {
        DMatrixRMaj m = lowRank(12, 10, 2, 0.0, 5);
        var p = sparseLowRank(m, 2, 0, 0, 0, 0);
        BlockIterate u = p.uniformStart(2);
        DMatrixRMaj y = new DMatrixRMaj(2, 10);
        y.fill(1e-10);
        BlockIterate start = new BlockIterate(u.x(), y);
        Binno binno = new Binno(BinnoWeights.MIDPOINT);
        BinnoState s = binno.init(p, start, SolverOptions.defaults());
        binno.step(p, s);
        assertThat(s.nuX).isEqualTo(0x1p52);
        assertThat(s.isFinite()).isTrue();
        // the move is within the bound ||XY - M|| ||Y|| / TINY
        DMatrixRMaj r0 = new DMatrixRMaj(12, 10);
        CommonOps_DDRM.mult(u.x(), y, r0);
        CommonOps_DDRM.subtractEquals(r0, m);
        double bound = Math.sqrt(MatOps.normSq(r0)) * Math.sqrt(MatOps.normSq(y)) / BinnoRules.TINY;
        assertThat(MatOps.distance(s.x(), u.x())).isLessThanOrEqualTo(bound).isPositive();
        Result<BlockIterate> r = binno.solve(p, start, SolverOptions.builder().maxIterations(200).build());
        assertThat(r.stopReason()).isEqualTo(StopReason.MAX_ITERATIONS);
        assertThat(java.util.Arrays.stream(r.trace().column("psi2")).allMatch(Double::isFinite)).isTrue();
        // and it recovers: the second factor's step starts from a sensible X
        assertThat(relErr(m, r.solution().product())).isLessThan(0.5);

        // an exactly zero factor: grad_X H = 0, the step (still capped) moves nothing (up to the rounding of the
        // nuclear norm's prox, an SVD and back, at threshold 0)
        BinnoState z = binno.init(p, new BlockIterate(u.x(), new DMatrixRMaj(2, 10)), SolverOptions.defaults());
        binno.step(p, z);
        assertThat(z.nuX).isEqualTo(0x1p52);
        assertThat(MatOps.distance(z.x(), u.x())).isLessThan(1e-13);
        assertThat(z.isFinite()).isTrue();
    }

    @Test
    void genericAndFactorizationEvaluatorsGiveTheSameIterates() {
        DMatrixRMaj m = lowRank(20, 15, 3, 0.1, 4);
        FactorizationCoupling fc = new FactorizationCoupling(m, 3);
        BlockCoupling wrapped = delegate(fc, -1);
        for (BinnoWeights w : new BinnoWeights[] {BinnoWeights.MIDPOINT, BinnoWeights.LINESEARCH}) {
            var fast = BlockCompositeBilevelProblem.builder(fc).upper(new NormL1(0.05), new NormL1(0.05))
                    .lower(new NuclearNorm(0.02), new NuclearNorm(0.02)).build();
            var slow = BlockCompositeBilevelProblem.builder(wrapped).upper(new NormL1(0.05), new NormL1(0.05))
                    .lower(new NuclearNorm(0.02), new NuclearNorm(0.02)).build();
            SolverOptions o = SolverOptions.builder().maxIterations(50).build();
            Result<BlockIterate> a = new Binno(w).solve(fast, fast.uniformStart(3), o);
            Result<BlockIterate> b = new Binno(w).solve(slow, slow.uniformStart(3), o);
            assertThat(MatOps.distance(a.solution().x(), b.solution().x())).isLessThan(1e-10);
            assertThat(MatOps.distance(a.solution().y(), b.solution().y())).isLessThan(1e-10);
            assertThat(a.trace().lastValue("psi1")).isCloseTo(b.trace().lastValue("psi1"), within(1e-10));
        }
    }

    /**
     * The factorization evaluator's cached products against the plain coupling: on an instance where the
     * linesearch backtracks (so that the mixtures' values matter) the runs agree, and every evaluator
     * call agrees with the coupling's own methods on a small M (values from the residual) and on one
     * above {@link FactorizationCoupling#EXACT_VALUE_MAX_ELEMENTS} (values from the Gram identity).
     */
    @Test
    void theEvaluatorsAgreeWhereTheLinesearchBacktracks() {
        DMatrixRMaj small = lowRank(12, 10, 2, 0.1, 1);
        FactorizationCoupling sc = new FactorizationCoupling(small, 2);
        var fast = BlockCompositeBilevelProblem.builder(sc).upper(new NormL1(0.1), new NormL1(0.1))
                .lower(new NuclearNorm(1.0), new NuclearNorm(1.0)).build();
        var slow = BlockCompositeBilevelProblem.builder(delegate(sc, -1)).upper(new NormL1(0.1), new NormL1(0.1))
                .lower(new NuclearNorm(1.0), new NuclearNorm(1.0)).build();
        SolverOptions o = SolverOptions.builder().maxIterations(30).build();
        Result<BlockIterate> a = new Binno(BinnoWeights.LINESEARCH).solve(fast, fast.uniformStart(1), o);
        Result<BlockIterate> b = new Binno(BinnoWeights.LINESEARCH).solve(slow, slow.uniformStart(1), o);
        assertThat(java.util.Arrays.stream(a.trace().column("trials")).max().getAsDouble()).as("backtracked")
                .isGreaterThan(1);
        assertThat(a.trace().column("trials")).containsExactly(b.trace().column("trials"));
        assertThat(MatOps.distance(a.solution().x(), b.solution().x())).isLessThan(1e-10);
        assertThat(MatOps.distance(a.solution().y(), b.solution().y())).isLessThan(1e-10);

        DMatrixRMaj large = lowRank(1030, 1020, 2, 0.1, 1);
        assertThat((long) large.numRows * large.numCols).isGreaterThan(FactorizationCoupling.EXACT_VALUE_MAX_ELEMENTS);
        for (DMatrixRMaj m : new DMatrixRMaj[] {small, large}) {
            FactorizationCoupling fc = new FactorizationCoupling(m, 2);
            SplittableRandom rnd = new SplittableRandom(5);
            DMatrixRMaj[] xs = new DMatrixRMaj[3];
            DMatrixRMaj[] ys = new DMatrixRMaj[3];
            for (int k = 0; k < 3; k++) {
                xs[k] = new DMatrixRMaj(m.numRows, 2);
                ys[k] = new DMatrixRMaj(2, m.numCols);
                for (DMatrixRMaj z : new DMatrixRMaj[] {xs[k], ys[k]}) {
                    for (int i = 0; i < z.getNumElements(); i++) {
                        z.data[i] = rnd.nextDouble(-1, 1);
                    }
                }
            }
            FactorizationEvaluator ev = new FactorizationEvaluator(fc);
            double rel = 1e-10;
            assertThat(ev.setCurrent(xs[0], ys[0])).isCloseTo(fc.value(xs[0], ys[0]),
                    within(rel * fc.value(xs[0], ys[0])));
            assertThat(ev.lipschitzX()).isCloseTo(fc.lipschitzX(ys[0]), within(rel * fc.lipschitzX(ys[0])));
            DMatrixRMaj g1 = new DMatrixRMaj(m.numRows, 2);
            DMatrixRMaj g2 = new DMatrixRMaj(m.numRows, 2);
            ev.gradientX(g1);
            fc.gradientX(xs[0], ys[0], g2);
            assertThat(MatOps.distance(g1, g2)).isLessThan(rel * Math.sqrt(MatOps.normSq(g2)));
            // two candidates, then a third (the Gram cache starts over), then the first again
            for (int k : new int[] {1, 2, 1, 0}) {
                assertThat(ev.lipschitzY(xs[k])).as("L_Y of candidate %d", k).isCloseTo(fc.lipschitzY(xs[k]),
                        within(rel * fc.lipschitzY(xs[k])));
            }
            DMatrixRMaj gu = new DMatrixRMaj(2, m.numCols);
            DMatrixRMaj gl = new DMatrixRMaj(2, m.numCols);
            ev.gradientYPair(xs[1], xs[2], gu, gl);
            DMatrixRMaj want = new DMatrixRMaj(2, m.numCols);
            fc.gradientY(xs[1], ys[0], want);
            assertThat(MatOps.distance(gu, want)).isLessThan(rel * Math.sqrt(MatOps.normSq(want)));
            fc.gradientY(xs[2], ys[0], want);
            assertThat(MatOps.distance(gl, want)).isLessThan(rel * Math.sqrt(MatOps.normSq(want)));
            // mixtures b Yu + (1 - b) Yl of two Y candidates, with an X mixture
            ev.prepareMixtures(ys[1], ys[2]);
            for (double bb : new double[] {0.25, 0.8}) {
                DMatrixRMaj yb = new DMatrixRMaj(2, m.numCols);
                MatOps.combine(bb, ys[1], 1 - bb, ys[2], yb);
                DMatrixRMaj xa = new DMatrixRMaj(m.numRows, 2);
                MatOps.combine(0.6, xs[1], 0.4, xs[2], xa);
                double h = fc.value(xa, yb);
                assertThat(ev.mixedValue(xa, yb, bb)).as("mixed value at %s", bb).isCloseTo(h, within(rel * h));
            }
            DMatrixRMaj yb = new DMatrixRMaj(2, m.numCols);
            MatOps.combine(0.8, ys[1], 0.2, ys[2], yb);
            DMatrixRMaj xa = new DMatrixRMaj(m.numRows, 2);
            MatOps.combine(0.3, xs[1], 0.7, xs[2], xa);
            double h = fc.value(xa, yb);
            assertThat(ev.setCurrentMixed(xa, yb, 0.8)).isCloseTo(h, within(rel * h));
            // the mixed point is now current: its gradient and constants
            ev.gradientX(g1);
            fc.gradientX(xa, yb, g2);
            assertThat(MatOps.distance(g1, g2)).isLessThan(rel * Math.sqrt(MatOps.normSq(g2)));
            assertThat(ev.lipschitzX()).isCloseTo(fc.lipschitzX(yb), within(rel * fc.lipschitzX(yb)));
            assertThat(ev.lipschitzY(xs[1])).isCloseTo(fc.lipschitzY(xs[1]), within(rel * fc.lipschitzY(xs[1])));
        }
    }

    /**
     * For a small M the evaluator sums H from the residual: at an exact factorization it is at the
     * rounding level of the residual (about 1e-30 here), where the Gram identity
     * {@code ||M||^2 - 2 <XY, M> + ||XY||^2} would leave about 1e-16 ||M||^2.
     */
    @Test
    void smallProblemsTakeTheValueFromTheResidual() {
        SplittableRandom rnd = new SplittableRandom(3);
        DMatrixRMaj x = new DMatrixRMaj(30, 2);
        DMatrixRMaj y = new DMatrixRMaj(2, 20);
        for (DMatrixRMaj z : new DMatrixRMaj[] {x, y}) {
            for (int i = 0; i < z.getNumElements(); i++) {
                z.data[i] = rnd.nextDouble(-10, 10);
            }
        }
        DMatrixRMaj m = new DMatrixRMaj(30, 20);
        org.bilevel4j.linalg.Gemm.mult(x, y, m);
        // M = XY + E with |E| = 1e-9: H = ||E||^2 / 2 = 3e-16, while ||M||^2 is about 1e7
        double e2 = 0;
        for (int i = 0; i < m.getNumElements(); i++) {
            double e = (i % 2 == 0 ? 1e-9 : -1e-9);
            m.data[i] += e;
            e2 += e * e;
        }
        double h = 0.5 * e2;
        FactorizationEvaluator ev = new FactorizationEvaluator(new FactorizationCoupling(m, 2));
        assertThat(ev.setCurrent(x, y)).isCloseTo(h, within(1e-3 * h));
        ev.prepareMixtures(y, y);
        assertThat(ev.mixedValue(x, y, 0.5)).isCloseTo(h, within(1e-3 * h));
        assertThat(ev.setCurrentMixed(x, y, 0.5)).isCloseTo(h, within(1e-3 * h));
    }

    /**
     * Where H is far above the rounding level of {@code ||M||^2} the small-matrix evaluator takes H from
     * the Gram identity (no residual sweep); it agrees with the residual summed entry by entry to the
     * rounding of the identity, about {@code eps ||M||^2}, and P is the same product either way.
     */
    @Test
    void smallProblemsAwayFromAnExactFactorizationTakeTheGramIdentity() {
        for (long seed = 1; seed <= 5; seed++) {
            DMatrixRMaj m = lowRank(60, 45, 3, 0.5, seed);
            FactorizationCoupling fc = new FactorizationCoupling(m, 3);
            assertThat(fc.exactValues()).isTrue();
            BlockIterate start = fc.scaledToData(sparseLowRank(m, 3, 0, 0, 0, 0).uniformStart(seed));
            FactorizationEvaluator ev = new FactorizationEvaluator(fc);
            double h = fc.residualValue(start.x(), start.y());
            double tol = 64 * 0x1p-52 * fc.normSqData();
            assertThat(ev.setCurrent(start.x(), start.y())).as("seed %d", seed).isCloseTo(h, within(tol));
            assertThat(tol).isLessThan(1e-10 * h);
            DMatrixRMaj g = new DMatrixRMaj(60, 3);
            ev.gradientX(g);
            DMatrixRMaj expected = new DMatrixRMaj(60, 3);
            fc.gradientX(start.x(), start.y(), expected);
            assertThat(MatOps.distance(g, expected)).isLessThan(1e-12 * Math.sqrt(MatOps.normSq(expected)));
        }
    }

    /**
     * The nuclear norms of the current factors from their Gram matrices agree with the SVD's where the
     * guard lets them through (well-conditioned factors), and the guard refuses a factor with a singular
     * value near {@code sqrt(eps)} of its largest (where the Gram matrix would lose its digits); a zero
     * factor has norm 0.
     */
    @Test
    void nuclearNormsFromTheGramMatricesMatchTheSvdOrAreRefused() {
        DMatrixRMaj m = lowRank(300, 40, 4, 0.3, 7);
        FactorizationCoupling fc = new FactorizationCoupling(m, 4);
        FactorizationEvaluator ev = new FactorizationEvaluator(fc);
        NuclearNorm nn = new NuclearNorm(1);
        for (long seed = 1; seed <= 5; seed++) {
            BlockIterate start = sparseLowRank(m, 4, 0, 0, 0, 0).uniformStart(seed);
            ev.setCurrent(start.x(), start.y());
            double vx = ev.nuclearNorm(true);
            double vy = ev.nuclearNorm(false);
            assertThat(vx).as("X, seed %d", seed).isCloseTo(nn.value(start.x()), within(1e-12 * vx));
            assertThat(vy).as("Y, seed %d", seed).isCloseTo(nn.value(start.y()), within(1e-12 * vy));
        }
        // orthogonal columns of norms 1, 1, 1 and 1e-9: the smallest squared, 1e-18, is below the Gram
        // matrix's rounding (about 2e-13 here), but its square root can be off by at most about 5e-7,
        // under 2^-20 of the sum: accepted, and within that bound
        DMatrixRMaj y = sparseLowRank(m, 4, 0, 0, 0, 0).uniformStart(1).y();
        ev.setCurrent(orthogonalColumns(300, 1, 1, 1, 1e-9), y);
        assertThat(ev.nuclearNorm(true)).isCloseTo(3 + 1e-9, within(0x1p-20 * 3));
        // norms 1, 1e-9, 1e-9, 1e-9 on 3000 rows: three square roots each uncertain by about 8e-7, more
        // than 2^-20 of the sum 1: refused (NaN: the caller takes the SVD)
        FactorizationEvaluator tall = new FactorizationEvaluator(new FactorizationCoupling(
                lowRank(3000, 40, 4, 0.3, 8), 4));
        tall.setCurrent(orthogonalColumns(3000, 1, 1e-9, 1e-9, 1e-9), y);
        assertThat(tall.nuclearNorm(true)).isNaN();
        ev.setCurrent(new DMatrixRMaj(300, 4), y);
        assertThat(ev.nuclearNorm(true)).isEqualTo(0.0);
        assertThat(new CouplingEvaluator.Generic(fc).nuclearNorm(true)).isNaN();
    }

    /** An m x 4 matrix with orthogonal columns (disjoint supports) of the given norms. */
    private static DMatrixRMaj orthogonalColumns(int rows, double... norms) {
        DMatrixRMaj x = new DMatrixRMaj(rows, norms.length);
        int k = norms.length;
        for (int c = 0; c < k; c++) {
            for (int i = c; i < rows; i += k) {
                x.set(i, c, norms[c] / Math.sqrt(rows / k));
            }
        }
        return x;
    }

    /** The evaluator's cached Gram matrices of candidates are dropped when the current point changes. */
    @Test
    void theGramCacheNeverServesAStaleCandidate() {
        DMatrixRMaj m = lowRank(15, 12, 2, 0.1, 2);
        FactorizationCoupling fc = new FactorizationCoupling(m, 2);
        SplittableRandom rnd = new SplittableRandom(8);
        DMatrixRMaj[] xs = new DMatrixRMaj[3];
        for (int k = 0; k < 3; k++) {
            xs[k] = new DMatrixRMaj(15, 2);
            for (int i = 0; i < xs[k].getNumElements(); i++) {
                xs[k].data[i] = rnd.nextDouble(-1, 1);
            }
        }
        DMatrixRMaj y = new DMatrixRMaj(2, 12);
        for (int i = 0; i < y.getNumElements(); i++) {
            y.data[i] = rnd.nextDouble(-1, 1);
        }
        DMatrixRMaj gu = new DMatrixRMaj(2, 12);
        DMatrixRMaj gl = new DMatrixRMaj(2, 12);
        DMatrixRMaj want = new DMatrixRMaj(2, 12);
        for (int variant = 0; variant < 3; variant++) {
            FactorizationEvaluator ev = new FactorizationEvaluator(fc);
            ev.setCurrent(xs[2], y);
            ev.lipschitzY(xs[0]);
            ev.lipschitzY(xs[1]);
            // the candidates change in place, then the current point moves
            CommonOps_DDRM.scale(1.5, xs[0]);
            CommonOps_DDRM.scale(-0.5, xs[1]);
            if (variant == 0) {
                ev.setCurrent(xs[2], y);
            } else if (variant == 1) {
                ev.prepareMixtures(y, y);
                ev.setCurrentMixed(xs[2], y, 0.5);
            } else {
                // a third candidate starts the cache over
                ev.lipschitzY(xs[2]);
            }
            ev.gradientYPair(xs[0], xs[1], gu, gl);
            fc.gradientY(xs[0], y, want);
            assertThat(MatOps.distance(gu, want)).as("variant %d", variant).isLessThan(1e-12);
            fc.gradientY(xs[1], y, want);
            assertThat(MatOps.distance(gl, want)).as("variant %d", variant).isLessThan(1e-12);
        }
    }

    /** At a fixed point (M = 0, start 0) nothing moves and equal values count as decreased. */
    @Test
    void equalValuesCountAsDecreased() {
        DMatrixRMaj m = new DMatrixRMaj(6, 5);
        var p = sparseLowRank(m, 2, 0.1, 0.1, 0.1, 0.1);
        BlockIterate zero = new BlockIterate(new DMatrixRMaj(6, 2), new DMatrixRMaj(2, 5));
        for (BinnoWeights w : new BinnoWeights[] {BinnoWeights.MIDPOINT, BinnoWeights.LINESEARCH}) {
            Binno binno = new Binno(w);
            BinnoState s = binno.init(p, zero, SolverOptions.defaults());
            binno.step(p, s);
            assertThat(s.psi1()).isZero();
            assertThat(s.psi2()).isZero();
            assertThat(s.psi1Decreased).as(w.label()).isTrue();
            assertThat(s.psi2Decreased).as(w.label()).isTrue();
        }
    }

    /** Strong regularizers on both levels make the weight windows non-empty: the search stays inside. */
    @Test
    void theLinesearchStaysInsideNonEmptyWindows() {
        DMatrixRMaj m = lowRank(12, 10, 2, 0.1, 1);
        var p = sparseLowRank(m, 2, 3.0, 3.0, 3.0, 3.0);
        Binno binno = new Binno(BinnoWeights.LINESEARCH);
        BinnoState s = binno.init(p, p.uniformStart(1), SolverOptions.defaults());
        int xInside = 0;
        int yInside = 0;
        for (int k = 0; k < 30; k++) {
            binno.step(p, s);
            double[] aw = s.alphaWindow();
            double[] bw = s.betaWindow();
            if (aw[0] <= aw[1]) {
                assertThat(s.alpha()).as("alpha at %d", k).isBetween(BinnoRules.clip01(aw[0]), BinnoRules.clip01(aw[1]));
                xInside++;
            }
            if (bw[0] <= bw[1]) {
                assertThat(s.beta()).as("beta at %d", k).isBetween(BinnoRules.clip01(bw[0]), BinnoRules.clip01(bw[1]));
                yInside++;
            }
        }
        assertThat(xInside).isPositive();
        assertThat(yInside).isPositive();
        assertThat(s.iteration()).isEqualTo(30);
        assertThat(s.descentFailures()).isBetween(0, 30);
        // a non-finite iterate reads as such
        s.x().data[0] = Double.NaN;
        assertThat(s.isFinite()).isFalse();
        assertThat(CouplingEvaluator.finite(s.x())).isFalse();
        assertThat(CouplingEvaluator.finite(s.y())).isTrue();
        assertThat(BinnoWeights.MIDPOINT.label()).isEqualTo("midpoint");
        assertThat(BinnoWeights.LINESEARCH.label()).isEqualTo("linesearch");
        assertThat(binno.name()).isEqualTo("BINNO(linesearch)");
        assertThat(binno.weights()).isSameAs(BinnoWeights.LINESEARCH);
    }

    /** A coupling that forwards to h and returns NaN from value() from the call numbered nanFrom on. */
    static BlockCoupling delegate(FactorizationCoupling h, int nanFrom) {
        return new BlockCoupling() {
            private int calls;

            @Override
            public int xRows() {
                return h.xRows();
            }

            @Override
            public int xCols() {
                return h.xCols();
            }

            @Override
            public int yRows() {
                return h.yRows();
            }

            @Override
            public int yCols() {
                return h.yCols();
            }

            @Override
            public double value(DMatrixRMaj x, DMatrixRMaj y) {
                calls++;
                return nanFrom >= 0 && calls >= nanFrom ? Double.NaN : h.value(x, y);
            }

            @Override
            public void gradientX(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj out) {
                h.gradientX(x, y, out);
            }

            @Override
            public void gradientY(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj out) {
                h.gradientY(x, y, out);
            }

            @Override
            public double lipschitzX(DMatrixRMaj y) {
                return h.lipschitzX(y);
            }

            @Override
            public double lipschitzY(DMatrixRMaj x) {
                return h.lipschitzY(x);
            }
        };
    }

    @Test
    void aNonFiniteValueStopsWithDivergedAndKeepsTheLastGoodIterate() {
        DMatrixRMaj m = lowRank(20, 15, 3, 0.1, 4);
        FactorizationCoupling fc = new FactorizationCoupling(m, 3);
        // value() is called once by init and once per midpoint iteration: NaN from iteration 6 on
        var bad = BlockCompositeBilevelProblem.builder(delegate(fc, 7)).upper(new NormL1(0.05), new NormL1(0.05))
                .lower(new NuclearNorm(0.02), new NuclearNorm(0.02)).build();
        var good = BlockCompositeBilevelProblem.builder(delegate(fc, -1)).upper(new NormL1(0.05), new NormL1(0.05))
                .lower(new NuclearNorm(0.02), new NuclearNorm(0.02)).build();
        Result<BlockIterate> r = new Binno(BinnoWeights.MIDPOINT).solve(bad, bad.uniformStart(2),
                SolverOptions.builder().maxIterations(100).build());
        assertThat(r.stopReason()).isEqualTo(StopReason.DIVERGED);
        assertThat(r.iterations()).isEqualTo(5);
        assertThat(r.message()).contains("iteration 6");
        Result<BlockIterate> ref = new Binno(BinnoWeights.MIDPOINT).solve(good, good.uniformStart(2),
                SolverOptions.builder().maxIterations(5).build());
        assertThat(MatOps.distance(r.solution().x(), ref.solution().x())).isZero();
        assertThat(MatOps.distance(r.solution().y(), ref.solution().y())).isZero();
        // the trace keeps the good rows and the failing one
        assertThat(r.trace().size()).isEqualTo(6);
        assertThat(r.trace().lastValue("psi1")).isNaN();
    }

    @Test
    void sameSeedGivesTheSameTrace() {
        DMatrixRMaj m = lowRank(30, 20, 3, 0.05, 8);
        var p = sparseLowRank(m, 3, 0.01, 0.01, 0.01, 0.01);
        SolverOptions o = SolverOptions.builder().maxIterations(100).seed(4).build();
        Trace a = new Binno(BinnoWeights.LINESEARCH).solve(p, p.uniformStart(o.seed()), o).trace();
        Trace b = new Binno(BinnoWeights.LINESEARCH).solve(p, p.uniformStart(o.seed()), o).trace();
        assertThat(a.size()).isEqualTo(b.size());
        for (String c : a.columns()) {
            if (!c.equals("seconds")) {
                assertThat(a.column(c)).as(c).containsExactly(b.column(c));
            }
        }
    }

    @Test
    void midpointNeedsLipschitzConstantsAndSaysSo() {
        DMatrixRMaj m = lowRank(10, 8, 2, 0.0, 1);
        var p = BlockCompositeBilevelProblem.builder(new FactorizationCoupling(m, 2))
                .upper(new NormL1(0.01), new NormL1(0.01)).lower(new IndNonnegative(), new IndNonnegative()).build();
        assertThatThrownBy(() -> new Binno(BinnoWeights.MIDPOINT).init(p, p.uniformStart(0), SolverOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("f2 = IndNonnegative")
                .hasMessageContaining("LINESEARCH");
    }

    @Test
    void linesearchHandlesNonnegativityIndicatorsAndKeepsTheLowerLevelFeasible() {
        // lower level: nonnegative matrix factorization; upper level: sparse factors
        DMatrixRMaj w = lowRank(25, 3, 3, 0, 6);
        DMatrixRMaj h = lowRank(3, 20, 3, 0, 7);
        for (int i = 0; i < w.getNumElements(); i++) {
            w.data[i] = Math.abs(w.data[i]);
        }
        for (int i = 0; i < h.getNumElements(); i++) {
            h.data[i] = Math.abs(h.data[i]);
        }
        DMatrixRMaj m = new DMatrixRMaj(25, 20);
        CommonOps_DDRM.mult(w, h, m);
        var p = BlockCompositeBilevelProblem.builder(new FactorizationCoupling(m, 3))
                .upper(new NormL1(0.01), new NormL1(0.01)).lower(new IndNonnegative(), new IndNonnegative()).build();
        Result<BlockIterate> r = new Binno(BinnoWeights.LINESEARCH).solve(p, p.uniformStart(3),
                SolverOptions.builder().maxIterations(400).build());
        assertThat(r.stopReason()).isEqualTo(StopReason.MAX_ITERATIONS);
        DMatrixRMaj x = r.solution().x();
        DMatrixRMaj y = r.solution().y();
        assertThat(CommonOps_DDRM.elementMin(x)).isGreaterThanOrEqualTo(0.0);
        assertThat(CommonOps_DDRM.elementMin(y)).isGreaterThanOrEqualTo(0.0);
        assertThat(r.trace().column("psi2_decreased")).containsOnly(1.0);
        assertThat(relErr(m, r.solution().product())).isLessThan(0.05);
    }

    @Test
    void cancellationStopsAtTheRequestedIteration() {
        DMatrixRMaj m = lowRank(10, 8, 2, 0.0, 1);
        var p = sparseLowRank(m, 2, 0.01, 0.01, 0.01, 0.01);
        IterationListener stopAt7 = new IterationListener() {
            private int last;

            @Override
            public void onIteration(IterationInfo info) {
                last = info.iteration();
                assertThat(info.get("psi1")).isFinite();
            }

            @Override
            public boolean isCancelled() {
                return last >= 7;
            }
        };
        Result<BlockIterate> r = new Binno(BinnoWeights.MIDPOINT).solve(p, p.uniformStart(0),
                SolverOptions.defaults(), stopAt7);
        assertThat(r.stopReason()).isEqualTo(StopReason.CANCELLED);
        assertThat(r.iterations()).isEqualTo(7);
    }

    @Test
    void relativeChangeStopFiresOnceBothLevelsSettle() {
        DMatrixRMaj m = lowRank(30, 20, 2, 0.0, 2);
        var p = sparseLowRank(m, 2, 0.001, 0.001, 0.001, 0.001);
        Result<BlockIterate> r = new Binno(BinnoWeights.MIDPOINT).solve(p, p.uniformStart(0),
                SolverOptions.builder().maxIterations(100_000).relativeTolerance(1e-10).build());
        assertThat(r.stopReason()).isEqualTo(StopReason.CONVERGED);
        double[] psi1 = r.trace().column("psi1");
        int n = psi1.length;
        assertThat(Math.abs(psi1[n - 1] - psi1[n - 2]) / Math.max(1, Math.abs(psi1[n - 2]))).isLessThanOrEqualTo(1e-10);
    }

    @Test
    void startOfTheWrongShapeIsRejected() {
        var p = sparseLowRank(lowRank(10, 8, 2, 0, 1), 2, 0.01, 0.01, 0.01, 0.01);
        BlockIterate bad = new BlockIterate(new DMatrixRMaj(10, 3), new DMatrixRMaj(2, 8));
        assertThatThrownBy(() -> new Binno(BinnoWeights.MIDPOINT).solve(p, bad, SolverOptions.defaults()))
                .hasMessage("X is 10x3, expected 10x2");
    }
}
