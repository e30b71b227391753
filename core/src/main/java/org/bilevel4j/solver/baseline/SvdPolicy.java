package org.bilevel4j.solver.baseline;

/**
 * When singular value thresholding uses a full thin SVD and when a partial one.
 *
 * <p>SVT only needs the singular triplets above the threshold. The solvers predict how many there
 * will be (the rule of Lin, Chen and Ma: the count of the previous iteration plus one, or plus 5% of
 * {@code min(m, n)} when every computed value was above the threshold) and compute that many with
 * {@link org.bilevel4j.linalg.RandomizedSvd}. If all computed values exceed the threshold the call
 * doubles the count and tries again, so the result never silently drops a triplet. A full
 * {@link org.bilevel4j.linalg.ThinSvd} is used when {@code min(m, n) <= fullBelow} or when the
 * prediction plus the oversampling reaches half of {@code min(m, n)}.
 *
 * @param fullBelow use the full SVD when the smaller dimension is at most this (default 64)
 * @param oversample extra random directions of the randomized SVD (default 10)
 * @param powerIterations power iterations of the randomized SVD (default 3)
 */
public record SvdPolicy(int fullBelow, int oversample, int powerIterations) {

    /**
     * Validates.
     *
     * @param fullBelow use the full SVD when the smaller dimension is at most this (default 64)
     * @param oversample extra random directions of the randomized SVD (default 10)
     * @param powerIterations power iterations of the randomized SVD (default 3)
     */
    public SvdPolicy {
        if (fullBelow < 0 || oversample < 0 || powerIterations < 0) {
            throw new IllegalArgumentException("SvdPolicy fields must be nonnegative: " + fullBelow + ", "
                    + oversample + ", " + powerIterations);
        }
    }

    /** @return full SVD up to min(m, n) = 64, otherwise randomized with p = 10, q = 3 */
    public static SvdPolicy defaults() {
        return new SvdPolicy(64, 10, 3);
    }

    /** @return a policy that always takes the full thin SVD */
    public static SvdPolicy alwaysFull() {
        return new SvdPolicy(Integer.MAX_VALUE, 10, 3);
    }

    /** @return a policy that takes the partial SVD whenever the prediction allows */
    public static SvdPolicy preferPartial() {
        return new SvdPolicy(0, 10, 3);
    }
}
