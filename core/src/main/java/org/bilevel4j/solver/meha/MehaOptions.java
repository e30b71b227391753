package org.bilevel4j.solver.meha;

import java.util.Objects;

/**
 * The configuration of {@link Meha}: step sizes, the Moreau-envelope parameter, the penalty
 * schedule {@code c_k = c0 (k + 1)^p}, and the three named variants of the iteration.
 *
 * @param gamma the Moreau-envelope parameter {@code gamma > 0} (the method page quotes
 *     {@code 1/gamma}; see {@link Builder#inverseGamma})
 * @param eta the step of the proximal-gradient step on theta, positive
 * @param alpha the step on x, positive
 * @param beta the step on y, positive
 * @param c0 the penalty scale, positive
 * @param p the penalty growth exponent, {@code 0 <= p < 1/2} (the paper asks {@code 0 < p < 1/2};
 *     {@code p = 0} keeps c fixed, for experiments)
 * @param upperWeight how {@code c_k} weighs F
 * @param order which of x and y is updated first after theta
 * @param thetaStart where theta starts
 */
public record MehaOptions(double gamma, double eta, double alpha, double beta, double c0, double p,
        UpperWeight upperWeight, UpdateOrder order, ThetaStart thetaStart) {

    /** How the penalty parameter weighs the upper level F. */
    public enum UpperWeight {
        /** {@code (1/c_k) F + phi - v_gamma}: the paper's form (default). */
        INVERSE,
        /** {@code c_k F + phi - v_gamma}: as the authors' toy scripts run. */
        DIRECT
    }

    /** The order of the x and y updates after the theta step. */
    public enum UpdateOrder {
        /** theta, then x at (x, y, theta+), then y at (x+, y, theta+): the paper (default). */
        X_FIRST,
        /** theta, then y at (x, y, theta+), then x at (x, y+, theta+): as a later library runs. */
        Y_FIRST
    }

    /** The start of the auxiliary variable theta. */
    public enum ThetaStart {
        /** {@code theta_0 = y_0} (default). */
        FROM_Y,
        /** {@code theta_0 = 0}. */
        ZERO
    }

    /**
     * Validates every field.
     *
     * @param gamma the Moreau-envelope parameter {@code gamma > 0} (the method page quotes {@code 1/gamma};
     *     see {@link Builder#inverseGamma})
     * @param eta the step of the proximal-gradient step on theta, positive
     * @param alpha the step on x, positive
     * @param beta the step on y, positive
     * @param c0 the penalty scale, positive
     * @param p the penalty growth exponent, {@code 0 <= p < 1/2} (the paper asks {@code 0 < p < 1/2}; {@code
     *     p = 0} keeps c fixed, for experiments)
     * @param upperWeight how {@code c_k} weighs F
     * @param order which of x and y is updated first after theta
     * @param thetaStart where theta starts
     */
    public MehaOptions {
        positive("gamma", gamma);
        positive("eta", eta);
        positive("alpha", alpha);
        positive("beta", beta);
        positive("c0", c0);
        if (!(p >= 0 && p < 0.5)) {
            throw new IllegalArgumentException("p must satisfy 0 <= p < 1/2, got " + p);
        }
        Objects.requireNonNull(upperWeight, "upperWeight");
        Objects.requireNonNull(order, "order");
        Objects.requireNonNull(thetaStart, "thetaStart");
    }

    private static void positive(String name, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(name + " must be finite and positive, got " + v);
        }
    }

    /**
     * The paper form (INVERSE, X_FIRST, theta from y) with the working settings of the merely convex
     * toy of the method page: {@code 1/gamma = 0.2, eta = 0.75, c0 = 0.6, p = 0.49, alpha = 0.3,
     * beta = 0.5}. Step sizes are problem dependent: set yours with {@link #toBuilder()}.
     *
     * @return the options
     */
    public static MehaOptions paper() {
        return new MehaOptions(5.0, 0.75, 0.3, 0.5, 0.6, 0.49, UpperWeight.INVERSE, UpdateOrder.X_FIRST,
                ThetaStart.FROM_Y);
    }

    /** @return a builder starting from {@link #paper()} */
    public static Builder builder() {
        return paper().toBuilder();
    }

    /** @return a builder starting from these options */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * @param k the iteration, 0-based
     * @return the penalty parameter {@code c_k = c0 (k + 1)^p} of iteration k (k = 0 first)
     */
    public double penalty(int k) {
        return c0 * Math.pow(k + 1.0, p);
    }

    /**
     * @param k the iteration, 0-based
     * @return the weight of F in iteration k: {@code 1/c_k} (INVERSE) or {@code c_k} (DIRECT)
     */
    public double upperWeightAt(int k) {
        double c = penalty(k);
        return upperWeight == UpperWeight.INVERSE ? 1.0 / c : c;
    }

    /**
     * The stability factor of the gap {@code y - theta} in a y-direction where f has no curvature:
     * each iteration multiplies it by {@code (1 + beta/gamma)(1 - eta/gamma)}, so the paper form is
     * stable there only when this is below 1, which needs {@code eta} above about {@code beta}.
     *
     * @return {@code (1 + beta/gamma)(1 - eta/gamma)}
     */
    public double flatDirectionGapFactor() {
        return (1 + beta / gamma) * (1 - eta / gamma);
    }

    /**
     * @return a one-line warning when theta cannot track y in flat lower-level directions
     *     ({@link #flatDirectionGapFactor()} above 1), or null
     */
    public String stabilityWarning() {
        double f = flatDirectionGapFactor();
        if (Math.abs(f) < 1) {
            return null;
        }
        return String.format(java.util.Locale.ROOT, "eta = %s does not exceed beta = %s enough: in lower-level"
                + " directions without curvature the gap y - theta grows by (1 + beta/gamma)(1 - eta/gamma) = %.5f"
                + " per iteration", eta, beta, f);
    }

    /** Builder; {@link #build()} validates. */
    public static final class Builder {
        private double gamma;
        private double eta;
        private double alpha;
        private double beta;
        private double c0;
        private double p;
        private UpperWeight upperWeight;
        private UpdateOrder order;
        private ThetaStart thetaStart;

        private Builder(MehaOptions o) {
            gamma = o.gamma;
            eta = o.eta;
            alpha = o.alpha;
            beta = o.beta;
            c0 = o.c0;
            p = o.p;
            upperWeight = o.upperWeight;
            order = o.order;
            thetaStart = o.thetaStart;
        }

        /**
         * Sets the Moreau-envelope parameter gamma, positive.
         *
         * @param v the value
         * @return this builder
         */
        public Builder gamma(double v) {
            gamma = v;
            return this;
        }

        /**
         * Sets {@code gamma = 1 / v}.
         *
         * @param v the inverse {@code 1 / gamma}, positive
         * @return this builder
         */
        public Builder inverseGamma(double v) {
            gamma = 1.0 / v;
            return this;
        }

        /**
         * Sets the step eta of the theta update, positive.
         *
         * @param v the value
         * @return this builder
         */
        public Builder eta(double v) {
            eta = v;
            return this;
        }

        /**
         * Sets the step alpha of the x update, positive.
         *
         * @param v the value
         * @return this builder
         */
        public Builder alpha(double v) {
            alpha = v;
            return this;
        }

        /**
         * Sets the step beta of the y update, positive.
         *
         * @param v the value
         * @return this builder
         */
        public Builder beta(double v) {
            beta = v;
            return this;
        }

        /**
         * Sets the first penalty parameter c0, positive.
         *
         * @param v the value
         * @return this builder
         */
        public Builder c0(double v) {
            c0 = v;
            return this;
        }

        /**
         * Sets the penalty growth exponent p, {@code 0 <= p < 1/2}.
         *
         * @param v the value
         * @return this builder
         */
        public Builder p(double v) {
            p = v;
            return this;
        }

        /**
         * Sets how the penalty parameter weighs F.
         *
         * @param v the value
         * @return this builder
         */
        public Builder upperWeight(UpperWeight v) {
            upperWeight = v;
            return this;
        }

        /**
         * Sets which of x and y is updated first after theta.
         *
         * @param v the value
         * @return this builder
         */
        public Builder order(UpdateOrder v) {
            order = v;
            return this;
        }

        /**
         * Sets where theta starts.
         *
         * @param v the value
         * @return this builder
         */
        public Builder thetaStart(ThetaStart v) {
            thetaStart = v;
            return this;
        }

        /**
         * Builds the options, validated as the record's constructor does.
         *
         * @return the MehaOptions
         * @throws IllegalArgumentException naming the first invalid setting
         */
        public MehaOptions build() {
            return new MehaOptions(gamma, eta, alpha, beta, c0, p, upperWeight, order, thetaStart);
        }
    }
}
