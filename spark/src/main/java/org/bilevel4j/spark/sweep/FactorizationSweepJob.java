package org.bilevel4j.spark.sweep;

import java.io.Serial;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bilevel4j.apps.factorization.FactorizationMetrics;
import org.bilevel4j.apps.factorization.SparseLowRank;
import org.bilevel4j.apps.io.MatrixIO;
import org.bilevel4j.apps.io.MatrixIOException;
import org.bilevel4j.problem.BlockCompositeBilevelProblem;
import org.bilevel4j.problem.BlockIterate;
import org.bilevel4j.problem.FactorizationCoupling;
import org.bilevel4j.solver.IterationListener;
import org.bilevel4j.solver.Result;
import org.bilevel4j.solver.SolverOptions;
import org.bilevel4j.solver.binno.Binno;
import org.bilevel4j.solver.binno.BinnoWeights;
import org.ejml.data.DMatrixRMaj;

/**
 * BINNO's sparse low-rank factorization {@code M ~ X Y} of a matrix from a file, as
 * {@code bilevel4j factorize} runs it (BINNO paper: Selicato, Esposito, Ang, arXiv 2510.21390):
 * <pre>
 *   upper:  lambda1 ||X||_1 + lambda2 ||Y||_1 + 1/2 ||XY - M||_F^2
 *   lower:  gamma1  ||X||_* + gamma2  ||Y||_* + 1/2 ||XY - M||_F^2
 * </pre>
 * with the midpoint weights, from X, Y uniform on [0, 1) drawn from the run's seed, for
 * {@code max_iter} iterations (or until Psi1 and Psi2 change by at most {@code tol}, relative).
 *
 * <p>Parameters: {@code lambda1}, {@code lambda2}, {@code gamma1}, {@code gamma2} (0.005 each, as
 * factorize), {@code rank} r (the job's default), {@code max_iter} (1000), {@code tol} (0).
 * Metrics: {@code psi1}, {@code psi2} (final objectives), {@code rel_error}
 * {@code = ||M - XY||_F / ||M||_F}, {@code sparsity_x}, {@code sparsity_y} (share of entries at most
 * 1e-3 times the largest in magnitude), {@code rank_xy} (numerical rank of XY, singular values
 * above 1e-6 times the largest), {@code solver_seconds}: the definitions of factorize's report.
 *
 * @param input the matrix file (.csv, .mtx or .npy; {@link MatrixIO})
 * @param defaultRank r for settings that do not give {@code rank}
 */
public record FactorizationSweepJob(String input, int defaultRank) implements SweepJob<FactorizationSweepJob.Data> {

    @Serial
    private static final long serialVersionUID = 1L;

    /** Checks the fields. */
    public FactorizationSweepJob {
        Objects.requireNonNull(input, "input");
        if (defaultRank < 1) {
            throw new IllegalArgumentException("--rank must be at least 1, got " + defaultRank);
        }
    }

    /**
     * The matrix, broadcast to the executors.
     *
     * @param m the matrix M
     */
    public record Data(DMatrixRMaj m) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
    }

    @Override
    public String name() {
        return "factorize-binno";
    }

    @Override
    public Map<String, Double> defaults() {
        Map<String, Double> d = new LinkedHashMap<>();
        d.put("lambda1", 0.005);
        d.put("lambda2", 0.005);
        d.put("gamma1", 0.005);
        d.put("gamma2", 0.005);
        d.put("rank", (double) defaultRank);
        d.put("max_iter", 1000.0);
        d.put("tol", 0.0);
        return d;
    }

    @Override
    public List<String> metrics() {
        return List.of("psi1", "psi2", "rel_error", "sparsity_x", "sparsity_y", "rank_xy", "solver_seconds");
    }

    @Override
    public void validate(Setting s) {
        SweepJob.super.validate(s);
        Setting f = s.withDefaults(defaults());
        for (String w : List.of("lambda1", "lambda2", "gamma1", "gamma2", "tol")) {
            double v = f.get(w);
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException(w + " must be finite and nonnegative, got " + v);
            }
        }
        if (f.getInt("rank", defaultRank) < 1) {
            throw new IllegalArgumentException("rank must be at least 1, got " + f.get("rank"));
        }
        if (f.getInt("max_iter", 1000) < 1) {
            throw new IllegalArgumentException("max_iter must be at least 1, got " + f.get("max_iter"));
        }
    }

    @Override
    public Data prepare() {
        DMatrixRMaj m;
        try {
            m = MatrixIO.read(Path.of(input));
        } catch (MatrixIOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (FactorizationMetrics.maxAbs(m) == 0) {
            throw new IllegalArgumentException(input + ": the matrix is all zeros, there is nothing to factorize");
        }
        return new Data(m);
    }

    @Override
    public Outcome run(Data d, Setting s, long seed) {
        DMatrixRMaj m = d.m();
        int r = s.getInt("rank", defaultRank);
        if (r > Math.min(m.numRows, m.numCols)) {
            throw new IllegalArgumentException("rank must be at most min(m, n) = " + Math.min(m.numRows, m.numCols)
                    + ", got " + r);
        }
        BlockCompositeBilevelProblem problem = SparseLowRank.problem(new FactorizationCoupling(m, r), s.get("lambda1"),
                s.get("lambda2"), s.get("gamma1"), s.get("gamma2"));
        int iters = s.getInt("max_iter", 1000);
        SolverOptions opts = SolverOptions.builder().maxIterations(iters).relativeTolerance(s.get("tol")).seed(seed)
                .traceEvery(Math.max(1, iters / 1000)).build();
        Result<BlockIterate> res = new Binno(BinnoWeights.MIDPOINT).solve(problem, problem.uniformStart(seed), opts,
                IterationListener.none());
        DMatrixRMaj x = res.solution().x();
        DMatrixRMaj y = res.solution().y();
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("psi1", res.trace().lastValue("psi1"));
        out.put("psi2", res.trace().lastValue("psi2"));
        out.put("rel_error", FactorizationMetrics.relativeErrorOfProduct(m, x, y));
        double tol = FactorizationMetrics.SPARSITY_REL_TOL;
        out.put("sparsity_x", FactorizationMetrics.sparsity(x, tol * FactorizationMetrics.maxAbs(x)));
        out.put("sparsity_y", FactorizationMetrics.sparsity(y, tol * FactorizationMetrics.maxAbs(y)));
        out.put("rank_xy", (double) FactorizationMetrics.numericalRankOfProduct(x, y,
                FactorizationMetrics.RANK_REL_TOL));
        out.put("solver_seconds", res.seconds());
        return new Outcome(out, res.iterations(), res.stopReason().name());
    }
}
