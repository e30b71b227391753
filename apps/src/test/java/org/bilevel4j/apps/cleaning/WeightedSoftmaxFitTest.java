package org.bilevel4j.apps.cleaning;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.bilevel4j.linalg.MatOps;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * {@link WeightedSoftmaxFit} against L-BFGS written out in the test from its equations (Nocedal 1980;
 * Nocedal and Wright, Algorithm 7.4 with the initial scaling {@code <s, dg> / <dg, dg>}, memory 10):
 * the first step {@code min(1, 1/||g||)} along {@code -g}, Armijo backtracking with {@code c = 1e-4}
 * by halving (at most 40), a pair kept only when {@code <s, dg> > 1e-12 ||s|| ||dg||}, and the stop
 * {@code ||g|| <= tol max(1, ||g_0||)}. Both use the model's loss and gradient, so the iterates agree
 * exactly when the written-out loop does the same arithmetic in the same order.
 */
class WeightedSoftmaxFitTest {

    /** A badly scaled problem (feature scales 0.2 to 6), so L-BFGS needs more than its memory's iterations. */
    private static SoftmaxModel model(ProductLog log) {
        SplittableRandom rnd = new SplittableRandom(21);
        int n = 36;
        int d = 5;
        double[] scale = {6, 0.2, 2.5, 1, 0.5};
        DMatrixRMaj a = new DMatrixRMaj(n, d + 1);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = rnd.nextInt(3);
            for (int j = 0; j < d; j++) {
                a.set(i, j, scale[j] * (rnd.nextDouble() - 0.5 + 0.3 * (labels[i] == j % 3 ? 1 : 0)));
            }
            a.set(i, d, 1);
        }
        return new SoftmaxModel("train", a, labels, 3, 4, log);
    }

    private static double[] weights(int n) {
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = (i % 4) / 3.0;
        }
        return w;
    }

    private static double objective(SoftmaxModel m, double[] w, double ridge, DMatrixRMaj y) {
        double s = 0;
        for (int i = 0; i < (y.numRows - 1) * y.numCols; i++) {
            s += y.data[i] * y.data[i];
        }
        return m.weightedLoss(w, 1.0 / m.samples(), y) + 0.5 * ridge * s;
    }

    private static void gradient(SoftmaxModel m, double[] w, double ridge, DMatrixRMaj y, DMatrixRMaj g) {
        m.weightedGradient(w, 1.0 / m.samples(), y, g);
        for (int i = 0; i < (y.numRows - 1) * y.numCols; i++) {
            g.data[i] += ridge * y.data[i];
        }
    }

    private static double norm(DMatrixRMaj a) {
        return Math.sqrt(MatOps.normSq(a));
    }

    /** L-BFGS written out: the iterates y_1, y_2, ... */
    private static List<DMatrixRMaj> lbfgs(SoftmaxModel m, double[] w, double ridge, DMatrixRMaj start, int maxIt,
            double tol) {
        List<DMatrixRMaj> out = new ArrayList<>();
        List<DMatrixRMaj> ss = new ArrayList<>();
        List<DMatrixRMaj> ys = new ArrayList<>();
        DMatrixRMaj y = start.copy();
        DMatrixRMaj g = new DMatrixRMaj(y.numRows, y.numCols);
        double f = objective(m, w, ridge, y);
        gradient(m, w, ridge, y, g);
        double gn = norm(g);
        double target = tol * Math.max(1.0, gn);
        for (int k = 0; k < maxIt && gn > target; k++) {
            // two-loop recursion: d = -H g
            DMatrixRMaj d = g.copy();
            int mem = ss.size();
            double[] alpha = new double[mem];
            for (int i = mem - 1; i >= 0; i--) {
                alpha[i] = MatOps.dot(ss.get(i), d) * (1.0 / MatOps.dot(ss.get(i), ys.get(i)));
                MatOps.combine(1.0, d, -alpha[i], ys.get(i), d);
            }
            if (mem > 0) {
                double gamma = MatOps.dot(ss.get(mem - 1), ys.get(mem - 1)) / MatOps.normSq(ys.get(mem - 1));
                MatOps.combine(gamma, d, 0.0, d, d);
            }
            for (int i = 0; i < mem; i++) {
                double beta = MatOps.dot(ys.get(i), d) * (1.0 / MatOps.dot(ss.get(i), ys.get(i)));
                MatOps.combine(1.0, d, alpha[i] - beta, ss.get(i), d);
            }
            MatOps.combine(-1.0, d, 0.0, d, d);
            double slope = MatOps.dot(g, d);
            assertThat(slope).as("L-BFGS direction is a descent direction").isNegative();
            double t = mem == 0 ? Math.min(1.0, 1.0 / gn) : 1.0;
            DMatrixRMaj yt = new DMatrixRMaj(y.numRows, y.numCols);
            double ft;
            int halvings = 0;
            while (true) {
                MatOps.combine(1.0, y, t, d, yt);
                ft = objective(m, w, ridge, yt);
                if (ft <= f + 1e-4 * t * slope || halvings >= 40) {
                    break;
                }
                t *= 0.5;
                halvings++;
            }
            DMatrixRMaj gt = new DMatrixRMaj(y.numRows, y.numCols);
            gradient(m, w, ridge, yt, gt);
            DMatrixRMaj s = new DMatrixRMaj(y.numRows, y.numCols);
            DMatrixRMaj dg = new DMatrixRMaj(y.numRows, y.numCols);
            MatOps.combine(1.0, yt, -1.0, y, s);
            MatOps.combine(1.0, gt, -1.0, g, dg);
            if (MatOps.dot(s, dg) > 1e-12 * Math.sqrt(MatOps.normSq(s) * MatOps.normSq(dg))) {
                ss.add(s);
                ys.add(dg);
                if (ss.size() > 10) {
                    ss.remove(0);
                    ys.remove(0);
                }
            }
            y = yt;
            g = gt;
            f = ft;
            gn = norm(g);
            out.add(y.copy());
            if (halvings >= 40) {
                break;
            }
        }
        return out;
    }

    private static List<DMatrixRMaj> observed(SoftmaxModel m, double[] w, double ridge, DMatrixRMaj start, int maxIt,
            double tol, WeightedSoftmaxFit.Fit[] fit) {
        List<DMatrixRMaj> seen = new ArrayList<>();
        List<Integer> numbers = new ArrayList<>();
        fit[0] = WeightedSoftmaxFit.fit(m, w, ridge, start, maxIt, tol, (k, y) -> {
            numbers.add(k);
            seen.add(y.copy());
        });
        for (int i = 0; i < numbers.size(); i++) {
            assertThat(numbers.get(i)).isEqualTo(i + 1);
        }
        return seen;
    }

    private static void assertSameIterates(List<DMatrixRMaj> got, List<DMatrixRMaj> want) {
        assertThat(got).hasSameSizeAs(want);
        for (int i = 0; i < want.size(); i++) {
            assertThat(got.get(i).data).as("iterate %d", i + 1).containsExactly(want.get(i).data);
        }
    }

    @Test
    void everyIterateIsTheWrittenOutLbfgsIteratePastTheMemory() {
        SoftmaxModel m = model(new ProductLog());
        double[] w = weights(m.samples());
        DMatrixRMaj start = new DMatrixRMaj(m.features(), 3);
        WeightedSoftmaxFit.Fit[] fit = new WeightedSoftmaxFit.Fit[1];
        List<DMatrixRMaj> want = lbfgs(m, w, 1e-3, start, 30, 0);
        List<DMatrixRMaj> got = observed(m, w, 1e-3, start, 30, 0, fit);
        assertThat(want).hasSize(30);
        assertSameIterates(got, want);
        assertThat(fit[0].iterations()).isEqualTo(30);
        assertThat(fit[0].y().data).containsExactly(want.get(29).data);
        DMatrixRMaj g = new DMatrixRMaj(m.features(), 3);
        gradient(m, w, 1e-3, fit[0].y(), g);
        assertThat(fit[0].gradientNorm()).isEqualTo(norm(g));
        assertThat(fit[0].value()).isEqualTo(objective(m, w, 1e-3, fit[0].y()));
        assertThat(fit[0].converged()).isFalse();
        // the start is not modified
        assertThat(start.data).containsOnly(0.0);
    }

    @Test
    void theStopTestIsRelativeToTheFirstGradientAboveOne() {
        SoftmaxModel m = model(new ProductLog());
        double[] w = weights(m.samples());
        DMatrixRMaj start = new DMatrixRMaj(m.features(), 3);
        start.set(0, 0, 20); // a start whose gradient norm is above 1 (the ridge part alone is 2)
        DMatrixRMaj g = new DMatrixRMaj(m.features(), 3);
        gradient(m, w, 0.1, start, g);
        assertThat(norm(g)).isGreaterThan(1.5);
        for (double tol : new double[] {1e-2, 1e-5}) {
            WeightedSoftmaxFit.Fit[] fit = new WeightedSoftmaxFit.Fit[1];
            List<DMatrixRMaj> want = lbfgs(m, w, 0.1, start, 500, tol);
            assertSameIterates(observed(m, w, 0.1, start, 500, tol, fit), want);
            assertThat(want.size()).isLessThan(500);
            assertThat(fit[0].converged()).isTrue();
            assertThat(fit[0].gradientNorm()).isLessThanOrEqualTo(tol * norm(g));
        }
        // from a start whose gradient norm is below 1 the test is absolute
        DMatrixRMaj zero = new DMatrixRMaj(m.features(), 3);
        gradient(m, w, 0.1, zero, g);
        assertThat(norm(g)).isLessThan(1);
        WeightedSoftmaxFit.Fit[] fit = new WeightedSoftmaxFit.Fit[1];
        assertSameIterates(observed(m, w, 0.1, zero, 500, 1e-3, fit), lbfgs(m, w, 0.1, zero, 500, 1e-3));
        assertThat(fit[0].gradientNorm()).isLessThanOrEqualTo(1e-3);
    }

    @Test
    void aStationaryStartTakesNoIterationAndNullWeightsAreOnes() {
        SoftmaxModel m = model(new ProductLog());
        // zero weights: f = (ridge/2) ||W||^2, stationary at y = 0 with a zero gradient
        WeightedSoftmaxFit.Fit none = WeightedSoftmaxFit.fit(m, new double[m.samples()], 1.0,
                new DMatrixRMaj(m.features(), 3), 100, 0, (k, y) -> {
                    throw new AssertionError("no iteration expected");
                });
        assertThat(none.iterations()).isZero();
        assertThat(none.converged()).isTrue();
        assertThat(none.gradientNorm()).isZero();
        double[] ones = new double[m.samples()];
        java.util.Arrays.fill(ones, 1.0);
        WeightedSoftmaxFit.Fit a = WeightedSoftmaxFit.fit(m, null, 1e-2, new DMatrixRMaj(m.features(), 3), 7, 0, null);
        WeightedSoftmaxFit.Fit b = WeightedSoftmaxFit.fit(m, ones, 1e-2, new DMatrixRMaj(m.features(), 3), 7, 0, null);
        assertThat(a.iterations()).isEqualTo(7);
        assertThat(a.y().data).containsExactly(b.y().data);
        assertThat(a.value()).isEqualTo(b.value());
    }

    @Test
    void aLineSearchThatNeedsMoreThanFortyHalvingsTakesTheFortiethAndStops() {
        // a ridge of 1e14: from y = 0 the first trial step min(1, 1/||g||) along -g raises f by about 1e13, and
        // 40 halvings (a factor 1e-12) do not bring it below the Armijo line
        SoftmaxModel m = model(new ProductLog());
        double[] w = weights(m.samples());
        DMatrixRMaj start = new DMatrixRMaj(m.features(), 3);
        WeightedSoftmaxFit.Fit[] fit = new WeightedSoftmaxFit.Fit[1];
        List<DMatrixRMaj> want = lbfgs(m, w, 1e14, start, 100, 0);
        assertThat(want).hasSize(1);
        assertSameIterates(observed(m, w, 1e14, start, 100, 0, fit), want);
        assertThat(fit[0].iterations()).isEqualTo(1);
        assertThat(fit[0].converged()).isFalse();
        // the step taken is 2^-40 of the first trial step
        DMatrixRMaj g = new DMatrixRMaj(m.features(), 3);
        gradient(m, w, 1e14, start, g);
        double t = Math.min(1, 1 / norm(g)) * Math.pow(2, -40);
        for (int i = 0; i < g.getNumElements(); i++) {
            assertThat(fit[0].y().data[i]).isEqualTo(-t * g.data[i], org.assertj.core.api.Assertions.within(
                    1e-15 * t * Math.abs(g.data[i])));
        }
        assertThat(fit[0].value()).isGreaterThan(objective(m, w, 1e14, start));
    }
}
