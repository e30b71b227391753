package org.bilevel4j.apps.cleaning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * {@link SoftmaxModel} on hand-sized data: accuracy with its tie rule, cross-entropies against their
 * definition (also with logits far beyond exp's range), the memo's eviction of the least recently used
 * entry counted in products, the fused and batched products against one-at-a-time ones, and the shape
 * checks.
 */
class SoftmaxModelTest {

    /** Four samples, two features and the bias, three classes. */
    private static final DMatrixRMaj A = new DMatrixRMaj(4, 3, true,
            1, 0, 1,
            0, 1, 1,
            1, 1, 1,
            2, -1, 1);
    private static final int[] LABELS = {0, 1, 2, 0};

    private static SoftmaxModel model(ProductLog log, int cache) {
        return new SoftmaxModel("m", A, LABELS, 3, cache, log);
    }

    /** The cross-entropy of sample i at y, from the definition log sum_j exp(z_j) - z_label. */
    private static double ce(int i, DMatrixRMaj y) {
        double[] z = new double[3];
        for (int j = 0; j < 3; j++) {
            for (int k = 0; k < 3; k++) {
                z[j] += A.get(i, k) * y.get(k, j);
            }
        }
        double m = Math.max(z[0], Math.max(z[1], z[2]));
        return m + Math.log(Math.exp(z[0] - m) + Math.exp(z[1] - m) + Math.exp(z[2] - m)) - z[LABELS[i]];
    }

    private static DMatrixRMaj random(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        DMatrixRMaj y = new DMatrixRMaj(3, 3);
        for (int i = 0; i < 9; i++) {
            y.data[i] = rnd.nextDouble(-1, 1);
        }
        return y;
    }

    private static long products(ProductLog log) {
        return log.total();
    }

    @Test
    void accuracyIsTheShareOfSamplesWhoseLargestLogitIsTheirLabelTiesToTheFirst() {
        ProductLog log = new ProductLog();
        SoftmaxModel m = model(log, 2);
        // logits z = A y with y = [e_0 weights on feature 1, e_1 on feature 2]: z_i = (a_i1, a_i2, 0)
        DMatrixRMaj y = new DMatrixRMaj(3, 3, true,
                1, 0, 0,
                0, 1, 0,
                0, 0, 0);
        // sample 0: (1, 0, 0) -> 0, right; sample 1: (0, 1, 0) -> 1, right; sample 2: (1, 1, 0) tie -> 0, wrong;
        // sample 3: (2, -1, 0) -> 0, right
        assertThat(m.accuracy(y)).isEqualTo(0.75);
        // all logits equal: every sample is predicted class 0, so only the samples labelled 0 count
        assertThat(m.accuracy(new DMatrixRMaj(3, 3))).isEqualTo(0.5);
        // the bias row alone picks class 2 for everyone
        DMatrixRMaj bias = new DMatrixRMaj(3, 3);
        bias.set(2, 2, 1);
        assertThat(m.accuracy(bias)).isEqualTo(0.25);
        assertThat(log.counts()).containsExactly(Map.entry(new ProductLog.Shape("m", false, 3), 3L));
        assertThat(log.total()).isEqualTo(3);
        assertThat(m.matrix()).isNotNull();
        assertThat(m.matrix().kernels()).isEqualTo(m.kernels());
        assertThat(m.samples()).isEqualTo(4);
        assertThat(m.features()).isEqualTo(3);
    }

    @Test
    void lossesAreTheirDefinitionAlsoBeyondExpsRange() {
        SoftmaxModel m = model(new ProductLog(), 2);
        DMatrixRMaj y = random(1);
        double mean = 0;
        for (int i = 0; i < 4; i++) {
            assertThat(m.losses(y)[i]).isCloseTo(ce(i, y), within(1e-15));
            mean += ce(i, y) / 4;
        }
        assertThat(m.meanLoss(y)).isCloseTo(mean, within(1e-15));
        // logits of 800 in the last class (exp(800) overflows): the losses stay finite, 800 for the samples
        // labelled otherwise and 0 for sample 2
        DMatrixRMaj big = new DMatrixRMaj(3, 3);
        big.set(2, 2, 800);
        double[] l = m.losses(big);
        assertThat(l).containsExactly(800, 800, 0, 800);
        double[] w = {1, 2, 0.5, 0};
        assertThat(m.weightedLoss(w, 0.1, big)).isCloseTo(0.1 * (800 + 1600), within(1e-12));
    }

    @Test
    void theMemoEvictsTheLeastRecentlyUsedEntry() {
        ProductLog log = new ProductLog();
        SoftmaxModel m = model(log, 2);
        DMatrixRMaj y1 = random(1);
        DMatrixRMaj y2 = random(2);
        DMatrixRMaj y3 = random(3);
        double l1 = m.meanLoss(y1);
        m.meanLoss(y2);
        m.meanLoss(y2); // y2 is now the most recent, y1 the least
        assertThat(products(log)).isEqualTo(2);
        m.meanLoss(y3); // evicts y1
        assertThat(products(log)).isEqualTo(3);
        m.meanLoss(y2); // still there
        assertThat(products(log)).isEqualTo(3);
        assertThat(m.meanLoss(y1)).isEqualTo(l1); // evicted: one more product, the same value
        assertThat(products(log)).isEqualTo(4);
        // a parameter of another shape is never served from the memo
        assertThatThrownBy(() -> m.meanLoss(new DMatrixRMaj(2, 3))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> m.meanLoss(new DMatrixRMaj(3, 2))).isInstanceOf(IllegalArgumentException.class);
        // the failed evaluations emptied the least recently used entry (y2's) for refilling: it no longer
        // serves y2, which costs a product again
        assertThat(products(log)).isEqualTo(4);
        m.meanLoss(y2);
        assertThat(products(log)).isEqualTo(5);
    }

    @Test
    void pairedEvaluationsMakeOneProductForTwoNewPointsAndNoneForKnownOnes() {
        ProductLog log = new ProductLog();
        SoftmaxModel m = model(log, 4);
        DMatrixRMaj y1 = random(4);
        DMatrixRMaj y2 = random(5);
        SoftmaxModel.Eval[] two = m.eval2(y1, y2);
        assertThat(log.counts()).containsExactly(Map.entry(new ProductLog.Shape("m", false, 6), 1L));
        for (int i = 0; i < 4; i++) {
            assertThat(two[0].ce[i]).isCloseTo(ce(i, y1), within(1e-15));
            assertThat(two[1].ce[i]).isCloseTo(ce(i, y2), within(1e-15));
        }
        // both known: no product
        assertThat(m.eval2(y1, y2)).containsExactly(two);
        assertThat(log.total()).isEqualTo(1);
        // one known: one product of three columns for the other
        DMatrixRMaj y3 = random(6);
        SoftmaxModel.Eval[] mixed = m.eval2(y1, y3);
        assertThat(mixed[0]).isSameAs(two[0]);
        assertThat(log.counts().get(new ProductLog.Shape("m", false, 3))).isEqualTo(1L);
        for (int i = 0; i < 4; i++) {
            assertThat(mixed[1].ce[i]).isCloseTo(ce(i, y3), within(1e-15));
        }
        DMatrixRMaj y4 = random(7);
        SoftmaxModel.Eval[] other = m.eval2(y4, y2);
        assertThat(other[1]).isSameAs(two[1]);
        assertThat(log.counts().get(new ProductLog.Shape("m", false, 3))).isEqualTo(2L);
        for (int i = 0; i < 4; i++) {
            assertThat(other[0].ce[i]).isCloseTo(ce(i, y4), within(1e-15));
        }
        // the same new point twice: one product of three columns, one entry
        ProductLog log2 = new ProductLog();
        SoftmaxModel fresh = model(log2, 4);
        DMatrixRMaj y5 = random(8);
        SoftmaxModel.Eval[] same = fresh.eval2(y5, y5.copy());
        assertThat(same[1]).isSameAs(same[0]);
        assertThat(log2.counts()).containsExactly(Map.entry(new ProductLog.Shape("m", false, 3), 1L));
        for (int i = 0; i < 4; i++) {
            assertThat(same[0].ce[i]).isCloseTo(ce(i, y5), within(1e-15));
        }
    }

    @Test
    void batchedGradientsEqualOneAtATimeForOneTwoAndThreePoints() {
        DMatrixRMaj[] ys = {random(9), random(10), random(11)};
        double[][] ws = {{1, 0.5, 0, 2}, {0.3, 0.3, 1, 1}, {2, 1, 1, 0.1}};
        DMatrixRMaj[] one = new DMatrixRMaj[3];
        SoftmaxModel single = model(new ProductLog(), 4);
        for (int k = 0; k < 3; k++) {
            one[k] = new DMatrixRMaj(3, 3);
            single.weightedGradient(ws[k], 0.25, ys[k], one[k]);
            // the gradient's definition: 0.25 sum_i w_i (p_i - e_label) a_i^T
            for (int f = 0; f < 3; f++) {
                for (int j = 0; j < 3; j++) {
                    double g = 0;
                    for (int i = 0; i < 4; i++) {
                        double[] z = new double[3];
                        for (int c = 0; c < 3; c++) {
                            for (int q = 0; q < 3; q++) {
                                z[c] += A.get(i, q) * ys[k].get(q, c);
                            }
                        }
                        double s = Math.exp(z[0]) + Math.exp(z[1]) + Math.exp(z[2]);
                        g += ws[k][i] * (Math.exp(z[j]) / s - (LABELS[i] == j ? 1 : 0)) * A.get(i, f);
                    }
                    assertThat(one[k].get(f, j)).isCloseTo(0.25 * g, within(1e-14));
                }
            }
        }
        for (int m = 1; m <= 3; m++) {
            ProductLog log = new ProductLog();
            SoftmaxModel batched = model(log, 4);
            List<double[]> w = List.of(ws).subList(0, m);
            List<DMatrixRMaj> y = List.of(ys).subList(0, m);
            List<DMatrixRMaj> outs = new java.util.ArrayList<>();
            for (int k = 0; k < m; k++) {
                outs.add(new DMatrixRMaj(3, 3));
            }
            batched.weightedGradients(w, 0.25, y, outs);
            for (int k = 0; k < m; k++) {
                assertThat(outs.get(k).data).as("%d points, point %d", m, k).containsExactly(one[k].data,
                        within(1e-14));
            }
            assertThat(log.counts().get(new ProductLog.Shape("m", true, 3 * m))).isEqualTo(1L);
            // alternating with single gradients (buffers of other widths) changes nothing
            DMatrixRMaj again = new DMatrixRMaj(3, 3);
            batched.weightedGradient(ws[0], 0.25, ys[0], again);
            assertThat(again.data).containsExactly(one[0].data, within(1e-14));
            batched.weightedGradients(w, 0.25, y, outs);
            for (int k = 0; k < m; k++) {
                assertThat(outs.get(k).data).containsExactly(one[k].data, within(1e-14));
            }
        }
        // null weights are ones
        SoftmaxModel a = model(new ProductLog(), 2);
        DMatrixRMaj g1 = new DMatrixRMaj(3, 3);
        DMatrixRMaj g2 = new DMatrixRMaj(3, 3);
        a.weightedGradient(null, 0.5, ys[0], g1);
        a.weightedGradient(new double[] {1, 1, 1, 1}, 0.5, ys[0], g2);
        assertThat(g1.data).containsExactly(g2.data);
    }

    @Test
    void aModelWithoutAProductLogEvaluatesAsOneWithIt() {
        // the constructor's Javadoc allows a null log: nothing is recorded, every value is the same
        SoftmaxModel without = new SoftmaxModel("m", A, LABELS, 3, 2, null);
        SoftmaxModel with = model(new ProductLog(), 2);
        DMatrixRMaj y = random(12);
        DMatrixRMaj g1 = new DMatrixRMaj(3, 3);
        DMatrixRMaj g2 = new DMatrixRMaj(3, 3);
        without.weightedGradient(null, 0.5, y, g1);
        with.weightedGradient(null, 0.5, y, g2);
        assertThat(g1.data).containsExactly(g2.data);
        assertThat(without.accuracy(y)).isEqualTo(with.accuracy(y));
    }

    @Test
    void badShapesAndCacheSizesAreRejected() {
        assertThatThrownBy(() -> new SoftmaxModel("m", A, new int[3], 3, 2, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("4 samples but 3 labels");
        assertThatThrownBy(() -> new SoftmaxModel("m", A, LABELS, 3, 1, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("cacheSize must be at least 2, got 1");
    }
}
