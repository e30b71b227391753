package org.bilevel4j.spark.sweep;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/**
 * Runs a {@link SweepJob} over settings x seeds: on Spark, one task per run on a broadcast problem
 * ({@link #run}), or one after the other in this thread ({@link #runSequentially}); both go through
 * the same per-run code, so the same setting and seed give the same metrics.
 *
 * <p>The runs are the pairs (setting, seed), settings in order and seeds innermost. A run that
 * throws becomes a row with the error and no metrics; the others go on. The settings are checked
 * on the driver first ({@link SweepJob#validate}), so a bad value stops the sweep before any work.
 *
 * <p>This is the parameter-sweep part of issue 9 (bilevel4j on Apache Spark): the runs are
 * independent, so Spark only schedules them; each run is the single-machine solver.
 */
public final class Sweep {

    private Sweep() {
    }

    /** One run to do: its position, setting (defaults filled in) and seed. */
    record Task(int index, Setting setting, long seed) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /**
     * Checks the settings and lists the runs.
     *
     * @throws IllegalArgumentException for no settings, no seeds, a repeated seed or a setting the job rejects
     */
    static <P extends Serializable> List<Task> tasks(SweepJob<P> job, List<Setting> settings, List<Long> seeds) {
        Objects.requireNonNull(job, "job");
        SweepResult.checkColumns(new ArrayList<>(job.defaults().keySet()), job.metrics());
        if (settings.isEmpty()) {
            throw new IllegalArgumentException("no settings to sweep");
        }
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("no seeds to sweep");
        }
        if (seeds.stream().distinct().count() != seeds.size()) {
            throw new IllegalArgumentException("a seed is repeated: " + seeds);
        }
        List<Task> tasks = new ArrayList<>();
        for (Setting s : settings) {
            job.validate(s);
            Setting full = s.withDefaults(job.defaults());
            job.validate(full);
            for (long seed : seeds) {
                tasks.add(new Task(tasks.size(), full, seed));
            }
        }
        return tasks;
    }

    /**
     * Runs the sweep on Spark: prepares the problem on the driver, broadcasts it, and runs each
     * (setting, seed) as one task.
     *
     * @param spark the session
     * @param job the job
     * @param settings the settings ({@link SweepGrid})
     * @param seeds the seeds
     * @return the table, one row per run in sweep order
     */
    public static <P extends Serializable> SweepResult run(SparkSession spark, SweepJob<P> job,
            List<Setting> settings, List<Long> seeds) {
        List<Task> tasks = tasks(job, settings, seeds);
        P problem = job.prepare();
        return run(spark, job, problem, tasks);
    }

    /** Runs prepared tasks on Spark (the problem already built by {@link SweepJob#prepare()}). */
    static <P extends Serializable> SweepResult run(SparkSession spark, SweepJob<P> job, P problem,
            List<Task> tasks) {
        long t0 = System.nanoTime();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<P> shared = sc.broadcast(problem);
        try {
            JavaRDD<Task> rdd = sc.parallelize(tasks, tasks.size());
            List<SweepRow> rows = new ArrayList<>(rdd.map(t -> execute(job, shared.value(), t)).collect());
            rows.sort(Comparator.comparingInt(SweepRow::index));
            return new SweepResult(job.name(), new ArrayList<>(job.defaults().keySet()), job.metrics(), rows,
                    (System.nanoTime() - t0) * 1e-9, "spark " + sc.master());
        } finally {
            shared.destroy();
        }
    }

    /**
     * Runs the sweep in this thread, without Spark: the reference a Spark run is checked against.
     */
    public static <P extends Serializable> SweepResult runSequentially(SweepJob<P> job, List<Setting> settings,
            List<Long> seeds) {
        List<Task> tasks = tasks(job, settings, seeds);
        long t0 = System.nanoTime();
        P problem = job.prepare();
        List<SweepRow> rows = new ArrayList<>();
        for (Task t : tasks) {
            rows.add(execute(job, problem, t));
        }
        return new SweepResult(job.name(), new ArrayList<>(job.defaults().keySet()), job.metrics(), rows,
                (System.nanoTime() - t0) * 1e-9, "sequential");
    }

    /** One run; a failure becomes an error row. */
    static <P extends Serializable> SweepRow execute(SweepJob<P> job, P problem, Task t) {
        String worker = worker();
        long t0 = System.nanoTime();
        try {
            SweepJob.Outcome o = job.run(problem, t.setting(), t.seed());
            double secs = (System.nanoTime() - t0) * 1e-9;
            Map<String, Double> m = new LinkedHashMap<>();
            for (String name : job.metrics()) {
                Double v = o.metrics().get(name);
                m.put(name, v == null ? Double.NaN : v);
            }
            return new SweepRow(t.index(), t.setting(), t.seed(), m, o.iterations(), secs, o.stopReason(), null,
                    worker);
        } catch (Exception | StackOverflowError | AssertionError | LinkageError e) {
            double secs = (System.nanoTime() - t0) * 1e-9;
            String msg = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            return new SweepRow(t.index(), t.setting(), t.seed(), Map.of(), -1, secs, SweepRow.ERROR,
                    msg.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip(), worker);
        }
    }

    /** @return {@code executor ID, task N} inside a Spark task, else {@code driver (no Spark)} */
    private static String worker() {
        TaskContext tc = TaskContext.get();
        SparkEnv env = SparkEnv.get();
        if (tc == null || env == null) {
            return "driver (no Spark)";
        }
        return "executor " + env.executorId() + ", task " + tc.taskAttemptId();
    }
}
