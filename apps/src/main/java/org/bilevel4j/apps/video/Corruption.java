package org.bilevel4j.apps.video;

import java.util.BitSet;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.bilevel4j.linalg.RandomizedSvd;
import org.bilevel4j.linalg.ThinSvd;
import org.ejml.data.DMatrixRMaj;

/**
 * The corruption model of the BINNO paper's video experiment, seeded:
 * <pre>
 *   L0    = best rank-k approximation of the clip D (truncated SVD, k = 9)
 *   Omega = round(fraction m n) distinct entries chosen uniformly at random (fraction = 0.05)
 *   S0    = amplitude * s_ij * |L0_ij| on Omega (amplitude = 0.33, s_ij = +-1 with equal odds), 0 elsewhere
 *   M_obs = L0 + S0
 * </pre>
 * The truncation uses the full thin SVD when {@code min(m, n) <= 256} and otherwise the randomized
 * SVD with 20 extra directions and 6 power iterations (ample for a clip's fast-decaying spectrum).
 * Random choices come from an L64X128MixRandom generator seeded with the given seed: the support by
 * Floyd's sampling algorithm, then one sign per chosen entry in increasing index order (row-major).
 *
 * @param rank k
 * @param fraction the share of corrupted entries, in [0, 1]
 * @param amplitude the relative size of the corruption
 */
public record Corruption(int rank, double fraction, double amplitude) {

    /**
     * Validates.
     *
     * @param rank k
     * @param fraction the share of corrupted entries, in [0, 1]
     * @param amplitude the relative size of the corruption
     */
    public Corruption {
        if (rank < 1) {
            throw new IllegalArgumentException("rank must be at least 1, got " + rank);
        }
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must be in [0, 1], got " + fraction);
        }
        if (!(amplitude >= 0) || Double.isInfinite(amplitude)) {
            throw new IllegalArgumentException("amplitude must be finite and nonnegative, got " + amplitude);
        }
    }

    /** @return the paper's model: k = 9, 5% of the entries, amplitude 0.33 */
    public static Corruption paper() {
        return new Corruption(9, 0.05, 0.33);
    }

    /**
     * The observed matrix and what it was made from.
     *
     * @param observed M_obs, the input of every method
     * @param clean L0, the reference of MSE and PSNR; null when the clip is used as it is
     * @param corrupted the number of corrupted entries
     */
    public record Observation(DMatrixRMaj observed, DMatrixRMaj clean, long corrupted) {

        /** @return whether a clean reference exists */
        public boolean hasReference() {
            return clean != null;
        }
    }

    /**
     * @param clip the clip (pixels x frames), not modified
     * @return the clip itself as the observation, with no reference (real foreground as S)
     */
    public static Observation none(DMatrixRMaj clip) {
        return new Observation(clip, null, 0);
    }

    /**
     * Applies the model to the clip (not modified).
     *
     * @param clip the clip (pixels x frames)
     * @param seed the seed of the random generator
     * @return the observation and its reference
     */
    public Observation apply(DMatrixRMaj clip, long seed) {
        int m = clip.numRows;
        int n = clip.numCols;
        int k = Math.min(rank, Math.min(m, n));
        RandomGenerator rnd = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
        DMatrixRMaj l0 = truncate(clip, k, rnd);
        long total = (long) m * n;
        int count = (int) Math.round(fraction * total);
        BitSet support = new BitSet((int) total);
        // Floyd: for j = N - K .. N - 1 pick t in [0, j]; take t unless taken, else j
        for (long j = total - count; j < total; j++) {
            int t = (int) rnd.nextLong(j + 1);
            support.set(support.get(t) ? (int) j : t);
        }
        DMatrixRMaj obs = l0.copy();
        for (int i = support.nextSetBit(0); i >= 0; i = support.nextSetBit(i + 1)) {
            double sign = rnd.nextBoolean() ? 1.0 : -1.0;
            obs.data[i] += amplitude * sign * Math.abs(l0.data[i]);
        }
        return new Observation(obs, l0, count);
    }

    /**
     * @param d the matrix, not modified
     * @param k the rank
     * @param rnd the random generator of the randomized SVD
     * @return the best rank-k approximation of d (exact SVD for small sides, randomized otherwise)
     */
    public static DMatrixRMaj truncate(DMatrixRMaj d, int k, RandomGenerator rnd) {
        DMatrixRMaj out = new DMatrixRMaj(d.numRows, d.numCols);
        if (Math.min(d.numRows, d.numCols) <= 256) {
            ThinSvd svd = ThinSvd.of(d);
            double[] s = java.util.Arrays.copyOf(svd.singularValues(), svd.singularValues().length);
            for (int i = k; i < s.length; i++) {
                s[i] = 0;
            }
            svd.reconstruct(s, out);
        } else {
            RandomizedSvd svd = RandomizedSvd.of(d, k, 20, 6, rnd);
            svd.reconstruct(svd.singularValues(), out);
        }
        return out;
    }
}
