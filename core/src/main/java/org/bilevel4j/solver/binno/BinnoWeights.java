package org.bilevel4j.solver.binno;

/**
 * How BINNO combines the two levels' candidates, {@code X+ = alpha Xu + (1 - alpha) Xl} and
 * {@code Y+ = beta Yu + (1 - beta) Yl}.
 */
public sealed interface BinnoWeights permits BinnoWeights.Midpoint, BinnoWeights.Linesearch,
        BinnoWeights.Vanishing {

    /** The authors' code: the midpoints of the weight windows. */
    BinnoWeights MIDPOINT = new Midpoint();

    /**
     * The paper's description: a bisection towards the level that failed to decrease sufficiently
     * (30 backtracks, sigma 1e-4).
     */
    BinnoWeights LINESEARCH = new Linesearch(30);

    /** @return a short name for tables and reports */
    String label();

    /**
     * {@code alpha = (alpha_min + alpha_max) / 2}, {@code beta = (beta_min + beta_max) / 2}, clipped
     * to [0, 1]. Needs the Lipschitz constants of all four terms: undefined when one is an
     * indicator.
     */
    record Midpoint() implements BinnoWeights {
        @Override
        public String label() {
            return "midpoint";
        }
    }

    /**
     * Choose {@code alpha, beta} in [0, 1] (inside the windows when those exist and are not empty) so
     * that both Psi1 and Psi2 decrease sufficiently: {@code Psi_i(trial) <= Psi_i - sigma D} with
     * {@code D = ||X+ - X||^2 / (2 nu_X) + ||Y+ - Y||^2 / (2 nu_Y)} (relative to {@code max(1, |Psi_i|)}).
     * A bisection on the segment from the lower level's end of the admissible intervals to the upper
     * level's end: start at the middle; when the upper level fails, halve the bracket towards the upper
     * end (more of the upper level's candidates), when the lower level fails, towards the lower end
     * (both failing: towards the level with the larger violation). After {@code 1 + maxBacktracks}
     * trials without an accepted pair, take the trial with the smallest worse violation and record that
     * simultaneous descent failed (trace column {@code descent_failed}, result message). Details and the
     * reasons in {@link BinnoRules#linesearch}.
     *
     * @param maxBacktracks trials after the first, at least 0
     * @param sigma the sufficient-decrease constant, in [0, 1) (0: plain simultaneous decrease)
     */
    record Linesearch(int maxBacktracks, double sigma) implements BinnoWeights {
        /** The default sufficient-decrease constant. */
        public static final double DEFAULT_SIGMA = 1e-4;

        /**
         * Validates.
         *
         * @param maxBacktracks trials after the first, at least 0
         * @param sigma the sufficient-decrease constant, in [0, 1)
         * @throws IllegalArgumentException when maxBacktracks is negative or sigma is outside [0, 1)
         */
        public Linesearch {
            if (maxBacktracks < 0) {
                throw new IllegalArgumentException("maxBacktracks must be nonnegative, got " + maxBacktracks);
            }
            if (!(sigma >= 0 && sigma < 1)) {
                throw new IllegalArgumentException("sigma must be in [0, 1), got " + sigma);
            }
        }

        /** @param maxBacktracks trials after the first, with {@link #DEFAULT_SIGMA} */
        public Linesearch(int maxBacktracks) {
            this(maxBacktracks, DEFAULT_SIGMA);
        }

        @Override
        public String label() {
            return "linesearch";
        }
    }

    /**
     * Vanishing upper weights, OUR extension (not the method of the BINNO paper), in the spirit of
     * BiG-SAM [Sabach and Shtern 2017]: at iteration k = 0, 1, ...
     * {@code alpha_k = alpha0 / (k + 1)^power}, {@code beta_k = beta0 / (k + 1)^power}, ignoring the
     * windows. With {@code 0 < power <= 1} the weights tend to 0 with a divergent sum. With this rule
     * {@link Binno} mixes its lower sweep with a gradient step on the upper level's smooth part of
     * step {@code s = 1 / (its own Lipschitz constant)} per block, not with the candidate
     * {@code prox_{nu_X f1}} of step {@code nu_X = 1/L_X} (see {@link Binno}): the total pull along the
     * lower level's solution set, {@code s sum_k alpha_k}, then diverges at the upper level's scale, so
     * the iteration reaches the lower level's solution set and moves along it to the upper level's
     * choice. Fixed weights instead settle on a compromise between the levels.
     *
     * <p>The power trades the two: the mixture stays about {@code alpha_k s ||grad q1||} off the
     * solution set (smaller for larger powers), and the pull along it is
     * {@code s alpha0 (k+1)^(1 - power) / (1 - power)} after k iterations ({@code s alpha0 ln k} for
     * power 1; larger for smaller powers). The market uses power 1: with the per-block steps the pull
     * {@code s ln k} suffices, and the offset {@code s ||grad q1|| / k} decays fastest.
     *
     * @param alpha0 the first X weight, in (0, 1]
     * @param beta0 the first Y weight, in (0, 1]
     * @param power the decay exponent, in (0, 1]
     */
    record Vanishing(double alpha0, double beta0, double power) implements BinnoWeights {
        /**
         * Validates.
         *
         * @param alpha0 the first X weight, in (0, 1]
         * @param beta0 the first Y weight, in (0, 1]
         * @param power the decay exponent, in (0, 1]
         */
        public Vanishing {
            if (!(alpha0 > 0 && alpha0 <= 1) || !(beta0 > 0 && beta0 <= 1)) {
                throw new IllegalArgumentException("alpha0 and beta0 must be in (0, 1], got " + alpha0 + ", " + beta0);
            }
            if (!(power > 0 && power <= 1)) {
                throw new IllegalArgumentException("power must be in (0, 1] (divergent sum), got " + power);
            }
        }

        /**
         * @param k the iteration, 0-based
         * @return the X weight at iteration k (0-based)
         */
        public double alpha(int k) {
            return alpha0 / Math.pow(k + 1, power);
        }

        /**
         * @param k the iteration, 0-based
         * @return the Y weight at iteration k (0-based)
         */
        public double beta(int k) {
            return beta0 / Math.pow(k + 1, power);
        }

        @Override
        public String label() {
            return "vanishing";
        }
    }
}
