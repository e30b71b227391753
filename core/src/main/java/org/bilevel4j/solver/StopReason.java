package org.bilevel4j.solver;

/** Why a run stopped. Hitting a budget is a reason, not an exception. */
public enum StopReason {
    /** The method's convergence test held (relative change or its own stationarity test). */
    CONVERGED,
    /** The iteration limit was reached. */
    MAX_ITERATIONS,
    /** The time limit was reached. */
    TIME_LIMIT,
    /** A non-finite value appeared; the result keeps the last finite iterate. */
    DIVERGED,
    /** A listener asked to stop. */
    CANCELLED
}
