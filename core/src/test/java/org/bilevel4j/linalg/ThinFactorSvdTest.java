package org.bilevel4j.linalg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.bilevel4j.testing.TestMatrices;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.junit.jupiter.api.Test;

/**
 * The thin-matrix kernels (Householder QR without Q by columns and by rows, blocked from 2048 rows,
 * one-sided Jacobi or EJML on the triangle, thresholding as one product) against EJML's full SVD.
 */
class ThinFactorSvdTest {

    /** Tall and wide, k below and above the row-variant and Jacobi limits, blocked (TSQR) and not. */
    private static final int[][] SHAPES = {{2304, 9}, {9, 2304}, {2304, 51}, {51, 300}, {100, 20}, {20, 100},
        {40000, 9}, {20000, 20}, {5, 5}, {17, 16}, {1, 7}, {7, 1}};

    private static double[] reference(DMatrixRMaj a, DMatrixRMaj[] uvt) {
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(a.numRows, a.numCols,
                uvt != null, uvt != null, true);
        assertThat(svd.decompose(a.copy())).isTrue();
        int k = Math.min(a.numRows, a.numCols);
        double[] s = Arrays.copyOf(svd.getSingularValues(), k);
        if (uvt != null) {
            uvt[0] = svd.getU(null, false);
            uvt[1] = svd.getV(null, true);
        }
        return s;
    }

    private static double[] sortedDecreasing(double[] s) {
        double[] c = s.clone();
        Arrays.sort(c);
        for (int i = 0; i < c.length / 2; i++) {
            double t = c[i];
            c[i] = c[c.length - 1 - i];
            c[c.length - 1 - i] = t;
        }
        return c;
    }

    @Test
    void blocksHaveAtLeastTheirShareOfRowsAndFourTimesTheColumns() {
        assertThat(ThinFactorSvd.blocks(2047, 9)).isEqualTo(1);
        assertThat(ThinFactorSvd.blocks(2304, 9)).isEqualTo(2);
        assertThat(ThinFactorSvd.blocks(2304, 51)).isEqualTo(2);
        assertThat(ThinFactorSvd.blocks(20800, 9)).isEqualTo(ThinFactorSvd.MAX_BLOCKS);
        // a block's QR needs at least k rows: 2100 x 1030 is not cut in two blocks of 1050
        assertThat(ThinFactorSvd.blocks(2100, 1030)).isEqualTo(0);
        assertThat(ThinFactorSvd.blocks(8400, 1030)).isEqualTo(2);
        for (int m = 1; m < 70_000; m += 997) {
            for (int k = 1; k <= m && k < 3000; k += 211) {
                int b = ThinFactorSvd.blocks(m, k);
                if (b >= 2) {
                    assertThat(m / b).as("rows per block, %d x %d", m, k).isGreaterThanOrEqualTo(4 * k);
                }
            }
        }
    }

    @Test
    void singularValuesMatchAFullSvd() {
        RandomGenerator rng = TestMatrices.rng(141);
        for (int[] shape : SHAPES) {
            DMatrixRMaj a = TestMatrices.gaussian(shape[0], shape[1], 1, rng);
            double[] s = ThinFactorSvd.singularValues(a);
            double[] ref = sortedDecreasing(reference(a, null));
            assertThat(s).hasSize(ref.length);
            for (int i = 0; i < s.length; i++) {
                assertThat(s[i]).as("sigma_%d of %dx%d", i, shape[0], shape[1])
                        .isCloseTo(ref[i], offset(1e-12 * ref[0]));
                if (i > 0) {
                    assertThat(s[i]).isLessThanOrEqualTo(s[i - 1]);
                }
            }
        }
    }

    @Test
    void thresholdingMatchesTheExplicitSvd() {
        RandomGenerator rng = TestMatrices.rng(142);
        for (int[] shape : SHAPES) {
            DMatrixRMaj a = TestMatrices.gaussian(shape[0], shape[1], 1, rng);
            DMatrixRMaj[] uvt = new DMatrixRMaj[2];
            double[] s = reference(a, uvt);
            double tau = 0.5 * s[0] + 0.3 * s[s.length - 1]; // keeps some, drops some
            for (double t : new double[] {0.0, tau, 2 * s[0] + 1}) {
                DMatrixRMaj expected = explicit(uvt[0], s, uvt[1], t);
                DMatrixRMaj out = new DMatrixRMaj(a.numRows, a.numCols);
                ThinFactorSvd.threshold(a, t, out);
                assertThat(TestMatrices.maxAbsDifference(out, expected)).as("SVT at %s of %dx%d", t, shape[0],
                        shape[1]).isLessThan(1e-12 * (1 + s[0]));
            }
        }
    }

