package org.bilevel4j.solver.binno;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.bilevel4j.function.NormL1;
import org.bilevel4j.function.NuclearNorm;
import org.bilevel4j.linalg.MatOps;
import org.bilevel4j.problem.BlockCompositeBilevelProblem;
import org.bilevel4j.problem.FactorizationCoupling;
import org.bilevel4j.solver.Result;
import org.bilevel4j.solver.SolverOptions;
import org.bilevel4j.problem.BlockIterate;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

/**
 * {@link FactorizationEvaluator}'s lower candidate product {@code Xl^T M = W^T (X^T M - nu G^T X^T M + nu Y M^T M)}
 * (its class comment): against the product formed from M, step by step and over whole runs that cross
 * {@link FactorizationEvaluator#EXACT_EVERY}.
 */
class LowerProductFromGramTest {

    /** {@code xc^T xc y - xc^T m}: grad_Y H(xc, y) from its definition. */
    private static DMatrixRMaj gradientY(DMatrixRMaj xc, DMatrixRMaj y, DMatrixRMaj m) {
        DMatrixRMaj r = new DMatrixRMaj(m.numRows, m.numCols);
        CommonOps_DDRM.mult(xc, y, r);
        CommonOps_DDRM.subtractEquals(r, m);
        DMatrixRMaj g = new DMatrixRMaj(xc.numCols, m.numCols);
        CommonOps_DDRM.multTransA(xc, r, g);
        return g;
    }

    /**
     * Binno's steps 1, 2, 4 and 5 through the evaluator at its current point x, in Binno's order: Z into
     * z, the candidates into xu and xl, their Y gradients into gu and gl; returns the step nu.
     */
    private static double candidates(FactorizationEvaluator ev, DMatrixRMaj x, NormL1 upper, NuclearNorm lower,
            DMatrixRMaj z, DMatrixRMaj xu, DMatrixRMaj xl, DMatrixRMaj gu, DMatrixRMaj gl) {
        double nu = 1 / ev.lipschitzX();
        DMatrixRMaj gradX = new DMatrixRMaj(x.numRows, x.numCols);
        ev.gradientX(gradX);
        MatOps.combine(1.0, x, -nu, gradX, z);
        upper.prox(z, nu, xu);
        ev.proxLowerX(lower, z, nu, xl);
        ev.lipschitzY(xu);
        ev.lipschitzY(xl);
        ev.gradientYPair(xu, xl, gu, gl);
        return nu;
    }

    private static double relDistance(DMatrixRMaj a, DMatrixRMaj b) {
        return MatOps.distance(a, b) / Math.max(Math.sqrt(MatOps.normSq(b)), Double.MIN_NORMAL);
    }

    /**
     * Iterations by hand through the evaluator's calls, in Binno's order (n / r = 11 / 4 = 2): the first
     * two form both products from M, the third takes the lower one from the Gram matrix K = M^T M; every
     * gradient matches its definition. A point made current without being announced as a mixture goes
     * back to M.
     */
    @Test
    void theSecondIterationTakesTheLowerProductFromTheGramMatrixAndMatchesItsDefinition() {
        DMatrixRMaj m = BinnoTest.lowRank(50, 11, 3, 0.2, 5);
        int r = 4;
        FactorizationEvaluator ev = new FactorizationEvaluator(new FactorizationCoupling(m, r));
        NuclearNorm lower = new NuclearNorm(0.3);
        NormL1 upper = new NormL1(0.05);
        DMatrixRMaj x = BinnoTest.lowRank(50, r, r, 0.5, 6);
        DMatrixRMaj y = BinnoTest.lowRank(r, 11, r, 0.5, 7);
        ev.setCurrent(x, y);
        DMatrixRMaj xu = new DMatrixRMaj(50, r);
        DMatrixRMaj xl = new DMatrixRMaj(50, r);
        DMatrixRMaj gu = new DMatrixRMaj(r, 11);
        DMatrixRMaj gl = new DMatrixRMaj(r, 11);
        for (int it = 0; it < 4; it++) {
            DMatrixRMaj z = new DMatrixRMaj(50, r);
            double nu = candidates(ev, x, upper, lower, z, xu, xl, gu, gl);
            DMatrixRMaj viaProx = new DMatrixRMaj(50, r);
            lower.prox(z, nu, viaProx);
            assertThat(xl.data).as("the nuclear norm's own prox, bit for bit").containsExactly(viaProx.data);
            assertThat(ev.lowerProductsFromGram()).as("iteration %d", it + 1).isEqualTo(it < 2 ? 0 : 1);
            assertThat(relDistance(gu, gradientY(xu, y, m))).as("upper, iteration %d", it).isLessThan(1e-13);
            assertThat(relDistance(gl, gradientY(xl, y, m))).as("lower, iteration %d", it).isLessThan(1e-13);
            DMatrixRMaj nx = new DMatrixRMaj(50, r);
            MatOps.combine(0.4, xu, 0.6, xl, nx);
            DMatrixRMaj ny = y.copy();
            CommonOps_DDRM.scale(0.9, ny);
            if (it < 2) {
                ev.nextXIsMixture(0.4); // announced: the third lower product comes from K
            }
            // the fourth iteration's point is not announced: both products from M again
            x = nx;
            y = ny;
            ev.setCurrent(x, y);
        }
    }

