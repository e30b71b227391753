package org.bilevel4j.solver.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import java.util.random.RandomGeneratorFactory;
import org.bilevel4j.linalg.Gemm;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * Singular value thresholding against its definition, {@code SVT_tau(X) = argmin_Z 1/2 ||Z - X||_F^2 +
 * tau ||Z||_*} {@code = U diag(max(s - tau, 0)) V^T} (Cai, Candes, Shen 2010, Theorem 2.1), with the full
 * and the partial SVD, and soft thresholding against {@code sign(v) max(|v| - t, 0)}.
 */
class SvtTest {

    private static Svt svt(SvdPolicy policy, DMatrixRMaj x, int prediction) {
        return new Svt(policy, RandomGeneratorFactory.of("L64X128MixRandom").create(1), x.numRows, x.numCols,
                prediction);
    }

    @Test
    void aDiagonalMatrixByHand() {
        // X = diag(3, 1), tau = 2: singular values (3, 1) -> (1, 0)
        DMatrixRMaj x = new DMatrixRMaj(new double[][] {{3, 0}, {0, 1}});
        DMatrixRMaj out = new DMatrixRMaj(2, 2);
        Svt s = svt(SvdPolicy.defaults(), x, 1);
        s.apply(x, 2, out);
        assertThat(out.data).containsExactly(new double[] {1, 0, 0, 0}, within(1e-15));
        assertThat(s.rank).isEqualTo(1);
        assertThat(s.nuclearNorm).isCloseTo(1, within(1e-15));
        assertThat(s.computed).isEqualTo(2);
        // [[0, 2], [2, 0]] has singular values (2, 2): tau = 0.5 scales it by 3/4
        DMatrixRMaj y = new DMatrixRMaj(new double[][] {{0, 2}, {2, 0}});
        s.apply(y, 0.5, out);
        assertThat(out.data).containsExactly(new double[] {0, 1.5, 1.5, 0}, within(1e-14));
        assertThat(s.rank).isEqualTo(2);
        assertThat(s.nuclearNorm).isCloseTo(3, within(1e-14));
        // a singular value equal to tau is not above it: diag(3, 2) at tau = 2 has rank 1
        DMatrixRMaj z = new DMatrixRMaj(new double[][] {{3, 0}, {0, 2}});
        s.apply(z, 2, out);
        assertThat(s.rank).isEqualTo(1);
        assertThat(out.data).containsExactly(new double[] {1, 0, 0, 0}, within(1e-15));
    }

    @Test
    void aThresholdAboveEverySingularValueGivesZero() {
        DMatrixRMaj x = Reference.uniform(6, 4, -1, 1, 3);
        double top = Reference.singularValues(x)[0];
        for (SvdPolicy p : new SvdPolicy[] {SvdPolicy.alwaysFull(), SvdPolicy.preferPartial()}) {
            DMatrixRMaj out = Reference.uniform(6, 4, -1, 1, 4);
            Svt s = svt(p, x, 1);
            s.apply(x, top * (1 + 1e-9), out);
            assertThat(out.data).containsOnly(0.0);
            assertThat(s.rank).isZero();
            assertThat(s.nuclearNorm).isZero();
            // just below: rank 1, the leading triplet scaled down to top * 1e-6
            s.apply(x, top * (1 - 1e-6), out);
            assertThat(s.rank).isEqualTo(1);
            assertThat(s.nuclearNorm).isCloseTo(top * 1e-6, within(top * 1e-12));
        }
    }

    @Test
    void theFullSvdMatchesTheDefinition() {
        for (int[] shape : new int[][] {{7, 5}, {5, 7}, {6, 6}, {9, 1}}) {
            DMatrixRMaj x = Reference.uniform(shape[0], shape[1], -2, 2, shape[0] * 31L + shape[1]);
            double[] sv = Reference.singularValues(x);
            for (double tau : new double[] {0, sv[sv.length - 1] * 0.5, (sv[0] + sv[sv.length - 1]) / 2, sv[0] * 2}) {
                Reference.Svt ref = Reference.svt(x, tau);
                DMatrixRMaj out = new DMatrixRMaj(shape[0], shape[1]);
                DMatrixRMaj before = x.copy();
                Svt s = svt(SvdPolicy.defaults(), x, 3);
                s.apply(x, tau, out);
                assertThat(x.data).isEqualTo(before.data);
                // reached: about 4e-15
                assertThat(Reference.maxAbsDifference(out, ref.out())).as("tau %s", tau).isLessThan(1e-13);
                assertThat(s.rank).isEqualTo(ref.rank());
                assertThat(s.nuclearNorm).isCloseTo(ref.nuclearNorm(), within(1e-13));
                assertThat(s.computed).isEqualTo(Math.min(shape[0], shape[1]));
            }
        }
    }

