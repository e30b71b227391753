package org.bilevel4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.bilevel4j.apps.factorization.FactorizationMetrics;
import org.bilevel4j.apps.factorization.SparseLowRank;
import org.bilevel4j.cli.report.Plots;
import org.bilevel4j.cli.report.ReportWriter;
import org.bilevel4j.cli.report.SummaryTable;
import org.bilevel4j.problem.BlockCompositeBilevelProblem;
import org.bilevel4j.problem.BlockIterate;
import org.bilevel4j.problem.FactorizationCoupling;
import org.bilevel4j.solver.Result;
import org.bilevel4j.solver.Trace;
import org.ejml.data.DMatrixRMaj;

/**
 * What demo and factorize share: the sparse low-rank factorization problem of the BINNO paper,
 * the metrics of a run, and their rows in the report and the summary table.
 */
final class FactorizationRuns {

    /** Entries with magnitude at most this times the largest one count as zero (sparsity, pictures). */
    static final double SPARSITY_REL_TOL = FactorizationMetrics.SPARSITY_REL_TOL;

    /** Singular values above this times the largest one count towards the numerical rank. */
    static final double RANK_REL_TOL = FactorizationMetrics.RANK_REL_TOL;

    /** The trace columns the progress bar shows. */
    static final List<String> PROGRESS_COLUMNS = List.of("psi1", "psi2");

    private FactorizationRuns() {
    }

    /**
     * The four weights: {@code f1 = lambda1 ||X||_1}, {@code g1 = lambda2 ||Y||_1} (upper level),
     * {@code f2 = gamma1 ||X||_*}, {@code g2 = gamma2 ||Y||_*} (lower level).
     */
    record Weights(double lambda1, double lambda2, double gamma1, double gamma2) {

        /** @throws InputException naming the option of a negative or non-finite weight */
        void validate() {
            check("--lambda1", lambda1);
            check("--lambda2", lambda2);
            check("--gamma1", gamma1);
            check("--gamma2", gamma2);
        }

