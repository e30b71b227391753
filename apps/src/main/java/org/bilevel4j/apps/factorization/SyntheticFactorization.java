package org.bilevel4j.apps.factorization;

import java.util.SplittableRandom;
import org.bilevel4j.linalg.Gemm;
import org.ejml.data.DMatrixRMaj;

/**
 * The synthetic sparse low-rank factorization of BINNO's experiments [Selicato, Esposito, Ang 2025]:
 * {@code X_true} (m x k) and {@code Y_true} (k x n) with about {@code density} of their entries
 * nonzero and standard normal, {@code M_clean = X_true Y_true} and {@code M = M_clean + sigma N(0, 1)}.
 * The paper's instance is m = 100, n = 80, k = 5, density 0.3, sigma = 0.01.
 *
 * @param xTrue the true left factor
 * @param yTrue the true right factor
 * @param clean the noise-free product
 * @param observed the observed matrix
 * @param seed the seed that made it
 */
public record SyntheticFactorization(DMatrixRMaj xTrue, DMatrixRMaj yTrue, DMatrixRMaj clean, DMatrixRMaj observed,
        long seed) {

    /**
     * The paper's instance: 100 x 80, rank 5, 30% nonzeros, noise 0.01.
     *
     * @param seed the seed of the random generator
     * @return the instance
     */
    public static SyntheticFactorization paper(long seed) {
        return generate(100, 80, 5, 0.3, 0.01, seed);
    }

    /**
     * Generates an instance. The generator is SplittableRandom(seed); draws are in this order: the
     * support and values of X_true row by row, then of Y_true, then the noise row by row.
     *
     * @throws IllegalArgumentException for nonpositive sizes, a density outside (0, 1] or negative noise
     * @param m the number of rows
     * @param n the number of columns
     * @param k the true rank
     * @param density the fraction of nonzero entries of the factors
     * @param sigma the deviation of the Gaussian noise
     * @param seed the seed of the random generator
     * @return the instance
     */
    public static SyntheticFactorization generate(int m, int n, int k, double density, double sigma, long seed) {
        if (m < 1 || n < 1 || k < 1) {
            throw new IllegalArgumentException("sizes must be positive, got m=" + m + ", n=" + n + ", k=" + k);
        }
        if (!(density > 0 && density <= 1)) {
            throw new IllegalArgumentException("density must be in (0, 1], got " + density);
        }
        if (!(sigma >= 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("noise level must be finite and nonnegative, got " + sigma);
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        DMatrixRMaj x = sparseNormal(m, k, density, rnd);
        DMatrixRMaj y = sparseNormal(k, n, density, rnd);
        DMatrixRMaj clean = new DMatrixRMaj(m, n);
        Gemm.mult(x, y, clean);
        DMatrixRMaj obs = clean.copy();
        for (int i = 0; i < obs.getNumElements(); i++) {
            obs.data[i] += sigma * Gaussian.next(rnd);
        }
        return new SyntheticFactorization(x, y, clean, obs, seed);
    }

    private static DMatrixRMaj sparseNormal(int rows, int cols, double density, SplittableRandom rnd) {
        DMatrixRMaj a = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < a.getNumElements(); i++) {
            boolean on = rnd.nextDouble() < density;
            double v = Gaussian.next(rnd);
            a.data[i] = on ? v : 0.0;
        }
        return a;
    }
}
