package org.bilevel4j.spark.sweep;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.bilevel4j.apps.toys.ToyProblem;
import org.bilevel4j.cli.InputException;
import org.bilevel4j.cli.RunOptions;
import org.bilevel4j.cli.report.OutputDir;
import org.bilevel4j.cli.report.ReportWriter;
import org.bilevel4j.spark.SparkSessions;
import org.knowm.xchart.XYChart;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bilevel4j sweep JOB}: a parameter sweep run as Spark tasks ({@link Sweep}), one task per
 * (setting, seed). Every swept option takes a comma-separated list; the settings are their
 * Cartesian product ({@link SweepGrid}), times {@code --seeds}. Writes into {@code --out}, all or
 * nothing ({@link OutputDir}): {@code table.csv}, {@code table.parquet} (one Parquet file written by
 * Spark's DataFrame writer), {@code grid_<metric>.png} ({@link SweepPlot}) and {@code report.json}.
 * Every input is checked before Spark starts: a bad one is one line on stderr, exit code 2 and no
 * output. A run that fails is a row with its error; the command fails (exit 1, report written)
 * only when every run failed.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        subcommands = {SweepCommand.Video.class, SweepCommand.Factorize.class, SweepCommand.MehaToy.class},
        description = {"Parameter sweeps on Apache Spark: a grid of settings x seeds, one Spark task per run.",
            "Jobs: video (BINNO on a corrupted clip), factorize (BINNO on a matrix file), meha (MEHA on a toy)."})
public final class SweepCommand implements Callable<Integer> {

