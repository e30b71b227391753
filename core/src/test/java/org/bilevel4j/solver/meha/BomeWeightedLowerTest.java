package org.bilevel4j.solver.meha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.bilevel4j.function.IndNonnegative;
import org.bilevel4j.function.LeastSquares;
import org.bilevel4j.function.NormL1;
import org.bilevel4j.problem.BilevelProblem;
import org.bilevel4j.problem.PairIterate;
import org.bilevel4j.solver.SolverOptions;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

/**
 * BOME's x part of grad q when the nonsmooth lower part depends on x: with {@code g(x, y) = x ||y||_1}
 * (a hyperparameter weighting the l1 term, as in data hyper-cleaning's regularized variants) and a smooth
 * part of y alone, {@code grad_x q = grad_x g(x, y) - grad_x g(x, y_T) = ||y||_1 - ||y_T||_1}.
 */
class BomeWeightedLowerTest {

    @Test
    void theXPartOfGradQHoldsTheNonsmoothTermsAtYAndAtYT() {
        // F = 1/2 ||y - c||^2, f = 1/2 ||y - b||^2, g = x ||y||_1, x >= 0
        DMatrixRMaj c = new DMatrixRMaj(3, 1, true, 1, -2, 0.5);
        DMatrixRMaj b = new DMatrixRMaj(3, 1, true, 3, -1, 0.2);
        BilevelProblem p = BilevelProblem.builder(1, 3)
                .upperOfY(new LeastSquares(CommonOps_DDRM.identity(3), c))
                .lowerSmoothOfY(new LeastSquares(CommonOps_DDRM.identity(3), b))
                .lowerNonsmoothWeightedByX(new NormL1(1.0))
                .setX(new IndNonnegative())
                .build();
        PairIterate start = new PairIterate(new DMatrixRMaj(1, 1, true, 0.4),
                new DMatrixRMaj(3, 1, true, 1.5, -0.3, 0.1));
        // one inner step of length 1/2: y - (y - b)/2 = (2.25, -0.65, 0.15), soft threshold 0.4/2 = 0.2:
        // y_T = (2.05, -0.45, 0); ||y||_1 = 1.9, ||y_T||_1 = 2.5
        Bome bome = new Bome(new BomeOptions(1, 0.5, 0.05, 0.05, 0.5));
        BomeState s = bome.init(p, start, SolverOptions.defaults());
        bome.step(p, s);
        assertThat(s.yT.data[0]).isCloseTo(2.05, within(1e-15));
        assertThat(s.yT.data[1]).isCloseTo(-0.45, within(1e-15));
        assertThat(s.yT.data[2]).isZero();
        assertThat(s.gxQ.data[0]).isCloseTo(1.9 - 2.5, within(1e-14));
        // the y part is the prox-gradient mapping (y - prox(y - t grad f)) / t, here with the same
        // step and point as y_T: ((1.5 - 2.05), (-0.3 + 0.45), (0.1 - 0)) / 0.5, not grad f = (-1.5, 0.7, -0.1)
        assertThat(s.gyQ.data[0]).isCloseTo(-1.1, within(1e-14));
        assertThat(s.gyQ.data[1]).isCloseTo(0.3, within(1e-14));
        assertThat(s.gyQ.data[2]).isCloseTo(0.2, within(1e-14));
        // q = phi(x, y) - phi(x, y_T), phi = f + g
        double phiY = 0.5 * (1.5 * 1.5 + 0.7 * 0.7 + 0.1 * 0.1) + 0.4 * 1.9;
        double phiT = 0.5 * (0.95 * 0.95 + 0.55 * 0.55 + 0.2 * 0.2) + 0.4 * 2.5;
        assertThat(s.q).isCloseTo(phiY - phiT, within(1e-14));
    }
}
