package org.bilevel4j.solver;

import java.time.Duration;

/**
 * Options shared by every solver: budgets, the relative-change test and the seed.
 *
 * @param maxIterations iteration limit, at least 1 (default 1000)
 * @param relativeTolerance when positive, stop with {@link StopReason#CONVERGED} once every tracked
 *     objective changes by at most this much relative to {@code max(1, |previous|)} in one iteration;
 *     0 switches the relative-change test off, so only the iteration and time limits and the solver's
 *     own convergence test stop the run (default 0)
 * @param minIterations iterations to run before the relative-change test may fire (default 1)
 * @param timeLimit wall-clock limit (default: none, {@link Duration#ZERO} is not allowed; use
 *     {@link #NO_TIME_LIMIT})
 * @param seed seed of every random choice a solver or start makes (default 0)
 * @param traceEvery record a trace row every this many iterations; the first and the last
 *     iteration are always recorded (default 1)
 */
public record SolverOptions(int maxIterations, double relativeTolerance, int minIterations, Duration timeLimit,
        long seed, int traceEvery) {

    /** An effectively unbounded time limit. */
    public static final Duration NO_TIME_LIMIT = Duration.ofDays(365_000);

    /**
     * Validates every field.
     *
     * @param maxIterations iteration limit, at least 1 (default 1000)
     * @param relativeTolerance when positive, stop with {@link StopReason#CONVERGED} once every tracked
     *     objective changes by at most this much relative to {@code max(1, |previous|)} in one iteration; 0
     *     switches the relative-change test off, so only the iteration and time limits and the solver's own
     *     convergence test stop the run (default 0)
     * @param minIterations iterations to run before the relative-change test may fire (default 1)
     * @param timeLimit wall-clock limit (default: none, {@link Duration#ZERO} is not allowed; use {@link
     *     #NO_TIME_LIMIT})
     * @param seed seed of every random choice a solver or start makes (default 0)
     * @param traceEvery record a trace row every this many iterations; the first and the last iteration are
     *     always recorded (default 1)
     */
    public SolverOptions {
        if (maxIterations < 1) {
            throw new IllegalArgumentException("maxIterations must be at least 1, got " + maxIterations);
        }
        if (!(relativeTolerance >= 0) || Double.isInfinite(relativeTolerance)) {
            throw new IllegalArgumentException("relativeTolerance must be finite and nonnegative, got "
                    + relativeTolerance);
        }
        if (minIterations < 1) {
            throw new IllegalArgumentException("minIterations must be at least 1, got " + minIterations);
        }
        if (timeLimit == null || timeLimit.isNegative() || timeLimit.isZero()) {
            throw new IllegalArgumentException("timeLimit must be positive, got " + timeLimit);
        }
        if (traceEvery < 1) {
            throw new IllegalArgumentException("traceEvery must be at least 1, got " + traceEvery);
        }
    }

    /** @return the defaults: 1000 iterations, tolerance 0, no time limit, seed 0, every row traced */
    public static SolverOptions defaults() {
        return builder().build();
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder starting from these options */
    public Builder toBuilder() {
        return new Builder().maxIterations(maxIterations).relativeTolerance(relativeTolerance)
                .minIterations(minIterations).timeLimit(timeLimit).seed(seed).traceEvery(traceEvery);
    }

    /**
     * @param n the iteration limit, positive
     * @return these options with another iteration limit
     */
    public SolverOptions withMaxIterations(int n) {
        return toBuilder().maxIterations(n).build();
    }

    /**
     * @param s the seed
     * @return these options with another seed
     */
    public SolverOptions withSeed(long s) {
        return toBuilder().seed(s).build();
    }

    /** Builder; {@link #build()} validates. */
    public static final class Builder {
        private int maxIterations = 1000;
        private double relativeTolerance = 0.0;
        private int minIterations = 1;
        private Duration timeLimit = NO_TIME_LIMIT;
        private long seed = 0L;
        private int traceEvery = 1;

        private Builder() {
        }

        /**
         * Sets the iteration limit, positive (default 1000).
         *
         * @param v the value
         * @return this builder
         */
        public Builder maxIterations(int v) {
            maxIterations = v;
            return this;
        }

        /**
         * Sets the relative-change tolerance, nonnegative; 0 turns the test off (default 0).
         *
         * @param v the value
         * @return this builder
         */
        public Builder relativeTolerance(double v) {
            relativeTolerance = v;
            return this;
        }

        /**
         * Sets the iterations before the relative-change test may stop the run, positive (default 1).
         *
         * @param v the value
         * @return this builder
         */
        public Builder minIterations(int v) {
            minIterations = v;
            return this;
        }

        /**
         * Sets the wall-clock limit (default: none).
         *
         * @param v the value
         * @return this builder
         */
        public Builder timeLimit(Duration v) {
            timeLimit = v;
            return this;
        }

        /**
         * Sets the seed of the run's random numbers (default 0).
         *
         * @param v the value
         * @return this builder
         */
        public Builder seed(long v) {
            seed = v;
            return this;
        }

        /**
         * Sets how often the trace records a row: every k-th iteration, positive (default 1).
         *
         * @param v the value
         * @return this builder
         */
        public Builder traceEvery(int v) {
            traceEvery = v;
            return this;
        }

        /**
         * Builds the options, validated as the record's constructor does.
         *
         * @return the SolverOptions
         * @throws IllegalArgumentException naming the first invalid setting
         */
        public SolverOptions build() {
            return new SolverOptions(maxIterations, relativeTolerance, minIterations, timeLimit, seed, traceEvery);
        }
    }
}