    private static DMatrixRMaj explicit(DMatrixRMaj u, double[] s, DMatrixRMaj vt, double tau) {
        DMatrixRMaj ud = u.copy();
        for (int i = 0; i < ud.numRows; i++) {
            for (int j = 0; j < s.length; j++) {
                ud.set(i, j, ud.get(i, j) * Math.max(s[j] - tau, 0));
            }
        }
        DMatrixRMaj out = new DMatrixRMaj(u.numRows, vt.numCols);
        CommonOps_DDRM.mult(ud, vt, out);
        return out;
    }

    @Test
    void zeroColumnsAndRankDeficiencyAreExact() {
        RandomGenerator rng = TestMatrices.rng(143);
        for (int[] shape : new int[][] {{300, 9}, {300, 30}, {9, 300}}) {
            boolean wide = shape[0] < shape[1];
            int m = wide ? shape[1] : shape[0];
            int k = wide ? shape[0] : shape[1];
            DMatrixRMaj left = TestMatrices.gaussian(m, 3, 1, rng);
            DMatrixRMaj right = TestMatrices.gaussian(3, k, 1, rng);
            DMatrixRMaj tall = new DMatrixRMaj(m, k);
            CommonOps_DDRM.mult(left, right, tall);
            for (int i = 0; i < m; i++) {
                tall.set(i, 0, 0.0); // a zero column (the soft threshold makes them)
            }
            DMatrixRMaj a = wide ? CommonOps_DDRM.transpose(tall, null) : tall;
            double[] s = ThinFactorSvd.singularValues(a);
            double[] ref = sortedDecreasing(reference(a, null));
            for (int i = 0; i < s.length; i++) {
                assertThat(s[i]).isCloseTo(ref[i], offset(1e-12 * ref[0]));
            }
            assertThat(s[3]).isLessThan(1e-12 * s[0]);
            DMatrixRMaj out = new DMatrixRMaj(a.numRows, a.numCols);
            ThinFactorSvd.threshold(a, 0.0, out);
            assertThat(TestMatrices.maxAbsDifference(out, a)).isLessThan(1e-12 * s[0]);
        }
        DMatrixRMaj zero = new DMatrixRMaj(50, 4);
        assertThat(ThinFactorSvd.singularValues(zero)).containsOnly(0.0);
    }

    /** The columns of a, one array each (the QR's layout). */
    private static double[][] columnsOf(DMatrixRMaj a) {
        double[][] c = new double[a.numCols][a.numRows];
        for (int i = 0; i < a.numRows; i++) {
            for (int j = 0; j < a.numCols; j++) {
                c[j][i] = a.get(i, j);
            }
        }
        return c;
    }

    @Test
    void vectorAndScalarDotProductsGiveTheSameTriangleToRounding() {
        // the surefire JVM has the Vector API module, so both kernels of ThinFactorSvd.dots run here (the probe of
        // TallMatrixModuleTest checks which one a JVM without the module takes)
        assumeThat(PanelKernels.AVAILABLE).as("the Vector API module is not resolved").isTrue();
        RandomGenerator rng = TestMatrices.rng(88);
        int[][] shapes = {{2304, 51}, {1003, 9}, {37, 20}, {9, 9}, {17, 16}, {300, 33}};
        for (int[] shape : shapes) {
            int m = shape[0];
            int k = shape[1];
            DMatrixRMaj a = TestMatrices.gaussian(m, k, 1, rng);
            double[][] c1 = columnsOf(a);
            double[][] c2 = columnsOf(a);
            double[] r1 = new double[k * k];
            double[] r2 = new double[k * k];
            ThinFactorSvd.householder(c1, m, k, r1, false);
            ThinFactorSvd.householder(c2, m, k, r2, true);
            double norm = Math.sqrt(MatOps.normSq(a));
            for (int i = 0; i < k * k; i++) {
                assertThat(r2[i]).as("R entry %d of %dx%d", i, m, k).isCloseTo(r1[i], offset(1e-13 * norm));
            }
            // and R is the triangle of A: R^T R = A^T A
            DMatrixRMaj r = new DMatrixRMaj(k, k, true, r2);
            DMatrixRMaj rtr = new DMatrixRMaj(k, k);
            CommonOps_DDRM.multTransA(r, r, rtr);
            DMatrixRMaj ata = new DMatrixRMaj(k, k);
            CommonOps_DDRM.multTransA(a, a, ata);
            assertThat(TestMatrices.maxAbsDifference(rtr, ata)).isLessThan(1e-12 * norm * norm);
        }
    }

