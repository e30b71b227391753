package org.bilevel4j.spark.sweep;

import java.io.Serial;
import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One run of a sweep: its setting (defaults filled in), seed and outcome.
 *
 * @param index the run's position in the sweep (settings in order, seeds innermost)
 * @param setting the setting, with the job's defaults filled in
 * @param seed the seed
 * @param metrics the job's metrics; empty when the run failed
 * @param iterations iterations done, -1 when the run failed
 * @param seconds wall-clock seconds of the run (in its task)
 * @param stopReason why the solver stopped, or {@code ERROR}
 * @param error the failure ({@code ExceptionClass: message}), or null when the run succeeded
 * @param worker where it ran ({@code host/thread})
 */
public record SweepRow(int index, Setting setting, long seed, Map<String, Double> metrics, int iterations,
        double seconds, String stopReason, String error, String worker) implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    /** The stop reason of a failed run. */
    public static final String ERROR = "ERROR";

    /** Copies the metrics. */
    public SweepRow {
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    /** @return whether the run succeeded */
    public boolean ok() {
        return error == null;
    }

    /** @return the metric, or NaN when the run failed or did not report it */
    public double metric(String name) {
        Double v = metrics.get(name);
        return v == null ? Double.NaN : v;
    }
}