    /**
     * The exact products' schedule: over 130 iterations whose points are all announced mixtures, at
     * n / r = 9 / 3 = 3, the lower product comes from M at iterations 1 to 3 (before K pays) and 67
     * (EXACT_EVERY after the last one from M), from K at the other 126; the last gradients still match
     * their definitions.
     */
    @Test
    void everyExactEveryThIterationFormsTheLowerProductFromM() {
        assertThat(FactorizationEvaluator.EXACT_EVERY).isEqualTo(64);
        DMatrixRMaj m = BinnoTest.lowRank(40, 9, 2, 0.2, 15);
        int r = 3;
        FactorizationEvaluator ev = new FactorizationEvaluator(new FactorizationCoupling(m, r));
        NuclearNorm lower = new NuclearNorm(0.1);
        NormL1 upper = new NormL1(0.02);
        DMatrixRMaj x = BinnoTest.lowRank(40, r, r, 0.5, 16);
        DMatrixRMaj y = BinnoTest.lowRank(r, 9, r, 0.5, 17);
        ev.setCurrent(x, y);
        DMatrixRMaj xu = new DMatrixRMaj(40, r);
        DMatrixRMaj xl = new DMatrixRMaj(40, r);
        DMatrixRMaj gu = new DMatrixRMaj(r, 9);
        DMatrixRMaj gl = new DMatrixRMaj(r, 9);
        DMatrixRMaj z = new DMatrixRMaj(40, r);
        for (int it = 1; it <= 130; it++) {
            candidates(ev, x, upper, lower, z, xu, xl, gu, gl);
            int exact = it <= 3 ? it : it < 67 ? 3 : 4;
            assertThat(ev.lowerProductsFromGram()).as("iteration %d", it).isEqualTo(it - exact);
            if (it == 130) {
                assertThat(relDistance(gl, gradientY(xl, y, m))).isLessThan(1e-12);
            }
            DMatrixRMaj nx = new DMatrixRMaj(40, r);
            MatOps.combine(0.3, xu, 0.7, xl, nx);
            DMatrixRMaj ny = new DMatrixRMaj(r, 9);
            MatOps.combine(1.0, y, -0.01, gl, ny);
            ev.nextXIsMixture(0.3);
            x = nx;
            y = ny;
            ev.setCurrent(x, y);
        }
    }