    @Test
    void theThresholdedMatrixMinimizesTheProxObjective() {
        // brute force: F(Z) = 1/2 ||Z - X||^2 + tau ||Z||_* is 1-strongly convex, so F(Z + D) >= F(Z) + ||D||^2/2
        // for the minimizer Z and any D
        DMatrixRMaj x = Reference.uniform(4, 3, -1, 1, 11);
        double tau = Reference.singularValues(x)[1];
        DMatrixRMaj z = new DMatrixRMaj(4, 3);
        svt(SvdPolicy.defaults(), x, 1).apply(x, tau, z);
        double fz = proxObjective(z, x, tau);
        SplittableRandom rnd = new SplittableRandom(5);
        for (int trial = 0; trial < 300; trial++) {
            double scale = Math.pow(10, -rnd.nextInt(1, 5));
            DMatrixRMaj d = new DMatrixRMaj(4, 3);
            for (int i = 0; i < d.data.length; i++) {
                d.data[i] = scale * rnd.nextDouble(-1, 1);
            }
            double dd = Math.pow(Reference.frobenius(d), 2);
            assertThat(proxObjective(Reference.add(1, z, 1, d), x, tau)).isGreaterThanOrEqualTo(fz + dd / 2 - 1e-13);
        }
    }

    private static double proxObjective(DMatrixRMaj z, DMatrixRMaj x, double tau) {
        double nuclear = 0;
        for (double v : Reference.singularValues(z)) {
            nuclear += v;
        }
        return 0.5 * Math.pow(Reference.frobenius(Reference.add(1, z, -1, x)), 2) + tau * nuclear;
    }

