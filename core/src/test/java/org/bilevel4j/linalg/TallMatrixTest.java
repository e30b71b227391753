package org.bilevel4j.linalg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;
import org.bilevel4j.testing.TestMatrices;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class TallMatrixTest {

    /** {m, d, c}: tiny, remainders of the four-wide passes, and sizes that run in parallel. */
    private static final int[][] SHAPES = {
        {1, 1, 1}, {3, 2, 1}, {5, 7, 3}, {257, 13, 10}, {1000, 785, 10}, {1203, 301, 20}, {4099, 6, 2},
    };

    /**
     * Checks c against the plain sum with the classical error bound of a k-term dot product,
     * {@code |c - ref| <= 2 (k + 2) eps sum_l |terms|}.
     */
    private static void assertProduct(DMatrixRMaj a, boolean ta, DMatrixRMaj b, DMatrixRMaj c) {
        int m = c.numRows;
        int n = c.numCols;
        int k = b.numRows;
        double eps = Math.ulp(1.0);
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

    @Test
    void forwardAndBackwardProductsMatchThePlainSums() {
        RandomGenerator rng = TestMatrices.rng(61);
        for (int[] s : SHAPES) {
            DMatrixRMaj a = TestMatrices.gaussian(s[0], s[1], 1, rng);
            TallMatrix t = new TallMatrix(a);
            assertThat(t.rows()).isEqualTo(s[0]);
            assertThat(t.cols()).isEqualTo(s[1]);
            DMatrixRMaj y = TestMatrices.gaussian(s[1], s[2], 1, rng);
            DMatrixRMaj z = new DMatrixRMaj(s[0], s[2]);
            z.fill(Double.NaN);  // old contents are ignored
            t.mult(y, z);
            assertProduct(a, false, y, z);
            DMatrixRMaj r = TestMatrices.gaussian(s[0], s[2], 1, rng);
            DMatrixRMaj g = new DMatrixRMaj(s[1], s[2]);
            g.fill(Double.NaN);
            t.multTransA(r, g);
            assertProduct(a, true, r, g);
        }
    }

    @Test
    void theMatrixIsCopiedAndRepeatedProductsGiveTheSameBits() {
        RandomGenerator rng = TestMatrices.rng(62);
        DMatrixRMaj a = TestMatrices.gaussian(1500, 97, 1, rng);
        TallMatrix t = new TallMatrix(a);
        DMatrixRMaj y = TestMatrices.gaussian(97, 20, 1, rng);
        DMatrixRMaj r = TestMatrices.gaussian(1500, 20, 1, rng);
        DMatrixRMaj z1 = new DMatrixRMaj(1500, 20);
        DMatrixRMaj g1 = new DMatrixRMaj(97, 20);
        t.mult(y, z1);
        t.multTransA(r, g1);
        assertThat(t.get(3, 5)).isEqualTo(a.get(3, 5));
        a.fill(0);
        DMatrixRMaj z2 = new DMatrixRMaj(1500, 20);
        DMatrixRMaj g2 = new DMatrixRMaj(97, 20);
        t.mult(y, z2);
        t.multTransA(r, g2);
        assertThat(z2.data).isEqualTo(z1.data);
        assertThat(g2.data).isEqualTo(g1.data);
    }

    @Test
    void theBlockActionSeesEveryRowOnceAfterItIsWritten() {
        RandomGenerator rng = TestMatrices.rng(63);
        DMatrixRMaj a = TestMatrices.gaussian(2100, 40, 1, rng);
        TallMatrix t = new TallMatrix(a);
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

    @Test
    void mismatchedShapesAreRejected() {
        TallMatrix t = new TallMatrix(new DMatrixRMaj(6, 4));
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
