package org.bilevel4j.apps.market;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.bilevel4j.problem.BlockIterate;
import org.bilevel4j.solver.Result;
import org.bilevel4j.solver.SolverOptions;
import org.bilevel4j.solver.Trace;

/** Runs the market methods side by side on one model and measures each against the reference. */
public final class MarketExperiment {

    private MarketExperiment() {
    }

    /**
     * One method's outcome.
     *
     * @param method the method
     * @param seconds wall time of the solve
     * @param iterations iterations done
     * @param stop the stop reason and message, or why the method does not apply
     * @param metrics the metrics, null when the method does not apply
     * @param solution the final point, null when the method does not apply
     * @param trace the trace, null when the method does not apply
     */
    public record Row(MarketMethod method, double seconds, int iterations, String stop, MarketMetrics metrics,
            BlockIterate solution, Trace trace) {
    }

    /**
     * @param model the model
     * @param reference its exact solution
     * @param methods the methods, in table order
     * @param maxIterations the iteration budget per method
     * @param timeLimit the time limit per method
     * @param seed the seed of the uniform start in [0, 1)
     * @return one row per method
     */
    public static List<Row> run(MarketModel model, MarketReference.Solution reference, List<MarketMethod> methods,
            int maxIterations, Duration timeLimit, long seed) {
        return run(model, reference, methods, maxIterations, timeLimit, seed, MarketMethod.DEFAULT_TIKHONOV_STAGE);
    }

    /**
     * As {@link #run(MarketModel, MarketReference.Solution, List, int, Duration, long)}, with a Tikhonov stage length.
     *
     * @param model the market model
     * @param reference the exact reference solution
     * @param methods the methods to run
     * @param maxIterations the iteration limit
     * @param timeLimit the time limit of one run
     * @param seed the seed of the random generator
     * @param tikhonovStage the Tikhonov stage settings
     * @return one row per method
     */
    public static List<Row> run(MarketModel model, MarketReference.Solution reference, List<MarketMethod> methods,
            int maxIterations, Duration timeLimit, long seed, int tikhonovStage) {
        List<Row> rows = new ArrayList<>();
        SolverOptions options = SolverOptions.builder().maxIterations(maxIterations).timeLimit(timeLimit).seed(seed)
                .traceEvery(Math.max(1, maxIterations / 2000)).build();
        for (MarketMethod m : methods) {
            BlockIterate start = model.problem().uniformStart(seed);
            Result<BlockIterate> r;
            try {
                r = m.solver(tikhonovStage).solve(model.problem(), start, options);
            } catch (IllegalArgumentException e) {
                rows.add(new Row(m, 0, 0, "not applicable: " + e.getMessage(), null, null, null));
                continue;
            }
            BlockIterate s = r.solution();
            rows.add(new Row(m, r.seconds(), r.iterations(), r.stopReason() + " (" + r.message() + ")",
                    MarketMetrics.of(model, reference, s.x(), s.y()), s, r.trace()));
        }
        return rows;
    }
}
