package org.bilevel4j.linalg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.bilevel4j.testing.TestMatrices;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.junit.jupiter.api.Test;

/** {@link ThinSvt}: the SVT against EJML's full SVD, both forms of the product, tall and wide. */
class ThinSvtTest {

    private static final int[][] SHAPES = {{2304, 51}, {51, 2304}, {300, 40}, {40, 300}, {120, 17}, {9, 9},
        {200, 80}, {80, 200}, {7, 1}};

    /** {@code U diag(max(s - tau, 0)) V^T} from EJML's full SVD; s (decreasing) into sOut. */
    private static DMatrixRMaj explicit(DMatrixRMaj a, double tau, double[] sOut) {
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(a.numRows, a.numCols, true,
                true, true);
        assertThat(svd.decompose(a.copy())).isTrue();
        DMatrixRMaj u = svd.getU(null, false);
        DMatrixRMaj vt = svd.getV(null, true);
        double[] s = svd.getSingularValues();
        int k = Math.min(a.numRows, a.numCols);
        for (int i = 0; i < u.numRows; i++) {
            for (int j = 0; j < k; j++) {
                u.set(i, j, u.get(i, j) * Math.max(s[j] - tau, 0));
            }
        }
        DMatrixRMaj out = new DMatrixRMaj(a.numRows, a.numCols);
        CommonOps_DDRM.mult(u, vt, out);
        double[] sorted = Arrays.copyOf(s, k);
        Arrays.sort(sorted);
        for (int i = 0; i < k; i++) {
            sOut[i] = sorted[k - 1 - i];
        }
        return out;
    }

    /** A rank-r matrix plus a little noise: a few large singular values, the rest small. */
    private static DMatrixRMaj lowRankPlusNoise(int m, int n, int r, RandomGenerator rng) {
        DMatrixRMaj a = new DMatrixRMaj(m, n);
        CommonOps_DDRM.mult(TestMatrices.gaussian(m, r, 1, rng), TestMatrices.gaussian(r, n, 1, rng), a);
        DMatrixRMaj noise = TestMatrices.gaussian(m, n, 1e-3, rng);
        CommonOps_DDRM.addEquals(a, noise);
        return a;
    }

    @Test
    void matchesTheExplicitSvdInBothFormsOfTheProduct() {
        RandomGenerator rng = TestMatrices.rng(1401);
        for (int[] shape : SHAPES) {
            int k = Math.min(shape[0], shape[1]);
            DMatrixRMaj a = lowRankPlusNoise(shape[0], shape[1], Math.max(1, k / 4), rng);
            double[] s = new double[k];
            explicit(a, 0, s);
            // keep none, a few (factored product), about half, most, all (the product with W)
            double[] taus = {2 * s[0] + 1, 0.5 * (s[Math.max(0, k / 4 - 1)] + s[Math.min(k - 1, k / 4)]),
                0.5 * (s[(k - 1) / 2] + s[k / 2]), 0.5 * s[k - 1] + 1e-12, 0.0};
            for (double tau : taus) {
                double[] ref = new double[k];
                DMatrixRMaj expected = explicit(a, tau, ref);
                DMatrixRMaj out = new DMatrixRMaj(a.numRows, a.numCols);
                Arrays.fill(out.data, Double.NaN); // every entry must be written
                double[] got = ThinSvt.threshold(a, tau, out);
                String what = String.format("SVT at %.4g of %dx%d", tau, shape[0], shape[1]);
                assertThat(TestMatrices.maxAbsDifference(out, expected)).as(what).isLessThan(1e-12 * (1 + s[0]));
                assertThat(got).as(what).hasSize(k);
                for (int i = 0; i < k; i++) {
                    assertThat(Math.abs(got[i] - ref[i])).as(what + " sigma_" + i).isLessThan(1e-12 * (1 + s[0]));
                }
            }
        }
    }

    @Test
    void withHalfOrMoreOfTheValuesKeptItIsThinSvdThresholdBitForBit() {
        RandomGenerator rng = TestMatrices.rng(1402);
        for (int[] shape : new int[][] {{2304, 51}, {51, 2304}, {100, 20}}) {
            int k = Math.min(shape[0], shape[1]);
            DMatrixRMaj a = TestMatrices.gaussian(shape[0], shape[1], 1, rng);
            double[] s = ThinSvd.singularValues(a);
            for (double tau : new double[] {0.0, 0.5 * (s[(k - 1) / 2] + s[k / 2]) * 0.999}) {
                DMatrixRMaj mine = new DMatrixRMaj(a.numRows, a.numCols);
                DMatrixRMaj theirs = new DMatrixRMaj(a.numRows, a.numCols);
                assertThat(ThinSvt.threshold(a, tau, mine)).isEqualTo(ThinSvd.threshold(a, tau, theirs));
                assertThat(mine.data).isEqualTo(theirs.data);
            }
        }
    }

    @Test
    void aboveSixtyFourOnBothSidesItIsThinSvdThreshold() {
        DMatrixRMaj a = lowRankPlusNoise(150, 70, 5, TestMatrices.rng(1403));
        double[] s = new double[70];
        DMatrixRMaj expected = explicit(a, 1.0, s);
        DMatrixRMaj out = new DMatrixRMaj(150, 70);
        ThinSvt.threshold(a, 1.0, out);
        assertThat(TestMatrices.maxAbsDifference(out, expected)).isLessThan(1e-12 * (1 + s[0]));
    }

    @Test
    void rejectsAliasingWrongShapesAndNonFiniteInput() {
        DMatrixRMaj a = TestMatrices.gaussian(30, 5, 1, TestMatrices.rng(1404));
        assertThatThrownBy(() -> ThinSvt.threshold(a, 0.1, a)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("alias");
        assertThatThrownBy(() -> ThinSvt.threshold(a, 0.1, new DMatrixRMaj(5, 30)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out is 5x30");
        DMatrixRMaj bad = a.copy();
        bad.set(3, 2, Double.NaN);
        assertThatThrownBy(() -> ThinSvt.threshold(bad, 0.1, new DMatrixRMaj(30, 5)))
                .isInstanceOf(ArithmeticException.class);
    }
}
