package org.bilevel4j.linalg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.util.random.RandomGenerator;
import org.bilevel4j.testing.TestMatrices;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

class MatOpsTest {

    /** Largest eigenvalue of a symmetric PSD matrix by power iteration with the Rayleigh quotient. */
    private static double powerIteration(DMatrixRMaj s, RandomGenerator rng) {
        DMatrixRMaj v = TestMatrices.unitDirection(new DMatrixRMaj(s.numRows, 1), rng);
        DMatrixRMaj w = new DMatrixRMaj(s.numRows, 1);
        double rayleigh = 0;
        for (int it = 0; it < 20000; it++) {
            CommonOps_DDRM.mult(s, v, w);
            double next = TestMatrices.dot(v, w);
            double norm = TestMatrices.norm(w);
            if (norm == 0) {
                return 0;
            }
            CommonOps_DDRM.scale(1 / norm, w, v);
            if (Math.abs(next - rayleigh) <= 1e-16 * next && it > 10) {
                return next;
            }
            rayleigh = next;
        }
        return rayleigh;
    }

    @Test
    void spectralNormPsdMatchesPowerIteration() {
        RandomGenerator rng = TestMatrices.rng(71);
        for (int n : new int[] {1, 2, 3, 5, 10, 20}) {
            for (int trial = 0; trial < 3; trial++) {
                DMatrixRMaj b = TestMatrices.gaussian(n + 3, n, 1, rng);
                DMatrixRMaj gram = new DMatrixRMaj(n, n);
                CommonOps_DDRM.multTransA(b, b, gram);
                double expected = powerIteration(gram, rng);
                assertThat(MatOps.spectralNormPsd(gram)).as("n = %d", n)
                        .isCloseTo(expected, offset(1e-10 * expected));
            }
        }
        assertThat(MatOps.spectralNormPsd(new DMatrixRMaj(0, 0))).isZero();
        assertThat(MatOps.spectralNormPsd(new DMatrixRMaj(3, 3))).isZero();
        assertThatThrownBy(() -> MatOps.spectralNormPsd(new DMatrixRMaj(2, 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Gram matrix must be square, got 2x3");
    }

    @Test
    void spectralNormIsTheLargestSingularValue() {
        RandomGenerator rng = TestMatrices.rng(72);
        for (int[] shape : new int[][] {{30, 4}, {4, 30}, {5, 5}, {1, 6}}) {
            DMatrixRMaj a = TestMatrices.gaussian(shape[0], shape[1], 1, rng);
            double s = ThinSvd.of(a).singularValues()[0];
            assertThat(MatOps.spectralNorm(a)).isCloseTo(s, offset(1e-12 * s));
        }
    }

    @Test
    void elementwiseKernelsMatchNaiveLoops() {
        RandomGenerator rng = TestMatrices.rng(73);
        for (int n : new int[] {1, 3, 4, 7, 101}) {
            DMatrixRMaj a = TestMatrices.gaussian(n, 1, 1, rng);
            DMatrixRMaj b = TestMatrices.gaussian(n, 1, 1, rng);
            double tol = 4 * n * Math.ulp(1.0) * (1 + TestMatrices.norm(a) * TestMatrices.norm(b));
            assertThat(MatOps.dot(a, b)).isCloseTo(TestMatrices.dot(a, b), offset(tol));
            assertThat(MatOps.normSq(a)).isCloseTo(TestMatrices.dot(a, a), offset(tol));
            assertThat(MatOps.distance(a, b)).isCloseTo(TestMatrices.distance(a, b), offset(tol));
            DMatrixRMaj c = new DMatrixRMaj(n, 1);
            MatOps.combine(2, a, -3, b, c);
            assertThat(c.data).containsExactly(TestMatrices.combine(2, a, -3, b).data);
            MatOps.combine(2, a, -3, b, a); // out may alias a
            assertThat(a.data).containsExactly(c.data);
        }
        DMatrixRMaj m = new DMatrixRMaj(new double[][] {{1, 2}});
        assertThat(MatOps.isFinite(m)).isTrue();
        m.set(0, 1, Double.POSITIVE_INFINITY);
        assertThat(MatOps.isFinite(m)).isFalse();
        assertThatThrownBy(() -> MatOps.dot(new DMatrixRMaj(2, 1), new DMatrixRMaj(1, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("shape mismatch: 2x1 vs 1x2");
    }

    /**
     * softThreshold against its definition sign(v) max(|v| - t, 0), bit for bit: at, just inside and just
     * outside the threshold, signed zeros, subnormals, huge values and infinities, t = 0; NaN stays NaN.
     */
    @Test
    void softThresholdIsItsDefinitionBitForBit() {
        double[] ts = {0.0, Double.MIN_VALUE, 0.3, 1.0, 1e300};
        for (double t : ts) {
            double[] vs = {0.0, -0.0, t, -t, Math.nextUp(t), Math.nextDown(t), -Math.nextUp(t), 2 * t + 1, -(2 * t + 1),
                Double.MIN_VALUE, -Double.MIN_VALUE, 0.7, -0.7, 1e308, -1e308, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY};
            for (double v : vs) {
                double a = Math.abs(v) - t;
                double expected = a > 0 ? Math.copySign(a, v) : 0.0;
                assertThat(Double.doubleToRawLongBits(MatOps.softThreshold(v, t))).as("v %s, t %s", v, t)
                        .isEqualTo(Double.doubleToRawLongBits(expected));
            }
        }
        assertThat(MatOps.softThreshold(Double.NaN, 0.5)).isNaN();
    }
}
