package org.bilevel4j.linalg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.bilevel4j.testing.TestMatrices;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TallMatrixTest {

    /**
     * {m, d, c}: tiny, remainders of the eight- and four-wide passes, of the panels (16 or 32 rows or
     * columns) and of the ten-output blocks, and sizes that run in parallel.
     */
    private static final int[][] SHAPES = {
        {1, 1, 1}, {3, 2, 1}, {5, 7, 3}, {257, 13, 10}, {1000, 785, 10}, {1203, 301, 20}, {4099, 6, 2},
        {33, 17, 11}, {700, 40, 23}, {31, 65, 30},
    };

    /** The four kernels: streaming or Vector API, double or single. */
    enum Kind {
        STREAMING_DOUBLE(false, Precision.DOUBLE), STREAMING_SINGLE(false, Precision.SINGLE),
        VECTOR_DOUBLE(true, Precision.DOUBLE), VECTOR_SINGLE(true, Precision.SINGLE);

        final boolean vector;
        final Precision precision;

        Kind(boolean vector, Precision precision) {
            this.vector = vector;
            this.precision = precision;
        }

        /** @return the matrix on these kernels; skips the test where the Vector API module is absent */
        TallMatrix of(DMatrixRMaj a) {
            assumeThat(!vector || PanelKernels.AVAILABLE)
                    .as("the Vector API module is not resolved (run with --add-modules jdk.incubator.vector)")
                    .isTrue();
            return new TallMatrix(a, precision, vector);
        }

        /** @return the unit of the classical bound: the ulp of 1 in the working format */
        double eps() {
            return precision == Precision.DOUBLE ? Math.ulp(1.0) : Math.ulp(1.0f);
        }
    }

    /**
     * Checks c against the plain sum (in double) with the classical error bound of a k-term dot
     * product, {@code |c - ref| <= 2 (k + 2) eps sum_l |terms|}, eps the ulp of 1 in the working
     * format (in single precision the rounding of both factors adds 2 units of 2^-24 per term, within
     * the bound's slack).
     */
    private static void assertProduct(DMatrixRMaj a, boolean ta, DMatrixRMaj b, DMatrixRMaj c, double eps) {
        int m = c.numRows;
        int n = c.numCols;
        int k = b.numRows;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                double abs = 0;
                for (int l = 0; l < k; l++) {
                    double p = (ta ? a.get(l, i) : a.get(i, l)) * b.get(l, j);
                    s += p;
                    abs += Math.abs(p);
                }
                assertThat(Math.abs(c.get(i, j) - s)).as("entry (%d, %d), %dx%dx%d", i, j, m, n, k)
                        .isLessThanOrEqualTo(2 * (k + 2) * eps * abs + Double.MIN_NORMAL);
            }
        }
    }

    private static void checkBothProducts(Kind kind, int m, int d, int c, RandomGenerator rng) {
        DMatrixRMaj a = TestMatrices.gaussian(m, d, 1, rng);
        TallMatrix t = kind.of(a);
        assertThat(t.rows()).isEqualTo(m);
        assertThat(t.cols()).isEqualTo(d);
        assertThat(t.precision()).isEqualTo(kind.precision);
        DMatrixRMaj y = TestMatrices.gaussian(d, c, 1, rng);
        DMatrixRMaj z = new DMatrixRMaj(m, c);
        z.fill(Double.NaN);  // old contents are ignored
        t.mult(y, z);
        assertProduct(a, false, y, z, kind.eps());
        DMatrixRMaj r = TestMatrices.gaussian(m, c, 1, rng);
        DMatrixRMaj g = new DMatrixRMaj(d, c);
        g.fill(Double.NaN);
        t.multTransA(r, g);
        assertProduct(a, true, r, g, kind.eps());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void forwardAndBackwardProductsMatchThePlainSums(Kind kind) {
        RandomGenerator rng = TestMatrices.rng(61);
        for (int[] s : SHAPES) {
            checkBothProducts(kind, s[0], s[1], s[2], rng);
        }
    }

    /** Any shape, any kernel: within the classical bound (panel and block remainders included). */
    @Property(tries = 400, seed = "64")
    void productsOfAnyShapeMatchThePlainSums(@ForAll @IntRange(min = 1, max = 90) int m,
            @ForAll @IntRange(min = 1, max = 70) int d, @ForAll @IntRange(min = 1, max = 25) int c,
            @ForAll Kind kind) {
        if (kind.vector && !PanelKernels.AVAILABLE) {
            return;  // the module is absent: the streaming kinds are still checked
        }
        checkBothProducts(kind, m, d, c, TestMatrices.rng(m * 10_007L + d * 101L + c));
    }

    @Test
    void singlePrecisionAgreesWithDoubleToItsOwnAccuracyAndNotBetter() {
        // the single-precision result is a genuine binary32 computation: close to double at 1e-6,
        // but not equal to it (which would mean the format was never used)
        RandomGenerator rng = TestMatrices.rng(65);
        DMatrixRMaj a = TestMatrices.gaussian(900, 300, 1, rng);
        DMatrixRMaj y = TestMatrices.gaussian(300, 12, 1, rng);
        List<DMatrixRMaj> results = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            if (kind.vector && !PanelKernels.AVAILABLE) {
                continue;
            }
            DMatrixRMaj z = new DMatrixRMaj(900, 12);
            new TallMatrix(a, kind.precision, kind.vector).mult(y, z);
            results.add(z);
            double scale = 0;
            double diff = 0;
            DMatrixRMaj ref = new DMatrixRMaj(900, 12);
            new TallMatrix(a, Precision.DOUBLE, false).mult(y, ref);
            for (int i = 0; i < z.getNumElements(); i++) {
                scale = Math.max(scale, Math.abs(ref.data[i]));
                diff = Math.max(diff, Math.abs(z.data[i] - ref.data[i]));
            }
            if (kind.precision == Precision.SINGLE) {
                assertThat(diff / scale).as(kind.name()).isBetween(1e-9, 1e-5);
            } else {
                assertThat(diff / scale).as(kind.name()).isLessThan(1e-13);
            }
        }
        assertThat(results).isNotEmpty();
    }

    @Test
    void theKernelsSayWhatTheyAre() {
        DMatrixRMaj a = new DMatrixRMaj(3, 2);
        assertThat(new TallMatrix(a, Precision.SINGLE, false).kernels())
                .isEqualTo("streaming kernels, single precision");
        assertThat(new TallMatrix(a).precision()).isEqualTo(Precision.DOUBLE);
        if (PanelKernels.AVAILABLE) {
            assertThat(new TallMatrix(a, Precision.DOUBLE, true).kernels())
                    .isEqualTo("Vector API register-blocked kernels, double precision");
        }
    }

    @Test
    void precisionNamesParse() {
        assertThat(Precision.parse(" Single ")).isEqualTo(Precision.SINGLE);
        assertThat(Precision.parse("double")).isEqualTo(Precision.DOUBLE);
        assertThatThrownBy(() -> Precision.parse("half")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown precision 'half': use double or single");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void theMatrixIsCopiedAndRepeatedProductsGiveTheSameBits(Kind kind) {
        RandomGenerator rng = TestMatrices.rng(62);
        DMatrixRMaj a = TestMatrices.gaussian(1500, 97, 1, rng);
        TallMatrix t = kind.of(a);
        DMatrixRMaj y = TestMatrices.gaussian(97, 20, 1, rng);
        DMatrixRMaj r = TestMatrices.gaussian(1500, 20, 1, rng);
        DMatrixRMaj z1 = new DMatrixRMaj(1500, 20);
        DMatrixRMaj g1 = new DMatrixRMaj(97, 20);
        t.mult(y, z1);
        t.multTransA(r, g1);
        double stored = kind.precision == Precision.DOUBLE ? a.get(3, 5) : (float) a.get(3, 5);
        assertThat(t.get(3, 5)).isEqualTo(stored);
        assertThat(t.get(1499, 96)).isEqualTo(kind.precision == Precision.DOUBLE ? a.get(1499, 96)
                : (double) (float) a.get(1499, 96));
        a.fill(0);
        DMatrixRMaj z2 = new DMatrixRMaj(1500, 20);
        DMatrixRMaj g2 = new DMatrixRMaj(97, 20);
        t.mult(y, z2);
        t.multTransA(r, g2);
        assertThat(z2.data).isEqualTo(z1.data);
        assertThat(g2.data).isEqualTo(g1.data);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void theBlockActionSeesEveryRowOnceAfterItIsWritten(Kind kind) {
        RandomGenerator rng = TestMatrices.rng(63);
        DMatrixRMaj a = TestMatrices.gaussian(2100, 40, 1, rng);
        TallMatrix t = kind.of(a);
        DMatrixRMaj y = TestMatrices.gaussian(40, 3, 1, rng);
        DMatrixRMaj expected = new DMatrixRMaj(2100, 3);
        t.mult(y, expected);
        DMatrixRMaj z = new DMatrixRMaj(2100, 3);
        int[] seen = new int[2100];
        ConcurrentHashMap<Integer, Integer> blocks = new ConcurrentHashMap<>();
        t.mult(y, z, (i0, i1) -> {
            blocks.put(i0, i1);
            for (int i = i0; i < i1; i++) {
                seen[i]++;
                for (int j = 0; j < 3; j++) {
                    // the block's rows are final when the action runs: double them in place
                    assertThat(z.get(i, j)).isEqualTo(expected.get(i, j));
                    z.set(i, j, 2 * z.get(i, j));
                }
            }
        });
        assertThat(seen).containsOnly(1);
        assertThat(blocks).hasSizeGreaterThan(1);
        for (int i = 0; i < z.getNumElements(); i++) {
            assertThat(z.data[i]).isEqualTo(2 * expected.data[i]);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void mismatchedShapesAreRejected(Kind kind) {
        TallMatrix t = kind.of(new DMatrixRMaj(6, 4));
        assertThatThrownBy(() -> t.mult(new DMatrixRMaj(5, 2), new DMatrixRMaj(6, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("A is 6x4");
        assertThatThrownBy(() -> t.mult(new DMatrixRMaj(4, 2), new DMatrixRMaj(6, 3)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> t.multTransA(new DMatrixRMaj(5, 2), new DMatrixRMaj(4, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("R is 5x2");
        assertThatThrownBy(() -> t.multTransA(new DMatrixRMaj(6, 2), new DMatrixRMaj(4, 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
