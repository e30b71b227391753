package org.bilevel4j.apps.video;

import org.bilevel4j.linalg.ThinSvd;
import org.ejml.data.DMatrixRMaj;

/**
 * The metrics of the video experiment:
 * <ul>
 *   <li>relative error {@code ||M_obs - L||_F / ||M_obs||_F};</li>
 *   <li>{@code MSE(L, L0) = ||L - L0||_F^2 / (m n)};</li>
 *   <li>{@code PSNR = 10 log10(1 / MSE)} in dB, the peak being 1 for frames in [0, 1];</li>
 *   <li>numerical rank: the number of singular values above {@code max(m, n) eps sigma_1}
 *       (MATLAB's {@code rank} default).</li>
 * </ul>
 */
public final class VideoMetrics {

    private VideoMetrics() {
    }

    /**
     * @param observed the observation, not modified
     * @param low the low-rank part, not modified
     * @return {@code ||obs - low||_F / ||obs||_F}
     */
    public static double relativeError(DMatrixRMaj observed, DMatrixRMaj low) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < observed.data.length; i++) {
            double d = observed.data[i] - low.data[i];
            num += d * d;
            den += observed.data[i] * observed.data[i];
        }
        return den == 0 ? Math.sqrt(num) : Math.sqrt(num / den);
    }

    /**
     * @param a a matrix
     * @param b a matrix of the same shape
     * @return the mean squared difference
     */
    public static double mse(DMatrixRMaj a, DMatrixRMaj b) {
        if (a.numRows != b.numRows || a.numCols != b.numCols) {
            throw new IllegalArgumentException("shape mismatch");
        }
        double s = 0;
        for (int i = 0; i < a.data.length; i++) {
            double d = a.data[i] - b.data[i];
            s += d * d;
        }
        return s / a.data.length;
    }

    /**
     * @param mse the mean squared error
     * @return {@code 10 log10(1 / mse)}
     */
    public static double psnr(double mse) {
        return 10 * Math.log10(1 / mse);
    }

    /**
     * @param a the matrix
     * @return the numerical rank with MATLAB's default tolerance
     */
    public static int numericalRank(DMatrixRMaj a) {
        double[] s = ThinSvd.of(a).singularValues();
        if (s.length == 0 || s[0] == 0) {
            return 0;
        }
        double tol = Math.max(a.numRows, a.numCols) * Math.ulp(s[0]);
        int r = 0;
        for (double v : s) {
            if (v > tol) {
                r++;
            }
        }
        return r;
    }
}
