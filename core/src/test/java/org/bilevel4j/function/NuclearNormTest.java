package org.bilevel4j.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import org.bilevel4j.testing.ProxContract;
import org.bilevel4j.testing.TestMatrices;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.junit.jupiter.api.Test;

class NuclearNormTest implements ProxContract<NuclearNorm> {

    @Override
    public List<NuclearNorm> functions() {
        return List.of(new NuclearNorm(0.0), new NuclearNorm(0.4), new NuclearNorm(2.0));
    }

    @Override
    public List<int[]> shapes(NuclearNorm f) {
        return List.of(new int[] {1, 1}, new int[] {3, 1}, new int[] {1, 3}, new int[] {2, 2}, new int[] {3, 2},
                new int[] {2, 3});
    }

    /** Singular value thresholding written out with EJML's SVD directly, not ThinSvd. */
    private static DMatrixRMaj explicitSvt(DMatrixRMaj x, double threshold) {
        SingularValueDecomposition_F64<DMatrixRMaj> svd =
                DecompositionFactory_DDRM.svd(x.numRows, x.numCols, true, true, false);
        assertThat(svd.decompose(x.copy())).isTrue();
        DMatrixRMaj u = svd.getU(null, false);
        DMatrixRMaj w = svd.getW(null);
        DMatrixRMaj v = svd.getV(null, false);
        for (int i = 0; i < Math.min(w.numRows, w.numCols); i++) {
            w.set(i, i, Math.max(w.get(i, i) - threshold, 0));
        }
        DMatrixRMaj uw = new DMatrixRMaj(u.numRows, w.numCols);
        CommonOps_DDRM.mult(u, w, uw);
        DMatrixRMaj out = new DMatrixRMaj(x.numRows, x.numCols);
        CommonOps_DDRM.multTransB(uw, v, out);
        return out;
    }

    @Test
    void matchesAnExplicitSvdThresholdingOnLargerMatrices() {
        RandomGenerator rng = TestMatrices.rng(11);
        for (int[] shape : new int[][] {{12, 5}, {5, 12}, {40, 6}, {7, 7}, {1, 9}}) {
            for (int trial = 0; trial < 5; trial++) {
                DMatrixRMaj x = TestMatrices.gaussian(shape[0], shape[1], 1.0, rng);
                double t = TestMatrices.logUniform(0.05, 5, rng);
                NuclearNorm f = new NuclearNorm(TestMatrices.logUniform(0.05, 1, rng));
                DMatrixRMaj p = f.prox(x, t);
                DMatrixRMaj ref = explicitSvt(x, t * f.gamma());
                assertThat(TestMatrices.maxAbsDifference(p, ref)).as("shape %dx%d", shape[0], shape[1])
                        .isLessThan(1e-12 * (1 + TestMatrices.maxAbs(x)));
            }
        }
    }

    @Test
    void shrinksEverySingularValueByTGamma() {
        RandomGenerator rng = TestMatrices.rng(12);
        DMatrixRMaj x = TestMatrices.gaussian(6, 4, 1.0, rng);
        double[] before = singularValues(x);
        double t = 0.7;
        double gamma = 0.5;
        double[] after = singularValues(new NuclearNorm(gamma).prox(x, t));
        for (int i = 0; i < before.length; i++) {
            assertThat(after[i]).isCloseTo(Math.max(before[i] - t * gamma, 0), offset(1e-12));
        }
    }

    private static double[] singularValues(DMatrixRMaj a) {
        SingularValueDecomposition_F64<DMatrixRMaj> svd =
                DecompositionFactory_DDRM.svd(a.numRows, a.numCols, false, false, true);
        assertThat(svd.decompose(a.copy())).isTrue();
        double[] s = svd.getSingularValues().clone();
        Arrays.sort(s, 0, Math.min(a.numRows, a.numCols));
        double[] desc = new double[Math.min(a.numRows, a.numCols)];
        for (int i = 0; i < desc.length; i++) {
            desc[i] = s[desc.length - 1 - i];
        }
        return desc;
    }

    @Test
    void valueIsGammaTimesTheSumOfSingularValues() {
        DMatrixRMaj diag = new DMatrixRMaj(new double[][] {{3, 0}, {0, -4}, {0, 0}});
        assertThat(new NuclearNorm(0.5).value(diag)).isCloseTo(3.5, offset(1e-14));
        assertThat(new NuclearNorm(0.5).lipschitzConstant(3, 2).getAsDouble()).isEqualTo(0.5 * Math.sqrt(2));
    }

    @Test
    void rejectsNegativeWeights() {
        assertThatThrownBy(() -> new NuclearNorm(-0.1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("gamma must be finite and nonnegative, got -0.1");
        assertThatThrownBy(() -> new NuclearNorm(Double.NaN)).hasMessageContaining("gamma must be finite");
    }
}
