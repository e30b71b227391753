package org.bilevel4j.solver;

/**
 * Observes a run: progress bars, logging and cancellation. Library code never prints; listeners do.
 */
public interface IterationListener {

    /**
     * Called once before the first iteration.
     *
     * @param solver the method
     * @param options the stopping rules and limits
     */
    default void onStart(String solver, SolverOptions options) {
    }

    /**
     * Called after every iteration with a snapshot.
     *
     * @param info the iteration number, its time and trace values
     */
    void onIteration(IterationInfo info);

    /**
     * Polled after every iteration; returning {@code true} stops the run with
     * {@link StopReason#CANCELLED}, keeping the current iterate.
     *
     * @return whether the run should stop
     */
    default boolean isCancelled() {
        return false;
    }

    /**
     * Called once after the last iteration.
     *
     * @param reason why the run stopped
     * @param iterations the number of completed iterations
     * @param seconds the wall-clock seconds of the run
     */
    default void onFinish(StopReason reason, int iterations, double seconds) {
    }

    /** @return a listener that does nothing */
    static IterationListener none() {
        return info -> {
        };
    }

    /**
     * @param k forward every k-th iteration, positive
     * @param inner the listener to forward to
     * @return a listener that forwards every k-th iteration (and start, finish, cancellation)
     */
    static IterationListener every(int k, IterationListener inner) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        return new IterationListener() {
            @Override
            public void onStart(String solver, SolverOptions options) {
                inner.onStart(solver, options);
            }

            @Override
            public void onIteration(IterationInfo info) {
                if (info.iteration() % k == 0) {
                    inner.onIteration(info);
                }
            }

            @Override
            public boolean isCancelled() {
                return inner.isCancelled();
            }

            @Override
            public void onFinish(StopReason reason, int iterations, double seconds) {
                inner.onFinish(reason, iterations, seconds);
            }
        };
    }

    /**
     * @param other the listener called second
     * @return a listener that calls this one, then {@code other}
     */
    default IterationListener andThen(IterationListener other) {
        IterationListener self = this;
        return new IterationListener() {
            @Override
            public void onStart(String solver, SolverOptions options) {
                self.onStart(solver, options);
                other.onStart(solver, options);
            }

            @Override
            public void onIteration(IterationInfo info) {
                self.onIteration(info);
                other.onIteration(info);
            }

            @Override
            public boolean isCancelled() {
                return self.isCancelled() || other.isCancelled();
            }

            @Override
            public void onFinish(StopReason reason, int iterations, double seconds) {
                self.onFinish(reason, iterations, seconds);
                other.onFinish(reason, iterations, seconds);
            }
        };
    }
}
