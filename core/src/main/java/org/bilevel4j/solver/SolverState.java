package org.bilevel4j.solver;

import java.util.List;

/**
 * The mutable state of one run of an {@link IterativeSolver}. The shared {@link Driver} asks it for
 * trace values, checks it for finiteness, and rolls it back to the last finite iterate.
 *
 * @param <T> the iterate type handed out as the solution
 */
public interface SolverState<T> {

    /** @return the names of the solver's trace columns (without iteration and seconds) */
    List<String> traceColumns();

    /** Fills {@code out} (length = traceColumns().size()) with the current values. Modified: out. */
    void traceValues(double[] out);

    /** @return the objective values watched by the relative-change test (for example Psi1 and Psi2) */
    double[] objectives();

    /** @return whether the current iterate and the objectives are finite */
    boolean isFinite();

    /** Remembers the current iterate as the last good one. */
    void commit();

    /** Restores the iterate saved by the last {@link #commit()}. */
    void rollback();

    /** @return the current iterate (a copy or an immutable view) */
    T solution();

    /**
     * A solver's own convergence test (a stationarity measure, say), checked after every step in
     * addition to the relative-change test of {@link SolverOptions}. Default: none.
     */
    default boolean converged() {
        return false;
    }

    /**
     * A solver's remark on the whole run for the result's message (for example that a linesearch took
     * its fallback in some iterations), or null. Default: none.
     */
    default String note() {
        return null;
    }
}
