package org.bilevel4j.spark.binno;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaSparkContext;
import org.bilevel4j.cli.InputException;
import org.bilevel4j.cli.RunOptions;
import org.bilevel4j.cli.report.OutputDir;
import org.bilevel4j.cli.report.ReportWriter;
import org.bilevel4j.solver.binno.BinnoWeights;
import org.bilevel4j.spark.SparkSessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bilevel4j bench-spark}: seconds per iteration of the distributed BINNO against the
 * single-machine solver in the same run, its scaling with the number of row blocks, the per-block
 * costs and the cluster estimate of {@link SparkBinnoBench}. Like every command it writes a report folder
 * ({@code --out}, {@code --force}, {@code --quiet}): {@code table.txt}, the lines it prints, and {@code report.json},
 * the options, the machine and every figure of the lines (one run per timing; the fixed cost of a job, the
 * per-block costs and the cluster estimates under {@code spark}; or, with {@code --check}, the agreement).
 */
@Command(name = "bench-spark", mixinStandardHelpOptions = true,
        description = {"Distributed BINNO (Spark) against the single-machine solver, same run.",
            "Times both on synthetic sparse low-rank data (as 'bench binno' builds it), the distributed one for"
                    + " each number of row blocks, then measures the per-block cost of the two passes at n = 500"
                    + " and n = 6000 and prints estimates of the time per iteration for 2,073,600 x 6,000 on a"
                    + " cluster."})
