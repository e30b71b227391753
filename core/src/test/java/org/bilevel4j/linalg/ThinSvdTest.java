package org.bilevel4j.linalg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.bilevel4j.testing.TestMatrices;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.junit.jupiter.api.Test;

class ThinSvdTest {

    /** Tall (through QR when m >= 4n), wide, square, vectors. */
    private static final int[][] SHAPES = {{50, 4}, {7, 5}, {4, 9}, {3, 40}, {6, 6}, {1, 8}, {8, 1}, {1, 1}};

    private static void assertOrthonormalColumns(DMatrixRMaj q, String what) {
        DMatrixRMaj gram = new DMatrixRMaj(q.numCols, q.numCols);
        CommonOps_DDRM.multTransA(q, q, gram);
        assertThat(TestMatrices.maxAbsDifference(gram, CommonOps_DDRM.identity(q.numCols)))
                .as("orthonormality of " + what).isLessThan(1e-13);
    }

    private static void assertDecomposes(DMatrixRMaj a, String what) {
        ThinSvd svd = ThinSvd.of(a);
        int k = Math.min(a.numRows, a.numCols);
        double[] s = svd.singularValues();
        assertThat(s).hasSize(k);
        assertThat(svd.u().numRows).isEqualTo(a.numRows);
        assertThat(svd.u().numCols).isEqualTo(k);
        assertThat(svd.vt().numRows).isEqualTo(k);
        assertThat(svd.vt().numCols).isEqualTo(a.numCols);
        for (int i = 0; i < k; i++) {
            assertThat(s[i]).as("singular value %d of %s", i, what).isGreaterThanOrEqualTo(0);
            if (i > 0) {
                assertThat(s[i]).as("decreasing, %s", what).isLessThanOrEqualTo(s[i - 1]);
            }
        }
        assertOrthonormalColumns(svd.u(), "U of " + what);
        assertOrthonormalColumns(CommonOps_DDRM.transpose(svd.vt(), null), "V of " + what);
        DMatrixRMaj back = new DMatrixRMaj(a.numRows, a.numCols);
        svd.reconstruct(s, back);
        assertThat(TestMatrices.distance(back, a)).as("reconstruction of " + what)
                .isLessThan(1e-13 * (1 + TestMatrices.norm(a)));
        // the same singular values as EJML's own SVD
        SingularValueDecomposition_F64<DMatrixRMaj> ref =
                DecompositionFactory_DDRM.svd(a.numRows, a.numCols, false, false, true);
        assertThat(ref.decompose(a.copy())).isTrue();
        double[] r = Arrays.copyOf(ref.getSingularValues(), k);
        Arrays.sort(r);
        for (int i = 0; i < k; i++) {
            assertThat(s[i]).as("singular value %d of %s", i, what)
                    .isCloseTo(r[k - 1 - i], offset(1e-13 * (1 + r[k - 1])));
        }
    }

    @Test
    void decomposesTallWideAndSquareMatrices() {
        RandomGenerator rng = TestMatrices.rng(61);
        for (int[] shape : SHAPES) {
            for (int trial = 0; trial < 3; trial++) {
                assertDecomposes(TestMatrices.gaussian(shape[0], shape[1], 1, rng), shape[0] + "x" + shape[1]);
            }
        }
    }

    @Test
    void decomposesRankDeficientMatrices() {
        RandomGenerator rng = TestMatrices.rng(62);
        for (int[] shape : new int[][] {{40, 6}, {8, 5}, {5, 30}}) {
            DMatrixRMaj left = TestMatrices.gaussian(shape[0], 2, 1, rng);
            DMatrixRMaj right = TestMatrices.gaussian(2, shape[1], 1, rng);
            DMatrixRMaj a = new DMatrixRMaj(shape[0], shape[1]);
            CommonOps_DDRM.mult(left, right, a);
            assertDecomposes(a, "rank 2, " + shape[0] + "x" + shape[1]);
            double[] s = ThinSvd.of(a).singularValues();
            assertThat(s[2]).as("third singular value of a rank-2 matrix").isLessThan(1e-13 * s[0]);
        }
        assertDecomposes(new DMatrixRMaj(6, 3), "zero 6x3");
    }

    /**
     * Tall matrices go through a Householder QR first, which EJML flags as failed when a column is
     * exactly zero or exactly repeated: such matrices (a soft-thresholded factor with an empty column)
     * must still decompose, on one row block and on several.
     */
    @Test
    void decomposesTallMatricesWithZeroAndRepeatedColumns() {
        RandomGenerator rng = TestMatrices.rng(64);
        for (int rows : new int[] {50, 5000}) {
            DMatrixRMaj a = TestMatrices.gaussian(rows, 4, 1, rng);
            for (int i = 0; i < rows; i++) {
                a.set(i, 1, 0.0);
                a.set(i, 3, a.get(i, 0));
            }
            assertDecomposes(a, "zero and repeated columns, " + rows + "x4");
            double[] s = ThinSvd.of(a).singularValues();
            // columns 0 and 2 are independent, column 1 is zero and column 3 repeats column 0: rank 2
            assertThat(s[1]).isGreaterThan(1e-3 * s[0]);
            assertThat(s[2]).isLessThan(1e-13 * s[0]);
            assertDecomposes(new DMatrixRMaj(rows, 4), "zero " + rows + "x4");
        }
    }

