package org.bilevel4j.spark.binno;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.bilevel4j.cli.InputException;
import org.bilevel4j.cli.RunOptions;
import org.bilevel4j.cli.report.OutputDir;
import org.bilevel4j.cli.report.ProgressListener;
import org.bilevel4j.cli.report.ReportWriter;
import org.bilevel4j.function.NormL1;
import org.bilevel4j.function.NuclearNorm;
import org.bilevel4j.problem.BlockIterate;
import org.bilevel4j.solver.Result;
import org.bilevel4j.solver.SolverOptions;
import org.bilevel4j.solver.binno.BinnoWeights;
import org.bilevel4j.spark.SparkSessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bilevel4j factorize-spark}: BINNO's sparse low-rank factorization of a matrix stored as
 * row-block {@code .npy} files ({@link NpyChunks}), read and solved on Spark ({@link SparkBinno}).
 * The problem, options, uniform start and report files ({@code X.npy}, {@code Y.npy},
 * {@code trace.csv}, {@code report.json}) are those of {@code factorize} on the assembled matrix,
 * so both give the same factors up to rounding.
 */
@Command(name = "factorize-spark", mixinStandardHelpOptions = true,
        description = {"BINNO's sparse low-rank factorization M ~ XY on Apache Spark, M read from a folder of .npy"
                + " row blocks on the executors.",
            "The folder's .npy files are the consecutive row blocks of M in file-name order, each a 2-D array with"
                    + " the same number of columns (see docs/spark.md). Writes X.npy (collected), Y.npy, trace.csv"
                    + " and report.json, as 'factorize' does."})
