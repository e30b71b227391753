package org.bilevel4j.solver.binno;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.bilevel4j.function.BoxedQuadratic;
import org.bilevel4j.function.IndNonnegative;
import org.bilevel4j.function.NormL1;
import org.bilevel4j.function.NuclearNorm;
import org.bilevel4j.function.SqrNormL2;
import org.bilevel4j.linalg.MatOps;
import org.bilevel4j.problem.BlockCompositeBilevelProblem;
import org.bilevel4j.problem.BlockIterate;
import org.bilevel4j.problem.FactorizationCoupling;
import org.bilevel4j.solver.SolverOptions;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

/** The iteration of the vanishing-weight rule (our extension), against the formulas of {@link Binno}. */
class BinnoVanishingStepTest {

    private static final int M = 7;
    private static final int N = 6;
    private static final int R = 2;
    private static final double GAMMA = 0.3;

    /** A separable quadratic with curvatures in [1, 3] on a wide box: smooth part a/2 X^2 + b X. */
    private static BoxedQuadratic quadratic(int rows, int cols, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        DMatrixRMaj a = new DMatrixRMaj(rows, cols);
        DMatrixRMaj b = new DMatrixRMaj(rows, cols);
        DMatrixRMaj lo = new DMatrixRMaj(rows, cols);
        DMatrixRMaj hi = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < a.getNumElements(); i++) {
            a.data[i] = 1 + 2 * rnd.nextDouble();
            b.data[i] = rnd.nextDouble(-1, 1);
            lo.data[i] = -100;
            hi.data[i] = 100;
        }
        a.data[0] = 3; // the Lipschitz constant of the smooth gradient
        return new BoxedQuadratic(a, b, 0, lo, hi);
    }

    private static DMatrixRMaj smoothStep(BoxedQuadratic q, DMatrixRMaj w) {
        DMatrixRMaj g = new DMatrixRMaj(w.numRows, w.numCols);
        q.smoothGradient(w, g);
        DMatrixRMaj u = w.copy();
        CommonOps_DDRM.addEquals(u, -1.0 / q.smoothLipschitz(), g);
        return u;
    }

    private static DMatrixRMaj mix(double a, DMatrixRMaj u, DMatrixRMaj l) {
        DMatrixRMaj out = new DMatrixRMaj(u.numRows, u.numCols);
        MatOps.combine(a, u, 1 - a, l, out);
        return out;
    }

    @Test
    void twoIterationsFollowTheFormulas() {
        DMatrixRMaj m = BinnoTest.lowRank(M, N, R, 0.1, 3);
        BoxedQuadratic f1 = quadratic(M, R, 1);
        BoxedQuadratic g1 = quadratic(R, N, 2);
        var p = BlockCompositeBilevelProblem.builder(new FactorizationCoupling(m, R)).upper(f1, g1)
                .lower(new NuclearNorm(GAMMA), new NuclearNorm(GAMMA)).build();
        BinnoWeights.Vanishing v = new BinnoWeights.Vanishing(0.6, 0.4, 0.5);
        Binno binno = new Binno(v);
        BlockIterate start = p.uniformStart(4);
        BinnoState s = binno.init(p, start, SolverOptions.defaults());
        DMatrixRMaj wx = start.x().copy();
        DMatrixRMaj wy = start.y().copy();
        for (int k = 0; k < 2; k++) {
            double psi1 = s.psi1();
            double psi2 = s.psi2();
            binno.step(p, s);
            // lower sweep from W
            DMatrixRMaj yyt = new DMatrixRMaj(R, R);
            CommonOps_DDRM.multTransB(wy, wy, yyt);
            double nuX = 1 / MatOps.spectralNormPsd(yyt);
            DMatrixRMaj resid = new DMatrixRMaj(M, N);
            CommonOps_DDRM.mult(wx, wy, resid);
            CommonOps_DDRM.subtractEquals(resid, m);
            DMatrixRMaj gx = new DMatrixRMaj(M, R);
            CommonOps_DDRM.multTransB(resid, wy, gx);
            DMatrixRMaj z = wx.copy();
            CommonOps_DDRM.addEquals(z, -nuX, gx);
            DMatrixRMaj xl = new NuclearNorm(GAMMA).prox(z, nuX);
            DMatrixRMaj xtx = new DMatrixRMaj(R, R);
            CommonOps_DDRM.multTransA(xl, xl, xtx);
            double nuY = 1 / MatOps.spectralNormPsd(xtx);
            CommonOps_DDRM.mult(xl, wy, resid);
            CommonOps_DDRM.subtractEquals(resid, m);
            DMatrixRMaj gy = new DMatrixRMaj(R, N);
            CommonOps_DDRM.multTransA(xl, resid, gy);
            DMatrixRMaj w = wy.copy();
            CommonOps_DDRM.addEquals(w, -nuY, gy);
            DMatrixRMaj yl = new NuclearNorm(GAMMA).prox(w, nuY);
            // upper gradient steps from W with 1 / (the smooth parts' constants), here 1/3
            DMatrixRMaj ux = smoothStep(f1, wx);
            DMatrixRMaj uy = smoothStep(g1, wy);
            double alpha = 0.6 / Math.pow(k + 1, 0.5);
            double beta = 0.4 / Math.pow(k + 1, 0.5);
            wx = mix(alpha, ux, xl);
            wy = mix(beta, uy, yl);

            assertThat(s.nuX).as("nu_X at %d", k).isCloseTo(nuX, within(1e-12 * nuX));
            assertThat(s.nuY).as("nu_Y at %d", k).isCloseTo(nuY, within(1e-12 * nuY));
            assertThat(s.alpha()).isEqualTo(alpha);
            assertThat(s.beta()).isEqualTo(beta);
            assertThat(MatOps.distance(s.x(), xl)).as("reported X at %d", k).isLessThan(1e-11);
            assertThat(MatOps.distance(s.y(), yl)).as("reported Y at %d", k).isLessThan(1e-11);
            assertThat(MatOps.distance(s.wx, wx)).as("mixture X at %d", k).isLessThan(1e-11);
            assertThat(MatOps.distance(s.wy, wy)).as("mixture Y at %d", k).isLessThan(1e-11);
            // the objectives at the reported point
            DMatrixRMaj xy = new DMatrixRMaj(M, N);
            CommonOps_DDRM.mult(xl, yl, xy);
            double h = 0.5 * MatOps.distance(xy, m) * MatOps.distance(xy, m);
            assertThat(s.psi1()).isCloseTo(f1.value(xl) + g1.value(yl) + h, within(1e-10));
            assertThat(s.psi2()).isCloseTo(new NuclearNorm(GAMMA).value(xl) + new NuclearNorm(GAMMA).value(yl) + h,
                    within(1e-10));
            assertThat(s.psi1Decreased).isEqualTo(s.psi1() <= psi1);
            assertThat(s.psi2Decreased).isEqualTo(s.psi2() <= psi2);
            assertThat(s.iteration()).isEqualTo(k + 1);
            assertThat(s.alphaWindow()).containsExactly(0, 1);
            assertThat(s.betaWindow()).containsExactly(0, 1);
            assertThat(s.trials).isEqualTo(1);
        }
    }

    @Test
    void aRollbackRestartsTheMixtureFromTheLastGoodPoint() {
        DMatrixRMaj m = BinnoTest.lowRank(M, N, R, 0.1, 3);
        var p = BlockCompositeBilevelProblem.builder(new FactorizationCoupling(m, R))
                .upper(quadratic(M, R, 1), quadratic(R, N, 2))
                .lower(new NuclearNorm(GAMMA), new NuclearNorm(GAMMA)).build();
        Binno binno = new Binno(new BinnoWeights.Vanishing(0.6, 0.4, 1));
        BinnoState s = binno.init(p, p.uniformStart(4), SolverOptions.defaults());
        binno.step(p, s);
        s.commit();
        DMatrixRMaj goodX = s.x().copy();
        binno.step(p, s);
        s.rollback();
        assertThat(MatOps.distance(s.x(), goodX)).isZero();
        assertThat(MatOps.distance(s.wx, goodX)).isZero();
        assertThat(MatOps.distance(s.wy, s.y())).isZero();
    }

    @Test
    void theRuleNeedsSmoothUpperPartsAndSaysWhich() {
        DMatrixRMaj m = BinnoTest.lowRank(M, N, R, 0.1, 3);
        Binno binno = new Binno(new BinnoWeights.Vanishing(0.6, 0.4, 1));
        var l1 = BlockCompositeBilevelProblem.builder(new FactorizationCoupling(m, R))
                .upper(new NormL1(0.1), quadratic(R, N, 2)).lower(new NuclearNorm(GAMMA), new NuclearNorm(GAMMA))
                .build();
        assertThatThrownBy(() -> binno.init(l1, l1.uniformStart(1), SolverOptions.defaults()))
                .hasMessageContaining("f1 = ").hasMessageContaining("no smooth part");
        var g1 = BlockCompositeBilevelProblem.builder(new FactorizationCoupling(m, R))
                .upper(quadratic(M, R, 1), new NormL1(0.1)).lower(new NuclearNorm(GAMMA), new NuclearNorm(GAMMA))
                .build();
        assertThatThrownBy(() -> binno.init(g1, g1.uniformStart(1), SolverOptions.defaults()))
                .hasMessageContaining("g1 = ").hasMessageContaining("no smooth part");
        // a linear cost on a box has a smooth part with constant 0: no step 1/0
        DMatrixRMaj zero = new DMatrixRMaj(M, R);
        DMatrixRMaj lo = new DMatrixRMaj(M, R);
        lo.fill(-1);
        DMatrixRMaj hi = new DMatrixRMaj(M, R);
        hi.fill(1);
        var flat = BlockCompositeBilevelProblem.builder(new FactorizationCoupling(m, R))
                .upper(new BoxedQuadratic(zero, zero, 0, lo, hi), quadratic(R, N, 2))
                .lower(new NuclearNorm(GAMMA), new NuclearNorm(GAMMA)).build();
        assertThatThrownBy(() -> binno.init(flat, flat.uniformStart(1), SolverOptions.defaults()))
                .hasMessageContaining("must be positive").hasMessageContaining("got 0.0 and 3.0");
        DMatrixRMaj zeroY = new DMatrixRMaj(R, N);
        DMatrixRMaj loY = new DMatrixRMaj(R, N);
        loY.fill(-1);
        DMatrixRMaj hiY = new DMatrixRMaj(R, N);
        hiY.fill(1);
        var flatG = BlockCompositeBilevelProblem.builder(new FactorizationCoupling(m, R))
                .upper(quadratic(M, R, 1), new BoxedQuadratic(zeroY, zeroY, 0, loY, hiY))
                .lower(new NuclearNorm(GAMMA), new NuclearNorm(GAMMA)).build();
        assertThatThrownBy(() -> binno.init(flatG, flatG.uniformStart(1), SolverOptions.defaults()))
                .hasMessageContaining("must be positive").hasMessageContaining("got 3.0 and 0.0");
    }

    @Test
    void midpointNamesTheTermWithoutAConstant() {
        DMatrixRMaj m = BinnoTest.lowRank(M, N, R, 0.1, 3);
        Binno mid = new Binno(BinnoWeights.MIDPOINT);
        assertThat(mid.weights()).isSameAs(BinnoWeights.MIDPOINT);
        var noF1 = BlockCompositeBilevelProblem.builder(new FactorizationCoupling(m, R))
                .upper(new IndNonnegative(), new NormL1(0.1)).lower(new NormL1(0.1), new NormL1(0.1)).build();
        assertThatThrownBy(() -> mid.init(noF1, noF1.uniformStart(1), SolverOptions.defaults()))
                .hasMessageContaining("but f1 = IndNonnegative");
        var noG1 = BlockCompositeBilevelProblem.builder(new FactorizationCoupling(m, R))
                .upper(new NormL1(0.1), new IndNonnegative()).lower(new NormL1(0.1), new NormL1(0.1)).build();
        assertThatThrownBy(() -> mid.init(noG1, noG1.uniformStart(1), SolverOptions.defaults()))
                .hasMessageContaining("but g1 = IndNonnegative");
        var noG2 = BlockCompositeBilevelProblem.builder(new FactorizationCoupling(m, R))
                .upper(new NormL1(0.1), new NormL1(0.1)).lower(new NormL1(0.1), new IndNonnegative()).build();
        assertThatThrownBy(() -> mid.init(noG2, noG2.uniformStart(1), SolverOptions.defaults()))
                .hasMessageContaining("but g2 = IndNonnegative");
        DMatrixRMaj bad = new DMatrixRMaj(M, R);
        bad.fill(Double.NaN);
        var ok = BlockCompositeBilevelProblem.builder(new FactorizationCoupling(m, R))
                .upper(new NormL1(0.1), new NormL1(0.1)).lower(new NormL1(0.1), new NormL1(0.1)).build();
        assertThatThrownBy(() -> mid.init(ok, new BlockIterate(bad, ok.uniformStart(1).y()), SolverOptions.defaults()))
                .hasMessageContaining("non-finite");
        assertThatThrownBy(() -> mid.init(ok, new BlockIterate(ok.uniformStart(1).x(), new DMatrixRMaj(R, N + 1)),
                SolverOptions.defaults())).isInstanceOf(IllegalArgumentException.class);
    }

    /** A SmoothFunction upper level (mu/2 ||.||^2, gradient mu X, constant mu): the upper step is X - X = 0. */
    @Test
    void aSmoothFunctionUpperLevelStepsWithItsOwnGradient() {
        DMatrixRMaj m = BinnoTest.lowRank(M, N, R, 0.1, 3);
        var p = BlockCompositeBilevelProblem.builder(new FactorizationCoupling(m, R))
                .upper(new SqrNormL2(0.7), new SqrNormL2(0.4)).lower(new NuclearNorm(GAMMA), new NuclearNorm(GAMMA))
                .build();
        Binno binno = new Binno(new BinnoWeights.Vanishing(0.5, 0.25, 1));
        BinnoState s = binno.init(p, p.uniformStart(2), SolverOptions.defaults());
        binno.step(p, s);
        // W+ = alpha * 0 + (1 - alpha) (Xl, Yl), and (Xl, Yl) is the reported point
        DMatrixRMaj wx = s.x().copy();
        CommonOps_DDRM.scale(0.5, wx);
        DMatrixRMaj wy = s.y().copy();
        CommonOps_DDRM.scale(0.75, wy);
        assertThat(MatOps.distance(s.wx, wx)).isLessThan(1e-14);
        assertThat(MatOps.distance(s.wy, wy)).isLessThan(1e-14);
    }

    /** At a fixed point (M = 0, start 0, no linear terms) nothing moves: equal values count as decreased. */
    @Test
    void equalValuesCountAsDecreased() {
        DMatrixRMaj m = new DMatrixRMaj(M, N);
        DMatrixRMaj a = new DMatrixRMaj(M, R);
        a.fill(2);
        DMatrixRMaj lo = new DMatrixRMaj(M, R);
        lo.fill(-1);
        DMatrixRMaj hi = new DMatrixRMaj(M, R);
        hi.fill(1);
        DMatrixRMaj ay = new DMatrixRMaj(R, N);
        ay.fill(2);
        DMatrixRMaj loY = new DMatrixRMaj(R, N);
        loY.fill(-1);
        DMatrixRMaj hiY = new DMatrixRMaj(R, N);
        hiY.fill(1);
        var p = BlockCompositeBilevelProblem.builder(new FactorizationCoupling(m, R))
                .upper(new BoxedQuadratic(a, new DMatrixRMaj(M, R), 0, lo, hi),
                        new BoxedQuadratic(ay, new DMatrixRMaj(R, N), 0, loY, hiY))
                .lower(new NuclearNorm(GAMMA), new NuclearNorm(GAMMA)).build();
        Binno binno = new Binno(new BinnoWeights.Vanishing(0.5, 0.5, 1));
        BinnoState s = binno.init(p, new BlockIterate(new DMatrixRMaj(M, R), new DMatrixRMaj(R, N)),
                SolverOptions.defaults());
        binno.step(p, s);
        assertThat(s.psi1()).isZero();
        assertThat(s.psi2()).isZero();
        assertThat(s.psi1Decreased).isTrue();
        assertThat(s.psi2Decreased).isTrue();
    }
}