    /**
     * The look-ahead QR gives the plain QR's bits (with the same vector dot products): R and the reflectors
     * left in the columns, for dense matrices, upper triangular ones with zero diagonal entries (a step with no
     * reflector, before and after a step that looks ahead), zero and repeated columns, a zero first entry above
     * a nonzero column at steps 0 and 1 (the reflector's sign there), and rows from k to a few vectors past it;
     * R is filled with NaN first (it must be written whole).
     */
    @Test
    void theLookAheadQrGivesThePlainBits() {
        assumeThat(PanelKernels.AVAILABLE).as("the Vector API module is not resolved").isTrue();
        RandomGenerator rng = TestMatrices.rng(91);
        int[][] shapes = {{1, 1}, {2, 2}, {5, 3}, {9, 9}, {13, 10}, {40, 11}, {300, 33}, {1152, 51}, {2303, 9}};
        for (int[] shape : shapes) {
            int m = shape[0];
            int k = shape[1];
            for (int kind = 0; kind < 6; kind++) {
                DMatrixRMaj a = TestMatrices.gaussian(m, k, 1, rng);
                if (kind == 1) { // upper triangular, some zero diagonal entries
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < Math.min(i, k); j++) {
                            a.set(i, j, 0.0);
                        }
                        if (i < k && i % 3 == 1) {
                            a.set(i, i, 0.0);
                        }
                    }
                } else if (kind == 2) { // zero columns and a repeated one
                    for (int i = 0; i < m; i++) {
                        a.set(i, k / 2, 0.0);
                        a.set(i, k - 1, k > 2 ? a.get(i, 0) : 0.0);
                    }
                } else if (kind == 3) { // entries of very different magnitude
                    for (int i = 0; i < m * k; i++) {
                        a.data[i] *= Math.pow(2, rng.nextInt(-30, 31));
                    }
                } else if (kind == 4) { // a zero first entry above a nonzero column: the reflector's sign at x0 = 0
                    a.set(0, 0, 0.0);
                } else if (m > 1 && k > 1) { // the same at step 1, the step that the look-ahead prepares
                    for (int i = 1; i < m; i++) {
                        a.set(i, 0, 0.0);
                    }
                    a.set(1, 1, 0.0);
                }
                double[][] c1 = columnsOf(a);
                double[][] c2 = columnsOf(a);
                double[] r1 = new double[k * k];
                double[] r2 = new double[k * k];
                java.util.Arrays.fill(r1, Double.NaN); // R is written whole, zeros below the diagonal included
                java.util.Arrays.fill(r2, Double.NaN);
                ThinFactorSvd.householderPlain(c1, m, k, r1, true);
                ThinFactorSvd.householderLookAhead(c2, m, k, r2);
                assertThat(r2).as("R of %dx%d, kind %d", m, k, kind).isEqualTo(r1);
                for (int j = 0; j < k; j++) {
                    assertThat(c2[j]).as("column %d of %dx%d, kind %d", j, m, k, kind).isEqualTo(c1[j]);
                }
            }
        }
    }

    @Test
    void anyNonFiniteEntryAnywhereIsAnArithmeticException() {
        // the input is not scanned: R must carry the entry, wherever it sits, for dense, sparse and
        // zero matrices, tall and wide, unblocked and blocked (TSQR from 2048 rows)
        RandomGenerator rng = TestMatrices.rng(77);
        int[][] shapes = {{40, 3}, {3, 40}, {60, 17}, {17, 60}, {9, 9}, {2304, 9}, {9, 2304}, {2304, 51}};
        double[] bad = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (int[] shape : shapes) {
            for (int kind = 0; kind < 3; kind++) {
                for (int trial = 0; trial < 12; trial++) {
                    DMatrixRMaj a = kind == 0 ? new DMatrixRMaj(shape[0], shape[1])
                            : TestMatrices.gaussian(shape[0], shape[1], 1, rng);
                    if (kind == 2) {
                        for (int i = 0; i < a.data.length; i++) {
                            if (rng.nextDouble() < 0.7) {
                                a.data[i] = 0.0;
                            }
                        }
                    }
                    int at = trial < 4 ? (trial == 0 ? 0 : trial == 1 ? a.data.length - 1 : trial == 2
                            ? shape[1] - 1 : a.data.length - shape[1]) : rng.nextInt(a.data.length);
                    a.data[at] = bad[trial % 3];
                    assertThatThrownBy(() -> ThinFactorSvd.singularValues(a)).as("%dx%d, kind %d, entry %d = %s",
                            shape[0], shape[1], kind, at, a.data[at]).isInstanceOf(ArithmeticException.class);
                }
            }
        }
    }

    @Test
    void nonFiniteInputIsAnArithmeticException() {
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY}) {
            DMatrixRMaj a = new DMatrixRMaj(40, 3);
            a.set(7, 2, bad);
            assertThatThrownBy(() -> ThinFactorSvd.singularValues(a)).isInstanceOf(ArithmeticException.class);
            DMatrixRMaj w = new DMatrixRMaj(3, 40);
            w.set(2, 7, bad);
            assertThatThrownBy(() -> ThinFactorSvd.threshold(w, 1, new DMatrixRMaj(3, 40)))
                    .isInstanceOf(ArithmeticException.class);
        }
    }

    @Test
    void largestEigenvalueOfSmallGramMatricesMatchesEjml() {
        RandomGenerator rng = TestMatrices.rng(144);
        for (int k : new int[] {2, 3, 5, 9, 10, 16, 32}) {
            DMatrixRMaj x = TestMatrices.gaussian(3 * k, k, 1, rng);
            for (int j = 0; j < x.numRows; j++) {
                x.set(j, 0, x.get(j, 0) * 1e4); // a spread of scales
            }
            DMatrixRMaj g = new DMatrixRMaj(k, k);
            CommonOps_DDRM.multTransA(x, x, g);
            EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(k, false, true);
            assertThat(eig.decompose(g.copy())).isTrue();
            double max = 0;
            for (int i = 0; i < k; i++) {
                max = Math.max(max, eig.getEigenvalue(i).real);
            }
            assertThat(ThinFactorSvd.maxEigenvaluePsd(g.data, k)).isCloseTo(max, offset(1e-13 * max));
        }
        assertThat(ThinFactorSvd.maxEigenvaluePsd(new double[] {1, Double.NaN, Double.NaN, 1}, 2)).isNaN();
    }

    /** Few distinct values, so that ties are common, with both zeros, NaN and infinity. */
    @Provide
    Arbitrary<double[]> singularValueLists() {
        return Arbitraries.of(0.0, -0.0, 1.0, 2.5, 1e-300, 7.0, Double.NaN, Double.POSITIVE_INFINITY)
                .array(double[].class).ofMinSize(0).ofMaxSize(70);
    }

    @Property(tries = 400, seed = "4097")
    void decreasingOrderIsTheStableSortOfTheBoxedIndices(@ForAll("singularValueLists") double[] s) {
        // the order the boxed sort with this comparator gave before (ties, -0.0 and NaN included), for the whole
        // array and for a prefix
        for (int k : new int[] {s.length, s.length / 2}) {
            Integer[] boxed = new Integer[k];
            for (int j = 0; j < k; j++) {
                boxed[j] = j;
            }
            Arrays.sort(boxed, (x, y) -> Double.compare(s[y], s[x]));
            int[] expected = new int[k];
            for (int j = 0; j < k; j++) {
                expected[j] = boxed[j];
            }
            assertThat(ThinFactorSvd.decreasingOrder(s, k)).as("%s, k = %d", Arrays.toString(s), k)
                    .containsExactly(expected);
        }
    }
}
