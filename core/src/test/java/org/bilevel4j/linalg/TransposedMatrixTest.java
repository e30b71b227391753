package org.bilevel4j.linalg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.random.RandomGenerator;
import org.bilevel4j.testing.TestMatrices;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

/** {@link TransposedMatrix} against EJML's products and the residual summed from its definition. */
class TransposedMatrixTest {

    @Test
    void productAndResidualMatchTheirDefinitions() {
        RandomGenerator rng = TestMatrices.rng(151);
        // one chunk, several chunks with a remainder, columns not a multiple of 4, odd and even r
        int[][] shapes = {{100, 80, 5}, {9000, 13, 9}, {4096, 7, 2}, {5000, 4, 1}, {3, 50, 3}};
        for (int[] sh : shapes) {
            DMatrixRMaj m = TestMatrices.gaussian(sh[0], sh[1], 1, rng);
            DMatrixRMaj x = TestMatrices.gaussian(sh[0], sh[2], 1, rng);
            DMatrixRMaj y = TestMatrices.gaussian(sh[2], sh[1], 1, rng);
            TransposedMatrix t = new TransposedMatrix(m);
            assertThat(t.rows()).isEqualTo(sh[0]);
            assertThat(t.columns()).isEqualTo(sh[1]);
            DMatrixRMaj expected = new DMatrixRMaj(sh[0], sh[2]);
            CommonOps_DDRM.multTransB(m, y, expected);
            DMatrixRMaj p = new DMatrixRMaj(sh[0], sh[2]);
            t.multTransB(y, p);
            double tol = 1e-12 * (1 + sh[1]);
            assertThat(TestMatrices.maxAbsDifference(p, expected)).as("M Y^T, %dx%d r=%d", sh[0], sh[1], sh[2])
                    .isLessThan(tol);
            DMatrixRMaj p2 = new DMatrixRMaj(sh[0], sh[2]);
            double ss = t.multTransBAndResidual(x, y, p2);
            assertThat(p2.data).as("the same P with the residual").containsExactly(p.data);
            DMatrixRMaj xy = new DMatrixRMaj(sh[0], sh[1]);
            CommonOps_DDRM.mult(x, y, xy);
            double ref = 0;
            for (int i = 0; i < xy.data.length; i++) {
                double d = m.data[i] - xy.data[i];
                ref += d * d;
            }
            assertThat(ss).as("||M - XY||^2").isCloseTo(ref, org.assertj.core.api.Assertions.within(1e-12 * ref));
        }
    }

    @Test
    void shapesAreChecked() {
        TransposedMatrix t = new TransposedMatrix(new DMatrixRMaj(10, 6));
        assertThatThrownBy(() -> t.multTransB(new DMatrixRMaj(2, 5), new DMatrixRMaj(10, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shapes do not match");
        assertThatThrownBy(() -> t.multTransBAndResidual(new DMatrixRMaj(9, 2), new DMatrixRMaj(2, 6),
                new DMatrixRMaj(10, 2))).isInstanceOf(IllegalArgumentException.class);
    }
}