    /** A rows x cols matrix with singular values {@code s} (random orthonormal factors). */
    private static DMatrixRMaj withSingularValues(int rows, int cols, double[] s, long seed) {
        DMatrixRMaj u = orthonormal(rows, s.length, seed);
        DMatrixRMaj v = orthonormal(cols, s.length, seed + 1);
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < s.length; k++) {
                u.set(i, k, u.get(i, k) * s[k]);
            }
        }
        DMatrixRMaj x = new DMatrixRMaj(rows, cols);
        Gemm.multTransB(u, v, x);
        return x;
    }

    private static DMatrixRMaj orthonormal(int n, int k, long seed) {
        DMatrixRMaj q = Reference.uniform(n, k, -1, 1, seed);
        // modified Gram-Schmidt on the columns
        for (int j = 0; j < k; j++) {
            for (int p = 0; p < j; p++) {
                double d = 0;
                for (int i = 0; i < n; i++) {
                    d += q.get(i, p) * q.get(i, j);
                }
                for (int i = 0; i < n; i++) {
                    q.set(i, j, q.get(i, j) - d * q.get(i, p));
                }
            }
            double norm = 0;
            for (int i = 0; i < n; i++) {
                norm += q.get(i, j) * q.get(i, j);
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < n; i++) {
                q.set(i, j, q.get(i, j) / norm);
            }
        }
        return q;
    }

    @Test
    void thePartialSvdDoublesUntilItSeesTheThresholdAndMatchesTheDefinition() {
        // 200 x 150 of rank 12, singular values 30, 28, ..., 8; with oversampling 10 every sketch of at least
        // 2 columns spans the range, so the partial SVD is exact. tau = 12.5: 9 above. Predicting 2, the
        // partial SVD must double 2 -> 4 -> 8 -> 16 (all computed values above tau until 16)
        double[] s = new double[12];
        for (int i = 0; i < s.length; i++) {
            s[i] = 30 - 2 * i;
        }
        DMatrixRMaj x = withSingularValues(200, 150, s, 17);
        Reference.Svt ref = Reference.svt(x, 12.5);
        assertThat(ref.rank()).isEqualTo(9);
        DMatrixRMaj out = new DMatrixRMaj(200, 150);
        Svt svt = svt(SvdPolicy.preferPartial(), x, 2);
        svt.apply(x, 12.5, out);
        assertThat(svt.rank).isEqualTo(9);
        assertThat(svt.computed).isEqualTo(16);
        assertThat(svt.nuclearNorm).isCloseTo(ref.nuclearNorm(), within(1e-12));
        // reached: about 1e-14
        assertThat(Reference.maxAbsDifference(out, ref.out())).isLessThan(1e-12);
        // the next call predicts rank + 1 = 10 triplets (SvdPolicy's rule), enough for the 9 above
        svt.apply(x, 12.5, out);
        assertThat(svt.computed).isEqualTo(10);
        assertThat(svt.rank).isEqualTo(9);
        assertThat(Reference.maxAbsDifference(out, ref.out())).isLessThan(1e-12);
        // 3 above tau = 25.5: a prediction of 8 suffices
        Reference.Svt ref3 = Reference.svt(x, 25.5);
        Svt svt8 = svt(SvdPolicy.preferPartial(), x, 8);
        svt8.apply(x, 25.5, out);
        assertThat(svt8.rank).isEqualTo(3);
        assertThat(svt8.computed).isEqualTo(8);
        assertThat(svt8.nuclearNorm).isCloseTo(ref3.nuclearNorm(), within(1e-12));
        assertThat(Reference.maxAbsDifference(out, ref3.out())).isLessThan(1e-12);
        // nothing above tau = 31: zero, from the partial SVD of the 2 predicted triplets
        Svt none = svt(SvdPolicy.preferPartial(), x, 2);
        none.apply(x, 31, out);
        assertThat(out.data).containsOnly(0.0);
        assertThat(none.rank).isZero();
        assertThat(none.computed).isEqualTo(2);
        // predicting 2 with 3 above: 2 -> 4
        Svt svt2 = svt(SvdPolicy.preferPartial(), x, 2);
        svt2.apply(x, 25.5, out);
        assertThat(svt2.computed).isEqualTo(4);
        assertThat(Reference.maxAbsDifference(out, ref3.out())).isLessThan(1e-12);
        // 2 (k + oversample) >= min(m, n) takes the full SVD: with oversample 65, 2 (10 + 65) >= 150
        Svt full = svt(new SvdPolicy(0, 65, 3), x, 10);
        full.apply(x, 12.5, out);
        assertThat(full.computed).isEqualTo(150);
        assertThat(Reference.maxAbsDifference(out, ref.out())).isLessThan(1e-12);
        // and min(m, n) <= fullBelow as well
        Svt below = svt(new SvdPolicy(150, 10, 3), x, 2);
        below.apply(x, 12.5, out);
        assertThat(below.computed).isEqualTo(150);
        Svt above = svt(new SvdPolicy(149, 10, 3), x, 2);
        above.apply(x, 12.5, out);
        assertThat(above.computed).isEqualTo(16);
    }

    @Test
    void softThresholdingByTheDefinition() {
        double[] x = {3, -3, 0.5, -0.5, 1, -1, 0, 2.5, 7};
        double[] out = new double[x.length];
        java.util.Arrays.fill(out, 99);
        double sum = Svt.soft(x, 1, out, 8);
        assertThat(out).containsExactly(2, -2, 0, 0, 0, 0, 0, 1.5, 99);
        assertThat(sum).isEqualTo(5.5);
    }

    @Test
    void thePolicyIsValidated() {
        assertThat(SvdPolicy.defaults()).isEqualTo(new SvdPolicy(64, 10, 3));
        assertThat(SvdPolicy.alwaysFull().fullBelow()).isEqualTo(Integer.MAX_VALUE);
        assertThat(SvdPolicy.preferPartial()).isEqualTo(new SvdPolicy(0, 10, 3));
        assertThat(new SvdPolicy(0, 0, 0).oversample()).isZero();
        assertThatThrownBy(() -> new SvdPolicy(-1, 10, 3)).hasMessageContaining("nonnegative");
        assertThatThrownBy(() -> new SvdPolicy(64, -1, 3)).hasMessageContaining("nonnegative");
        assertThatThrownBy(() -> new SvdPolicy(64, 10, -1)).hasMessageContaining("nonnegative");
    }

    @Test
    void lowRankSparseChecksItsParts() {
        LowRankSparse z = LowRankSparse.zeros(3, 2);
        assertThat(z.low().numRows).isEqualTo(3);
        assertThat(z.sparse().numCols).isEqualTo(2);
        assertThat(z.low().data).containsOnly(0.0);
        assertThat(z.sparse().data).containsOnly(0.0);
        assertThatThrownBy(() -> new LowRankSparse(new DMatrixRMaj(3, 2), new DMatrixRMaj(2, 3)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LowRankSparse(null, new DMatrixRMaj(2, 3))).hasMessageContaining("low");
        assertThatThrownBy(() -> new LowRankSparse(new DMatrixRMaj(2, 3), null)).hasMessageContaining("sparse");
    }
}