    /**
     * Whole runs with the midpoint and the linesearch weights (m >= 2n, f2 a nuclear norm: the lower
     * products from K but for every EXACT_EVERY-th iteration) against the generic evaluator, which forms
     * every product from M: the same iterates to 1e-10 after 300 iterations.
     */
    @Test
    void runsAgreeWithTheGenericEvaluatorAcrossManyIterations() {
        DMatrixRMaj m = BinnoTest.lowRank(70, 16, 3, 0.1, 9);
        FactorizationCoupling fc = new FactorizationCoupling(m, 3);
        assertThat(2 * 16).isLessThanOrEqualTo(70);
        assertThat(300).isGreaterThan(4 * FactorizationEvaluator.EXACT_EVERY);
        for (BinnoWeights w : new BinnoWeights[] {BinnoWeights.MIDPOINT, BinnoWeights.LINESEARCH}) {
            var fast = BlockCompositeBilevelProblem.builder(fc).upper(new NormL1(0.05), new NormL1(0.05))
                    .lower(new NuclearNorm(0.02), new NuclearNorm(0.02)).build();
            var slow = BlockCompositeBilevelProblem.builder(BinnoTest.delegate(fc, -1))
                    .upper(new NormL1(0.05), new NormL1(0.05)).lower(new NuclearNorm(0.02), new NuclearNorm(0.02))
                    .build();
            SolverOptions o = SolverOptions.builder().maxIterations(300).build();
            Result<BlockIterate> a = new Binno(w).solve(fast, fast.uniformStart(3), o);
            Result<BlockIterate> b = new Binno(w).solve(slow, slow.uniformStart(3), o);
            assertThat(a.iterations()).isEqualTo(300);
            assertThat(relDistance(a.solution().x(), b.solution().x())).as("%s X", w).isLessThan(1e-10);
            assertThat(relDistance(a.solution().y(), b.solution().y())).as("%s Y", w).isLessThan(1e-10);
            double p1 = b.trace().lastValue("psi1");
            assertThat(a.trace().lastValue("psi1")).as("%s psi1", w).isCloseTo(p1, within(1e-10 * p1));
        }
    }

    /**
     * Binno.settlingIterations names the iteration that forms K: after one fewer no lower product has come
     * from K, after that many exactly one has, at shapes where n / r is 5, 2 and 1 (r = n), and 0
     * where K is never formed (m < 2n).
     */
    @Test
    void settlingIterationsEndWithTheOneThatFormsTheGramMatrix() {
        int[][] shapes = {{70, 16, 3}, {40, 6, 3}, {40, 3, 3}};
        for (int[] shape : shapes) {
            int rows = shape[0];
            int cols = shape[1];
            int r = shape[2];
            int settle = Binno.settlingIterations(rows, cols, r);
            assertThat(settle).as("%s", Arrays.toString(shape)).isEqualTo(cols / r + 1);
            FactorizationCoupling fc = new FactorizationCoupling(BinnoTest.lowRank(rows, cols, r, 0.1, 5), r);
            var p = BlockCompositeBilevelProblem.builder(fc).upper(new NormL1(0.05), new NormL1(0.05))
                    .lower(new NuclearNorm(0.02), new NuclearNorm(0.02)).build();
            Binno binno = new Binno(BinnoWeights.MIDPOINT);
            BinnoState state = binno.init(p, p.uniformStart(3), SolverOptions.builder().maxIterations(50).build());
            FactorizationEvaluator ev = (FactorizationEvaluator) state.evaluator;
            for (int it = 1; it <= settle + 2; it++) {
                binno.step(p, state);
                assertThat(ev.lowerProductsFromGram()).as("%s, iteration %d", Arrays.toString(shape), it)
                        .isEqualTo(Math.max(0, it - settle + 1));
            }
        }
        assertThat(Binno.settlingIterations(101, 51, 9)).as("m < 2n").isZero();
        assertThat(Binno.settlingIterations(76800, 500, 10)).isEqualTo(51);
    }