public final class FactorizeSparkCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--spark", paramLabel = "MASTER", required = true,
            description = "Spark master: local[*], spark://host:7077, yarn, or 'submit' under spark-submit.")
    String master;

    @Option(names = "--input", paramLabel = "DIR", required = true,
            description = "Folder of .npy row blocks (a local path, or any Hadoop path: hdfs://..., s3a://...).")
    String input;

    @Option(names = "--rank", paramLabel = "R", required = true, description = "Inner dimension r.")
    int rank;

    @Option(names = "--lambda1", defaultValue = "0.005", description = "Weight of ||X||_1 (upper). Default: ${DEFAULT-VALUE}.")
    double lambda1;

    @Option(names = "--lambda2", defaultValue = "0.005", description = "Weight of ||Y||_1 (upper). Default: ${DEFAULT-VALUE}.")
    double lambda2;

    @Option(names = "--gamma1", defaultValue = "0.005", description = "Weight of ||X||_* (lower). Default: ${DEFAULT-VALUE}.")
    double gamma1;

    @Option(names = "--gamma2", defaultValue = "0.005", description = "Weight of ||Y||_* (lower). Default: ${DEFAULT-VALUE}.")
    double gamma2;

    @Option(names = "--weights", defaultValue = "midpoint", paramLabel = "RULE",
            description = "midpoint or linesearch. Default: ${DEFAULT-VALUE}.")
    String weights;

    @Option(names = "--max-iter", defaultValue = "1000", paramLabel = "N", description = "Iteration limit. Default: ${DEFAULT-VALUE}.")
    int maxIter;

    @Option(names = "--tol", defaultValue = "0", paramLabel = "T",
            description = "Stop when both objectives change by at most T (relative); 0: run every iteration.")
    double tol;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the uniform start. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Report folder.")
    Path out;

    @Option(names = "--quiet", description = org.bilevel4j.cli.ReportOptions.QUIET_HELP)
    boolean quiet;

    @Option(names = "--force", description = org.bilevel4j.cli.ReportOptions.FORCE_HELP)
    boolean force;

    @Option(names = "--threads", paramLabel = "N", description = RunOptions.THREADS_HELP + " With Spark: this JVM,"
            + " i.e. the driver and the executors of a local[N] master (a cluster's executors keep their own).")
    Integer threads;

    @Override
    public Integer call() {
        BinnoWeights rule = switch (weights.trim().toLowerCase(Locale.ROOT)) {
            case "midpoint" -> BinnoWeights.MIDPOINT;
            case "linesearch" -> BinnoWeights.LINESEARCH;
            default -> throw new InputException("--weights must be midpoint or linesearch, got '" + weights + "'");
        };
        if (rank < 1) {
            throw new InputException("--rank must be at least 1, got " + rank);
        }
        if (maxIter < 1) {
            throw new InputException("--max-iter must be at least 1, got " + maxIter);
        }
        if (!(tol >= 0) || Double.isInfinite(tol)) {
            throw new InputException("--tol must be finite and nonnegative, got " + tol);
        }
        RunOptions.requireThreads(threads);
        // the weights are checked by the functions' constructors (IllegalArgumentException: exit 2)
        NormL1 g1 = new NormL1(lambda2);
        NuclearNorm g2 = new NuclearNorm(gamma2);
        PrintWriter stdout = spec.commandLine().getOut();
        try (OutputDir dir = OutputDir.prepare(out, force)) {
            RunOptions.applyThreads(threads);
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(SparkSessions.open(master,
                    "bilevel4j factorize-spark").sparkContext());
            long t0 = System.nanoTime();
            JavaRDD<RowBlock> blocks = NpyChunks.read(sc, input);
            try {
                DistributedFactorization p = DistributedFactorization.of(blocks, rank, lambda1, g1, gamma1, g2);
                double readSeconds = (System.nanoTime() - t0) * 1e-9;
                SparkBinno solver = new SparkBinno(rule);
                SolverOptions options = SolverOptions.builder().maxIterations(maxIter).relativeTolerance(tol)
                        .seed(seed).build();
                Result<DistributedIterate> r = solver.solve(p, p.uniformStart(seed), options,
                        ProgressListener.onStderr(quiet, solver.name(), maxIter, List.of("psi1", "psi2")));
                BlockIterate xy = r.solution().collect();
                r.solution().release();
                double psi1 = r.trace().lastValue("psi1");
                double h = psi1 - p.f1().value(xy.x()) - g1.value(xy.y());
                double relErr = Math.sqrt(Math.max(2 * h, 0) / p.normSqData());

                ReportWriter report = new ReportWriter(dir, "factorize-spark",
                        spec.commandLine().getParseResult().originalArgs());
                report.timing("read", readSeconds);
                report.seed(seed);
                ObjectNode opt = report.options();
                opt.put("spark", sc.master());
                opt.put("input", input);
                opt.put("rows", p.rows());
                opt.put("cols", p.cols());
                opt.put("rowBlocks", p.partitions());
                opt.put("rank", rank);
                opt.put("lambda1", lambda1);
                opt.put("lambda2", lambda2);
                opt.put("gamma1", gamma1);
                opt.put("gamma2", gamma2);
                opt.put("weights", weights);
                opt.put("maxIterations", maxIter);
                opt.put("tolerance", tol);
                opt.put("start", "uniform(seed)");
                ObjectNode run = report.run(r);
                run.put("psi1", psi1);
                run.put("psi2", r.trace().lastValue("psi2"));
                run.put("relativeError", relErr);
                report.trace("trace.csv", r.trace());
                report.matrix("X.npy", xy.x());
                report.matrix("Y.npy", xy.y());
                Path where = report.finish();
                if (!quiet) {
                    stdout.printf(Locale.ROOT, "%s on %d x %d in %d row blocks (master %s): %s; Psi1 %.6g, Psi2 %.6g,"
                            + " ||M - XY|| / ||M|| = %.5f, %.2f s%nwrote %s%n", solver.name(), p.rows(), p.cols(),
                            p.partitions(), sc.master(), r.message(), psi1, r.trace().lastValue("psi2"), relErr,
                            r.seconds(), where);
                    stdout.flush();
                }
            } finally {
                blocks.unpersist(false);
            }
        }
        return 0;
    }
}
