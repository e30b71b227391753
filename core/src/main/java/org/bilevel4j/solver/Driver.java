package org.bilevel4j.solver;

import java.util.List;

/**
 * The loop every solver shares: iteration and time limits, the relative-change test, the solver's
 * own convergence test, divergence detection (a non-finite value stops the run with
 * {@link StopReason#DIVERGED} and rolls back to the last finite iterate), listeners, cancellation,
 * and the {@link Trace}.
 */
public final class Driver {

    private Driver() {
    }

    /** Initializes the solver at {@code start} and runs it. */
    public static <P, T, S extends SolverState<T>> Result<T> run(IterativeSolver<P, T, S> solver, P problem,
            T start, SolverOptions options, IterationListener listener) {
        S state = solver.init(problem, start, options);
        return run(solver, problem, state, options, listener);
    }

    /** Runs the solver from an initialized state. */
    public static <P, T, S extends SolverState<T>> Result<T> run(IterativeSolver<P, T, S> solver, P problem,
            S state, SolverOptions options, IterationListener listener) {
        List<String> cols = state.traceColumns();
        Trace trace = new Trace(cols);
        double[] vals = new double[cols.size()];
        double[] row = new double[cols.size() + 2];
        long t0 = System.nanoTime();
        long limitNanos = saturatedNanos(options);
        listener.onStart(solver.name(), options);
        if (!state.isFinite()) {
            throw new IllegalArgumentException(solver.name() + ": the start point has non-finite values");
        }
        state.commit();
        double[] prev = state.objectives().clone();
        StopReason reason = StopReason.MAX_ITERATIONS;
        String message = null;
        int done = 0;
        int lastRecorded = -1;
        for (int k = 1; k <= options.maxIterations(); k++) {
            solver.step(problem, state);
            double seconds = (System.nanoTime() - t0) * 1e-9;
            double[] obj = state.objectives();
            if (!state.isFinite() || !allFinite(obj)) {
                state.traceValues(vals);
                if (lastRecorded != k) {
                    fill(row, k, seconds, vals);
                    trace.add(row);
                }
                state.rollback();
                reason = StopReason.DIVERGED;
                message = "non-finite value at iteration " + k + "; kept the iterate of iteration " + done;
                break;
            }
            state.commit();
            done = k;
            state.traceValues(vals);
            fill(row, k, seconds, vals);
            boolean converged = state.converged()
                    || (options.relativeTolerance() > 0 && k >= options.minIterations()
                            && relativeChange(prev, obj) <= options.relativeTolerance());
            boolean timeUp = System.nanoTime() - t0 >= limitNanos;
            boolean cancelled;
            IterationInfo info = new IterationInfo(k, seconds, cols, vals);
            listener.onIteration(info);
            cancelled = listener.isCancelled();
            boolean last = converged || timeUp || cancelled || k == options.maxIterations();
            if (k == 1 || last || k % options.traceEvery() == 0) {
                trace.add(row);
                lastRecorded = k;
            }
            System.arraycopy(obj, 0, prev, 0, obj.length);
            if (converged) {
                reason = StopReason.CONVERGED;
                break;
            }
            if (cancelled) {
                reason = StopReason.CANCELLED;
                break;
            }
            if (timeUp) {
                reason = StopReason.TIME_LIMIT;
                break;
            }
        }
        double seconds = (System.nanoTime() - t0) * 1e-9;
        if (message == null) {
            message = switch (reason) {
                case CONVERGED -> "converged after " + done + " iterations";
                case MAX_ITERATIONS -> "reached the iteration limit of " + options.maxIterations();
                case TIME_LIMIT -> "reached the time limit after " + done + " iterations";
                case CANCELLED -> "cancelled after " + done + " iterations";
                case DIVERGED -> "diverged";
            };
        }
        String note = state.note();
        if (note != null) {
            message = message + "; " + note;
        }
        listener.onFinish(reason, done, seconds);
        return new Result<>(state.solution(), trace, reason, done, seconds, solver.name(), message);
    }

    private static long saturatedNanos(SolverOptions options) {
        try {
            return options.timeLimit().toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private static void fill(double[] row, int k, double seconds, double[] vals) {
        row[0] = k;
        row[1] = seconds;
        System.arraycopy(vals, 0, row, 2, vals.length);
    }

    private static boolean allFinite(double[] v) {
        for (double x : v) {
            if (!Double.isFinite(x)) {
                return false;
            }
        }
        return true;
    }

    /** @return {@code max_i |cur_i - prev_i| / max(1, |prev_i|)}; infinity for an empty vector */
    static double relativeChange(double[] prev, double[] cur) {
        if (cur.length == 0) {
            return Double.POSITIVE_INFINITY;
        }
        double m = 0;
        for (int i = 0; i < cur.length; i++) {
            m = Math.max(m, Math.abs(cur[i] - prev[i]) / Math.max(1.0, Math.abs(prev[i])));
        }
        return m;
    }
}
