package org.bilevel4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.bilevel4j.apps.factorization.FactorizationMetrics;
import org.bilevel4j.apps.io.MatrixIO;
import org.bilevel4j.apps.io.MatrixIOException;
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
import org.ejml.data.DMatrixRMaj;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bilevel4j factorize}: BINNO's sparse low-rank factorization {@code M ~ X Y} of a matrix
 * from a file. Every input is validated before anything is written; the report goes to
 * {@code --out} only when the whole run succeeded.
 */
@Command(name = "factorize", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = {"Factorize a matrix M ~ X Y with BINNO: the upper level lambda1 ||X||_1 + lambda2 ||Y||_1,"
                + " the lower level gamma1 ||X||_* + gamma2 ||Y||_*, both plus 1/2 ||XY - M||_F^2.",
            "Writes X.npy, Y.npy, report.json, trace.csv, convergence.png, sparsity-X.png and sparsity-Y.png"
                + " into --out."})
final class FactorizeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--input", paramLabel = "FILE", required = true,
            description = "The matrix M: .csv, .mtx (Matrix Market) or .npy (NumPy).")
    Path input;

    @Option(names = "--rank", paramLabel = "R", required = true,
            description = "Inner dimension r of X (m x r) and Y (r x n), between 1 and min(m, n).")
    int rank;

    @Option(names = "--lambda1", paramLabel = "W", defaultValue = "0.005",
            description = "Weight of ||X||_1 (upper level). Default: ${DEFAULT-VALUE}.")
    double lambda1;

    @Option(names = "--lambda2", paramLabel = "W", defaultValue = "0.005",
            description = "Weight of ||Y||_1 (upper level). Default: ${DEFAULT-VALUE}.")
    double lambda2;

    @Option(names = "--gamma1", paramLabel = "W", defaultValue = "0.005",
            description = "Weight of ||X||_* (lower level). Default: ${DEFAULT-VALUE}.")
    double gamma1;

    @Option(names = "--gamma2", paramLabel = "W", defaultValue = "0.005",
            description = "Weight of ||Y||_* (lower level). Default: ${DEFAULT-VALUE}.")
    double gamma2;

    /** The weight rules offered on the command line. */
    enum WeightRule {
        midpoint(BinnoWeights.MIDPOINT), linesearch(BinnoWeights.LINESEARCH);

        final BinnoWeights weights;

        WeightRule(BinnoWeights weights) {
            this.weights = weights;
        }
    }

    @Option(names = "--weights", paramLabel = "RULE", defaultValue = "midpoint",
            description = "How the two levels' steps are combined: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    WeightRule weightRule;

    @Option(names = "--tol", paramLabel = "T", defaultValue = "0",
            description = "Stop when Psi1 and Psi2 change by at most T (relative) in one iteration; 0 runs"
                    + " --max-iter iterations. Default: ${DEFAULT-VALUE}.")
    double tol;

    @Option(names = "--init-x", paramLabel = "FILE",
            description = "Start X (m x r) from this file instead of uniform random entries.")
    Path initX;

    @Option(names = "--init-y", paramLabel = "FILE",
            description = "Start Y (r x n) from this file instead of uniform random entries.")
    Path initY;

    @Mixin
    RunOptions run;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Report folder.")
    Path out;

    @Override
    public Integer call() {
        // 1. everything that needs no file
        run.validate();
        FactorizationRuns.Weights w = new FactorizationRuns.Weights(lambda1, lambda2, gamma1, gamma2);
        w.validate();
        if (!(tol >= 0) || Double.isInfinite(tol)) {
            throw new InputException("--tol must be finite and nonnegative, got " + tol);
        }
        if (rank < 1) {
            throw new InputException("--rank must be at least 1, got " + rank);
        }
        int parallelism = run.applyThreads();
        try (OutputDir dir = OutputDir.prepare(out, run.force)) {
            // 2. the files, all checked before anything is written
            long t0 = System.nanoTime();
            DMatrixRMaj m = read("--input", input);
            int max = Math.min(m.numRows, m.numCols);
            if (rank > max) {
                throw new InputException("--rank must be at most min(m, n) = " + max + " for the " + m.numRows + "x"
                        + m.numCols + " matrix in " + input + ", got " + rank);
            }
            if (FactorizationMetrics.maxAbs(m) == 0) {
                throw new InputException(input + ": the matrix is all zeros, there is nothing to factorize");
            }
            requireScale("--input", input, m);
            BlockCompositeBilevelProblem problem = FactorizationRuns.problem(m, rank, w);
            BlockIterate uniform = problem.uniformStart(run.seed);
            DMatrixRMaj x0 = initX == null ? uniform.x() : read("--init-x", initX);
            DMatrixRMaj y0 = initY == null ? uniform.y() : read("--init-y", initY);
            checkShape("--init-x", initX, x0, m.numRows, rank, "m x r");
            checkShape("--init-y", initY, y0, rank, m.numCols, "r x n");
            if (initX != null) {
                requireScale("--init-x", initX, x0);
            }
            if (initY != null) {
                requireScale("--init-y", initY, y0);
            }
            double readSeconds = (System.nanoTime() - t0) * 1e-9;

            // 3. the run and its report
            ReportWriter report = new ReportWriter(dir, "factorize",
                    spec.commandLine().getParseResult().originalArgs());
            report.timing("read", readSeconds);
            report.seed(run.seed);
            ObjectNode opt = report.options();
            opt.put("rank", rank);
            w.put(opt);
            opt.put("weights", weightRule.name());
            opt.put("maxIterations", run.maxIter);
            opt.put("tolerance", tol);
            opt.put("start", initX == null && initY == null ? "uniform(seed)"
                    : initX != null && initY != null ? "given" : initX != null ? "given X, uniform(seed) Y"
                    : "uniform(seed) X, given Y");
            opt.put("threads", run.threads);
            opt.put("commonPoolParallelism", parallelism);
            report.inputFile("matrix", input, m);
            if (initX != null) {
                report.inputFile("initX", initX, x0);
            }
            if (initY != null) {
                report.inputFile("initY", initY, y0);
            }

            SolverOptions options = SolverOptions.builder().maxIterations(run.maxIter).relativeTolerance(tol)
                    .seed(run.seed).build();
            Binno solver = new Binno(weightRule.weights);
            Result<BlockIterate> r = solver.solve(problem, new BlockIterate(x0, y0), options,
                    ProgressListener.onStderr(run.quiet, solver.name(), run.maxIter,
                            FactorizationRuns.PROGRESS_COLUMNS));
            long t1 = System.nanoTime();
            FactorizationRuns.Metrics metrics = FactorizationRuns.metrics(r, m, null);
            ObjectNode node = report.run(r);
            node.put("weights", weightRule.name());
            FactorizationRuns.put(node, metrics);
            FactorizationRuns.writeRunFiles(report, node, r, metrics, "", true);
            report.chart("convergence.png", Plots.lineChart(String.format(Locale.ROOT, "%s on %s (%dx%d, r=%d)",
                    solver.name(), input.getFileName(), m.numRows, m.numCols, rank), "iteration", "objective",
                    FactorizationRuns.curves("", r, false)));
            report.timing("report", (System.nanoTime() - t1) * 1e-9);
            Path where = report.finish();

            if (!run.quiet) {
                PrintWriter o = spec.commandLine().getOut();
                o.printf(Locale.ROOT, "BINNO factorization of %s (%dx%d), r = %d, lambda1 %s, lambda2 %s, gamma1 %s,"
                        + " gamma2 %s, seed %d%n%n", input, m.numRows, m.numCols, rank, lambda1, lambda2, gamma1,
                        gamma2, run.seed);
                o.print(FactorizationRuns.table(List.of(new FactorizationRuns.Row(solver.name(), r, metrics)), false)
                        .render());
                o.printf("%nreport: %s%n", where);
                o.flush();
            }
            if (!r.ok()) {
                spec.commandLine().getErr().println("bilevel4j: warning: " + r.message());
            }
        }
        return 0;
    }

    private static DMatrixRMaj read(String option, Path file) {
        try {
            return MatrixIO.read(file);
        } catch (MatrixIOException e) {
            throw new InputException(option + " " + e.getMessage(), e);
        }
    }

    /** The smallest largest-|entry| that BINNO's squared residuals and step sizes handle without underflow. */
    static final double MIN_SCALE = 1e-150;

    /** The largest |entry| whose squares (and products of two) stay finite in double precision. */
    static final double MAX_SCALE = 1e150;

    /**
     * Refuses data whose scale would underflow or overflow the method: squared residuals and the
     * Lipschitz constants ||Y||^2, ||X||^2 of BINNO's steps leave the double range when the
     * largest |entry| is outside [{@value #MIN_SCALE}, {@value #MAX_SCALE}] (an all-zero matrix is
     * refused before).
     *
     * @throws InputException naming the option, the file and the largest |entry|
     */
    static void requireScale(String option, Path file, DMatrixRMaj a) {
        double max = FactorizationMetrics.maxAbs(a);
        if (max != 0 && (max < MIN_SCALE || max > MAX_SCALE)) {
            throw new InputException(option + " " + file + ": the largest |entry| is " + max + ", outside ["
                    + MIN_SCALE + ", " + MAX_SCALE + "] where the method's squares stay in double range;"
                    + " rescale the data (for example by a power of ten)");
        }
    }

    private static void checkShape(String option, Path file, DMatrixRMaj a, int rows, int cols, String what) {
        if (file != null && (a.numRows != rows || a.numCols != cols)) {
            throw new InputException(option + " " + file + " is " + a.numRows + "x" + a.numCols + ", expected "
                    + rows + "x" + cols + " (" + what + ")");
        }
    }
}
