package org.bilevel4j.solver;

/**
 * The outcome of a run.
 *
 * @param solution the final iterate (the last finite one when the run {@link StopReason#DIVERGED})
 * @param trace the per-iteration metrics
 * @param stopReason why the run stopped
 * @param iterations the number of completed iterations whose iterate is {@code solution}
 * @param seconds wall-clock seconds of the run
 * @param solver the solver's name
 * @param message a one-line human-readable account of the stop
 * @param <T> the iterate type
 */
public record Result<T>(T solution, Trace trace, StopReason stopReason, int iterations, double seconds,
        String solver, String message) {

    /** @return whether the run ended without a non-finite value or a cancellation */
    public boolean ok() {
        return stopReason != StopReason.DIVERGED && stopReason != StopReason.CANCELLED;
    }
}
