package org.bilevel4j.solver.meha;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.bilevel4j.linalg.MatOps;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

class ConjugateGradientTest {

    @Test
    void solvesASymmetricPositiveDefiniteSystemInAtMostNPlusOneProducts() {
        int n = 12;
        SplittableRandom rnd = new SplittableRandom(5);
        DMatrixRMaj r = new DMatrixRMaj(n, n);
        for (int i = 0; i < r.getNumElements(); i++) {
            r.data[i] = rnd.nextDouble(-1, 1);
        }
        DMatrixRMaj a = new DMatrixRMaj(n, n);
        CommonOps_DDRM.multTransA(r, r, a);
        for (int i = 0; i < n; i++) {
            a.add(i, i, 0.5);
        }
        DMatrixRMaj b = new DMatrixRMaj(n, 1);
        for (int i = 0; i < n; i++) {
            b.data[i] = rnd.nextDouble(-1, 1);
        }
        DMatrixRMaj q = new DMatrixRMaj(n, 1);
        ConjugateGradient.Outcome o = ConjugateGradient.solve((v, out) -> CommonOps_DDRM.mult(a, v, out), b, q,
                200, 1e-12);
        assertThat(o.converged()).isTrue();
        assertThat(o.iterations()).isLessThanOrEqualTo(3 * n);
        DMatrixRMaj exact = new DMatrixRMaj(n, 1);
        CommonOps_DDRM.solve(a, b, exact);
        assertThat(MatOps.distance(q, exact)).isLessThan(1e-9);
    }

    @Test
    void zeroRightHandSideGivesZero() {
        DMatrixRMaj q = new DMatrixRMaj(3, 1);
        q.fill(1);
        ConjugateGradient.Outcome o = ConjugateGradient.solve((v, out) -> out.setTo(v), new DMatrixRMaj(3, 1), q, 5,
                1e-10);
        assertThat(o.converged()).isTrue();
        assertThat(q.data).containsOnly(0.0);
    }
}
