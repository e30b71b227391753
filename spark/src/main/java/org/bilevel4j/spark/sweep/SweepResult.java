package org.bilevel4j.spark.sweep;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.bilevel4j.apps.io.AtomicFiles;
import org.bilevel4j.cli.report.Csv;

/**
 * The table of a sweep, one row per run: {@code run}, the parameters, {@code seed}, the job's
 * metrics, {@code iterations}, {@code seconds}, {@code stop}, {@code error} (empty unless the run
 * failed) and {@code worker}. A NaN metric and every metric of a failed run are empty (null).
 *
 * @param job the job's name
 * @param parameters the parameter columns, in order
 * @param metrics the metric columns, in order
 * @param rows the runs, in sweep order
 * @param seconds wall-clock seconds of the whole sweep (problem preparation included)
 * @param engine where it ran ({@code spark local[*]}, {@code sequential})
 */
public record SweepResult(String job, List<String> parameters, List<String> metrics, List<SweepRow> rows,
        double seconds, String engine) {

    /** The columns every table has besides the parameters and metrics. */
    public static final List<String> FIXED_COLUMNS = List.of("run", "seed", "iterations", "seconds", "stop", "error",
            "worker");

    /**
     * Copies the lists.
     *
     * @throws IllegalArgumentException when a parameter or metric name repeats or is one of {@link #FIXED_COLUMNS}
     */
    public SweepResult {
        parameters = List.copyOf(parameters);
        metrics = List.copyOf(metrics);
        rows = List.copyOf(rows);
        checkColumns(parameters, metrics);
    }

    /**
     * @throws IllegalArgumentException when a parameter or metric name repeats or is one of {@link #FIXED_COLUMNS}
     */
    static void checkColumns(List<String> parameters, List<String> metrics) {
        java.util.Set<String> seen = new java.util.HashSet<>(FIXED_COLUMNS);
        for (String c : parameters) {
            if (!seen.add(c)) {
                throw new IllegalArgumentException("parameter '" + c + "' clashes with another column of the table");
            }
        }
        for (String c : metrics) {
            if (!seen.add(c)) {
                throw new IllegalArgumentException("metric '" + c + "' clashes with another column of the table");
            }
        }
    }

    /** @return the column names of the table, in order */
    public List<String> columns() {
        List<String> c = new ArrayList<>();
        c.add("run");
        c.addAll(parameters);
        c.add("seed");
        c.addAll(metrics);
        c.addAll(List.of("iterations", "seconds", "stop", "error", "worker"));
        return c;
    }

    /** @return the number of failed runs */
    public long failures() {
        return rows.stream().filter(r -> !r.ok()).count();
    }

    /** @return one row's values in column order: Integer, Double, Long, String or null */
    public List<Object> values(SweepRow r) {
        List<Object> v = new ArrayList<>();
        v.add(r.index());
        for (String p : parameters) {
            v.add(r.setting().get(p, Double.NaN));
        }
        v.add(r.seed());
        for (String m : metrics) {
            double x = r.metric(m);
            v.add(Double.isNaN(x) ? null : x);
        }
        v.add(r.ok() ? r.iterations() : null);
        v.add(r.seconds());
        v.add(r.stopReason());
        v.add(r.error());
        v.add(r.worker());
        return v;
    }

    /** @return the table as CSV (RFC 4180: header line, fields quoted when needed, null as empty) */
    public String csv() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.join(",", columns())).append('\n');
        for (SweepRow r : rows) {
            List<Object> v = values(r);
            for (int i = 0; i < v.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(csvField(v.get(i)));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String csvField(Object o) {
        if (o == null) {
            return "";
        }
        return Csv.field(o instanceof Double d ? Double.toString(d) : o.toString());
    }

    /** Writes {@link #csv()} to a stream. */
    public void writeCsv(OutputStream out) throws IOException {
        out.write(csv().getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@link #csv()} to a file atomically (a temporary sibling renamed into place). */
    public void writeCsv(Path file) {
        try {
            AtomicFiles.write(file, this::writeCsv);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** @return the Spark schema of the table */
    public StructType schema() {
        List<StructField> f = new ArrayList<>();
        f.add(DataTypes.createStructField("run", DataTypes.IntegerType, false));
        for (String p : parameters) {
            f.add(DataTypes.createStructField(p, DataTypes.DoubleType, true));
        }
        f.add(DataTypes.createStructField("seed", DataTypes.LongType, false));
        for (String m : metrics) {
            f.add(DataTypes.createStructField(m, DataTypes.DoubleType, true));
        }
        f.add(DataTypes.createStructField("iterations", DataTypes.IntegerType, true));
        f.add(DataTypes.createStructField("seconds", DataTypes.DoubleType, false));
        f.add(DataTypes.createStructField("stop", DataTypes.StringType, false));
        f.add(DataTypes.createStructField("error", DataTypes.StringType, true));
        f.add(DataTypes.createStructField("worker", DataTypes.StringType, true));
        return DataTypes.createStructType(f);
    }

    /** @return the table as a DataFrame (one partition) */
    public Dataset<Row> toDataFrame(SparkSession spark) {
        List<Row> list = new ArrayList<>();
        for (SweepRow r : rows) {
            list.add(RowFactory.create(values(r).toArray()));
        }
        return spark.createDataFrame(list, schema()).coalesce(1);
    }

    /**
     * Writes the table as Parquet with Spark's DataFrame writer: a folder of part files (one here)
     * as Spark writes it.
     *
     * @param mode what to do when the folder exists
     */
    public void writeParquet(SparkSession spark, Path folder, SaveMode mode) {
        toDataFrame(spark).write().mode(mode).parquet(folder.toAbsolutePath().toString());
    }

    /** @return a fixed-width text rendering of the table (parameters, seed, metrics, iterations, seconds, stop) */
    public String text() {
        List<String> head = new ArrayList<>(parameters);
        head.add("seed");
        head.addAll(metrics);
        head.addAll(List.of("iters", "seconds", "stop"));
        List<List<String>> cells = new ArrayList<>();
        for (SweepRow r : rows) {
            List<String> c = new ArrayList<>();
            for (String p : parameters) {
                c.add(Setting.format(r.setting().get(p, Double.NaN)));
            }
            c.add(Long.toString(r.seed()));
            for (String m : metrics) {
                double x = r.metric(m);
                c.add(Double.isNaN(x) ? "-" : x == Math.rint(x) && Math.abs(x) < 1e9 ? Long.toString((long) x)
                        : String.format(Locale.ROOT, "%.5g", x));
            }
            c.add(r.ok() ? Integer.toString(r.iterations()) : "-");
            c.add(String.format(Locale.ROOT, "%.2f", r.seconds()));
            c.add(r.ok() ? r.stopReason().toLowerCase(Locale.ROOT) : "error: " + r.error());
            cells.add(c);
        }
        int[] w = new int[head.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = head.get(i).length();
            for (List<String> c : cells) {
                if (i < w.length - 1) {
                    w[i] = Math.max(w[i], c.get(i).length());
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        appendLine(sb, head, w);
        for (List<String> c : cells) {
            appendLine(sb, c, w);
        }
        return sb.toString();
    }

    private static void appendLine(StringBuilder sb, List<String> c, int[] w) {
        for (int i = 0; i < c.size(); i++) {
            boolean last = i == c.size() - 1;
            String s = c.get(i);
            sb.append(last ? s : " ".repeat(w[i] - s.length()) + s).append(last ? "\n" : "  ");
        }
    }

    /**
     * The mean of a metric over the seeds of each setting (failed runs and NaN values left out).
     *
     * @return setting to mean, in sweep order; NaN where no run of the setting has a value
     */
    public Map<Setting, Double> meanOverSeeds(String metric) {
        Map<Setting, double[]> acc = new LinkedHashMap<>();
        for (SweepRow r : rows) {
            double[] a = acc.computeIfAbsent(r.setting(), k -> new double[2]);
            double x = r.metric(metric);
            if (!Double.isNaN(x)) {
                a[0] += x;
                a[1]++;
            }
        }
        Map<Setting, Double> out = new LinkedHashMap<>();
        acc.forEach((k, a) -> out.put(k, a[1] == 0 ? Double.NaN : a[0] / a[1]));
        return out;
    }
}
