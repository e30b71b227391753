package org.bilevel4j.linalg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The pure-Java products against a naive triple loop, for every transpose combination, several
 * alpha/beta pairs, tiny and odd shapes, and the thin shapes of matrix factorization (which take
 * the specialized kernels). Errors are bounded entrywise by {@code 1e-14} (about 45 ulps) times
 * {@code |alpha| |op(A)| |op(B)| + |beta| |C|}: every kernel sums in blocks or chunks, so its
 * error grows far slower than the worst case {@code k eps}.
 */
class JavaGemmTest {

    private static final double[][] ALPHA_BETA = {{1, 0}, {2.5, 0}, {-0.5, 1}, {1.5, -2}, {0.75, 0.25}};

    /** m, n, k of C = op(A) op(B): op(A) m x k, op(B) k x n. */
    static Stream<Arguments> shapes() {
        int[][] s = {
            {1, 1, 1}, {2, 3, 4}, {5, 1, 7}, {1, 9, 3}, {7, 7, 1}, // tiny: EJML
            {37, 41, 53}, {61, 59, 67},                              // small-medium, odd
            {129, 67, 255}, {300, 270, 260},                         // blocked, two column panels
            {70, 300, 2100},                                         // blocked with two inner panels (or reduce)
            {20, 37, 3001}, {18, 50, 2304}, {3, 501, 4099},          // long inner dimension
            {5003, 10, 257}, {2304, 9, 50}, {4099, 1, 130},          // tall A, thin result
            {1027, 3, 300}, {3001, 5, 1030}, {2001, 64, 33}, {2001, 65, 40},
        };
        return Arrays.stream(s).flatMap(d -> Stream.of(
                Arguments.of(d[0], d[1], d[2], false, false),
                Arguments.of(d[0], d[1], d[2], true, false),
                Arguments.of(d[0], d[1], d[2], false, true),
                Arguments.of(d[0], d[1], d[2], true, true)));
    }

    @ParameterizedTest(name = "{0}x{1}x{2} transA={3} transB={4}")
    @MethodSource("shapes")
    void matchesNaiveLoop(int m, int n, int k, boolean ta, boolean tb) {
        SplittableRandom rnd = new SplittableRandom(31L * m + 17L * n + k + (ta ? 1 : 0) + (tb ? 2 : 0));
        DMatrixRMaj a = ta ? random(k, m, rnd) : random(m, k, rnd);
        DMatrixRMaj b = tb ? random(n, k, rnd) : random(k, n, rnd);
        DMatrixRMaj[] ref = naive(ta, tb, a, b);
        for (double[] ab : ALPHA_BETA) {
            DMatrixRMaj c0 = random(m, n, rnd);
            DMatrixRMaj c = c0.copy();
            JavaGemm.gemm(ta, tb, ab[0], a, b, ab[1], c);
            assertClose(c, ref, ta, tb, ab[0], ab[1], c0);
        }
    }

    @ParameterizedTest(name = "{0}x{1}x{2} transA={3} transB={4}")
    @MethodSource("shapes")
    void gemmEntryPointAgrees(int m, int n, int k, boolean ta, boolean tb) {
        SplittableRandom rnd = new SplittableRandom(7L * m + n + 13L * k);
        DMatrixRMaj a = ta ? random(k, m, rnd) : random(m, k, rnd);
        DMatrixRMaj b = tb ? random(n, k, rnd) : random(k, n, rnd);
        DMatrixRMaj c0 = random(m, n, rnd);
        DMatrixRMaj c = c0.copy();
        Gemm.gemm(ta, tb, -1.25, a, b, 0.5, c);
        assertClose(c, ta, tb, -1.25, a, b, 0.5, c0);
    }

