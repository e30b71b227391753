package org.bilevel4j.spark.sweep;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * One kind of run that a sweep repeats over settings and seeds: any solver of the library on any
 * problem.
 *
 * <p>A job is a small serializable description (file names, sizes, protocol constants). On the
 * driver, {@link #prepare()} builds the problem data once (reads and checks files, corrupts a clip,
 * ...); the sweep broadcasts it to the executors, and every Spark task calls
 * {@link #run(Serializable, Setting, long)} with the broadcast value, one setting and one seed, and
 * builds there whatever solver objects it needs (they need not be serializable). The problem data
 * is shared by the tasks of one executor and must not be modified.
 *
 * <p>Same setting and seed on the same data give the same metrics (up to the seconds) whether the
 * run happens in a Spark task or in {@link Sweep#runSequentially}: the job must draw every random
 * number from the seed.
 *
 * @param <P> the problem data, broadcast to the executors
 */
public interface SweepJob<P extends Serializable> extends Serializable {

    /** @return the job's name (the table's {@code job}, for example {@code video-binno}) */
    String name();

    /**
     * @return every parameter a setting may give, with the value a setting that leaves it out
     *     gets, in table order
     */
    Map<String, Double> defaults();

    /** @return the names of the metrics every run reports, in table order */
    List<String> metrics();

    /**
     * Checks one setting's values before anything runs (on the driver); the default checks that
     * every name is one of {@link #defaults()}.
     *
     * @throws IllegalArgumentException naming the bad parameter
     */
    default void validate(Setting setting) {
        for (String n : setting.names()) {
            if (!defaults().containsKey(n)) {
                throw new IllegalArgumentException("job " + name() + " has no parameter '" + n + "' (it has "
                        + String.join(", ", defaults().keySet()) + ")");
            }
        }
    }

    /**
     * Builds the problem data on the driver: reads and checks the inputs.
     *
     * @throws IllegalArgumentException (or a subclass) for unusable inputs
     */
    P prepare();

    /**
     * One run.
     *
     * @param problem the problem data from {@link #prepare()} (read only)
     * @param setting the setting, with the defaults filled in
     * @param seed the seed of everything random in the run
     * @return the metrics (every name of {@link #metrics()}; NaN where undefined), iterations and stop reason
     * @throws Exception any failure; the sweep records it in the run's row and goes on
     */
    Outcome run(P problem, Setting setting, long seed) throws Exception;

    /**
     * What one run reports.
     *
     * @param metrics metric name to value
     * @param iterations iterations the solver did
     * @param stopReason why it stopped (a {@link org.bilevel4j.solver.StopReason} name)
     */
    record Outcome(Map<String, Double> metrics, int iterations, String stopReason) implements Serializable {
        private static final long serialVersionUID = 1L;

        /** Copies the metrics. */
        public Outcome {
            metrics = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics));
        }
    }
}