public final class BenchSparkCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--spark", defaultValue = "local[2]", paramLabel = "MASTER",
            description = "Spark master. Default: ${DEFAULT-VALUE}.")
    String master;

    @Option(names = "--rows", defaultValue = "76800", description = "m. Default: ${DEFAULT-VALUE}.")
    int rows;

    @Option(names = "--cols", defaultValue = "500", description = "n. Default: ${DEFAULT-VALUE}.")
    int cols;

    @Option(names = "--rank", defaultValue = "10", description = "r. Default: ${DEFAULT-VALUE}.")
    int rank;

    @Option(names = "--partitions", split = ",", defaultValue = "2,4,8,16", paramLabel = "P",
            description = "Numbers of row blocks to time. Default: ${DEFAULT-VALUE}.")
    List<Integer> partitions;

    @Option(names = "--warmup", defaultValue = "2",
            description = "Untimed iterations per timing. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = {"--max-iter", "--iterations"}, defaultValue = "5", paramLabel = "N",
            description = "Timed iterations per timing (at least 1; --iterations is its older name). Default:"
                    + " ${DEFAULT-VALUE}.")
    int iterations;

    @Option(names = "--seed", defaultValue = "7", paramLabel = "N", description = "Seed of the data and the start."
            + " Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--threads", paramLabel = "N", description = RunOptions.THREADS_HELP + " With Spark: this JVM,"
            + " i.e. the driver and the executors of a local[N] master (a cluster's executors keep their own).")
    Integer threads;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out/bench-spark",
            description = "Report folder: report.json and table.txt. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--quiet", description = org.bilevel4j.cli.ReportOptions.QUIET_HELP)
    boolean quiet;

    @Option(names = "--force", description = org.bilevel4j.cli.ReportOptions.FORCE_HELP)
    boolean force;

    @Option(names = "--check", description = "Only the agreement check: distributed and single-machine BINNO, 50"
            + " iterations on 600 x 40 (r = 5, five unequal row blocks), midpoint and linesearch; prints the largest"
            + " relative differences of X, Y, Psi1 and Psi2.")
    boolean check;

    @Override
    public Integer call() throws IOException {
        if (rows < 2 || cols < 1 || rank < 1 || rank > Math.min(rows, cols) || warmup < 0 || iterations < 1) {
            throw new IllegalArgumentException("need rows >= 2, cols >= 1, 1 <= rank <= min(rows, cols), warmup >= 0"
                    + " and --max-iter (--iterations) >= 1");
        }
        for (int p : partitions) {
            if (p < 1 || p > rows) {
                throw new IllegalArgumentException("--partitions: each count must be between 1 and " + rows + ", got "
                        + p);
            }
        }
        RunOptions.requireThreads(threads);
        PrintWriter stdout = spec.commandLine().getOut();
        try (OutputDir dir = OutputDir.prepare(out, force)) {
            RunOptions.applyThreads(threads);
            JavaSparkContext sc;
            try {
                sc = JavaSparkContext.fromSparkContext(SparkSessions.open(master, "bilevel4j bench-spark")
                        .sparkContext());
            } catch (Exception e) {
                throw new InputException("--spark " + master + ": cannot start Spark: " + e.getMessage(), e);
            }
            ReportWriter report = new ReportWriter(dir, "bench-spark", spec.commandLine().getParseResult()
                    .originalArgs());
            report.seed(seed);
            ObjectNode o = report.options();
            o.put("spark", sc.master());
            o.put("rows", rows);
            o.put("cols", cols);
            o.put("rank", rank);
            ArrayNode parts = o.putArray("partitions");
            partitions.forEach(parts::add);
            o.put("warmup", warmup);
            o.put("maxIter", iterations);
            o.put("check", check);
            o.put("threads", threads);
            ObjectNode m = report.machine();
            // the lines go to stdout as they come (the benchmark takes minutes) and into table.txt
            List<String> lines = new ArrayList<>();
            Consumer<String> sink = line -> {
                lines.add(line);
                if (!quiet) {
                    stdout.println(line);
                    stdout.flush();
                }
            };
            if (check) {
                for (BinnoWeights w : List.of(BinnoWeights.MIDPOINT, BinnoWeights.LINESEARCH)) {
                    double[] d = SparkBinnoBench.agreement(sc, w, 50);
                    sink.accept(String.format(Locale.ROOT, "%-10s after 50 iterations: relative differences"
                            + " X %.2e, Y %.2e, Psi1 %.2e, Psi2 %.2e (largest over the trace)", w.label(), d[0], d[1],
                            d[2], d[3]));
                    report.run("agreement (" + w.label() + ")").put("x", d[0]).put("y", d[1]).put("psi1", d[2])
                            .put("psi2", d[3]);
                }
            } else {
                figures(report, m, SparkBinnoBench.run(sc, rows, cols, rank, partitions, warmup, iterations, seed,
                        sink));
            }
            report.table(lines);
            Path where = report.finish();
            if (!quiet) {
                stdout.println("report: " + where);
                stdout.flush();
            }
        }
        return 0;
    }

    /**
     * The benchmark's figures in report.json: one run per timing (seconds per iteration, fastest, ratio to the
     * single-machine solver), the fixed cost of a job, the per-block costs and the cluster estimates under
     * "spark", the load averages under "machine".
     */
    static void figures(ReportWriter report, ObjectNode machine, SparkBinnoBench.Report f) {
        SparkBinnoBench.Timing single = f.timings().get(0);
        for (SparkBinnoBench.Timing t : f.timings()) {
            report.run(t.label()).put("partitions", t.partitions()).put("secondsPerIteration", t.secondsPerIteration())
                    .put("minSecondsPerIteration", t.minSeconds())
                    .put("ofSingle", t.secondsPerIteration() / single.secondsPerIteration());
        }
        ObjectNode spark = report.root().putObject("spark");
        spark.put("fixedSecondsPerIteration", f.fixed().secondsPerIteration());
        spark.put("jobSeconds", f.jobSeconds());
        ArrayNode blocks = spark.putArray("blocks");
        for (SparkBinnoBench.BlockCost b : f.blocks()) {
            blocks.addObject().put("rows", b.rows()).put("cols", b.cols()).put("pass1Seconds", b.passA())
                    .put("pass2Seconds", b.passB()).put("driverSeconds", b.driver())
                    .put("secondsPerEntry", b.perEntry());
        }
        ArrayNode estimates = spark.putArray("estimates");
        for (SparkBinnoBench.Estimate e : f.estimates()) {
            estimates.addObject().put("rows", e.rows()).put("cols", e.cols()).put("partitions", e.partitions())
                    .put("cores", e.cores()).put("secondsPerIteration", e.secondsPerIteration());
        }
        machine.put("loadBefore", f.loadBefore());
        machine.put("loadAfter", f.loadAfter());
    }
}