    /** The master URLs Spark accepts (checked before Spark starts, so a typo is one line and exit 2). */
    static final java.util.regex.Pattern MASTER = java.util.regex.Pattern.compile(
            "local|local\\[(\\*|[1-9][0-9]*)(,[0-9]+)?]|local-cluster\\[[0-9]+, *[0-9]+, *[0-9]+]|spark://.+|yarn"
                    + "|k8s://.+|" + SparkSessions.SUBMIT);

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing job: give one of video, factorize,"
                + " meha");
    }

    /** The options every job has (a picocli mixin). */
    public static final class Common {

        @Option(names = "--seeds", paramLabel = "S[,S...]", split = ",", defaultValue = "0",
                description = "Seeds; every setting runs once per seed. Default: ${DEFAULT-VALUE}.")
        List<Long> seeds;

        @Option(names = "--seed", paramLabel = "N", description = "One seed: the same as --seeds N (give one or the"
                + " other), as in every command.")
        Long seed;

        @Option(names = "--spark", paramLabel = "MASTER", defaultValue = "local[*]",
                description = "Spark master: local[*], local[N], spark://host:7077, yarn, or 'submit' under"
                        + " spark-submit. Default: ${DEFAULT-VALUE}.")
        String master;

        @Option(names = "--plot", paramLabel = "METRIC",
                description = "The metric of the grid plot. Default: the job's first metric.")
        String plotMetric;

        @Option(names = "--plot-x", paramLabel = "PARAM",
                description = "The parameter on the plot's x axis. Default: the first that varies.")
        String plotX;

        @Option(names = "--out", paramLabel = "DIR", required = true, description = "Report folder.")
        Path out;

        @Option(names = "--force", description = org.bilevel4j.cli.ReportOptions.FORCE_HELP)
        boolean force;

        @Option(names = "--quiet", description = org.bilevel4j.cli.ReportOptions.QUIET_HELP)
        boolean quiet;

        @Option(names = "--threads", paramLabel = "N", description = RunOptions.THREADS_HELP + " With Spark: this JVM,"
                + " i.e. the driver and the executors of a local[N] master (a cluster's executors keep their own).")
        Integer threads;
    }

    /** Runs a job's sweep and writes its report; what the job commands share. */
    abstract static class JobCommand implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        Common common;

        /** @return the job, built from the options (may throw IllegalArgumentException) */
        abstract SweepJob<?> job();

        /** @return the swept values by parameter name, only the options given, in option order */
        abstract Map<String, List<Double>> axes();

        /** @return the input file to record (path, size, SHA-256) in report.json, or null */
        Path inputFile() {
            return null;
        }

        /** Adds a list option's values as an axis when the option was given. */
        static void axis(Map<String, List<Double>> axes, String name, List<? extends Number> values) {
            if (values != null) {
                axes.put(name, values.stream().map(Number::doubleValue).toList());
            }
        }

        @Override
        public Integer call() {
            return execute(job());
        }

        private <P extends Serializable> int execute(SweepJob<P> job) {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            // 1. everything that needs no file and no Spark
            if (common.seed != null) {
                if (spec.commandLine().getParseResult().hasMatchedOption("--seeds")) {
                    throw new InputException("give either --seed or --seeds, not both");
                }
                common.seeds = List.of(common.seed);
            }
            List<Sweep.Task> tasks;
            try {
                Map<String, List<Double>> axes = axes();
                List<Setting> settings = axes.isEmpty() ? List.of(new Setting(Map.of())) : SweepGrid.grid(axes);
                tasks = Sweep.tasks(job, settings, common.seeds);
            } catch (IllegalArgumentException e) {
                throw new InputException(e.getMessage(), e);
            }
            RunOptions.requireThreads(common.threads);
            if (!MASTER.matcher(common.master).matches()) {
                throw new InputException("--spark " + common.master + ": not a Spark master URL (local[*], local[N],"
                        + " spark://HOST:PORT, yarn, k8s://URL, or 'submit' under spark-submit)");
            }
            String metric = common.plotMetric != null ? common.plotMetric : job.metrics().get(0);
            if (!job.metrics().contains(metric)) {
                throw new InputException("--plot " + metric + ": job " + job.name() + " has no such metric (it has "
                        + String.join(", ", job.metrics()) + ")");
            }
            if (common.plotX != null && !job.defaults().containsKey(common.plotX)) {
                throw new InputException("--plot-x " + common.plotX + ": job " + job.name() + " has no such"
                        + " parameter (it has " + String.join(", ", job.defaults().keySet()) + ")");
            }
            try (OutputDir dir = OutputDir.prepare(common.out, common.force)) {
                RunOptions.applyThreads(common.threads);
                // 2. the inputs (the report's clock starts here; nothing is written before the end)
                ReportWriter report = new ReportWriter(dir, "sweep", spec.commandLine().getParseResult()
                        .originalArgs());
                long t0 = System.nanoTime();
                P problem;
                try {
                    problem = job.prepare();
                } catch (IllegalArgumentException e) {
                    throw new InputException(e.getMessage(), e);
                }
                double prepareSeconds = (System.nanoTime() - t0) * 1e-9;
                // 3. Spark and the runs
                SparkSession spark;
                long t1 = System.nanoTime();
                try {
                    spark = SparkSessions.open(common.master, "bilevel4j sweep " + job.name());
                } catch (Exception e) {
                    throw new InputException("--spark " + common.master + ": cannot start Spark: " + e.getMessage(),
                            e);
                }
                SparkContext sc = spark.sparkContext();
                report.timing("sparkStart", (System.nanoTime() - t1) * 1e-9);
                if (!common.quiet) {
                    err.printf(Locale.ROOT, "sweep %s: %d runs on Spark %s (%s, %d slots)%n", job.name(),
                            tasks.size(), spark.version(), sc.master(), sc.defaultParallelism());
                    err.flush();
                }
                Progress progress = common.quiet ? null : new Progress(tasks.size(), err);
                if (progress != null) {
                    sc.addSparkListener(progress);
                }
                SweepResult result;
                try {
                    result = Sweep.run(spark, job, problem, tasks);
                } finally {
                    if (progress != null) {
                        sc.removeSparkListener(progress);
                    }
                }
                // 4. the report
                if (!common.quiet) {
                    out.print(result.text());
                    out.flush();
                }
                report.timing("prepare", prepareSeconds);
                report.timing("sweep", result.seconds());
                fillReport(report, job, result, tasks.size(), spark);
                report.write("table.csv", result::writeCsv);
                writeParquet(spark, result, dir.file("table.parquet"));
                if (result.failures() < result.rows().size()) {
                    XYChart chart = SweepPlot.chart(result, metric, common.plotX);
                    report.chart("grid_" + metric + ".png", chart);
                }
                Path where = report.finish();
                if (!common.quiet) {
                    out.printf(Locale.ROOT, "%d runs in %.1f s (%s), %d failed%nreport: %s%n", result.rows().size(),
                            result.seconds(), result.engine(), result.failures(), where);
                    out.flush();
                }
                if (result.failures() > 0) {
                    err.printf(Locale.ROOT, "bilevel4j: warning: %d of %d runs failed (see the error column of"
                            + " table.csv)%n", result.failures(), result.rows().size());
                    err.flush();
                }
                return result.failures() == result.rows().size() ? 1 : 0;
            }
        }

        private void fillReport(ReportWriter report, SweepJob<?> job, SweepResult result, int runs,
                SparkSession spark) {
            ObjectNode opt = report.options();
            opt.put("job", job.name());
            opt.putPOJO("description", job);
            ObjectNode d = opt.putObject("defaults");
            job.defaults().forEach(d::put);
            ObjectNode ax = opt.putObject("grid");
            axes().forEach((k, v) -> {
                ArrayNode a = ax.putArray(k);
                v.forEach(a::add);
            });
            ArrayNode s = opt.putArray("seeds");
            common.seeds.forEach(s::add);
            Path in = inputFile();
            if (in != null) {
                ObjectNode n = ((ArrayNode) report.root().get("inputs")).addObject();
                n.put("role", "input");
                n.put("path", in.toString());
                n.put("absolutePath", in.toAbsolutePath().normalize().toString());
                if (Files.isRegularFile(in)) {
                    try {
                        n.put("bytes", Files.size(in));
                        n.put("sha256", ReportWriter.sha256(in));
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot read " + in + " again to hash it: " + e.getMessage(),
                                e);
                    }
                }
            }
            ObjectNode sp = report.root().putObject("spark");
            sp.put("master", spark.sparkContext().master());
            sp.put("version", spark.version());
            sp.put("defaultParallelism", spark.sparkContext().defaultParallelism());
            ObjectNode sw = report.root().putObject("sweep");
            sw.put("runs", runs);
            sw.put("failed", result.failures());
            sw.put("seconds", result.seconds());
            ArrayNode cols = sw.putArray("columns");
            result.columns().forEach(cols::add);
            ArrayNode rows = sw.putArray("rows");
            for (SweepRow r : result.rows()) {
                ArrayNode row = rows.addArray();
                for (Object v : result.values(r)) {
                    if (v == null) {
                        row.addNull();
                    } else if (v instanceof Double x) {
                        row.add(x);
                    } else if (v instanceof Long x) {
                        row.add(x);
                    } else if (v instanceof Integer x) {
                        row.add(x);
                    } else {
                        row.add(v.toString());
                    }
                }
            }
        }
    }

    /**
     * Writes the table as one Parquet file: Spark's DataFrame writer into a hidden folder beside
     * {@code file}, whose single part file is then renamed to {@code file}.
     */
    static void writeParquet(SparkSession spark, SweepResult result, Path file) {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".spark");
        try {
            result.writeParquet(spark, tmp, SaveMode.ErrorIfExists);
            List<Path> parts;
            try (Stream<Path> s = Files.list(tmp)) {
                parts = s.filter(p -> p.getFileName().toString().startsWith("part-")
                        && p.getFileName().toString().endsWith(".parquet")).toList();
            }
            if (parts.size() != 1) {
                throw new IOException("Spark wrote " + parts.size() + " part files, expected 1");
            }
            Files.move(parts.get(0), file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write table.parquet: " + e.getMessage(), e);
        } finally {
            deleteTree(tmp);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                    Files.delete(f);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root + ": " + e.getMessage(), e);
        }
    }

    /** Counts finished tasks on the driver and redraws one progress line on stderr. */
    static final class Progress extends SparkListener {
        private final int total;
        private final PrintWriter err;
        private final AtomicInteger done = new AtomicInteger();
        private final long start = System.nanoTime();

        Progress(int total, PrintWriter err) {
            this.total = total;
            this.err = err;
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd end) {
            int k = done.incrementAndGet();
            double s = (System.nanoTime() - start) * 1e-9;
            boolean console = System.console() != null;
            synchronized (err) {
                err.printf(Locale.ROOT, "%ssweep: %d/%d runs done, %.0f s%s", console ? "\r" : "", k, total, s,
                        k >= total || !console ? "\n" : "");
                err.flush();
            }
        }
    }

    /** {@code bilevel4j sweep video}. */
    @Command(name = "video", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Sweep BINNO on a clip under the BINNO paper's traffic-video protocol (rank-k truncation,"
                + " 5%% of the entries corrupted by 0.33 sign |L0|, fixed by --corruption-seed); metrics psnr, mse,"
                + " rel_error, rank_l.",
                "Example: bilevel4j sweep video --input demo.avi --lambda 0.01,0.05,0.1,0.5"
                + " --gamma 0.001,0.01,0.1,1 --max-iter 500 --out out/sweep"})
    public static final class Video extends JobCommand {

        @Option(names = "--input", paramLabel = "CLIP", required = true, description = "Clip: frames .npy (uint8"
                + " T x H x W), uncompressed .avi, MATLAB v5 .mat, or a folder of PNG/PGM frames.")
        Path input;

        @Option(names = "--frames", defaultValue = "all", description = "Frame range a:b, 0-based, end exclusive.")
        String frames;

        @Option(names = "--downscale", defaultValue = "1", description = "Integer downscale factor.")
        int downscale;

        @Option(names = "--corruption-rank", defaultValue = "9", description = "k of the truncation L0."
                + " Default: ${DEFAULT-VALUE}.")
        int corruptionRank;

        @Option(names = "--corruption-seed", defaultValue = "0", description = "Seed of the corruption (the same"
                + " M_obs for every run). Default: ${DEFAULT-VALUE}.")
        long corruptionSeed;

        @Option(names = "--lambda", split = ",", paramLabel = "W[,W...]", description = "l1 weights lambda1 ="
                + " lambda2. Default 0.05.")
        List<Double> lambda;

        @Option(names = "--gamma", split = ",", paramLabel = "W[,W...]", description = "Nuclear weights gamma1 ="
                + " gamma2. Default 0.01.")
        List<Double> gamma;

        @Option(names = "--rank", split = ",", paramLabel = "R[,R...]", description = "r of BINNO. Default 9.")
        List<Integer> rank;

        @Option(names = "--max-iter", split = ",", paramLabel = "N[,N...]", description = "Iterations. Default"
                + " 5000 (the paper's).")
        List<Integer> maxIter;

        @Override
        Path inputFile() {
            return input;
        }

        @Override
        SweepJob<?> job() {
            try {
                return new VideoSweepJob(input.toString(), frames, downscale, corruptionRank, 0.05, 0.33,
                        corruptionSeed);
            } catch (IllegalArgumentException e) {
                throw new InputException(e.getMessage(), e);
            }
        }

        @Override
        Map<String, List<Double>> axes() {
            Map<String, List<Double>> a = new LinkedHashMap<>();
            axis(a, "lambda", lambda);
            axis(a, "gamma", gamma);
            axis(a, "rank", rank);
            axis(a, "max_iter", maxIter);
            return a;
        }
    }

    /** {@code bilevel4j sweep factorize}. */
    @Command(name = "factorize", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Sweep BINNO's sparse low-rank factorization M ~ XY of a matrix file (as factorize);"
                    + " metrics psi1, psi2, rel_error, sparsity_x, sparsity_y, rank_xy.")
    public static final class Factorize extends JobCommand {

        @Option(names = "--input", paramLabel = "FILE", required = true, description = "The matrix M: .csv, .mtx"
                + " or .npy.")
        Path input;

        @Option(names = "--rank", split = ",", paramLabel = "R[,R...]", required = true,
                description = "Inner dimension r.")
        List<Integer> rank;

        @Option(names = "--lambda1", split = ",", paramLabel = "W[,W...]", description = "Weight of ||X||_1."
                + " Default 0.005.")
        List<Double> lambda1;

        @Option(names = "--lambda2", split = ",", paramLabel = "W[,W...]", description = "Weight of ||Y||_1."
                + " Default 0.005.")
        List<Double> lambda2;

        @Option(names = "--gamma1", split = ",", paramLabel = "W[,W...]", description = "Weight of ||X||_*."
                + " Default 0.005.")
        List<Double> gamma1;

        @Option(names = "--gamma2", split = ",", paramLabel = "W[,W...]", description = "Weight of ||Y||_*."
                + " Default 0.005.")
        List<Double> gamma2;

        @Option(names = "--max-iter", split = ",", paramLabel = "N[,N...]", description = "Iterations. Default 1000.")
        List<Integer> maxIter;

        @Option(names = "--tol", split = ",", paramLabel = "T[,T...]", description = "Relative change of Psi1 and"
                + " Psi2 to stop at; 0 runs --max-iter iterations. Default 0.")
        List<Double> tol;

        @Override
        Path inputFile() {
            return input;
        }

        @Override
        SweepJob<?> job() {
            try {
                return new FactorizationSweepJob(input.toString(), rank.get(0));
            } catch (IllegalArgumentException e) {
                throw new InputException(e.getMessage(), e);
            }
        }

        @Override
        Map<String, List<Double>> axes() {
            Map<String, List<Double>> a = new LinkedHashMap<>();
            axis(a, "lambda1", lambda1);
            axis(a, "lambda2", lambda2);
            axis(a, "gamma1", gamma1);
            axis(a, "gamma2", gamma2);
            axis(a, "rank", rank);
            axis(a, "max_iter", maxIter);
            axis(a, "tol", tol);
            return a;
        }
    }

    /** {@code bilevel4j sweep meha}. */
    @Command(name = "meha", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Sweep MEHA's step sizes on a toy of the MEHA paper with a known solution (as meha toy);"
                    + " metrics criterion, x_error, y_error, first_reached, settled_from. Defaults: the toy's"
                    + " working settings.")
    public static final class MehaToy extends JobCommand {

        @Option(names = "--toy", defaultValue = "merely-convex", paramLabel = "NAME",
                description = "merely-convex, nonconvex or l1. Default: ${DEFAULT-VALUE}.")
        String toy;

        @Option(names = "--dim", paramLabel = "N", description = "Dimension n. Default: the method page's.")
        Integer dim;

        @Option(names = "--alpha", split = ",", paramLabel = "S[,S...]", description = "Step on x.")
        List<Double> alpha;

        @Option(names = "--beta", split = ",", paramLabel = "S[,S...]", description = "Step on y.")
        List<Double> beta;

        @Option(names = "--eta", split = ",", paramLabel = "S[,S...]", description = "Step on theta.")
        List<Double> eta;

        @Option(names = "--inv-gamma", split = ",", paramLabel = "V[,V...]", description = "1/gamma.")
        List<Double> invGamma;

        @Option(names = "--c0", split = ",", paramLabel = "V[,V...]", description = "Penalty scale c0.")
        List<Double> c0;

        @Option(names = "--p", split = ",", paramLabel = "V[,V...]", description = "Penalty growth exponent p.")
        List<Double> p;

        @Option(names = "--max-iter", split = ",", paramLabel = "N[,N...]", description = "Iterations. Default:"
                + " the toy's budget.")
        List<Integer> maxIter;

        @Option(names = "--tol", split = ",", paramLabel = "T[,T...]", description = "Success tolerance."
                + " Default 1e-2.")
        List<Double> tol;

        @Override
        SweepJob<?> job() {
            try {
                ToyProblem t = ToyProblem.parse(toy);
                return new MehaToySweepJob(t, dim == null ? t.defaultDim() : dim);
            } catch (IllegalArgumentException e) {
                throw new InputException(e.getMessage(), e);
            }
        }

        @Override
        Map<String, List<Double>> axes() {
            Map<String, List<Double>> a = new LinkedHashMap<>();
            axis(a, "alpha", alpha);
            axis(a, "beta", beta);
            axis(a, "eta", eta);
            axis(a, "inv_gamma", invGamma);
            axis(a, "c0", c0);
            axis(a, "p", p);
            axis(a, "max_iter", maxIter);
            axis(a, "tol", tol);
            return a;
        }
    }
}
