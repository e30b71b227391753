package org.bilevel4j.linalg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ThinSvdShapesTest {

    @ParameterizedTest(name = "{0}x{1}")
    @CsvSource({"1,1", "5,3", "3,5", "40,40", "400,7", "7,400", "2000,10", "9000,7", "20000,12", "12,20000"})
    void factorsReproduceTheMatrix(int m, int n) {
        DMatrixRMaj a = random(m, n, new SplittableRandom(m * 31L + n));
        ThinSvd svd = ThinSvd.of(a);
        double[] s = svd.singularValues();
        int k = Math.min(m, n);
        assertThat(s).hasSize(k);
        for (int i = 1; i < k; i++) {
            assertThat(s[i]).isLessThanOrEqualTo(s[i - 1]);
        }
        // U^T U = I and U S V^T = A
        DMatrixRMaj utu = new DMatrixRMaj(k, k);
        CommonOps_DDRM.multTransA(svd.u(), svd.u(), utu);
        assertThat(MatOps.distance(utu, CommonOps_DDRM.identity(k))).isLessThan(1e-12 * k);
        DMatrixRMaj back = new DMatrixRMaj(m, n);
        svd.reconstruct(s, back);
        assertThat(MatOps.distance(back, a)).isLessThan(1e-12 * Math.sqrt(MatOps.normSq(a)));
        // a fresh decomposition reconstructs the same before and after U is formed
        ThinSvd lazy = ThinSvd.of(a);
        DMatrixRMaj half = new DMatrixRMaj(m, n);
        double[] d = s.clone();
        for (int i = 0; i < k; i++) {
            d[i] = 0.5 * s[i];
        }
        lazy.reconstruct(d, half);
        CommonOps_DDRM.scale(0.5, a, back);
        assertThat(MatOps.distance(half, back)).isLessThan(1e-12 * Math.sqrt(MatOps.normSq(a)));
    }

    @ParameterizedTest(name = "{0}x{1}")
    @CsvSource({"1,1", "5,3", "3,5", "40,40", "400,7", "7,400", "2000,10", "9000,7", "20000,12", "12,20000"})
    void singularValuesAloneAgree(int m, int n) {
        DMatrixRMaj a = random(m, n, new SplittableRandom(m * 17L + n));
        double[] full = ThinSvd.of(a).singularValues();
        double[] only = ThinSvd.singularValues(a);
        assertThat(only).hasSize(full.length);
        for (int i = 0; i < full.length; i++) {
            assertThat(only[i]).isCloseTo(full[i], within(1e-12 * full[0]));
        }
    }

    private static DMatrixRMaj random(int rows, int cols, SplittableRandom rnd) {
        DMatrixRMaj a = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < a.data.length; i++) {
            a.data[i] = rnd.nextDouble(-1, 1);
        }
        return a;
    }
}
