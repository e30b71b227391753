package org.bilevel4j.apps.robust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/** The per-class softmax losses, their gradients and bounds against definitions and central differences. */
class ClassLossesTest {

    private static final int K = 3;
    private static final SmallData DATA = SmallData.of(new int[] {12, 9, 4}, 4, 2.0, 5);

    private static DMatrixRMaj randomW(SplittableRandom rnd, int d, double scale) {
        DMatrixRMaj w = new DMatrixRMaj(d, K);
        for (int i = 0; i < w.getNumElements(); i++) {
            w.data[i] = scale * (2 * rnd.nextDouble() - 1);
        }
        return w;
    }

    @Test
    void lossesMatchTheDefinitionSampleBySample() {
        ClassLosses m = DATA.losses(K);
        DMatrixRMaj w = randomW(new SplittableRandom(1), m.dimension(), 1.0);
        double[] sum = new double[K];
        int[] n = new int[K];
        for (int i = 0; i < DATA.labels.length; i++) {
            double[] z = new double[K];
            for (int c = 0; c < K; c++) {
                for (int a = 0; a < m.dimension(); a++) {
                    z[c] += DATA.x.get(i, a) * w.get(a, c);
                }
            }
            double lse = Math.log(Math.exp(z[0]) + Math.exp(z[1]) + Math.exp(z[2]));
            sum[DATA.labels[i]] += lse - z[DATA.labels[i]];
            n[DATA.labels[i]]++;
        }
        double[] l = new double[K];
        m.losses(w, l);
        for (int k = 0; k < K; k++) {
            assertThat(l[k]).isCloseTo(sum[k] / n[k], org.assertj.core.data.Offset.offset(1e-12));
        }
    }

    @Test
    void weightedGradientMatchesCentralDifferences() {
        ClassLosses m = DATA.losses(K);
        SplittableRandom rnd = new SplittableRandom(2);
        double[] c = {0.7, -0.4, 1.3};
        for (int trial = 0; trial < 3; trial++) {
            DMatrixRMaj w = randomW(rnd, m.dimension(), 1.5);
            DMatrixRMaj g = new DMatrixRMaj(m.dimension(), K);
            double[] l = new double[K];
            m.lossesAndGradient(w, c, l, g);
            java.util.function.ToDoubleFunction<double[]> f = x -> {
                double[] ll = new double[K];
                m.losses(DMatrixRMaj.wrap(m.dimension(), K, x), ll);
                return c[0] * ll[0] + c[1] * ll[1] + c[2] * ll[2];
            };
            for (int i = 0; i < w.getNumElements(); i++) {
                double num = SmallData.central(f, w.data, i)[0];
                assertThat(Math.abs(g.data[i] - num)).as("coordinate %d", i)
                        .isLessThanOrEqualTo(1e-7 * Math.max(1, Math.abs(num)));
            }
        }
    }

    @Test
    void groupDroObjectiveGradientIsDanskinsAndMatchesCentralDifferences() {
        ClassLosses m = DATA.losses(K);
        double[] a = {0.2, -0.5, 0.1};
        double lam = 0.01;
        for (double tau : new double[] {0.1, 1.0, 10.0}) {
            LowerLevelFit.Objective obj = LowerLevelFit.Objective.groupDro("dro", tau, a);
            DMatrixRMaj w = randomW(new SplittableRandom(3), m.dimension(), 1.0);
            java.util.function.ToDoubleFunction<double[]> value = x -> {
                double[] l = new double[K];
                double[] q = new double[K];
                m.losses(DMatrixRMaj.wrap(m.dimension(), K, x), l);
                obj.weightsAt(l, q);
                double s = 0;
                for (double v : x) {
                    s += v * v;
                }
                return obj.lossPart(l, q) + 0.5 * lam * s;
            };
            // the closed-form q is the maximizer: no feasible q does better
            double[] l = new double[K];
            double[] q = new double[K];
            m.losses(w, l);
            obj.weightsAt(l, q);
            SplittableRandom rnd = new SplittableRandom(4);
            for (int t = 0; t < 200; t++) {
                double[] r = {rnd.nextDouble(), rnd.nextDouble(), rnd.nextDouble()};
                double s = r[0] + r[1] + r[2];
                for (int j = 0; j < K; j++) {
                    r[j] /= s;
                }
                assertThat(obj.lossPart(l, r)).isLessThanOrEqualTo(obj.lossPart(l, q) + 1e-12);
            }
            DMatrixRMaj grad = new DMatrixRMaj(m.dimension(), K);
            double[] ll = new double[K];
            double[] qq = new double[K];
            m.lossesAndGradient(w, obj::weightsAt, ll, qq, grad);
            for (int i = 0; i < w.getNumElements(); i++) {
                double num = SmallData.central(value, w.data, i)[0];
                double an = grad.data[i] + lam * w.data[i];
                assertThat(Math.abs(an - num)).as("tau %s coordinate %d", tau, i)
                        .isLessThanOrEqualTo(1e-6 * Math.max(1, Math.abs(num)));
            }
        }
    }

    @Test
    void hessianAndGradientBoundsHoldAtRandomPairs() {
        ClassLosses m = DATA.losses(K);
        SplittableRandom rnd = new SplittableRandom(6);
        for (int t = 0; t < 50; t++) {
            DMatrixRMaj w1 = randomW(rnd, m.dimension(), 2);
            DMatrixRMaj w2 = randomW(rnd, m.dimension(), 2);
            for (int k = 0; k < K; k++) {
                double[] e = new double[K];
                e[k] = 1;
                DMatrixRMaj g1 = new DMatrixRMaj(m.dimension(), K);
                DMatrixRMaj g2 = new DMatrixRMaj(m.dimension(), K);
                m.lossesAndGradient(w1, e, new double[K], g1);
                m.lossesAndGradient(w2, e, new double[K], g2);
                double dg = 0;
                double dw = 0;
                double n1 = 0;
                for (int i = 0; i < g1.getNumElements(); i++) {
                    dg += Math.pow(g1.data[i] - g2.data[i], 2);
                    dw += Math.pow(w1.data[i] - w2.data[i], 2);
                    n1 += g1.data[i] * g1.data[i];
                }
                assertThat(Math.sqrt(dg)).isLessThanOrEqualTo(m.hessianBound(k) * Math.sqrt(dw) * (1 + 1e-12));
                assertThat(Math.sqrt(n1)).isLessThanOrEqualTo(2 * Math.sqrt(m.hessianBound(k)) * (1 + 1e-12));
            }
        }
    }

    @Test
    void accuracyCountsArgmaxPerClassAndAnEmptyClassIsRejected() {
        ClassLosses m = DATA.losses(K);
        DMatrixRMaj w = new DMatrixRMaj(m.dimension(), K);
        w.set(m.dimension() - 1, 1, 1.0); // always predicts class 1
        assertThat(m.classAccuracy(w)).containsExactly(0.0, 1.0, 0.0);
        assertThat(m.accuracy(w)).isEqualTo(9.0 / 25);
        assertThatThrownBy(() -> new ClassLosses(DATA.x, DATA.labels, 4)).hasMessageContaining("class 3 has no samples");
    }
}
