package org.bilevel4j.linalg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.bilevel4j.testing.TestMatrices;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class GemmTest {

    /** {m, n, k}: vectors, tiny, and products above {@link Gemm#NATIVE_THRESHOLD}. */
    private static final int[][] SHAPES = {
        {1, 1, 1}, {1, 7, 3}, {5, 1, 4}, {3, 4, 1}, {6, 5, 7}, {1, 1000, 300}, {1000, 1, 300}, {70, 60, 50},
        {120, 3, 800},
    };
    private static final double[][] ALPHA_BETA = {{1, 0}, {-0.5, 0}, {1, 1}, {2, 2.5}, {0, -1}};

    /** Stores op(x) for a wanted op(x) of shape rows x cols. */
    private static DMatrixRMaj operand(boolean trans, int rows, int cols, RandomGenerator rng) {
        return trans ? TestMatrices.gaussian(cols, rows, 1, rng) : TestMatrices.gaussian(rows, cols, 1, rng);
    }

    private static double op(DMatrixRMaj x, boolean trans, int i, int j) {
        return trans ? x.get(j, i) : x.get(i, j);
    }

    /**
     * Checks {@code c} against the triple loop with the classical error bound of a k-term dot product,
     * {@code |c - ref| <= 2 (k + 2) eps (|alpha| sum_l |a_il b_lj| + |beta c0_ij|)}.
     */
    private static void assertProduct(boolean ta, boolean tb, double alpha, DMatrixRMaj a, DMatrixRMaj b, double beta,
            DMatrixRMaj c0, DMatrixRMaj c, int m, int n, int k) {
        double eps = Math.ulp(1.0);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                double abs = 0;
                for (int l = 0; l < k; l++) {
                    double p = op(a, ta, i, l) * op(b, tb, l, j);
                    s += p;
                    abs += Math.abs(p);
                }
                double ref = alpha * s + beta * c0.get(i, j);
                double bound = 2 * (k + 2) * eps * (Math.abs(alpha) * abs + Math.abs(beta * c0.get(i, j)));
                assertThat(Math.abs(c.get(i, j) - ref))
                        .as("entry (%d, %d) of op(A) op(B), transA %s, transB %s, %dx%dx%d", i, j, ta, tb, m, n, k)
                        .isLessThanOrEqualTo(bound + Double.MIN_NORMAL);
            }
        }
    }

    @Test
    void matchesTheTripleLoopForAllTransposesAndScalars() {
        RandomGenerator rng = TestMatrices.rng(51);
        for (int[] shape : SHAPES) {
            int m = shape[0];
            int n = shape[1];
            int k = shape[2];
            for (int mode = 0; mode < 4; mode++) {
                boolean ta = (mode & 1) != 0;
                boolean tb = (mode & 2) != 0;
                DMatrixRMaj a = operand(ta, m, k, rng);
                DMatrixRMaj b = operand(tb, k, n, rng);
                for (double[] ab : ALPHA_BETA) {
                    DMatrixRMaj c0 = TestMatrices.gaussian(m, n, 1, rng);
                    DMatrixRMaj c = c0.copy();
                    Gemm.gemm(ta, tb, ab[0], a, b, ab[1], c);
                    assertProduct(ta, tb, ab[0], a, b, ab[1], c0, c, m, n, k);
                    // the pure-Java kernels too, whatever the machine has
                    DMatrixRMaj cj = c0.copy();
                    JavaGemm.gemm(ta, tb, ab[0], a, b, ab[1], cj);
                    assertProduct(ta, tb, ab[0], a, b, ab[1], c0, cj, m, n, k);
                }
            }
        }
    }

    @Test
    void shortcutsAgreeWithGemm() {
        RandomGenerator rng = TestMatrices.rng(52);
        DMatrixRMaj a = TestMatrices.gaussian(4, 3, 1, rng);
        DMatrixRMaj b = TestMatrices.gaussian(3, 5, 1, rng);
        DMatrixRMaj c = new DMatrixRMaj(4, 5);
        Gemm.mult(a, b, c);
        assertProduct(false, false, 1, a, b, 0, new DMatrixRMaj(4, 5), c, 4, 5, 3);
        DMatrixRMaj at = TestMatrices.gaussian(3, 4, 1, rng);
        Gemm.multTransA(at, b, c);
        assertProduct(true, false, 1, at, b, 0, new DMatrixRMaj(4, 5), c, 4, 5, 3);
        DMatrixRMaj bt = TestMatrices.gaussian(5, 3, 1, rng);
        Gemm.multTransB(a, bt, c);
        assertProduct(false, true, 1, a, bt, 0, new DMatrixRMaj(4, 5), c, 4, 5, 3);
    }

    @Test
    void betaZeroIgnoresWhatCHeld() {
        RandomGenerator rng = TestMatrices.rng(53);
        for (int[] shape : new int[][] {{3, 4, 2}, {70, 60, 50}}) {
            DMatrixRMaj a = TestMatrices.gaussian(shape[0], shape[2], 1, rng);
            DMatrixRMaj b = TestMatrices.gaussian(shape[2], shape[1], 1, rng);
            DMatrixRMaj c = new DMatrixRMaj(shape[0], shape[1]);
            Arrays.fill(c.data, Double.NaN);
            Gemm.mult(a, b, c);
            assertThat(TestMatrices.maxAbs(c)).as("%dx%dx%d", shape[0], shape[1], shape[2]).isFinite();
        }
    }

    @Test
    void emptyInnerDimensionScalesC() {
        DMatrixRMaj c = new DMatrixRMaj(new double[][] {{1, 2}, {3, 4}});
        Gemm.gemm(false, false, 1.0, new DMatrixRMaj(2, 0), new DMatrixRMaj(0, 2), 0.5, c);
        assertThat(c.data).containsExactly(0.5, 1, 1.5, 2);
        DMatrixRMaj empty = new DMatrixRMaj(0, 3);
        Gemm.mult(new DMatrixRMaj(0, 2), new DMatrixRMaj(2, 3), empty);
        assertThat(empty.getNumElements()).isZero();
    }

    @Test
    void rejectsMismatchedShapesAndAliasing() {
        DMatrixRMaj a = new DMatrixRMaj(2, 3);
        assertThatThrownBy(() -> Gemm.mult(a, new DMatrixRMaj(4, 2), new DMatrixRMaj(2, 2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("inner dimensions differ: op(A) is 2x3, op(B) is 4x2");
        assertThatThrownBy(() -> Gemm.mult(a, new DMatrixRMaj(3, 2), new DMatrixRMaj(3, 2)))
                .hasMessage("C is 3x2, expected 2x2");
        DMatrixRMaj sq = new DMatrixRMaj(2, 2);
        assertThatThrownBy(() -> Gemm.mult(sq, new DMatrixRMaj(2, 2), sq)).hasMessage("C must not alias A or B");
        assertThat(Gemm.backend()).isNotBlank();
    }
}