    @Test
    void reconstructsWithNewSingularValues() {
        RandomGenerator rng = TestMatrices.rng(63);
        DMatrixRMaj a = TestMatrices.gaussian(5, 3, 1, rng);
        ThinSvd svd = ThinSvd.of(a);
        DMatrixRMaj out = new DMatrixRMaj(5, 3);
        svd.reconstruct(new double[] {1, 0, 0}, out);
        // the rank-one matrix u_1 v_1^T has unit Frobenius and spectral norm
        assertThat(TestMatrices.norm(out)).isCloseTo(1.0, offset(1e-14));
        assertThat(ThinSvd.of(out).singularValues()[1]).isLessThan(1e-14);
    }

    @Test
    void rejectsNonFiniteInput() {
        DMatrixRMaj a = new DMatrixRMaj(new double[][] {{1, Double.NaN}, {0, 1}});
        assertThatThrownBy(() -> ThinSvd.of(a)).isInstanceOf(ArithmeticException.class);
    }

    /**
     * thresholdTall: the same out as threshold, bit for bit (tall shapes from one column to 64, with
     * and without singular values below tau), out = a W to rounding, W symmetric with its spectral
     * norm at most 1 and its eigenvalues the factors max(s - tau, 0) / s; W = 0 when tau exceeds
     * every singular value; wide, too wide and misshapen arguments refused.
     */
    @Test
    void thresholdTallGivesThresholdsBitsAndTheFactorItMultipliesBy() {
        RandomGenerator rng = TestMatrices.rng(64);
        int[][] shapes = {{30, 1}, {40, 9}, {3000, 9}, {200, 51}, {64, 64}, {500, 64}};
        for (int[] sh : shapes) {
            DMatrixRMaj a = TestMatrices.gaussian(sh[0], sh[1], 1, rng);
            double[] s = ThinSvd.singularValues(a);
            for (double tau : new double[] {0.0, s[s.length / 2], 2 * s[0]}) {
                String what = sh[0] + "x" + sh[1] + " tau " + tau;
                DMatrixRMaj ref = new DMatrixRMaj(sh[0], sh[1]);
                double[] sRef = ThinSvd.threshold(a, tau, ref);
                DMatrixRMaj out = new DMatrixRMaj(sh[0], sh[1]);
                DMatrixRMaj w = new DMatrixRMaj(sh[1], sh[1]);
                double[] got = ThinSvd.thresholdTall(a, tau, out, w);
                assertThat(got).as(what).containsExactly(sRef);
                assertThat(out.data).as(what).containsExactly(ref.data);
                DMatrixRMaj aw = new DMatrixRMaj(sh[0], sh[1]);
                CommonOps_DDRM.mult(a, w, aw);
                assertThat(TestMatrices.maxAbsDifference(aw, out)).as(what).isLessThan(1e-12 * (1 + s[0]));
                DMatrixRMaj wt = CommonOps_DDRM.transpose(w, null);
                assertThat(w.data).as(what + " symmetric").containsExactly(wt.data);
                double[] ew = ThinSvd.singularValues(w); // W is PSD: its singular values are its eigenvalues
                for (int j = 0; j < s.length; j++) {
                    double expected = s[j] > tau ? (s[j] - tau) / s[j] : 0.0;
                    assertThat(ew[j]).as(what + " eigenvalue " + j).isCloseTo(expected, offset(1e-10));
                }
                if (tau > s[0]) {
                    assertThat(w.data).as(what).containsOnly(0.0);
                    assertThat(out.data).as(what).containsOnly(0.0);
                }
            }
        }
        DMatrixRMaj wide = TestMatrices.gaussian(3, 5, 1, rng);
        assertThatThrownBy(() -> ThinSvd.thresholdTall(wide, 0.1, new DMatrixRMaj(3, 5), new DMatrixRMaj(5, 5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tall");
        DMatrixRMaj broad = TestMatrices.gaussian(100, 65, 1, rng);
        assertThatThrownBy(() -> ThinSvd.thresholdTall(broad, 0.1, new DMatrixRMaj(100, 65), new DMatrixRMaj(65, 65)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 64 columns");
        DMatrixRMaj a = TestMatrices.gaussian(10, 3, 1, rng);
        assertThatThrownBy(() -> ThinSvd.thresholdTall(a, 0.1, new DMatrixRMaj(10, 3), new DMatrixRMaj(2, 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("w is 2x3, expected 3x3");
        assertThatThrownBy(() -> ThinSvd.thresholdTall(a, 0.1, new DMatrixRMaj(9, 3), new DMatrixRMaj(3, 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out is 9x3");
        assertThatThrownBy(() -> ThinSvd.thresholdTall(a, 0.1, a, new DMatrixRMaj(3, 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alias");
    }
}