        private static void check(String option, double v) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new InputException(option + " must be finite and nonnegative, got " + v);
            }
        }

        void put(ObjectNode n) {
            n.put("lambda1", lambda1);
            n.put("lambda2", lambda2);
            n.put("gamma1", gamma1);
            n.put("gamma2", gamma2);
        }
    }

    /** @return the sparse low-rank factorization problem {@code H = 1/2 ||XY - M||^2} with these weights */
    static BlockCompositeBilevelProblem problem(DMatrixRMaj m, int rank, Weights w) {
        return SparseLowRank.problem(new FactorizationCoupling(m, rank), w.lambda1(), w.lambda2(), w.gamma1(),
                w.gamma2());
    }

    /**
     * The quality of one run.
     *
     * @param psi1 final upper-level objective
     * @param psi2 final lower-level objective
     * @param relErrObserved {@code ||M - XY|| / ||M||}
     * @param relErrClean {@code ||M_clean - XY|| / ||M_clean||}, NaN when there is no clean matrix
     * @param sparsityX fraction of entries of X with {@code |x| <= SPARSITY_REL_TOL max|X|}
     * @param sparsityY the same for Y
     * @param zeroTolX the absolute threshold used for X
     * @param zeroTolY the absolute threshold used for Y
     * @param rankXY numerical rank of XY
     * @param psi1Rises iterations whose Psi1 was above the previous one
     * @param psi2Rises iterations whose Psi2 was above the previous one
     * @param traced iterations in the trace
     */
    record Metrics(double psi1, double psi2, double relErrObserved, double relErrClean, double sparsityX,
            double sparsityY, double zeroTolX, double zeroTolY, int rankXY, int psi1Rises, int psi2Rises,
            int traced) {
    }

    static Metrics metrics(Result<BlockIterate> r, DMatrixRMaj observed, DMatrixRMaj clean) {
        DMatrixRMaj x = r.solution().x();
        DMatrixRMaj y = r.solution().y();
        Trace t = r.trace();
        double tolX = SPARSITY_REL_TOL * FactorizationMetrics.maxAbs(x);
        double tolY = SPARSITY_REL_TOL * FactorizationMetrics.maxAbs(y);
        double relClean = clean == null ? Double.NaN : FactorizationMetrics.relativeErrorOfProduct(clean, x, y);
        return new Metrics(t.lastValue("psi1"), t.lastValue("psi2"),
                FactorizationMetrics.relativeErrorOfProduct(observed, x, y), relClean,
                FactorizationMetrics.sparsity(x, tolX), FactorizationMetrics.sparsity(y, tolY), tolX, tolY,
                FactorizationMetrics.numericalRankOfProduct(x, y, RANK_REL_TOL),
                zeros(t.column("psi1_decreased")), zeros(t.column("psi2_decreased")), t.size());
    }

    private static int zeros(double[] flags) {
        int k = 0;
        for (double f : flags) {
            if (f == 0) {
                k++;
            }
        }
        return k;
    }

    /** Puts the metrics into a run's entry of report.json. */
    static void put(ObjectNode run, Metrics m) {
        ObjectNode n = run.putObject("metrics");
        n.put("psi1", m.psi1());
        n.put("psi2", m.psi2());
        n.put("relativeErrorObserved", m.relErrObserved());
        if (!Double.isNaN(m.relErrClean())) {
            n.put("relativeErrorClean", m.relErrClean());
        }
        n.put("sparsityX", m.sparsityX());
        n.put("sparsityY", m.sparsityY());
        n.put("sparsityRelativeTolerance", SPARSITY_REL_TOL);
        n.put("numericalRankXY", m.rankXY());
        n.put("rankRelativeTolerance", RANK_REL_TOL);
        n.put("psi1DecreasedEveryIteration", m.psi1Rises() == 0);
        n.put("psi2DecreasedEveryIteration", m.psi2Rises() == 0);
        n.put("psi1Increases", m.psi1Rises());
        n.put("psi2Increases", m.psi2Rises());
    }

    /** One labelled run for the summary table. */
    record Row(String label, Result<BlockIterate> result, Metrics metrics) {
    }

    /** @return the summary table: one column per run */
    static SummaryTable table(List<Row> rows, boolean withClean) {
        List<String> cols = new ArrayList<>();
        rows.forEach(r -> cols.add(r.label()));
        SummaryTable t = new SummaryTable(cols);
        t.row("stop reason", cells(rows, r -> r.result().stopReason().name()));
        t.row("iterations", cells(rows, r -> Integer.toString(r.result().iterations())));
        t.row("seconds", cells(rows, r -> SummaryTable.fixed(r.result().seconds(), 2)));
        t.row("Psi1 (upper level)", cells(rows, r -> SummaryTable.sci(r.metrics().psi1())));
        t.row("Psi2 (lower level)", cells(rows, r -> SummaryTable.sci(r.metrics().psi2())));
        t.row("rel. error vs observed M", cells(rows, r -> SummaryTable.sci(r.metrics().relErrObserved())));
        if (withClean) {
            t.row("rel. error vs clean M", cells(rows, r -> SummaryTable.sci(r.metrics().relErrClean())));
        }
        String tol = "(|entry| <= " + SPARSITY_REL_TOL + " max)";
        t.row("sparsity of X " + tol, cells(rows, r -> SummaryTable.percent(r.metrics().sparsityX())));
        t.row("sparsity of Y " + tol, cells(rows, r -> SummaryTable.percent(r.metrics().sparsityY())));
        t.row("numerical rank of XY", cells(rows, r -> Integer.toString(r.metrics().rankXY())));
        t.row("Psi1 decreased every iteration", cells(rows, r -> decreased(r.metrics().psi1Rises(),
                r.metrics().traced())));
        t.row("Psi2 decreased every iteration", cells(rows, r -> decreased(r.metrics().psi2Rises(),
                r.metrics().traced())));
        return t;
    }

    private static String decreased(int rises, int traced) {
        return rises == 0 ? "yes" : "no (rose " + rises + " of " + traced + ")";
    }

    private static String[] cells(List<Row> rows, java.util.function.Function<Row, String> f) {
        return rows.stream().map(f).toArray(String[]::new);
    }

    /** Writes a run's trace, factors and sparsity pictures; file names end in {@code suffix}. */
    static void writeRunFiles(ReportWriter report, ObjectNode run, Result<BlockIterate> r, Metrics m, String suffix,
            boolean factors) {
        ObjectNode files = run.putObject("files");
        String trace = "trace" + suffix + ".csv";
        report.trace(trace, r.trace());
        files.put("trace", trace);
        if (factors) {
            String xName = "X" + suffix + ".npy";
            String yName = "Y" + suffix + ".npy";
            report.matrix(xName, r.solution().x());
            report.matrix(yName, r.solution().y());
            files.put("X", xName);
            files.put("Y", yName);
        }
        String px = "sparsity-X" + suffix + ".png";
        String py = "sparsity-Y" + suffix + ".png";
        report.sparsityPicture(px, "X" + suffix, r.solution().x(), m.zeroTolX());
        report.sparsityPicture(py, "Y" + suffix, r.solution().y(), m.zeroTolY());
        files.put("sparsityX", px);
        files.put("sparsityY", py);
    }

    /** @return the Psi1 and Psi2 curves of a run against the iteration */
    static List<Plots.Series> curves(String label, Result<BlockIterate> r, boolean dashed) {
        Trace t = r.trace();
        double[] it = t.column("iteration");
        String suffix = label.isEmpty() ? "" : " " + label;
        return List.of(new Plots.Series("Psi1 (upper)" + suffix, it, t.column("psi1"), dashed),
                new Plots.Series("Psi2 (lower)" + suffix, it, t.column("psi2"), dashed));
    }
}
