package org.bilevel4j.solver;

/**
 * A first-order method as an immutable configuration plus an {@code init}/{@code step} protocol;
 * {@link #solve} runs the shared {@link Driver}. Users can also call {@code init} and {@code step}
 * in a loop of their own.
 *
 * @param <P> the problem type
 * @param <T> the iterate type (start and solution)
 * @param <S> the state type
 */
public interface IterativeSolver<P, T, S extends SolverState<T>> {

    /** @return a short name for tables and reports */
    String name();

    /**
     * Builds the state at the start point. Never modifies {@code start}.
     *
     * @throws IllegalArgumentException if start and problem do not fit together
     * @param problem the problem
     * @param start the start point, not modified
     * @param options the stopping rules and limits
     * @return the state at the start point
     */
    S init(P problem, T start, SolverOptions options);

    /**
     * Performs one iteration, updating {@code state} in place.
     *
     * @param problem the problem
     * @param state the state of the run, updated in place
     */
    void step(P problem, S state);

    /**
     * Runs the method until a stop rule fires.
     *
     * @param problem the problem
     * @param start the start point, not modified
     * @param options the stopping rules and limits
     * @param listener receives every iteration
     * @return the result
     */
    default Result<T> solve(P problem, T start, SolverOptions options, IterationListener listener) {
        return Driver.run(this, problem, start, options, listener);
    }

    /**
     * Runs the method without a listener.
     *
     * @param problem the problem
     * @param start the start point, not modified
     * @param options the stopping rules and limits
     * @return the result
     */
    default Result<T> solve(P problem, T start, SolverOptions options) {
        return solve(problem, start, options, IterationListener.none());
    }
}
