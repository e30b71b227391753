package org.bilevel4j.apps.cleaning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.bilevel4j.linalg.MatOps;
import org.bilevel4j.problem.BilevelGradientCheck;
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
