package org.bilevel4j.apps.factorization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

/** Each metric on constructed matrices whose answer is known in closed form. */
class FactorizationMetricsTest {

    @Test
    void relativeErrorOfAKnownPerturbation() {
        // ||ref||_F = 5 (3-4-0-0), the difference has norm 1 (one entry off by 1)
        DMatrixRMaj ref = new DMatrixRMaj(new double[][] {{3, 0}, {0, 4}});
        DMatrixRMaj est = new DMatrixRMaj(new double[][] {{3, 1}, {0, 4}});
        assertThat(FactorizationMetrics.relativeError(ref, est)).isEqualTo(0.2);
        assertThat(FactorizationMetrics.relativeError(ref, ref)).isZero();
        DMatrixRMaj zero = new DMatrixRMaj(2, 2);
        assertThat(FactorizationMetrics.relativeError(ref, zero)).isEqualTo(1.0);
    }

    @Test
    void relativeErrorRejectsZeroReferenceAndShapeMismatch() {
        assertThatThrownBy(() -> FactorizationMetrics.relativeError(new DMatrixRMaj(2, 2), new DMatrixRMaj(2, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reference matrix is zero");
        assertThatThrownBy(() -> FactorizationMetrics.relativeError(new DMatrixRMaj(2, 2), new DMatrixRMaj(2, 3)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void relativeErrorOfProductAgreesWithTheFormedProduct() {
        SplittableRandom rnd = new SplittableRandom(11);
        DMatrixRMaj x = new DMatrixRMaj(37, 4);
        DMatrixRMaj y = new DMatrixRMaj(4, 23);
        DMatrixRMaj ref = new DMatrixRMaj(37, 23);
        for (DMatrixRMaj a : new DMatrixRMaj[] {x, y, ref}) {
            for (int i = 0; i < a.data.length; i++) {
                a.data[i] = rnd.nextDouble() < 0.3 ? 0 : rnd.nextDouble(-2, 2);
            }
        }
        DMatrixRMaj p = new DMatrixRMaj(37, 23);
        CommonOps_DDRM.mult(x, y, p);
        assertThat(FactorizationMetrics.relativeErrorOfProduct(ref, x, y))
                .isCloseTo(FactorizationMetrics.relativeError(ref, p), within(1e-13));
        // an exact factorization has error 0
        assertThat(FactorizationMetrics.relativeErrorOfProduct(p, x, y)).isCloseTo(0.0, within(1e-15));
        assertThatThrownBy(() -> FactorizationMetrics.relativeErrorOfProduct(ref, y, x))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void snrOfKnownNoise() {
        // ||clean||^2 = 100 * 4 = 400; noise 0.2 on every one of 4 entries: ||noise||^2 = 0.16 -> 10 log10(2500)
        DMatrixRMaj clean = new DMatrixRMaj(new double[][] {{10, -10}, {10, 10}});
        DMatrixRMaj obs = new DMatrixRMaj(new double[][] {{10.2, -10.2}, {9.8, 10.2}});
        assertThat(FactorizationMetrics.snrDb(clean, obs)).isCloseTo(10 * Math.log10(2500), within(1e-9));
        assertThat(FactorizationMetrics.snrDb(clean, obs)).isCloseTo(33.979400086720375, within(1e-9));
        assertThat(FactorizationMetrics.snrDb(clean, clean)).isEqualTo(Double.POSITIVE_INFINITY);
        // noise as large as the signal: 0 dB
        DMatrixRMaj doubled = clean.copy();
        CommonOps_DDRM.scale(2, doubled);
        assertThat(FactorizationMetrics.snrDb(clean, doubled)).isCloseTo(0.0, within(1e-12));
    }

    @Test
    void sparsityCountsEntriesAtOrBelowTheTolerance() {
        DMatrixRMaj a = new DMatrixRMaj(new double[][] {{0, 1e-9, -1e-9, 2}, {-0.5, 0, 1e-3, -1e-3}});
        assertThat(FactorizationMetrics.sparsity(a, 0)).isEqualTo(2 / 8.0);
        assertThat(FactorizationMetrics.sparsity(a, 1e-9)).isEqualTo(4 / 8.0);
        assertThat(FactorizationMetrics.sparsity(a, 1e-3)).isEqualTo(6 / 8.0);
        assertThat(FactorizationMetrics.sparsity(a, 10)).isEqualTo(1.0);
        assertThat(FactorizationMetrics.sparsity(new DMatrixRMaj(3, 3), 0)).isEqualTo(1.0);
        assertThatThrownBy(() -> FactorizationMetrics.sparsity(a, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FactorizationMetrics.sparsity(a, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** A sum of k outer products of random vectors (rank k with probability 1) scaled by s. */
    private static DMatrixRMaj rankK(int m, int n, double[] scales, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        DMatrixRMaj a = new DMatrixRMaj(m, n);
        for (double s : scales) {
            double[] u = new double[m];
            double[] v = new double[n];
            for (int i = 0; i < m; i++) {
                u[i] = rnd.nextDouble(-1, 1);
            }
            for (int j = 0; j < n; j++) {
                v[j] = rnd.nextDouble(-1, 1);
            }
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    a.data[i * n + j] += s * u[i] * v[j];
                }
            }
        }
        return a;
    }

    @Test
    void numericalRankOfConstructedMatrices() {
        assertThat(FactorizationMetrics.numericalRank(CommonOps_DDRM.identity(7), 1e-9)).isEqualTo(7);
        assertThat(FactorizationMetrics.numericalRank(new DMatrixRMaj(5, 4), 1e-9)).isZero();
        assertThat(FactorizationMetrics.numericalRank(rankK(30, 20, new double[] {1, 1, 1}, 1), 1e-9)).isEqualTo(3);
        // wide and tall (the QR path of the thin SVD)
        assertThat(FactorizationMetrics.numericalRank(rankK(10, 60, new double[] {1, 2}, 2), 1e-9)).isEqualTo(2);
        assertThat(FactorizationMetrics.numericalRank(rankK(200, 6, new double[] {1, 2, 3, 4}, 3), 1e-9))
                .isEqualTo(4);
    }

    @Test
    void numericalRankUsesTheRelativeTolerance() {
        // singular values exactly 1, 1e-2, 1e-6
        DMatrixRMaj d = new DMatrixRMaj(new double[][] {{1, 0, 0}, {0, 1e-2, 0}, {0, 0, 1e-6}, {0, 0, 0}});
        assertThat(FactorizationMetrics.numericalRank(d, 0)).isEqualTo(3);
        assertThat(FactorizationMetrics.numericalRank(d, 1e-8)).isEqualTo(3);
        assertThat(FactorizationMetrics.numericalRank(d, 1e-4)).isEqualTo(2);
        assertThat(FactorizationMetrics.numericalRank(d, 0.1)).isEqualTo(1);
        assertThatThrownBy(() -> FactorizationMetrics.numericalRank(d, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rankOfProductMatchesTheRankOfTheFormedProduct() {
        SplittableRandom rnd = new SplittableRandom(5);
        for (int trial = 0; trial < 20; trial++) {
            int m = 5 + rnd.nextInt(60);
            int n = 5 + rnd.nextInt(60);
            int r = 1 + rnd.nextInt(5);
            DMatrixRMaj x = new DMatrixRMaj(m, r);
            DMatrixRMaj y = new DMatrixRMaj(r, n);
            for (int i = 0; i < x.data.length; i++) {
                x.data[i] = rnd.nextDouble(-1, 1);
            }
            for (int i = 0; i < y.data.length; i++) {
                y.data[i] = rnd.nextDouble(-1, 1);
            }
            if (r > 1 && rnd.nextBoolean()) {
                // make one column of X a copy of another: rank r - 1
                for (int i = 0; i < m; i++) {
                    x.set(i, r - 1, x.get(i, 0));
                }
            }
            DMatrixRMaj p = new DMatrixRMaj(m, n);
            CommonOps_DDRM.mult(x, y, p);
            assertThat(FactorizationMetrics.numericalRankOfProduct(x, y, 1e-9))
                    .as("trial %d (%dx%d, r=%d)", trial, m, n, r)
                    .isEqualTo(FactorizationMetrics.numericalRank(p, 1e-9));
        }
        assertThatThrownBy(() -> FactorizationMetrics.numericalRankOfProduct(new DMatrixRMaj(4, 2),
                new DMatrixRMaj(3, 4), 1e-9)).isInstanceOf(IllegalArgumentException.class);
    }
}
