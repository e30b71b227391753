package org.bilevel4j.testing;

import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.ejml.data.DMatrixRMaj;

/**
 * Seeded random matrices and small helpers for tests. The generator is named explicitly
 * ({@value #ALGORITHM}) so that the streams are the same on every JDK.
 */
public final class TestMatrices {

    /** The PRNG algorithm of every test. */
    public static final String ALGORITHM = "L64X128MixRandom";

    private TestMatrices() {
    }

    /** @return a new generator of {@value #ALGORITHM} seeded with {@code seed} */
    public static RandomGenerator rng(long seed) {
        return RandomGeneratorFactory.of(ALGORITHM).create(seed);
    }

    /** @return a rows x cols matrix of independent N(0, scale^2) entries */
    public static DMatrixRMaj gaussian(int rows, int cols, double scale, RandomGenerator rng) {
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < m.getNumElements(); i++) {
            m.data[i] = scale * rng.nextGaussian();
        }
        return m;
    }

    /** @return a rows x cols matrix of independent uniform entries on [lo, hi) */
    public static DMatrixRMaj uniform(int rows, int cols, double lo, double hi, RandomGenerator rng) {
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < m.getNumElements(); i++) {
            m.data[i] = rng.nextDouble(lo, hi);
        }
        return m;
    }

    /** @return a matrix of {@code like}'s shape with a random Gaussian direction of unit Frobenius norm */
    public static DMatrixRMaj unitDirection(DMatrixRMaj like, RandomGenerator rng) {
        DMatrixRMaj d = gaussian(like.numRows, like.numCols, 1.0, rng);
        double n = norm(d);
        for (int i = 0; i < d.getNumElements(); i++) {
            d.data[i] /= n;
        }
        return d;
    }

    /** @return a log-uniform random number on [lo, hi] */
    public static double logUniform(double lo, double hi, RandomGenerator rng) {
        return Math.exp(rng.nextDouble(Math.log(lo), Math.log(hi)));
    }

    /** @return {@code <a, b>}, summed naively (an independent reference for MatOps) */
    public static double dot(DMatrixRMaj a, DMatrixRMaj b) {
        double s = 0;
        for (int i = 0; i < a.getNumElements(); i++) {
            s += a.data[i] * b.data[i];
        }
        return s;
    }

    /** @return {@code ||a||_F} */
    public static double norm(DMatrixRMaj a) {
        return Math.sqrt(dot(a, a));
    }

    /** @return {@code ||a - b||_F} */
    public static double distance(DMatrixRMaj a, DMatrixRMaj b) {
        double s = 0;
        for (int i = 0; i < a.getNumElements(); i++) {
            double d = a.data[i] - b.data[i];
            s += d * d;
        }
        return Math.sqrt(s);
    }

    /** @return {@code max_i |a_i - b_i|} */
    public static double maxAbsDifference(DMatrixRMaj a, DMatrixRMaj b) {
        double m = 0;
        for (int i = 0; i < a.getNumElements(); i++) {
            m = Math.max(m, Math.abs(a.data[i] - b.data[i]));
        }
        return m;
    }

    /** @return {@code max_i |a_i|} */
    public static double maxAbs(DMatrixRMaj a) {
        double m = 0;
        for (int i = 0; i < a.getNumElements(); i++) {
            m = Math.max(m, Math.abs(a.data[i]));
        }
        return m;
    }

    /** @return {@code alpha a + beta b}, a new matrix */
    public static DMatrixRMaj combine(double alpha, DMatrixRMaj a, double beta, DMatrixRMaj b) {
        DMatrixRMaj c = new DMatrixRMaj(a.numRows, a.numCols);
        for (int i = 0; i < a.getNumElements(); i++) {
            c.data[i] = alpha * a.data[i] + beta * b.data[i];
        }
        return c;
    }

    /** @return a short description of a small matrix, for assertion messages */
    public static String describe(DMatrixRMaj a) {
        StringBuilder sb = new StringBuilder().append(a.numRows).append('x').append(a.numCols).append(" [");
        int n = Math.min(a.getNumElements(), 12);
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ", ").append(a.data[i]);
        }
        return sb.append(a.getNumElements() > n ? ", ...]" : "]").toString();
    }
}
