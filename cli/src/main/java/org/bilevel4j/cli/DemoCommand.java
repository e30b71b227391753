package org.bilevel4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.bilevel4j.apps.factorization.FactorizationMetrics;
import org.bilevel4j.apps.factorization.SyntheticFactorization;
import org.bilevel4j.cli.report.OutputDir;
import org.bilevel4j.cli.report.Plots;
import org.bilevel4j.cli.report.ProgressListener;
import org.bilevel4j.cli.report.ReportWriter;
import org.bilevel4j.problem.BlockCompositeBilevelProblem;
import org.bilevel4j.problem.BlockIterate;
import org.bilevel4j.solver.Result;
import org.bilevel4j.solver.SolverOptions;
import org.bilevel4j.solver.binno.Binno;
import org.bilevel4j.solver.binno.BinnoWeights;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bilevel4j demo}: the synthetic experiment of the BINNO paper. M = X* Y* + 0.01 N(0, 1)
 * with X* (100 x 5) and Y* (5 x 80) 30% nonzero; rank 5, all four weights 0.005, 1000 iterations,
 * midpoint weights (the authors' code) and the linesearch weights beside them. Then the video
 * part ({@link VideoDemo}): the paper's traffic-video protocol on a small clip generated in code,
 * BINNO against robust PCA, with montages of the separation.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = {"Run BINNO on the synthetic sparse low-rank factorization of its paper and write a report.",
            "M = X* Y* + 0.01 N(0,1), X* 100x5 and Y* 5x80 with 30%% nonzero standard normal entries; rank 5,"
                + " lambda1 = lambda2 = gamma1 = gamma2 = 0.005; midpoint weights, and linesearch weights beside"
                + " them.",
            "Then the paper's video protocol on a small generated clip (24x32 pixels, 80 frames, moving discs):"
                + " BINNO (r = 9, lambda = 0.05, gamma = 0.01, --max-iter iterations, at most 300) against robust"
                + " PCA; table of seconds and PSNR, montages video-*.png."})
final class DemoCommand implements Callable<Integer> {

    static final int M = 100;
    static final int N = 80;
    static final int TRUE_RANK = 5;
    static final double DENSITY = 0.3;
    static final double NOISE = 0.01;
    static final int RANK = 5;
    static final double WEIGHT = 0.005;

    @Spec
    CommandSpec spec;

    @Mixin
    RunOptions run;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "bilevel4j-demo",
            description = "Report folder. Default: ${DEFAULT-VALUE} (in the working directory).")
    Path out;

    @Override
    public Integer call() {
        run.validate();
        int parallelism = run.applyThreads();
        try (OutputDir dir = OutputDir.prepare(out, run.force)) {
            ReportWriter report = new ReportWriter(dir, "demo", spec.commandLine().getParseResult().originalArgs());
            long t0 = System.nanoTime();
            SyntheticFactorization data = SyntheticFactorization.generate(M, N, TRUE_RANK, DENSITY, NOISE, run.seed);
            FactorizationRuns.Weights w = new FactorizationRuns.Weights(WEIGHT, WEIGHT, WEIGHT, WEIGHT);
            BlockCompositeBilevelProblem problem = FactorizationRuns.problem(data.observed(), RANK, w);
            double snr = FactorizationMetrics.snrDb(data.clean(), data.observed());
            report.timing("generate", (System.nanoTime() - t0) * 1e-9);

            report.seed(run.seed);
            ObjectNode opt = report.options();
            opt.put("rank", RANK);
            w.put(opt);
            opt.putArray("weights").add("midpoint").add("linesearch");
            opt.put("maxIterations", run.maxIter);
            opt.put("threads", run.threads == null ? null : run.threads);
            opt.put("commonPoolParallelism", parallelism);
            ObjectNode in = report.generatedInput("observed", String.format(Locale.ROOT,
                    "SyntheticFactorization.generate(m=%d, n=%d, k=%d, density=%s, sigma=%s, seed=%d)", M, N,
                    TRUE_RANK, DENSITY, NOISE, run.seed), data.observed());
            in.put("savedAs", "M.npy");
            in.put("snrDb", snr);
            in.put("sparsityXTrue", FactorizationMetrics.sparsity(data.xTrue(), 0));
            in.put("sparsityYTrue", FactorizationMetrics.sparsity(data.yTrue(), 0));
            report.matrix("M.npy", data.observed());

            SolverOptions options = SolverOptions.builder().maxIterations(run.maxIter).seed(run.seed).build();
            List<FactorizationRuns.Row> rows = new ArrayList<>();
            List<Plots.Series> curves = new ArrayList<>();
            for (BinnoWeights weights : List.of(BinnoWeights.MIDPOINT, BinnoWeights.LINESEARCH)) {
                Binno solver = new Binno(weights);
                Result<BlockIterate> r = solver.solve(problem, problem.uniformStart(run.seed), options,
                        ProgressListener.onStderr(run.quiet, solver.name(), run.maxIter,
                                FactorizationRuns.PROGRESS_COLUMNS));
                FactorizationRuns.Metrics m = FactorizationRuns.metrics(r, data.observed(), data.clean());
                ObjectNode node = report.run(r);
                node.put("weights", weights.label());
                FactorizationRuns.put(node, m);
                boolean main = weights == BinnoWeights.MIDPOINT;
                FactorizationRuns.writeRunFiles(report, node, r, m, main ? "" : "-" + weights.label(), main);
                rows.add(new FactorizationRuns.Row(solver.name(), r, m));
                curves.addAll(FactorizationRuns.curves(weights.label(), r, !main));
            }
            long t1 = System.nanoTime();
            report.sparsityPicture("sparsity-X-true.png", "X*", data.xTrue(), 0);
            report.sparsityPicture("sparsity-Y-true.png", "Y*", data.yTrue(), 0);
            report.chart("convergence.png", Plots.lineChart("BINNO on the synthetic factorization (m=100, n=80, r=5)",
                    "iteration", "objective", curves));
            report.timing("pictures", (System.nanoTime() - t1) * 1e-9);
            String video = VideoDemo.run(report, run.maxIter, run.seed, run.quiet);
            Path where = report.finish();

            if (!run.quiet) {
                PrintWriter o = spec.commandLine().getOut();
                o.printf(Locale.ROOT, "BINNO demo: M = X* Y* + %s N(0,1), %dx%d, true rank %d, %.0f%% nonzeros"
                        + " in X* and Y*; r = %d, weights %s, seed %d%n", NOISE, M, N, TRUE_RANK, 100 * DENSITY,
                        RANK, WEIGHT, run.seed);
                o.printf(Locale.ROOT, "SNR of the data: %.1f dB; sparsity of X* %.1f%%, of Y* %.1f%%%n%n", snr,
                        100 * FactorizationMetrics.sparsity(data.xTrue(), 0),
                        100 * FactorizationMetrics.sparsity(data.yTrue(), 0));
                o.print(FactorizationRuns.table(rows, true).render());
                o.println();
                o.print(video);
                o.printf("%nreport: %s%n", where);
                o.flush();
            }
        }
        return 0;
    }
}