    @Test
    void betaZeroIgnoresNaNInC() {
        SplittableRandom rnd = new SplittableRandom(3);
        int[][] s = {{3, 4, 5}, {20, 37, 3001}, {5003, 10, 257}, {129, 67, 255}};
        for (int[] d : s) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    DMatrixRMaj a = ta ? random(d[2], d[0], rnd) : random(d[0], d[2], rnd);
                    DMatrixRMaj b = tb ? random(d[1], d[2], rnd) : random(d[2], d[1], rnd);
                    DMatrixRMaj c = new DMatrixRMaj(d[0], d[1]);
                    Arrays.fill(c.data, Double.NaN);
                    JavaGemm.gemm(ta, tb, 1.0, a, b, 0.0, c);
                    assertClose(c, ta, tb, 1.0, a, b, 0.0, new DMatrixRMaj(d[0], d[1]));
                }
            }
        }
    }

    @Test
    void zeroInnerDimensionScalesC() {
        DMatrixRMaj a = new DMatrixRMaj(3, 0);
        DMatrixRMaj b = new DMatrixRMaj(0, 4);
        DMatrixRMaj c = new DMatrixRMaj(3, 4);
        Arrays.fill(c.data, Double.NaN);
        Gemm.gemm(false, false, 1.0, a, b, 0.0, c);
        assertThat(c.data).containsOnly(0.0);
        Arrays.fill(c.data, 2.0);
        Gemm.gemm(false, false, 1.0, a, b, 3.0, c);
        assertThat(c.data).containsOnly(6.0);
    }

    @Test
    void sparseFactorsSkipZerosCorrectly() {
        // soft-thresholded factors are mostly zero: the long-inner kernel skips all-zero groups
        SplittableRandom rnd = new SplittableRandom(11);
        DMatrixRMaj x = random(4096, 20, rnd);
        for (int i = 0; i < x.data.length; i++) {
            if (rnd.nextDouble() < 0.8) {
                x.data[i] = 0.0;
            }
        }
        DMatrixRMaj m = random(4096, 77, rnd);
        DMatrixRMaj c = new DMatrixRMaj(20, 77);
        JavaGemm.gemm(true, false, 1.0, x, m, 0.0, c);
        assertClose(c, true, false, 1.0, x, m, 0.0, new DMatrixRMaj(20, 77));
    }

    @Test
    void parallelAndSequentialKernelsGiveIdenticalBits() {
        SplittableRandom rnd = new SplittableRandom(5);
        // long inner dimension: X^T M
        DMatrixRMaj x = random(9001, 20, rnd);
        DMatrixRMaj m = random(9001, 61, rnd);
        DMatrixRMaj c1 = new DMatrixRMaj(20, 61);
        DMatrixRMaj c2 = new DMatrixRMaj(20, 61);
        JavaGemm.reduceInner(true, 1.0, x, m, 0.0, c1, 20, 61, 9001, false);
        JavaGemm.reduceInner(true, 1.0, x, m, 0.0, c2, 20, 61, 9001, true);
        assertThat(c2.data).isEqualTo(c1.data);
        // tall A, thin result: M Y^T
        DMatrixRMaj big = random(4099, 300, rnd);
        DMatrixRMaj y = random(10, 300, rnd);
        DMatrixRMaj p1 = new DMatrixRMaj(4099, 10);
        DMatrixRMaj p2 = new DMatrixRMaj(4099, 10);
        JavaGemm.rowDots(1.0, big.data, 4099, 300, y.data, 10, 0.0, p1.data, false);
        JavaGemm.rowDots(1.0, big.data, 4099, 300, y.data, 10, 0.0, p2.data, true);
        assertThat(p2.data).isEqualTo(p1.data);
        // general
        DMatrixRMaj a = random(300, 270, rnd);
        DMatrixRMaj b = random(270, 290, rnd);
        DMatrixRMaj g1 = new DMatrixRMaj(300, 290);
        DMatrixRMaj g2 = new DMatrixRMaj(300, 290);
        JavaGemm.blocked(false, false, 1.0, a, b, 0.0, g1, 300, 290, 270, false);
        JavaGemm.blocked(false, false, 1.0, a, b, 0.0, g2, 300, 290, 270, true);
        assertThat(g2.data).isEqualTo(g1.data);
        // symmetric Gram of a tall thin factor: 16 chunks at 20800 x 9, two at 2304 x 9 (both parallel)
        for (int rows : new int[] {20800, 2304}) {
            DMatrixRMaj f = random(rows, 9, rnd);
            DMatrixRMaj s1 = new DMatrixRMaj(9, 9);
            DMatrixRMaj s2 = new DMatrixRMaj(9, 9);
            JavaGemm.gramThin(1.0, f, s1, false);
            JavaGemm.gramThin(1.0, f, s2, true);
            assertThat(s2.data).isEqualTo(s1.data);
            assertThat(rows * 9L * 10 / 2).isGreaterThanOrEqualTo(JavaGemm.GRAM_PARALLEL_WORK);
        }
    }

    @Test
    void aTransposeAFromTheUpperTriangleHasTheBitsOfTheWholeProduct() {
        // A^T A (a == b, alpha 1, beta 0) sums only the upper triangle and mirrors it: the same bits as the whole
        // product of A^T and a copy of A, exactly symmetric; two column panels (n > NC), two inner panels (k > KC),
        // on one thread and two
        SplittableRandom rnd = new SplittableRandom(13);
        int[][] shapes = {{700, 300}, {JavaGemm.KC + 52, 77}, {9, 13}, {40, JavaGemm.NC + 3}};
        for (int[] sh : shapes) {
            int k = sh[0];
            int n = sh[1];
            DMatrixRMaj a = random(k, n, rnd);
            DMatrixRMaj copy = a.copy();
            for (boolean parallel : new boolean[] {false, true}) {
                DMatrixRMaj upper = new DMatrixRMaj(n, n);
                DMatrixRMaj whole = new DMatrixRMaj(n, n);
                JavaGemm.blocked(true, false, 1.0, a, a, 0.0, upper, n, n, k, parallel);
                JavaGemm.blocked(true, false, 1.0, a, copy, 0.0, whole, n, n, k, parallel);
                assertThat(upper.data).as("%d x %d, parallel %s", k, n, parallel).isEqualTo(whole.data);
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < i; j++) {
                        assertThat(upper.get(i, j)).isEqualTo(upper.get(j, i));
                    }
                }
            }
        }
        DMatrixRMaj a = random(700, 300, rnd);
        DMatrixRMaj copy = a.copy();
        DMatrixRMaj viaGemm = new DMatrixRMaj(300, 300);
        DMatrixRMaj whole = new DMatrixRMaj(300, 300);
        Gemm.multTransA(a, a, viaGemm);
        Gemm.multTransA(a, copy, whole);
        assertThat(viaGemm.data).isEqualTo(whole.data);
        // A A and A^T A^T of one square A are not symmetric: formed whole
        DMatrixRMaj sq = random(300, 300, rnd);
        DMatrixRMaj sqCopy = sq.copy();
        for (boolean t : new boolean[] {false, true}) {
            DMatrixRMaj same = new DMatrixRMaj(300, 300);
            DMatrixRMaj apart = new DMatrixRMaj(300, 300);
            JavaGemm.blocked(t, t, 1.0, sq, sq, 0.0, same, 300, 300, 300, false);
            JavaGemm.blocked(t, t, 1.0, sq, sqCopy, 0.0, apart, 300, 300, 300, false);
            assertThat(same.data).as("both transposed: %s", t).isEqualTo(apart.data);
        }
        // where the factor alpha rounds, or beta keeps a C that is not symmetric, the whole product is formed
        DMatrixRMaj old = random(300, 300, rnd);
        for (double[] ab : new double[][] {{0.3, 0.0}, {1.0, 1.0}, {0.7, -0.4}}) {
            DMatrixRMaj same = old.copy();
            DMatrixRMaj apart = old.copy();
            JavaGemm.blocked(true, false, ab[0], a, a, ab[1], same, 300, 300, 700, false);
            JavaGemm.blocked(true, false, ab[0], a, copy, ab[1], apart, 300, 300, 700, false);
            assertThat(same.data).as("alpha %s, beta %s", ab[0], ab[1]).isEqualTo(apart.data);
        }
    }

    @Test
    void gramTilesSumEachEntryRowByRowInRowOrder() {
        // the tiled kernel against its definition, bit for bit: s = JavaGemm.fma(a_ip, a_iq, s) over the rows in
        // order, for every n up to 13 (full 3 x 3 tiles, the 3 x 1 tiles and the single entries of the
        // last n mod 3 columns), sparse and dense rows, a row range not starting at 0
        SplittableRandom rnd = new SplittableRandom(11);
        for (int n = 1; n <= 13; n++) {
            int rows = 203;
            double[] a = new double[rows * n];
            for (int i = 0; i < a.length; i++) {
                a[i] = rnd.nextDouble() < 0.4 ? 0.0 : rnd.nextDouble(-2, 2);
            }
            double[] g = JavaGemm.gramRows(a, n, 7, 190);
            for (int p = 0; p < n; p++) {
                for (int q = p; q < n; q++) {
                    double ref = 0;
                    for (int i = 7; i < 190; i++) {
                        ref = JavaGemm.fma(a[i * n + p], a[i * n + q], ref);
                    }
                    assertThat(g[p * n + q]).as("n = %d, entry (%d, %d)", n, p, q).isEqualTo(ref);
                }
            }
        }
    }

    @Test
    void rejectsBadShapesAndAliasing() {
        DMatrixRMaj a = new DMatrixRMaj(3, 4);
        DMatrixRMaj b = new DMatrixRMaj(5, 2);
        assertThatThrownBy(() -> Gemm.mult(a, b, new DMatrixRMaj(3, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inner dimensions");
        DMatrixRMaj sq = new DMatrixRMaj(3, 3);
        assertThatThrownBy(() -> Gemm.mult(sq, sq, new DMatrixRMaj(3, 4)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected 3x3");
        assertThatThrownBy(() -> Gemm.mult(sq, new DMatrixRMaj(3, 3), sq))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alias");
    }

    private static DMatrixRMaj random(int rows, int cols, SplittableRandom rnd) {
        DMatrixRMaj a = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < a.data.length; i++) {
            a.data[i] = rnd.nextDouble(-1, 1);
        }
        return a;
    }

    /** The naive triple loop: {@code [op(a) op(b), |op(a)| |op(b)|]}. */
    private static DMatrixRMaj[] naive(boolean ta, boolean tb, DMatrixRMaj a, DMatrixRMaj b) {
        int m = ta ? a.numCols : a.numRows;
        int k = ta ? a.numRows : a.numCols;
        int n = tb ? b.numRows : b.numCols;
        DMatrixRMaj prod = new DMatrixRMaj(m, n);
        DMatrixRMaj abs = new DMatrixRMaj(m, n);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                double t = 0;
                for (int p = 0; p < k; p++) {
                    double x = ta ? a.data[p * a.numCols + i] : a.data[i * a.numCols + p];
                    double y = tb ? b.data[j * b.numCols + p] : b.data[p * b.numCols + j];
                    s += x * y;
                    t += Math.abs(x * y);
                }
                prod.data[i * n + j] = s;
                abs.data[i * n + j] = t;
            }
        }
        return new DMatrixRMaj[] {prod, abs};
    }

    /** Checks c against the naive loop for alpha op(a) op(b) + beta c0, entrywise. */
    private static void assertClose(DMatrixRMaj c, boolean ta, boolean tb, double alpha, DMatrixRMaj a, DMatrixRMaj b,
            double beta, DMatrixRMaj c0) {
        assertClose(c, naive(ta, tb, a, b), ta, tb, alpha, beta, c0);
    }

    private static void assertClose(DMatrixRMaj c, DMatrixRMaj[] ref, boolean ta, boolean tb, double alpha,
            double beta, DMatrixRMaj c0) {
        int m = c.numRows;
        int n = c.numCols;
        assertThat(ref[0].numRows).isEqualTo(m);
        assertThat(ref[0].numCols).isEqualTo(n);
        for (int i = 0; i < m * n; i++) {
            double old = c0.data[i];
            double expected = alpha * ref[0].data[i] + (beta == 0 ? 0 : beta * old);
            double scale = Math.abs(alpha) * ref[1].data[i] + Math.abs(beta) * Math.abs(old);
            double tol = 1e-14 * scale + Double.MIN_NORMAL;
            double got = c.data[i];
            if (!(Math.abs(got - expected) <= tol)) {
                throw new AssertionError("C[" + i / n + "," + i % n + "] = " + got + ", expected " + expected + " (tol "
                        + tol + ") for C " + m + "x" + n + " transA=" + ta + " transB=" + tb + " alpha=" + alpha
                        + " beta=" + beta);
            }
        }
    }
}
