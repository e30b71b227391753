package org.bilevel4j.linalg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.random.RandomGeneratorFactory;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

class RandomizedSvdTest {

    /** U diag(s) V^T with random orthonormal U, V and s_i = 2^-i. */
    private static DMatrixRMaj decaying(int m, int n, long seed) {
        var rnd = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
        DMatrixRMaj a = new DMatrixRMaj(m, n);
        for (int i = 0; i < a.data.length; i++) {
            a.data[i] = rnd.nextGaussian();
        }
        ThinSvd svd = ThinSvd.of(a);
        double[] s = new double[svd.singularValues().length];
        for (int i = 0; i < s.length; i++) {
            s[i] = Math.pow(2, -i);
        }
        DMatrixRMaj out = new DMatrixRMaj(m, n);
        svd.reconstruct(s, out);
        return out;
    }

    @Test
    void leadingTripletsMatchTheFullSvd() {
        DMatrixRMaj a = decaying(300, 120, 1);
        var rnd = RandomGeneratorFactory.of("L64X128MixRandom").create(2);
        RandomizedSvd r = RandomizedSvd.of(a, 8, 10, 3, rnd);
        double[] exact = ThinSvd.of(a).singularValues();
        for (int i = 0; i < 8; i++) {
            assertThat(r.singularValues()[i]).isCloseTo(exact[i], within(1e-12));
        }
        DMatrixRMaj utu = new DMatrixRMaj(8, 8);
        CommonOps_DDRM.multTransA(r.u(), r.u(), utu);
        assertThat(CommonOps_DDRM.identity(8).data).containsExactly(utu.data, within(1e-12));
        // the rank-8 reconstruction is the best rank-8 approximation: error = sigma_9
        DMatrixRMaj approx = new DMatrixRMaj(300, 120);
        r.reconstruct(r.singularValues(), approx);
        CommonOps_DDRM.subtractEquals(approx, a);
        assertThat(MatOps.spectralNorm(approx)).isCloseTo(exact[8], within(1e-10));
    }

    @Test
    void wideMatricesAndZeroTripletsWork() {
        DMatrixRMaj a = decaying(50, 200, 3);
        RandomizedSvd r = RandomizedSvd.of(a, 3, 5, 2, RandomGeneratorFactory.of("L64X128MixRandom").create(4));
        assertThat(r.u().numRows).isEqualTo(50);
        assertThat(r.vt().numCols).isEqualTo(200);
        DMatrixRMaj out = new DMatrixRMaj(50, 200);
        out.fill(7);
        r.reconstruct(new double[0], out);
        assertThat(MatOps.normSq(out)).isZero();
    }
}
