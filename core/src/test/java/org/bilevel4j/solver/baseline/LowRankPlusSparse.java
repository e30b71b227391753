package org.bilevel4j.solver.baseline;

import java.util.SplittableRandom;
import org.bilevel4j.linalg.Gemm;
import org.ejml.data.DMatrixRMaj;

/** Synthetic test data with known parts: L0 = X Y^T (standard normal factors), S0 on a random support. */
final class LowRankPlusSparse {

    final DMatrixRMaj l0;
    final DMatrixRMaj s0;
    final DMatrixRMaj m;

    /**
     * @param fraction the share of entries in the support of S0, whose values are uniform on
     *     [-amplitude, amplitude]
     */
    LowRankPlusSparse(int rows, int cols, int rank, double fraction, double amplitude, double noise, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        DMatrixRMaj x = new DMatrixRMaj(rows, rank);
        DMatrixRMaj y = new DMatrixRMaj(rank, cols);
        for (int i = 0; i < x.data.length; i++) {
            x.data[i] = gaussian(rnd);
        }
        for (int i = 0; i < y.data.length; i++) {
            y.data[i] = gaussian(rnd);
        }
        l0 = new DMatrixRMaj(rows, cols);
        Gemm.mult(x, y, l0);
        s0 = new DMatrixRMaj(rows, cols);
        m = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < m.data.length; i++) {
            if (rnd.nextDouble() < fraction) {
                s0.data[i] = rnd.nextDouble(-amplitude, amplitude);
            }
            m.data[i] = l0.data[i] + s0.data[i] + noise * gaussian(rnd);
        }
    }

    static double gaussian(SplittableRandom rnd) {
        double u = rnd.nextDouble();
        double v = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log1p(-u)) * Math.cos(2 * Math.PI * v);
    }

    static double mse(DMatrixRMaj a, DMatrixRMaj b) {
        double s = 0;
        for (int i = 0; i < a.data.length; i++) {
            double d = a.data[i] - b.data[i];
            s += d * d;
        }
        return s / a.data.length;
    }
}
