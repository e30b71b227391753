package org.bilevel4j.apps.cleaning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.bilevel4j.linalg.MatOps;
import org.bilevel4j.linalg.Precision;
import org.bilevel4j.problem.BilevelGradientCheck;
import org.bilevel4j.problem.BilevelProblem;
import org.bilevel4j.solver.SolverOptions;
import org.bilevel4j.solver.meha.Meha;
import org.bilevel4j.solver.meha.MehaState;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class HyperCleaningProblemTest {

    private static final CleaningDataset DATA = CleaningDataset.synthetic(20, 60, 40, 30, 0.6, 0.5, 9);

    private static DMatrixRMaj random(int r, int c, long seed, double scale) {
        SplittableRandom rnd = new SplittableRandom(seed);
        DMatrixRMaj m = new DMatrixRMaj(r, c);
        for (int i = 0; i < m.getNumElements(); i++) {
            m.data[i] = rnd.nextDouble(-scale, scale);
        }
        return m;
    }

    @Test
    void everyGradientMatchesFiniteDifferencesWithAndWithoutRidge() {
        for (double ridge : new double[] {0.0, 1e-3, 0.5}) {
            HyperCleaningProblem p = new HyperCleaningProblem(DATA, ridge);
            DMatrixRMaj x = random(p.xRows(), 1, 1, 2);
            DMatrixRMaj y = random(p.yRows(), p.yCols(), 2, 0.5);
            assertThat(BilevelGradientCheck.check(p, x, y, 6, 3, 1e-6, 1e-2)).as("ridge %s", ridge).isEmpty();
        }
    }

    @Test
    void valuesAreTheFormulasOfTheMethodPage() {
        HyperCleaningProblem p = new HyperCleaningProblem(DATA, 0.1);
        DMatrixRMaj x = random(p.xRows(), 1, 4, 2);
        DMatrixRMaj y = random(p.yRows(), p.yCols(), 5, 0.5);
        double f = 0;
        DMatrixRMaj a = DATA.trainDesign();
        for (int i = 0; i < a.numRows; i++) {
            double[] z = new double[10];
            double m = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < 10; j++) {
                for (int k = 0; k < a.numCols; k++) {
                    z[j] += a.get(i, k) * y.get(k, j);
                }
                m = Math.max(m, z[j]);
            }
            double s = 0;
            for (double v : z) {
                s += Math.exp(v - m);
            }
            double ce = m + Math.log(s) - z[DATA.trainLabels()[i]];
            f += ce / (1 + Math.exp(-x.data[i])) / a.numRows;
        }
        double w2 = 0;
        for (int k = 0; k < (p.yRows() - 1) * 10; k++) {
            w2 += y.data[k] * y.data[k];
        }
        f += 0.05 * w2;
        assertThat(p.lowerSmoothValue(x, y)).isCloseTo(f, within(1e-12));
        // at y = 0 every cross-entropy is log 10
        DMatrixRMaj zero = new DMatrixRMaj(p.yRows(), p.yCols());
        assertThat(p.upperValue(x, zero)).isCloseTo(Math.log(10), within(1e-14));
    }

    @Test
    void batchedGradientsEqualOneAtATimeAndTheCacheNeverServesAStaleValue() {
        HyperCleaningProblem p = new HyperCleaningProblem(DATA, 1e-3);
        DMatrixRMaj x1 = random(p.xRows(), 1, 6, 1);
        DMatrixRMaj x2 = random(p.xRows(), 1, 7, 1);
        DMatrixRMaj y1 = random(p.yRows(), p.yCols(), 8, 0.3);
        DMatrixRMaj y2 = random(p.yRows(), p.yCols(), 9, 0.3);
        DMatrixRMaj g1 = new DMatrixRMaj(p.yRows(), p.yCols());
        DMatrixRMaj g2 = new DMatrixRMaj(p.yRows(), p.yCols());
        p.lowerSmoothGradientsY(List.of(x1, x2), List.of(y1, y2), List.of(g1, g2));
        HyperCleaningProblem fresh = new HyperCleaningProblem(DATA, 1e-3);
        DMatrixRMaj h1 = new DMatrixRMaj(p.yRows(), p.yCols());
        DMatrixRMaj h2 = new DMatrixRMaj(p.yRows(), p.yCols());
        fresh.lowerSmoothGradientY(x1, y1, h1);
        fresh.lowerSmoothGradientY(x2, y2, h2);
        assertThat(MatOps.distance(g1, h1)).isLessThan(1e-14);
        assertThat(MatOps.distance(g2, h2)).isLessThan(1e-14);
        // two new points share one forward and one backward product
        assertThat(p.productLog().counts().values()).containsExactly(1L, 1L);
        // a parameter changed in place is re-evaluated
        double before = p.lowerSmoothValue(x1, y1);
        y1.data[3] += 0.7;
        double after = p.lowerSmoothValue(x1, y1);
        assertThat(after).isEqualTo(new HyperCleaningProblem(DATA, 1e-3).lowerSmoothValue(x1, y1));
        assertThat(after).isNotEqualTo(before);
        x1.data[0] += 3;
        assertThat(p.lowerSmoothValue(x1, y1))
                .isEqualTo(new HyperCleaningProblem(DATA, 1e-3).lowerSmoothValue(x1, y1));
    }

    /** The hyper-cleaning problem written out with plain loops: no cache, no batching, no fused products. */
    private static final class Plain implements BilevelProblem {
        final double ridge;

        Plain(double ridge) {
            this.ridge = ridge;
        }

        @Override
        public int xRows() {
            return DATA.trainDesign().numRows;
        }

        @Override
        public int yRows() {
            return DATA.trainDesign().numCols;
        }

        @Override
        public int yCols() {
            return DATA.classes();
        }

        /** Row i: softmax probabilities, then the cross-entropy in the last slot. */
        private double[] eval(DMatrixRMaj a, int[] labels, int i, DMatrixRMaj y) {
            int c = y.numCols;
            double[] z = new double[c + 1];
            double m = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) {
                for (int k = 0; k < a.numCols; k++) {
                    z[j] += a.get(i, k) * y.get(k, j);
                }
                m = Math.max(m, z[j]);
            }
            double s = 0;
            for (int j = 0; j < c; j++) {
                s += Math.exp(z[j] - m);
            }
            z[c] = m + Math.log(s) - z[labels[i]];
            for (int j = 0; j < c; j++) {
                z[j] = Math.exp(z[j] - m) / s;
            }
            return z;
        }

        private static double sigma(double t) {
            return 1 / (1 + Math.exp(-t));
        }

        /** out = sum_i w_i (p_i - e_{l_i}) a_i^T / n. */
        private void gradient(DMatrixRMaj a, int[] labels, DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj out) {
            out.zero();
            for (int i = 0; i < a.numRows; i++) {
                double[] p = eval(a, labels, i, y);
                double w = (x == null ? 1 : sigma(x.data[i])) / a.numRows;
                for (int j = 0; j < y.numCols; j++) {
                    double r = w * (p[j] - (labels[i] == j ? 1 : 0));
                    for (int k = 0; k < a.numCols; k++) {
                        out.add(k, j, r * a.get(i, k));
                    }
                }
            }
        }

        @Override
        public double upperValue(DMatrixRMaj x, DMatrixRMaj y) {
            double s = 0;
            for (int i = 0; i < DATA.valDesign().numRows; i++) {
                s += eval(DATA.valDesign(), DATA.valLabels(), i, y)[y.numCols];
            }
            return s / DATA.valDesign().numRows;
        }

        @Override
        public void upperGradientX(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj out) {
            out.zero();
        }

        @Override
        public void upperGradientY(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj out) {
            gradient(DATA.valDesign(), DATA.valLabels(), null, y, out);
        }

        @Override
        public double lowerSmoothValue(DMatrixRMaj x, DMatrixRMaj y) {
            double s = 0;
            for (int i = 0; i < xRows(); i++) {
                s += sigma(x.data[i]) * eval(DATA.trainDesign(), DATA.trainLabels(), i, y)[y.numCols];
            }
            double w2 = 0;
            for (int k = 0; k < (yRows() - 1) * yCols(); k++) {
                w2 += y.data[k] * y.data[k];
            }
            return s / xRows() + 0.5 * ridge * w2;
        }

        @Override
        public void lowerSmoothGradientX(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj out) {
            for (int i = 0; i < xRows(); i++) {
                double w = sigma(x.data[i]);
                out.data[i] = w * (1 - w) * eval(DATA.trainDesign(), DATA.trainLabels(), i, y)[y.numCols] / xRows();
            }
        }

        @Override
        public void lowerSmoothGradientY(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj out) {
            gradient(DATA.trainDesign(), DATA.trainLabels(), x, y, out);
            for (int k = 0; k < (yRows() - 1) * yCols(); k++) {
                out.data[k] += ridge * y.data[k];
            }
        }
    }

    @Test
    void mehaWithCachedAndFusedProductsFollowsThePlainIterationToRounding() {
        HyperCleaningProblem fast = new HyperCleaningProblem(DATA, 1e-3);
        Plain plain = new Plain(1e-3);
        Meha meha = new Meha(HyperCleaning.mehaDefaults());
        MehaState s1 = meha.init(fast, fast.start(), SolverOptions.defaults());
        MehaState s2 = meha.init(plain, fast.start(), SolverOptions.defaults());
        for (int k = 0; k < 40; k++) {
            meha.step(fast, s1);
            meha.step(plain, s2);
            if (k == 9) {
                fast.productLog().reset();
            }
        }
        assertThat(MatOps.isFinite(s1.y())).isTrue();
        double xScale = Math.sqrt(MatOps.normSq(s2.x()));
        double yScale = Math.sqrt(MatOps.normSq(s2.y()));
        assertThat(yScale).isGreaterThan(1e-3);
        assertThat(MatOps.distance(s1.x(), s2.x())).isLessThanOrEqualTo(1e-12 * xScale);
        assertThat(MatOps.distance(s1.y(), s2.y())).isLessThanOrEqualTo(1e-12 * yScale);
        assertThat(MatOps.distance(s1.theta(), s2.theta())).isLessThanOrEqualTo(1e-12 * yScale);
        assertThat(s1.upperValue()).isCloseTo(s2.upperValue(), within(1e-13));
        assertThat(s1.gap()).isCloseTo(s2.gap(), within(1e-13));
        // per iteration: one forward product at y+ and the next theta together, one backward product for
        // both training gradients, one forward and one backward product on the validation set
        assertThat(fast.productLog().counts()).containsOnly(
                java.util.Map.entry(new ProductLog.Shape("train", false, 20), 30L),
                java.util.Map.entry(new ProductLog.Shape("train", true, 20), 30L),
                java.util.Map.entry(new ProductLog.Shape("val", false, 10), 30L),
                java.util.Map.entry(new ProductLog.Shape("val", true, 10), 30L));
    }

    @Test
    void mehaWithSinglePrecisionProductsFollowsThePlainIterationToFloatAccuracy() {
        // products in binary32 (data and operands rounded, sums in binary32): the iterates stay within
        // float accuracy of the double iteration, and differ from it (the format is really used)
        HyperCleaningProblem single = new HyperCleaningProblem(DATA, 1e-3, Precision.SINGLE);
        assertThat(single.trainModel().kernels()).endsWith("single precision");
        Plain plain = new Plain(1e-3);
        Meha meha = new Meha(HyperCleaning.mehaDefaults());
        MehaState s1 = meha.init(single, single.start(), SolverOptions.defaults());
        MehaState s2 = meha.init(plain, single.start(), SolverOptions.defaults());
        for (int k = 0; k < 40; k++) {
            meha.step(single, s1);
            meha.step(plain, s2);
        }
        double xScale = Math.sqrt(MatOps.normSq(s2.x()));
        double yScale = Math.sqrt(MatOps.normSq(s2.y()));
        double dx = MatOps.distance(s1.x(), s2.x()) / xScale;
        double dy = MatOps.distance(s1.y(), s2.y()) / yScale;
        assertThat(dx).isBetween(1e-10, 1e-6);
        assertThat(dy).isBetween(1e-10, 1e-6);
        assertThat(MatOps.distance(s1.theta(), s2.theta())).isLessThanOrEqualTo(1e-5 * yScale);
        assertThat(s1.upperValue()).isCloseTo(s2.upperValue(), within(1e-5 * Math.abs(s2.upperValue())));
    }

    @Test
    void f1CountsFlaggedCleanSamples() {
        boolean[] clean = {true, true, false, false};
        assertThat(HyperCleaning.f1(DMatrixRMaj.wrap(4, 1, new double[] {0, 0, 0, 0}), clean))
                .isCloseTo(2.0 / 3, within(1e-15));
        assertThat(HyperCleaning.f1(DMatrixRMaj.wrap(4, 1, new double[] {1, 1, -1, -1}), clean)).isEqualTo(1.0);
        assertThat(HyperCleaning.f1(DMatrixRMaj.wrap(4, 1, new double[] {1, -1, -1, -1}), clean))
                .isCloseTo(2 * 1 * 0.5 / 1.5, within(1e-15));
        assertThat(HyperCleaning.f1(DMatrixRMaj.wrap(4, 1, new double[] {-1, -1, 1, 1}), clean)).isZero();
    }

    @Test
    void theWeightedFitReachesAStationaryPoint() {
        HyperCleaningProblem p = new HyperCleaningProblem(DATA, 1e-3);
        WeightedSoftmaxFit.Fit fit = WeightedSoftmaxFit.fit(p.trainModel(), null, 1e-3,
                new DMatrixRMaj(p.yRows(), p.yCols()), 2000, 1e-8, null);
        assertThat(fit.converged()).isTrue();
        // the lower level at x = +inf weights (all ones) has the same stationary point
        DMatrixRMaj x = new DMatrixRMaj(p.xRows(), 1);
        x.fill(40);
        DMatrixRMaj g = new DMatrixRMaj(p.yRows(), p.yCols());
        p.lowerSmoothGradientY(x, fit.y(), g);
        assertThat(Math.sqrt(MatOps.normSq(g))).isLessThan(1e-6);
    }
}
