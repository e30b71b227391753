package org.bilevel4j.linalg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.bilevel4j.testing.TestMatrices;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorRowDots} bit for bit against the running sums it documents: each entry
 * {@code alpha s + beta C} with {@code s} the fused multiply-adds of its row of A and column of B in increasing
 * order from zero, which is also what {@link JavaGemm#rowDots} sums, so {@code Gemm} gives the same bits with or
 * without the Vector API. Runs where the surefire JVM has the module and the hardware fused multiply-add.
 */
class VectorRowDotsTest {

    private static final double[] ALPHAS = {1.0, -0.5, 3.0};
    private static final double[] BETAS = {0.0, -1.0, 0.25};

    private static void assumeVectorRows() {
        assumeThat(JavaGemm.VECTOR_ROWS).as("the Vector API module or a hardware fused multiply-add is missing")
                .isTrue();
    }

    /** {@code alpha A B + beta C} entry by entry from the definition of the order (beta 0: C ignored). */
    private static double[] definition(double alpha, DMatrixRMaj a, DMatrixRMaj b, double beta, double[] c) {
        int m = a.numRows;
        int k = a.numCols;
        int n = b.numCols;
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s = Math.fma(a.get(i, p), b.get(p, j), s);
                }
                double v = alpha * s;
                out[i * n + j] = beta == 0.0 ? v : v + beta * c[i * n + j];
            }
        }
        return out;
    }

    /**
     * Any shape: rows not a multiple of 4 (the one-row loop), columns below, at and past whole vectors (the
     * scalar columns), inner dimensions from 1 to the limit; row ranges that start inside the matrix.
     */
    @Property(tries = 300, seed = "1931")
    void everyEntryIsTheDocumentedRunningSum(@ForAll @IntRange(min = 1, max = 41) int m,
            @ForAll @IntRange(min = 1, max = 64) int k, @ForAll @IntRange(min = 1, max = 27) int n,
            @ForAll @IntRange(min = 0, max = 8) int variant) {
        assumeVectorRows();
        RandomGenerator rng = TestMatrices.rng(31L * m + 7L * k + n);
        DMatrixRMaj a = TestMatrices.gaussian(m, k, 1, rng);
        DMatrixRMaj b = TestMatrices.gaussian(k, n, 1, rng);
        double[] c = TestMatrices.gaussian(m, n, 1, rng).data;
        double alpha = ALPHAS[variant % 3];
        double beta = BETAS[variant / 3];
        double[] expected = definition(alpha, a, b, beta, c);
        double[] out = c.clone();
        if (beta == 0.0) {
            Arrays.fill(out, Double.NaN); // ignored, not multiplied by zero
        }
        VectorRowDots.rows(alpha, a.data, k, b.data, n, beta, out, 0, m);
        assertThat(out).as("%dx%d by %dx%d, alpha %s, beta %s", m, k, k, n, alpha, beta).containsExactly(expected);
        // a range of rows leaves the others alone
        int i0 = m / 3;
        int i1 = m - m / 4;
        double[] part = c.clone();
        VectorRowDots.rows(alpha, a.data, k, b.data, n, beta, part, i0, i1);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double want = i >= i0 && i < i1 ? expected[i * n + j] : c[i * n + j];
                assertThat(part[i * n + j]).as("row %d of the range [%d, %d)", i, i0, i1).isEqualTo(want);
            }
        }
        // the dot-product kernel sums in the same order
        double[] dots = c.clone();
        JavaGemm.rowDots(alpha, a.data, m, k, CommonOps_DDRM.transpose(b, null).data, n, beta, dots, false);
        assertThat(dots).containsExactly(expected);
    }

    /**
     * {@link VectorRowDots#rowsPadded} gives every entry the documented running sum, bit for bit, for any inner
     * dimension: rows in fours and alone, C's columns in passes of three vectors, two and one and in part of a
     * vector (the padding lanes dropped; up to 44 columns, so that on eight lanes too a pass of two or three
     * vectors starts past the first column), alpha and beta as the scalar store applies them, a range of rows
     * leaving the others alone, and A with signed zeros, infinities and NaN (which the padding lanes multiply
     * too, and must not leak); the dot-product kernel agrees.
     */
    @Property(tries = 300, seed = "7211")
    void paddedRowsAreTheDocumentedRunningSums(@ForAll @IntRange(min = 1, max = 23) int m,
            @ForAll @IntRange(min = 1, max = 150) int k, @ForAll @IntRange(min = 1, max = 44) int n,
            @ForAll @IntRange(min = 0, max = 9) int variant) {
        assumeVectorRows();
        RandomGenerator rng = TestMatrices.rng(41L * m + 11L * k + n + 1000L * variant);
        DMatrixRMaj a = TestMatrices.gaussian(m, k, 1, rng);
        DMatrixRMaj b = TestMatrices.gaussian(k, n, 1, rng);
        if (variant == 9) {
            double[] special = {-0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, 0.0};
            for (double v : special) {
                a.data[rng.nextInt(m * k)] = v;
            }
        }
        double[] c = TestMatrices.gaussian(m, n, 1, rng).data;
        double alpha = ALPHAS[variant % 3];
        double beta = BETAS[(variant / 3) % 3];
        double[] expected = definition(alpha, a, b, beta, c);
        int lanes = VectorRowDots.lanes();
        int np = (n + lanes - 1) / lanes * lanes;
        DMatrixRMaj bt = CommonOps_DDRM.transpose(b, null);
        double[] bp = JavaGemm.padded(b, false, k, n, np);
        assertThat(JavaGemm.padded(bt, true, k, n, np)).as("B^T padded").containsExactly(bp);
        for (int p = 0; p < k; p++) {
            for (int j = n; j < np; j++) {
                assertThat(bp[p * np + j]).as("padding").isEqualTo(0.0);
            }
        }
        double[] out = c.clone();
        if (beta == 0.0) {
            Arrays.fill(out, Double.NaN); // ignored, not multiplied by zero
        }
        String shape = String.format("%dx%d by %dx%d, alpha %s, beta %s", m, k, k, n, alpha, beta);
        VectorRowDots.rowsPadded(alpha, a.data, k, bp, np, n, beta, out, 0, m);
        assertThat(out).as(shape).containsExactly(expected);
        int i0 = m / 3;
        int i1 = m - m / 4;
        double[] part = c.clone();
        VectorRowDots.rowsPadded(alpha, a.data, k, bp, np, n, beta, part, i0, i1);
        double[] want = c.clone();
        System.arraycopy(expected, i0 * n, want, i0 * n, (i1 - i0) * n);
        assertThat(part).as("%s, rows [%d, %d)", shape, i0, i1).containsExactly(want);
        double[] dots = c.clone();
        JavaGemm.rowDots(alpha, a.data, m, k, bt.data, n, beta, dots, false);
        assertThat(dots).as("dot products, " + shape).containsExactly(expected);
    }

    /**
     * {@code M Y^T} with M row-major and a long inner dimension, past {@link JavaGemm#VECTOR_PASS_WORK}, goes to
     * the padded kernel on both threads with the bits of the copy by columns (where a solver keeps no copy, and
     * the linesearch's {@code M [Yu; Yl]^T}), and only there.
     */
    @Test
    void longRowsTimesThinTransposedFactorTakeThePaddedKernelWithTheCopysBits() {
        assumeVectorRows();
        assumeThat(Gemm.nativeAvailable()).as("native BLAS takes this product").isFalse();
        RandomGenerator rng = TestMatrices.rng(4242);
        for (int r : new int[] {9, 10, 13, 32}) {
            DMatrixRMaj m = TestMatrices.gaussian(3001, 150, 1, rng);
            DMatrixRMaj y = TestMatrices.gaussian(r, 150, 1, rng);
            assertThat(JavaGemm.vectorPass(3001L * 150 * r)).isTrue();
            DMatrixRMaj viaGemm = new DMatrixRMaj(3001, r);
            Gemm.multTransB(m, y, viaGemm);
            DMatrixRMaj viaCopy = new DMatrixRMaj(3001, r);
            new TransposedMatrix(m).multTransB(y, viaCopy);
            assertThat(viaGemm.data).as("r = %d", r).containsExactly(viaCopy.data);
            assertThat(JavaGemm.paddedRows(3001, 150, r)).as("r = %d", r).isTrue();
        }
        // the boundaries, each with work past VECTOR_PASS_WORK
        assertThat(JavaGemm.paddedRows(10_000, 64, 10)).as("k <= 64: the small-inner kernel").isFalse();
        assertThat(JavaGemm.paddedRows(10_000, 65, 10)).as("k = 65").isTrue();
        assertThat(JavaGemm.paddedRows(3001, 150, 20)).as("r = 20").isTrue();
        assertThat(JavaGemm.paddedRows(3001, 150, 21)).as("r = 21, k above 2r").isTrue();
        assertThat(JavaGemm.paddedRows(3001, 100, 50)).as("r = 50, k = 2r: the blocked kernel").isFalse();
        assertThat(JavaGemm.paddedRows(3001, 101, 50)).as("r = 50, k = 2r + 1").isTrue();
        assertThat(JavaGemm.paddedRows(3001, 150, 64)).as("r = 64").isTrue();
        assertThat(JavaGemm.paddedRows(3001, 150, 65)).as("r above the thin width").isFalse();
        assertThat(JavaGemm.paddedRows(30_000, 150, 1)).as("one column").isTrue();
        assertThat(JavaGemm.paddedRows(30_000, 150, 0)).as("no column").isFalse();
        assertThat(JavaGemm.paddedRows(100, 150, 10)).as("below VECTOR_PASS_WORK").isFalse();
    }

    @Test
    void gemmTakesTheVectorKernelForBothLayoutsOfTheSmallFactorWithTheSameBits() {
        assumeVectorRows();
        RandomGenerator rng = TestMatrices.rng(2304);
        // X (Y Y^T) - P of BINNO's gradient, Z W of its prox, W (H H^T) of NMF: m x 9 by 9 x 9, on both threads
        DMatrixRMaj x = TestMatrices.gaussian(2304, 9, 1, rng);
        DMatrixRMaj g = TestMatrices.gaussian(9, 9, 1, rng);
        DMatrixRMaj p = TestMatrices.gaussian(2304, 9, 1, rng);
        double[] expected = definition(1.0, x, g, -1.0, p.data);
        DMatrixRMaj out = p.copy();
        Gemm.gemm(false, false, 1.0, x, g, -1.0, out);
        assertThat(out.data).containsExactly(expected);
        DMatrixRMaj gt = CommonOps_DDRM.transpose(g, null);
        DMatrixRMaj outT = p.copy();
        Gemm.gemm(false, true, 1.0, x, gt, -1.0, outT);
        assertThat(outT.data).containsExactly(expected);
        // and a product whose B is wider than a vector but narrower than two, rows not a multiple of 4
        DMatrixRMaj z = TestMatrices.gaussian(1003, 33, 1, rng);
        DMatrixRMaj w = TestMatrices.gaussian(33, 17, 1, rng);
        DMatrixRMaj zw = new DMatrixRMaj(1003, 17);
        Gemm.mult(z, w, zw);
        assertThat(zw.data).containsExactly(definition(1.0, z, w, 0.0, null));
    }

    /**
     * The long inner dimension's partial sums as documented: for entry (i, j), from zero, the rows of B in groups
     * of four, each group's four fused multiply-adds in increasing p unless its four coefficients are all zero,
     * then the last rows one at a time unless the coefficient is zero.
     */
    private static double[] reduceDefinition(double[] ad, int rs, int cs, double[] bd, int n, int m, int p0, int p1) {
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0.0;
                int p = p0;
                for (; p + 3 < p1; p += 4) {
                    boolean any = false;
                    for (int q = p; q < p + 4; q++) {
                        any |= ad[q * rs + i * cs] != 0.0;
                    }
                    for (int q = p; any && q < p + 4; q++) {
                        s = Math.fma(ad[q * rs + i * cs], bd[q * n + j], s);
                    }
                }
                for (; p < p1; p++) {
                    double a = ad[p * rs + i * cs];
                    if (a != 0.0) {
                        s = Math.fma(a, bd[p * n + j], s);
                    }
                }
                out[i * n + j] = s;
            }
        }
        return out;
    }

    private static double[] flat(double[][] rows, int n) {
        double[] out = new double[rows.length * n];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, out, i * n, n);
        }
        return out;
    }

    /**
     * {@link VectorRowDots#reduce} and the scalar {@link JavaGemm#reduceChunk} both give the documented sums, bit
     * for bit: result rows in pairs and alone (m odd), columns below, at and past whole vectors, chunks whose
     * rows of B end in a group of four and in single rows, A transposed or not, coefficients zero in whole
     * groups (skipped), in parts of groups (not skipped), and B with signed zeros, infinities and NaN (where
     * skipping a group and adding its zero products differ).
     */
    @Property(tries = 300, seed = "4409")
    void longInnerChunksAreTheDocumentedSums(@ForAll @IntRange(min = 1, max = 13) int m,
            @ForAll @IntRange(min = 1, max = 41) int n, @ForAll @IntRange(min = 1, max = 70) int rows,
            @ForAll @IntRange(min = 0, max = 5) int variant) {
        assumeVectorRows();
        RandomGenerator rng = TestMatrices.rng(97L * m + 13L * n + rows + 1000L * variant);
        int k = rows + 3;
        int p0 = variant % 4; // a chunk that starts inside B
        int p1 = Math.min(k, p0 + rows);
        boolean ta = variant % 2 == 0;
        DMatrixRMaj a = ta ? TestMatrices.gaussian(k, m, 1, rng) : TestMatrices.gaussian(m, k, 1, rng);
        DMatrixRMaj b = TestMatrices.gaussian(k, n, 1, rng);
        int rs = ta ? m : 1;
        int cs = ta ? 1 : k;
        for (int p = 0; p < k; p++) {
            for (int i = 0; i < m; i++) {
                boolean group = ((p / 4) + i) % 3 == 0; // whole groups of four (from p0 = 0) zero for some rows
                if ((variant >= 2 && group) || rng.nextDouble() < 0.2) {
                    a.data[p * rs + i * cs] = 0.0;
                }
            }
        }
        if (variant >= 4) {
            double[] special = {-0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, 0.0};
            for (int t = 0; t < special.length; t++) {
                b.data[rng.nextInt(b.data.length)] = special[t];
            }
        }
        double[] expected = reduceDefinition(a.data, rs, cs, b.data, n, m, p0, p1);
        String shape = String.format("%s %dx%d, rows [%d, %d) of %d", ta ? "A^T" : "A", m, n, p0, p1, k);
        assertThat(flat(JavaGemm.reduceChunk(ta, a, b, m, n, p0, p1), n)).as("scalar, " + shape)
                .containsExactly(expected);
        double[][] acc = new double[m][n];
        VectorRowDots.reduce(a.data, rs, cs, b.data, n, m, p0, p1, acc);
        assertThat(flat(acc, n)).as("vector, " + shape).containsExactly(expected);
    }

    /**
     * {@link JavaGemm#reduceInner} cuts the rows of B into its documented chunks and adds their partial sums in
     * chunk order, bit for bit, whichever kernel forms a chunk: at 9 x 50 by 3000 rows the chunks are bounded by
     * {@link JavaGemm#REDUCE_MIN_ROWS} (3000 / 512 = 5), at 30 x 1000 by 5000 rows by the memory of the partials
     * (4 {@link JavaGemm#REDUCE_MAX_C} / 30000 = 8, below 5000 / 512 = 9 and {@link JavaGemm#REDUCE_MAX_CHUNKS}).
     */
    @Test
    void longInnerProductAddsItsDocumentedChunksInOrder() {
        int[][] shapes = {{9, 50, 3000, 5}, {30, 1000, 5000, 8}};
        for (int[] sh : shapes) {
            int m = sh[0];
            int n = sh[1];
            int k = sh[2];
            int chunks = sh[3];
            RandomGenerator rng = TestMatrices.rng(m * 7L + n);
            DMatrixRMaj a = TestMatrices.gaussian(k, m, 1, rng);
            DMatrixRMaj b = TestMatrices.gaussian(k, n, 1, rng);
            for (int i = 0; i < a.data.length; i += 3) {
                a.data[i] = 0.0; // some zero coefficients, some whole zero groups
            }
            double[] sum = new double[m * n];
            for (int t = 0; t < chunks; t++) {
                int p0 = (int) ((long) k * t / chunks);
                int p1 = (int) ((long) k * (t + 1) / chunks);
                double[] part = reduceDefinition(a.data, m, 1, b.data, n, m, p0, p1);
                for (int e = 0; e < sum.length; e++) {
                    sum[e] = t == 0 ? part[e] : sum[e] + part[e];
                }
            }
            double[] expected = new double[m * n];
            for (int e = 0; e < sum.length; e++) {
                expected[e] = -0.5 * sum[e];
            }
            for (boolean parallel : new boolean[] {false, true}) {
                DMatrixRMaj c = new DMatrixRMaj(m, n);
                JavaGemm.reduceInner(true, -0.5, a, b, 0.0, c, m, n, k, parallel);
                assertThat(c.data).as("%dx%d by %d rows, parallel %s", m, n, k, parallel).containsExactly(expected);
            }
        }
    }

    /**
     * {@link VectorRowDots#columns4} is {@link JavaGemm#axpy4} for every output slice, bit for bit: r even and odd
     * (pairs of slices and the last one alone), slices below, at and past whole vectors, columns anywhere in Y,
     * slices longer than the block (only len entries change).
     */
    @Property(tries = 200, seed = "6151")
    void fourColumnUpdatesAreTheScalarOnes(@ForAll @IntRange(min = 1, max = 12) int r,
            @ForAll @IntRange(min = 1, max = 45) int len, @ForAll @IntRange(min = 4, max = 30) int n,
            @ForAll @IntRange(min = 0, max = 26) int j0) {
        assumeVectorRows();
        RandomGenerator rng = TestMatrices.rng(1009L * r + 31L * len + 7L * n + j0);
        int j = Math.min(j0, n - 4);
        double[] yd = TestMatrices.gaussian(r, n, 1, rng).data;
        double[][] cols = new double[4][];
        for (int q = 0; q < 4; q++) {
            cols[q] = TestMatrices.gaussian(1, len, 1, rng).data;
        }
        double[][] scalar = new double[r][];
        double[][] vector = new double[r][];
        for (int k = 0; k < r; k++) {
            scalar[k] = TestMatrices.gaussian(1, len + 3, 1, rng).data;
            vector[k] = scalar[k].clone();
            int o = k * n + j;
            JavaGemm.axpy4(yd[o], cols[0], yd[o + 1], cols[1], yd[o + 2], cols[2], yd[o + 3], cols[3], scalar[k], len);
        }
        VectorRowDots.columns4(yd, n, j, cols[0], cols[1], cols[2], cols[3], vector, r, len);
        for (int k = 0; k < r; k++) {
            assertThat(vector[k]).as("slice %d of %d, len %d, columns %d..%d of %d", k, r, len, j, j + 3, n)
                    .containsExactly(scalar[k]);
        }
    }

    /**
     * The Gram kernel: every entry on and above the diagonal is the running sum over the rows in order, for every
     * width up to {@link JavaGemm#GRAM_MAX_N} (whole vectors, the scalar columns past them, result rows not a
     * multiple of 4; up to three vectors in one pass per group of rows, whose last vector reads into the next row)
     * and row ranges that start and end inside the matrix or at its last row, with NaN and infinities in the rows
     * outside the range.
     */
    @Property(tries = 300, seed = "3571")
    void gramEntriesAreTheDocumentedRunningSums(@ForAll @IntRange(min = 1, max = 32) int n,
            @ForAll @IntRange(min = 1, max = 300) int rows, @ForAll @IntRange(min = 0, max = 40) int skip,
            @ForAll @IntRange(min = 0, max = 3) int after, @ForAll boolean nonFiniteOutside) {
        assumeVectorRows();
        RandomGenerator rng = TestMatrices.rng(1000L * n + rows);
        double[] a = TestMatrices.gaussian(rows + skip + after, n, 1, rng).data;
        for (int i = 0; i < a.length; i += 3) {
            a[i] = 0.0; // sparse entries, as the factors of a soft-thresholded iterate have
        }
        if (nonFiniteOutside) {
            // rows outside the range, which the narrow kernel's last vector of a row may read: never in a sum
            for (int i = 0; i < skip * n; i += 2) {
                a[i] = Double.NaN;
            }
            for (int i = (skip + rows) * n; i < a.length; i++) {
                a[i] = i % 2 == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
            }
        }
        double[] g = VectorRowDots.gram(a, n, skip, skip + rows);
        double[] viaGemm = JavaGemm.gramRows(a, n, skip, skip + rows);
        for (int p = 0; p < n; p++) {
            for (int q = p; q < n; q++) {
                double s = 0;
                for (int i = skip; i < skip + rows; i++) {
                    s = Math.fma(a[i * n + p], a[i * n + q], s);
                }
                assertThat(g[p * n + q]).as("n %d, rows %d, entry (%d, %d)", n, rows, p, q).isEqualTo(s);
                assertThat(viaGemm[p * n + q]).isEqualTo(s);
            }
        }
    }
}
