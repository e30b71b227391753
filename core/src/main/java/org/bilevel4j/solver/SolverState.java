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

    /**
     * Fills {@code out} (length = traceColumns().size()) with the current values. Modified: out.
     *
     * @param out modified: receives the result
     */
    void traceValues(double[] out);

    /** @return the objective values watched by the relative-change test (for example Psi1 and Psi2) */
    double[] objectives();

    /**
     * Names of the values of {@link #objectives()}, for messages (the run's divergence message names
     * the value that left its bound). Default: {@code objective[0]}, {@code objective[1]}, ...
     *
     * @return one name per objective value
     */
    default List<String> objectiveNames() {
        int n = objectives().length;
        String[] names = new String[n];
        for (int i = 0; i < n; i++) {
            names[i] = "objective[" + i + "]";
        }
        return List.of(names);
    }

    /**
     * Warnings on the run, such as a step outside the range where the method is known to be stable
     * (found when the state was built) or a linesearch that took its fallback in some iterations (found
     * while it ran); the shared {@link Driver} appends them to the {@link Result}'s message when the run
     * ends. Default: none.
     *
     * @return the warnings, one sentence each
     */
    default List<String> warnings() {
        return List.of();
    }

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
     *
     * @return whether the solver's own test holds at the current iterate
     */
    default boolean converged() {
        return false;
    }

}