    /** The flops of the products with M that bench binno's floor counts, on both sides of m = 2n. */
    @Test
    void productFlopsCountTheProductsEachShapeMakes() {
        assertThat(Binno.productFlops(2304, 51, 9)).isEqualTo(4.0 * 2304 * 51 * 9 + 2.0 * 9 * 51 * 51);
        assertThat(Binno.productFlops(102, 51, 9)).isEqualTo(4.0 * 102 * 51 * 9 + 2.0 * 9 * 51 * 51);
        assertThat(Binno.productFlops(101, 51, 9)).isEqualTo(6.0 * 101 * 51 * 9);
        assertThat(Binno.productFlops(100, 80, 5)).isEqualTo(6.0 * 100 * 80 * 5);
        assertThat(Binno.productFlops(76800, 500, 10)).isEqualTo(4.0 * 76800 * 500 * 10 + 2.0 * 10 * 500 * 500);
        assertThat(Binno.productFlops(100_000, 2049, 9)).as("K too large").isEqualTo(6.0 * 100_000 * 2049 * 9);
        assertThat(Binno.productFlops(100_000, 2048, 65)).as("r beyond the thin SVD").isEqualTo(6.0 * 100_000 * 2048 * 65);
        assertThat(Binno.productFlops(100_000, 2048, 64)).as("the largest n and r")
                .isEqualTo(4.0 * 100_000 * 2048 * 64 + 2.0 * 64 * 2048 * 2048);
        assertThat(Binno.productFlops(4, 2, 4)).as("r = m").isEqualTo(4.0 * 4 * 2 * 4 + 2.0 * 4 * 2 * 2);
        assertThat(Binno.productFlops(3, 1, 4)).as("r > m").isEqualTo(6.0 * 3 * 1 * 4);
    }

    /**
     * The linesearch's way to the next point: prepareMixtures, the announced mixture made current with
     * setCurrentMixed; the lower product of the iteration after that comes from K and matches its
     * definition. A step of 0 is refused as the nuclear norm's prox refuses it.
     */
    @Test
    void aMixtureMadeCurrentByTheLinesearchCarriesItsProducts() {
        DMatrixRMaj m = BinnoTest.lowRank(30, 5, 2, 0.2, 21);
        int r = 2;
        FactorizationEvaluator ev = new FactorizationEvaluator(new FactorizationCoupling(m, r));
        NuclearNorm lower = new NuclearNorm(0.2);
        NormL1 upper = new NormL1(0.02);
        DMatrixRMaj x = BinnoTest.lowRank(30, r, r, 0.5, 22);
        DMatrixRMaj y = BinnoTest.lowRank(r, 5, r, 0.5, 23);
        ev.setCurrent(x, y);
        DMatrixRMaj xu = new DMatrixRMaj(30, r);
        DMatrixRMaj xl = new DMatrixRMaj(30, r);
        DMatrixRMaj yu = new DMatrixRMaj(r, 5);
        DMatrixRMaj yl = new DMatrixRMaj(r, 5);
        DMatrixRMaj gu = new DMatrixRMaj(r, 5);
        DMatrixRMaj gl = new DMatrixRMaj(r, 5);
        DMatrixRMaj z = new DMatrixRMaj(30, r);
        for (int it = 1; it <= 4; it++) { // n / r = 2: iterations 1 and 2 from M, 3 and 4 from K
            candidates(ev, x, upper, lower, z, xu, xl, gu, gl);
            assertThat(ev.lowerProductsFromGram()).as("iteration %d", it).isEqualTo(Math.max(0, it - 2));
            assertThat(relDistance(gl, gradientY(xl, y, m))).as("iteration %d", it).isLessThan(1e-12);
            MatOps.combine(1.0, y, -0.01, gu, yu);
            MatOps.combine(1.0, y, -0.01, gl, yl);
            ev.prepareMixtures(yu, yl);
            DMatrixRMaj nx = new DMatrixRMaj(30, r);
            MatOps.combine(0.8, xu, 0.2, xl, nx);
            DMatrixRMaj ny = new DMatrixRMaj(r, 5);
            MatOps.combine(0.5, yu, 0.5, yl, ny);
            ev.nextXIsMixture(0.8);
            x = nx;
            y = ny;
            ev.setCurrentMixed(x, y, 0.5);
        }
        DMatrixRMaj zero = new DMatrixRMaj(30, r);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ev.proxLowerX(lower, z, 0.0, zero))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
    }
}
