package org.bilevel4j.solver;

import java.util.List;

/**
 * The loop every solver shares: iteration and time limits, the relative-change test, the solver's
 * own convergence test, divergence detection, listeners, cancellation, and the {@link Trace}.
 *
 * <p>Divergence: the run stops with {@link StopReason#DIVERGED} and rolls back to the last good
 * iterate when, after a step, a value of the state is not finite, or one of the watched objective
 * values {@code v_i} ({@link SolverState#objectives()}) leaves its bound
 * <pre>
 *   |v_i| &gt; min(1e100, 1e50 max(1, |v_i at the start|))        ({@link #GROWTH_FACTOR}, {@link #ABSOLUTE_BOUND})
 * </pre>
 * so that a run that blows up slowly (a gradient of the wrong sign, a step far too long) is reported
 * as diverged rather than running to its iteration limit with astronomically large values. The
 * message names the value and the bound.
 *
 * <p>Warnings of the state ({@link SolverState#warnings()}, such as a step outside the stable
 * range) are appended to the result's message.
 *
 * <p>Thread-safety: stateless; one run uses only its own state, so different runs may go on in
 * parallel threads when their problems allow it.
 */
public final class Driver {

    /** A watched objective value may grow by at most this factor over {@code max(1, |start value|)}. */
    public static final double GROWTH_FACTOR = 1e50;

    /** A watched objective value beyond this modulus always counts as divergence. */
    public static final double ABSOLUTE_BOUND = 1e100;

    private Driver() {
    }

    /**
     * Initializes the solver at {@code start} and runs it.
     *
     * @param solver the method
     * @param problem the problem
     * @param start the start point, not modified
     * @param options the stopping rules
     * @param listener receives every iteration
     * @param <P> the problem type
     * @param <T> the iterate type
     * @param <S> the state type
     * @return the result
     */
    public static <P, T, S extends SolverState<T>> Result<T> run(IterativeSolver<P, T, S> solver, P problem,
            T start, SolverOptions options, IterationListener listener) {
        S state = solver.init(problem, start, options);
        return run(solver, problem, state, options, listener);
    }

    /**
     * Runs the solver from an initialized state.
     *
     * @param solver the method
     * @param problem the problem
     * @param state the initialized state, updated in place
     * @param options the stopping rules
     * @param listener receives every iteration
     * @param <P> the problem type
     * @param <T> the iterate type
     * @param <S> the state type
     * @return the result
     */
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
        double[] startValues = prev.clone();
        double[] bound = new double[prev.length];
        for (int i = 0; i < prev.length; i++) {
            bound[i] = Math.min(ABSOLUTE_BOUND, GROWTH_FACTOR * Math.max(1.0, Math.abs(prev[i])));
        }
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
            int out = outOfBound(obj, bound);
            if (out >= 0) {
                state.traceValues(vals);
                fill(row, k, seconds, vals);
                trace.add(row);
                List<String> names = state.objectiveNames();
                String name = out < names.size() ? names.get(out) : "objective[" + out + "]";
                double value = obj[out];
                state.rollback();
                reason = StopReason.DIVERGED;
                message = name + " = " + value + " at iteration " + k + " is beyond the divergence bound "
                        + bound[out] + " (min(1e100, 1e50 max(1, |start value|)), start value " + startValues[out]
                        + "); kept the iterate of iteration " + done;
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
        for (String w : state.warnings()) {
            message = message + "; warning: " + w;
        }
        listener.onFinish(reason, done, seconds);
        return new Result<>(state.solution(), trace, reason, done, seconds, solver.name(), message);
    }

    private static int outOfBound(double[] v, double[] bound) {
        for (int i = 0; i < v.length && i < bound.length; i++) {
            if (Math.abs(v[i]) > bound[i]) {
                return i;
            }
        }
        return -1;
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
