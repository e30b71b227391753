package org.bilevel4j.solver.simple;

/**
 * The step-size rule of a simple bilevel solver: the k-th update ({@code k = 1, 2, ...}) is
 * {@code x_k = x_{k-1} - eta_k d_{k-1}}.
 *
 * <ul>
 *   <li>{@link Constant}: {@code eta_k = eta}. DBGD's analysis asks {@code eta <= 1 / max(L_f, L_g)}.</li>
 *   <li>{@link Decaying}: {@code eta_k = eta0 / k^(1/3)}, the diminishing rule of the DBGD analysis.</li>
 * </ul>
 */
public sealed interface StepSize permits StepSize.Constant, StepSize.Decaying {

    /**
     * @param k the number of the update, at least 1
     * @return {@code eta_k}
     */
    double at(int k);

    /** @return a short label for tables, such as {@code eta=0.02} */
    String label();

    /**
     * @param eta the step, positive and finite
     * @return the constant rule {@code eta_k = eta}
     */
    static StepSize constant(double eta) {
        return new Constant(eta);
    }

    /**
     * @param eta0 the first step, positive and finite
     * @return the rule {@code eta_k = eta0 / k^(1/3)}
     */
    static StepSize decaying(double eta0) {
        return new Decaying(eta0);
    }

    /**
     * A constant step.
     *
     * @param eta the step, positive and finite
     */
    record Constant(double eta) implements StepSize {

        /**
         * Rejects a non-positive or non-finite step.
         *
         * @param eta the step, positive and finite
         */
        public Constant {
            requirePositive("eta", eta);
        }

        @Override
        public double at(int k) {
            return eta;
        }

        @Override
        public String label() {
            return "eta=" + eta;
        }
    }

    /**
     * The step {@code eta0 / k^(1/3)}.
     *
     * @param eta0 the first step, positive and finite
     */
    record Decaying(double eta0) implements StepSize {

        /**
         * Rejects a non-positive or non-finite step.
         *
         * @param eta0 the first step, positive and finite
         */
        public Decaying {
            requirePositive("eta0", eta0);
        }

        @Override
        public double at(int k) {
            if (k < 1) {
                throw new IllegalArgumentException("the update number k starts at 1, got " + k);
            }
            return eta0 / Math.cbrt(k);
        }

        @Override
        public String label() {
            return "eta=" + eta0 + "/k^(1/3)";
        }
    }

    private static void requirePositive(String name, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(name + " must be positive and finite, got " + v);
        }
    }
}
