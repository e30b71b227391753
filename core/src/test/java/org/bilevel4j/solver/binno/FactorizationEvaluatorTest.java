package org.bilevel4j.solver.binno;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.bilevel4j.function.NormL1;
import org.bilevel4j.linalg.MatOps;
import org.bilevel4j.problem.BlockCompositeBilevelProblem;
import org.bilevel4j.problem.BlockIterate;
import org.bilevel4j.problem.FactorizationCoupling;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

/**
 * {@link FactorizationEvaluator}'s guards and cache on small matrices built so that each answer is
 * known by hand: the nuclear norm from the Gram eigenvalues (and where its error bound refuses it),
 * H where the Gram identity would be inaccurate, the Gram cache of candidates, and the fused forward X step
 * against the steps it replaces, bit for bit.
 */
class FactorizationEvaluatorTest {

    private static DMatrixRMaj random(int rows, int cols, SplittableRandom rnd) {
        DMatrixRMaj a = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < a.getNumElements(); i++) {
            a.data[i] = rnd.nextDouble(-1, 1);
        }
        return a;
    }

    /** Before any point is current there is no nuclear norm; a factor whose Gram trace overflows has none either. */
    @Test
    void noNuclearNormWithoutACurrentPointOrWithAnOverflowingGramMatrix() {
        SplittableRandom rnd = new SplittableRandom(1);
        DMatrixRMaj m = random(8, 6, rnd);
        FactorizationEvaluator ev = new FactorizationEvaluator(new FactorizationCoupling(m, 2));
        assertThat(ev.nuclearNorm(true)).isNaN();
        assertThat(ev.nuclearNorm(false)).isNaN();
        DMatrixRMaj x = random(8, 2, rnd);
        x.set(3, 1, 1e200); // its square overflows: trace(X^T X) = +inf
        ev.setCurrent(x, random(2, 6, rnd));
        assertThat(ev.nuclearNorm(true)).isNaN();
        assertThat(ev.nuclearNorm(false)).isGreaterThan(0).isFinite();
    }

    /**
     * A factor whose only nonzero column is the second: G = X^T X = diag(0, 9, 0, 0) and
     * ||X||_* = 3. The trace is the sum of the diagonal (9), not of any other four entries (all 0).
     */
    @Test
    void theNuclearNormOfAFactorWithOneNonzeroColumnIsThatColumnsNorm() {
        DMatrixRMaj m = new DMatrixRMaj(10, 12);
        FactorizationEvaluator ev = new FactorizationEvaluator(new FactorizationCoupling(m, 4));
        DMatrixRMaj x = new DMatrixRMaj(10, 4);
        x.set(0, 1, 2); // column norms 0, 3, 0, 0
        x.set(5, 1, -1);
        x.set(7, 1, 2);
        DMatrixRMaj y = new DMatrixRMaj(4, 12);
        y.set(2, 0, 0.5); // row norms 0, 0, 0.5, 0
        ev.setCurrent(x, y);
        assertThat(ev.nuclearNorm(true)).isCloseTo(3.0, within(1e-15));
        assertThat(ev.nuclearNorm(false)).isCloseTo(0.5, within(1e-16));
    }

    /**
     * The guard's threshold, by hand. A factor with a single entry 2 has G = diag(4, 0, 0, 0), exact,
     * and computed eigenvalues 4, 0, 0, 0: the sum is 2 and, with {@code delta = 2 gamma_k * 4},
     * {@code gamma_k = k u / (1 - k u)}, {@code u = 2^-53}, the bound is
     * {@code (2 - sqrt(4 - delta)) + 3 sqrt(delta)}, accepted when at most {@code 2^-20 * 2}. With
     * {@code k = d + 4r + 2 = d + 18} (d = m for X, n for Y) the bound is 1.90714e-6 for d = 437
     * (k = 455) and 1.90924e-6 for d = 438 (k = 456), against 2^-19 = 1.90735e-6: a factor with 437
     * rows is accepted, a factor with 438 columns is refused (NaN, the caller takes the SVD). The two
     * sides use their own inner dimension; the bound scales with the trace, so the scaled factor
     * (entry 2 rather than 1) is decided as the unit one.
     */
    @Test
    void theNuclearNormGuardAcceptsAndRefusesWhereItsBoundSaysSo() {
        DMatrixRMaj m = new DMatrixRMaj(437, 438);
        FactorizationEvaluator ev = new FactorizationEvaluator(new FactorizationCoupling(m, 4));
        DMatrixRMaj x = new DMatrixRMaj(437, 4);
        x.set(100, 0, 2);
        DMatrixRMaj y = new DMatrixRMaj(4, 438);
        y.set(0, 200, 2);
        ev.setCurrent(x, y);
        assertThat(ev.nuclearNorm(true)).isEqualTo(2.0);
        assertThat(ev.nuclearNorm(false)).isNaN();
        // the same data transposed: X now has 438 rows (refused), Y 437 columns (accepted)
        FactorizationEvaluator tr = new FactorizationEvaluator(new FactorizationCoupling(new DMatrixRMaj(438, 437), 4));
        DMatrixRMaj xt = new DMatrixRMaj(438, 4);
        xt.set(200, 0, 2);
        DMatrixRMaj yt = new DMatrixRMaj(4, 437);
        yt.set(0, 100, 2);
        tr.setCurrent(xt, yt);
        assertThat(tr.nuclearNorm(true)).isNaN();
        assertThat(tr.nuclearNorm(false)).isEqualTo(2.0);
    }

    /**
     * An eigenvalue l between delta / 3 and delta is uncertain down to 0, so it adds its whole square
     * root to the bound (not {@code sqrt(l + delta) - sqrt(l)}, the distance to the upper end). X with
     * entries 2 and 2^-21 in two columns: G = diag(4, 2^-42, 0, 0), exact, and on 580 rows
     * ({@code k = 598}) {@code delta = 5.31e-13}, so {@code l = 2.27e-13} is in that range. The bound
     * {@code delta / 4 + 2^-21 + 2 sqrt(delta) = 1.9344e-6} is above {@code 2^-20 (2 + 2^-21) = 1.9073e-6}:
     * refused. (With the distance to the upper end, 3.94e-7 instead of 2^-21 = 4.77e-7, the bound would
     * be 1.8517e-6 and the norm would be accepted.)
     */
    @Test
    void anEigenvalueBelowItsUncertaintyCountsWithItsWholeSquareRoot() {
        FactorizationEvaluator ev = new FactorizationEvaluator(new FactorizationCoupling(new DMatrixRMaj(580, 6), 4));
        DMatrixRMaj x = new DMatrixRMaj(580, 4);
        x.set(0, 0, 2);
        x.set(1, 1, 0x1p-21);
        DMatrixRMaj y = new DMatrixRMaj(4, 6);
        y.set(0, 0, 1);
        ev.setCurrent(x, y);
        assertThat(ev.nuclearNorm(true)).isNaN();
    }

    /**
     * An exact rank-one factorization plus a small E: H = ||E||^2 / 2 (about 5e-9) is far below the
     * rounding of the Gram identity's terms (about u ||M||^2 = 1e-14 times a growth factor, against
     * a guaranteed bound of 2^10 gamma_K (||M|| + ||x|| ||y||)^2 = 2e-8 on 2H), so the guard sends the
     * evaluation to the residual: the value agrees with the residual summed here entry by entry to
     * 1e-12 of H, while the identity evaluated with the same products is off by more than that.
     */
    @Test
    void whereTheGramIdentityIsInaccurateTheValueComesFromTheResidual() {
        SplittableRandom rnd = new SplittableRandom(11);
        for (double e : new double[] {4e-6, 4e-7}) {
            DMatrixRMaj x = random(30, 1, rnd);
            DMatrixRMaj y = random(1, 20, rnd);
            DMatrixRMaj m = new DMatrixRMaj(30, 20);
            CommonOps_DDRM.mult(x, y, m);
            for (int i = 0; i < m.getNumElements(); i++) {
                m.data[i] += rnd.nextBoolean() ? e : -e;
            }
            double h = residualHalfSquare(m, x, y);
            FactorizationCoupling fc = new FactorizationCoupling(m, 1);
            FactorizationEvaluator ev = new FactorizationEvaluator(fc);
            assertThat(ev.setCurrent(x, y)).as("e = %s", e).isCloseTo(h, within(1e-12 * h));
            DMatrixRMaj p = new DMatrixRMaj(30, 1);
            CommonOps_DDRM.multTransB(m, y, p);
            double identity = 0.5 * (fc.normSqData() - 2 * MatOps.dot(x, p)
                    + MatOps.normSq(x) * MatOps.normSq(y));
            assertThat(Math.abs(identity - h)).as("the identity's error, e = %s", e).isGreaterThan(1e-9 * h);
        }
        // one column (n = r = 1, K = 3m + 5 = 605): x_i = (37 i mod 101) / 101 - 1/2, y = 1.25, E = +-5.5e-6,
        // 2H = 6.05e-9, while 2^10 gamma_K S is 1.0e-8 (with K = m + 5 it would be 3.4e-9: accepted)
        DMatrixRMaj x = new DMatrixRMaj(200, 1);
        DMatrixRMaj y = new DMatrixRMaj(1, 1);
        y.set(0, 0, 1.25);
        DMatrixRMaj m = new DMatrixRMaj(200, 1);
        for (int i = 0; i < 200; i++) {
            x.set(i, 0, (i * 37 % 101) / 101.0 - 0.5);
            m.set(i, 0, x.get(i, 0) * 1.25 + (i % 2 == 0 ? 5.5e-6 : -5.5e-6));
        }
        double h = residualHalfSquare(m, x, y);
        FactorizationCoupling fc = new FactorizationCoupling(m, 1);
        assertThat(new FactorizationEvaluator(fc).setCurrent(x, y)).as("one column").isCloseTo(h, within(1e-12 * h));
        double identity = 0.5 * (fc.normSqData() - 2 * MatOps.dot(x, m) * 1.25 + MatOps.normSq(x) * 1.5625);
        assertThat(Math.abs(identity - h)).as("the identity's error, one column").isGreaterThan(1e-9 * h);
    }

    private static double residualHalfSquare(DMatrixRMaj m, DMatrixRMaj x, DMatrixRMaj y) {
        double s = 0;
        for (int i = 0; i < m.numRows; i++) {
            for (int j = 0; j < m.numCols; j++) {
                double d = m.get(i, j);
                for (int k = 0; k < x.numCols; k++) {
                    d -= x.get(i, k) * y.get(k, j);
                }
                s += d * d;
            }
        }
        return 0.5 * s;
    }

    /**
     * The Gram cache follows the candidates: a candidate changed in place and passed to lipschitzY
     * again gets its new Gram matrix, and a second gradientYPair (no lipschitzY in between) recomputes
     * the Gram matrices of candidates changed since the first. Every gradient is checked against the
     * coupling's own {@code X^T (X Y - M)}.
     */
    @Test
    void theGramCacheFollowsCandidatesChangedInPlace() {
        SplittableRandom rnd = new SplittableRandom(4);
        DMatrixRMaj m = random(9, 7, rnd);
        FactorizationCoupling fc = new FactorizationCoupling(m, 2);
        FactorizationEvaluator ev = new FactorizationEvaluator(fc);
        DMatrixRMaj y = random(2, 7, rnd);
        ev.setCurrent(random(9, 2, rnd), y);
        DMatrixRMaj a = random(9, 2, rnd);
        DMatrixRMaj b = random(9, 2, rnd);
        DMatrixRMaj gu = new DMatrixRMaj(2, 7);
        DMatrixRMaj gl = new DMatrixRMaj(2, 7);

        // lipschitzY(a), a changes, lipschitzY(a) again: the second Gram matrix is the one used
        ev.lipschitzY(a);
        CommonOps_DDRM.scale(3.0, a);
        assertThat(ev.lipschitzY(a)).isCloseTo(fc.lipschitzY(a), within(1e-12 * fc.lipschitzY(a)));
        ev.gradientYPair(a, b, gu, gl);
        assertGradient(fc, a, y, gu, "a after lipschitzY twice");
        assertGradient(fc, b, y, gl, "b");

        // a changes again; the next gradientYPair must not reuse the Gram matrix of the first
        CommonOps_DDRM.scale(-0.5, a);
        ev.gradientYPair(a, b, gu, gl);
        assertGradient(fc, a, y, gu, "a changed after gradientYPair");
        assertGradient(fc, b, y, gl, "b again");

        // a new current point; b, then a, then a changed and passed again: its new Gram matrix is used
        ev.setCurrent(random(9, 2, rnd), y);
        ev.lipschitzY(b);
        ev.lipschitzY(a);
        CommonOps_DDRM.scale(2.0, a);
        ev.lipschitzY(a);
        ev.gradientYPair(a, b, gu, gl);
        assertGradient(fc, a, y, gu, "a after b, a");
        assertGradient(fc, b, y, gl, "b after b, a");
    }

    /**
     * The fused forward step and l1 prox give the bits of the three steps it replaces (gradient, combination,
     * NormL1's prox), with soft-thresholded entries on both sides of the threshold and exact zeros; any other
     * f1, a step that is not positive and finite, and an X that is not the current one take those steps.
     */
    @Test
    void theFusedForwardStepAndL1ProxGiveTheBitsOfTheStepsItReplaces() {
        SplittableRandom rnd = new SplittableRandom(11);
        for (int[] shape : new int[][] {{9, 7, 2}, {40, 13, 5}, {300, 31, 9}}) {
            DMatrixRMaj m = random(shape[0], shape[1], rnd);
            FactorizationEvaluator ev = new FactorizationEvaluator(new FactorizationCoupling(m, shape[2]));
            DMatrixRMaj x = random(shape[0], shape[2], rnd);
            x.data[0] = 0.0;
            ev.setCurrent(x, random(shape[2], shape[1], rnd));
            for (double lambda : new double[] {0.0, 0.3, 5.0}) {
                double nu = 0.37;
                NormL1 l1 = new NormL1(lambda);
                DMatrixRMaj grad = new DMatrixRMaj(shape[0], shape[2]);
                DMatrixRMaj zWant = grad.createLike();
                DMatrixRMaj uWant = grad.createLike();
                ev.gradientX(grad);
                MatOps.combine(1.0, x, -nu, grad, zWant);
                l1.prox(zWant, nu, uWant);
                DMatrixRMaj z = grad.createLike();
                DMatrixRMaj u = grad.createLike();
                ev.forwardAndUpperProx(l1, nu, x, grad, z, u);
                assertThat(z.data).as("Z, lambda %s", lambda).isEqualTo(zWant.data);
                assertThat(u.data).as("Xu, lambda %s", lambda).isEqualTo(uWant.data);
                int zeros = 0;
                for (double v : u.data) {
                    zeros += v == 0 ? 1 : 0;
                }
                if (lambda == 0.3) {
                    assertThat(zeros).as("some entries thresholded to zero, some not").isBetween(1, u.data.length - 1);
                }
            }
            // other f1, a bad step, another X: the default's steps (and prox's error for the step)
            DMatrixRMaj z = new DMatrixRMaj(shape[0], shape[2]);
            DMatrixRMaj u = z.createLike();
            DMatrixRMaj zWant = z.createLike();
            DMatrixRMaj uWant = z.createLike();
            DMatrixRMaj grad = z.createLike();
            org.bilevel4j.function.ProxFunction zero = new org.bilevel4j.function.Zero();
            ev.forwardAndUpperProx(zero, 0.5, x, grad, z, u);
            ev.gradientX(grad);
            MatOps.combine(1.0, x, -0.5, grad, zWant);
            assertThat(z.data).isEqualTo(zWant.data);
            assertThat(u.data).as("the prox of zero is the identity").isEqualTo(zWant.data);
            assertThatThrownBy(() -> ev.forwardAndUpperProx(new NormL1(1), 0.0, x, grad, z, u))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prox step");
            assertThatThrownBy(() -> ev.forwardAndUpperProx(new NormL1(1), Double.POSITIVE_INFINITY, x, grad, z, u))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prox step");
            DMatrixRMaj other = x.copy();
            CommonOps_DDRM.scale(1.5, other); // not the current X: the default's steps, with this X in Z
            ev.forwardAndUpperProx(new NormL1(0.3), 0.5, other, grad, z, u);
            ev.gradientX(grad);
            MatOps.combine(1.0, other, -0.5, grad, zWant);
            new NormL1(0.3).prox(zWant, 0.5, uWant);
            assertThat(z.data).isEqualTo(zWant.data);
            assertThat(u.data).isEqualTo(uWant.data);
        }
    }

    /**
     * Whether M is kept by columns moves no bit: BINNO's iterates and both objectives over 120 iterations (past
     * the iteration that forms K = M^T M, n / r + 1 = 101) from one evaluator that keeps the copy and one that
     * does not, at a shape past the exact values' size (1100 x 1000, r = 10) where the default rule drops the
     * copy when the Vector API's padded kernel runs.
     */
    @Test
    void keepingMByColumnsOrNotGivesTheSameIterationsBitForBit() {
        DMatrixRMaj m = BinnoTest.lowRank(1100, 1000, 10, 0.1, 41);
        BlockCompositeBilevelProblem problem = BinnoTest.sparseLowRank(m, 10, 0.005, 0.005, 0.005, 0.005);
        FactorizationCoupling fc = (FactorizationCoupling) problem.coupling();
        assertThat(fc.exactValues()).isFalse();
        FactorizationEvaluator byDefault = new FactorizationEvaluator(fc);
        assertThat(byDefault.keepsColumns()).as("the default follows the rule with the rank")
                .isEqualTo(org.bilevel4j.linalg.TransposedMatrix.worthKeeping(1100, 1000, 10));
        FactorizationCoupling small = new FactorizationCoupling(BinnoTest.lowRank(1024, 1024, 10, 0.1, 42), 10);
        assertThat(small.exactValues()).isTrue();
        assertThat(new FactorizationEvaluator(small).keepsColumns()).as("exact values: the copy sums the residual")
                .isTrue();
        BlockIterate start = problem.uniformStart(3);
        Binno binno = new Binno(BinnoWeights.MIDPOINT);
        BinnoState kept = new BinnoState(problem, start, new FactorizationEvaluator(fc, true));
        BinnoState dropped = new BinnoState(problem, start, new FactorizationEvaluator(fc, false));
        assertThat(kept.psi1()).isEqualTo(dropped.psi1());
        for (int it = 0; it < 120; it++) {
            binno.step(problem, kept);
            binno.step(problem, dropped);
            assertThat(dropped.psi1()).as("Psi1, iteration %d", it).isEqualTo(kept.psi1());
            assertThat(dropped.psi2()).as("Psi2, iteration %d", it).isEqualTo(kept.psi2());
        }
        assertThat(dropped.x().data).isEqualTo(kept.x().data);
        assertThat(dropped.y().data).isEqualTo(kept.y().data);
    }

    private static void assertGradient(FactorizationCoupling fc, DMatrixRMaj xc, DMatrixRMaj y, DMatrixRMaj got,
            String what) {
        DMatrixRMaj want = new DMatrixRMaj(y.numRows, y.numCols);
        fc.gradientY(xc, y, want);
        assertThat(MatOps.distance(got, want)).as(what).isLessThan(1e-12 * Math.sqrt(MatOps.normSq(want)));
    }
}
