package org.bilevel4j.apps.robust;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;

/** Small seeded Gaussian class clusters with a constant last feature, for fast tests. */
final class SmallData {

    final DMatrixRMaj x;
    final int[] labels;

    private SmallData(DMatrixRMaj x, int[] labels) {
        this.x = x;
        this.labels = labels;
    }

    /**
     * @param perClass samples per class
     * @param features features before the constant
     * @param spread distance scale of the class means
     */
    static SmallData of(int[] perClass, int features, double spread, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int k = perClass.length;
        double[][] means = new double[k][features];
        for (double[] m : means) {
            for (int j = 0; j < features; j++) {
                m[j] = spread * (2 * rnd.nextDouble() - 1);
            }
        }
        int n = 0;
        for (int c : perClass) {
            n += c;
        }
        DMatrixRMaj x = new DMatrixRMaj(n, features + 1);
        int[] labels = new int[n];
        int r = 0;
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < perClass[c]; i++) {
                for (int j = 0; j < features; j++) {
                    x.set(r, j, means[c][j] + gaussian(rnd));
                }
                x.set(r, features, 1.0);
                labels[r] = c;
                r++;
            }
        }
        return new SmallData(x, labels);
    }

    private static double gaussian(SplittableRandom rnd) {
        return Math.sqrt(-2 * Math.log(1 - rnd.nextDouble())) * Math.cos(2 * Math.PI * rnd.nextDouble());
    }

    ClassLosses losses(int classes) {
        return new ClassLosses(x, labels, classes);
    }

    static double[] central(java.util.function.ToDoubleFunction<double[]> f, double[] x, int i) {
        double h = 1e-5 * Math.max(1, Math.abs(x[i]));
        double[] p = x.clone();
        double[] m = x.clone();
        p[i] += h;
        m[i] -= h;
        return new double[] {(f.applyAsDouble(p) - f.applyAsDouble(m)) / (2 * h)};
    }
}
