package org.bilevel4j.solver.simple;

/**
 * The barrier {@code phi(x)} of dynamic barrier gradient descent: DBGD's direction must decrease the
 * lower level at least at the rate {@code <grad g(x), d> >= phi(x)}.
 *
 * <ul>
 *   <li>{@link GradientNorm}: {@code phi = beta ||grad g||^2}, the choice analysed by Cao, Jiang,
 *       Hamedani and Mokhtari (arXiv 2507.23155).</li>
 *   <li>{@link Original}: {@code phi = min(alpha (g(x) - g_hat), beta ||grad g||^2)}, the barrier of
 *       Gong, Liu and Liu (NeurIPS 2021), with {@code g_hat} an estimate of {@code min g} from below.</li>
 * </ul>
 */
public sealed interface Barrier permits Barrier.GradientNorm, Barrier.Original {

    /**
     * @param g the lower-level value {@code g(x)}
     * @param gradGNormSq {@code ||grad g(x)||^2}
     * @return {@code phi(x)}
     */
    double value(double g, double gradGNormSq);

    /** @return a short label for tables, such as {@code beta=1} */
    String label();

    /**
     * @param beta the weight beta, positive
     * @return {@code phi = beta ||grad g||^2}
     */
    static Barrier gradientNorm(double beta) {
        return new GradientNorm(beta);
    }

    /**
     * {@code phi = beta ||grad g||^2}.
     *
     * @param beta the barrier weight, positive and finite
     */
    record GradientNorm(double beta) implements Barrier {

        /**
         * Rejects a non-positive or non-finite weight.
         *
         * @param beta the barrier weight, positive and finite
         */
        public GradientNorm {
            requirePositive("beta", beta);
        }

        @Override
        public double value(double g, double gradGNormSq) {
            return beta * gradGNormSq;
        }

        @Override
        public String label() {
            return "beta=" + beta;
        }
    }

    /**
     * {@code phi = min(alpha (g - gHat), beta ||grad g||^2)}.
     *
     * @param alpha weight of the value gap, positive and finite
     * @param beta weight of the squared gradient norm, positive and finite
     * @param gHat a lower estimate of {@code min g}, finite (0 for a nonnegative loss that can vanish)
     */
    record Original(double alpha, double beta, double gHat) implements Barrier {

        /**
         * Validates the three parameters.
         *
         * @param alpha weight of the value gap, positive and finite
         * @param beta weight of the squared gradient norm, positive and finite
         * @param gHat a lower estimate of {@code min g}, finite (0 for a nonnegative loss that can vanish)
         */
        public Original {
            requirePositive("alpha", alpha);
            requirePositive("beta", beta);
            if (!Double.isFinite(gHat)) {
                throw new IllegalArgumentException("gHat must be finite, got " + gHat);
            }
        }

        @Override
        public double value(double g, double gradGNormSq) {
            return Math.min(alpha * (g - gHat), beta * gradGNormSq);
        }

        @Override
        public String label() {
            return "alpha=" + alpha + ",beta=" + beta + ",g_hat=" + gHat;
        }
    }

    private static void requirePositive(String name, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(name + " must be positive and finite, got " + v);
        }
    }
}
