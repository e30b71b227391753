package org.bilevel4j.spark;

import java.util.Objects;
import org.apache.spark.sql.SparkSession;

/**
 * Where bilevel4j gets its {@link SparkSession}. From the command line {@code --spark MASTER} names
 * the master ({@code local[*]}, {@code local[2]}, {@code spark://host:7077}, {@code yarn}, ...);
 * under {@code spark-submit} the master and the executors' settings come from spark-submit and
 * {@code --spark submit} takes them as they are.
 *
 * <p>Local sessions bind to the loopback interface and run without the web UI, so they work on a
 * machine without a resolvable host name or open ports.
 */
public final class SparkSessions {

    /** The value of {@code --spark} that keeps the master given by spark-submit. */
    public static final String SUBMIT = "submit";

    private SparkSessions() {
    }

    /**
     * @param master a Spark master URL, or {@link #SUBMIT} for the one spark-submit set
     * @param appName the application name shown by the cluster manager
     * @return the session (an existing one is reused, as {@link SparkSession.Builder#getOrCreate} does)
     */
    public static SparkSession open(String master, String appName) {
        Objects.requireNonNull(master, "master");
        if (master.isBlank()) {
            throw new IllegalArgumentException("--spark needs a master URL (local[*], spark://host:7077, yarn, ...)"
                    + " or '" + SUBMIT + "'");
        }
        SparkSession.Builder b = SparkSession.builder().appName(appName);
        if (!SUBMIT.equals(master)) {
            b.master(master);
        }
        if (master.startsWith("local")) {
            b.config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.ui.enabled", "false")
                    .config("spark.ui.showConsoleProgress", "false");
        }
        return b.getOrCreate();
    }
}
