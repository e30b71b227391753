package org.bilevel4j.solver.baseline;

import java.util.random.RandomGenerator;
import org.bilevel4j.linalg.RandomizedSvd;
import org.bilevel4j.linalg.ThinSvt;
import org.ejml.data.DMatrixRMaj;

/**
 * Singular value thresholding {@code out = U diag(max(s - tau, 0)) V^T} with a rank prediction,
 * full or partial SVD as the {@link SvdPolicy} says. Not thread-safe; one per solver state.
 */
final class Svt {

    private final SvdPolicy policy;
    private final RandomGenerator rnd;
    private final int minDim;
    /** predicted number of triplets above the threshold at the next call */
    int predicted;
    /** triplets above the threshold at the last call */
    int rank;
    /** triplets computed at the last call (min(m, n) for a full SVD) */
    int computed;
    /** sum of the thresholded singular values at the last call: ||out||_* */
    double nuclearNorm;

    Svt(SvdPolicy policy, RandomGenerator rnd, int rows, int cols, int initialPrediction) {
        this.policy = policy;
        this.rnd = rnd;
        this.minDim = Math.min(rows, cols);
        this.predicted = Math.max(1, Math.min(initialPrediction, minDim));
    }

    /** Thresholds x (not modified) at tau into out (modified; must not alias x). */
    void apply(DMatrixRMaj x, double tau, DMatrixRMaj out) {
        int k = predicted;
        while (true) {
            boolean full = minDim <= policy.fullBelow() || 2 * (k + policy.oversample()) >= minDim;
            double[] s;
            if (full) {
                // thin SVD without U (QR first, then the small SVD; the product in low-rank form when few
                // values pass; see ThinSvt)
                s = ThinSvt.threshold(x, tau, out);
                computed = s.length;
                shrink(s, tau);
                break;
            }
            RandomizedSvd svd = RandomizedSvd.of(x, k, policy.oversample(), policy.powerIterations(), rnd);
            s = svd.singularValues();
            computed = k;
            int above = countAbove(s, tau);
            if (above < k) {
                double[] d = shrink(s, tau);
                svd.reconstruct(d, out);
                break;
            }
            k = Math.min(2 * k, minDim);
        }
        // the prediction rule of Lin, Chen and Ma's inexact ALM code
        if (rank < computed) {
            predicted = Math.min(rank + 1, minDim);
        } else {
            predicted = Math.min(rank + Math.max(1, (int) Math.round(0.05 * minDim)), minDim);
        }
        predicted = Math.max(predicted, 1);
    }

    private double[] shrink(double[] s, double tau) {
        int above = countAbove(s, tau);
        double[] d = new double[above];
        double sum = 0;
        for (int i = 0; i < above; i++) {
            d[i] = s[i] - tau;
            sum += d[i];
        }
        rank = above;
        nuclearNorm = sum;
        return d;
    }

    private static int countAbove(double[] s, double tau) {
        int c = 0;
        while (c < s.length && s[c] > tau) {
            c++;
        }
        return c;
    }

    /** Soft thresholding {@code out_i = sign(x_i) max(|x_i| - t, 0)}; returns {@code sum |out_i|}. */
    static double soft(double[] x, double t, double[] out, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double v = x[i];
            double a = Math.abs(v) - t;
            double r = a > 0 ? Math.copySign(a, v) : 0.0;
            out[i] = r;
            sum += Math.abs(r);
        }
        return sum;
    }
}
