package org.bilevel4j.apps.factorization;

import org.bilevel4j.function.LogPenalty;
import org.bilevel4j.function.SmoothL1;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.bilevel4j.function.SmoothFunction;
import org.bilevel4j.problem.SimpleBilevelProblem;
import org.bilevel4j.solver.IterativeSolver;
import org.bilevel4j.solver.Result;
import org.bilevel4j.solver.SolverOptions;
import org.bilevel4j.solver.StopReason;
import org.bilevel4j.solver.Trace;
import org.bilevel4j.solver.simple.Dbgd;
import org.bilevel4j.solver.simple.PenaltyMethod;
import org.bilevel4j.solver.simple.SimpleBilevelState;
import org.bilevel4j.solver.simple.Stationarity;
import org.ejml.data.DMatrixRMaj;

/**
 * The matrix-factorization experiment of the DBGD method page (the paper's Figure 2): for every seed,
 * both choices of A ({@code W W^T} and {@code W W^T + I}) and both sparsity upper levels (smooth l1
 * and log, delta = 1), DBGD over a grid of beta against the penalty method over a grid of gamma, all
 * from {@code U0} with the constant step {@code eta = etaScale / ||A||_2} (penalty: {@code eta / gamma}
 * for gamma &gt; 1), for a fixed number of iterations.
 *
 * <p>The acceptance check of the issue ({@link #check}): for every (seed, A, upper level), DBGD with
 * beta = 1 and with beta = 10 ends with {@code ||grad g||} at least {@link #REQUIRED_RATIO} times
 * below every penalty run with gamma &lt;= 10.
 */
public final class SymmetricFactorizationExperiment {

    /** The separation the acceptance check asks for. */
    public static final double REQUIRED_RATIO = 5.0;

    private SymmetricFactorizationExperiment() {
    }

    /** The sparsity upper level. */
    public enum Upper {
        /** {@code sum sqrt(U_ij^2 + delta^2)}. */
        SMOOTH_L1("smooth-l1"),
        /** {@code sum log(1 + U_ij^2 / delta^2)}. */
        LOG("log");

        private final String label;

        Upper(String label) {
            this.label = label;
        }

        /** @return the label of tables and figures */
        public String label() {
            return label;
        }

        /**
         * @param delta the smoothing parameter delta, positive
         * @return the function with this delta
         */
        public SmoothFunction function(double delta) {
            return this == SMOOTH_L1 ? new SmoothL1(delta) : new LogPenalty(delta);
        }
    }

    /**
     * What to run.
     *
     * @param n rows of U
     * @param r columns of U
     * @param iterations iterations of every run (also the limit: runs stop early only on the stationarity
     *     test or when f and g stop changing exactly)
     * @param betas DBGD's barrier weights
     * @param gammas the penalty weights
     * @param seeds the instance seeds
     * @param shifts the identity shifts of A (0: {@code W W^T}; 1: {@code W W^T + I})
     * @param uppers the upper levels
     * @param etaScale {@code eta = etaScale / ||A||_2}
     * @param delta the sparsity penalties' smoothing
     * @param traceEvery keep every this many trace rows
     * @param eps the stationarity tolerance {@code eps_f = eps_g}
     */
    public record Settings(int n, int r, int iterations, List<Double> betas, List<Double> gammas, List<Long> seeds,
            List<Double> shifts, List<Upper> uppers, double etaScale, double delta, int traceEvery, double eps) {

        /**
         * Validates and copies.
         *
         * @param n rows of U
         * @param r columns of U
         * @param iterations iterations of every run (also the limit: runs stop early only on the stationarity test or when f and g stop changing exactly)
         * @param betas DBGD's barrier weights
         * @param gammas the penalty weights
         * @param seeds the instance seeds
         * @param shifts the identity shifts of A (0: {@code W W^T}; 1: {@code W W^T + I})
         * @param uppers the upper levels
         * @param etaScale {@code eta = etaScale / ||A||_2}
         * @param delta the sparsity penalties' smoothing
         * @param traceEvery keep every this many trace rows
         * @param eps the stationarity tolerance {@code eps_f = eps_g}
         */
        public Settings {
            if (n < 1 || r < 1 || r > n) {
                throw new IllegalArgumentException("need 1 <= r <= n, got n=" + n + ", r=" + r);
            }
            if (iterations < 1) {
                throw new IllegalArgumentException("iterations must be at least 1, got " + iterations);
            }
            betas = List.copyOf(betas);
            gammas = List.copyOf(gammas);
            seeds = List.copyOf(seeds);
            shifts = List.copyOf(shifts);
            uppers = List.copyOf(uppers);
            if (seeds.isEmpty() || shifts.isEmpty() || uppers.isEmpty()) {
                throw new IllegalArgumentException("need at least one seed, one shift and one upper level");
            }
            for (double s : shifts) {
                if (!(s >= 0) || Double.isInfinite(s)) {
                    throw new IllegalArgumentException("shifts must be finite and nonnegative (A positive semidefinite),"
                            + " got " + s);
                }
            }
            if (!(etaScale > 0) || Double.isInfinite(etaScale)) {
                throw new IllegalArgumentException("etaScale must be positive and finite, got " + etaScale);
            }
            if (!(delta > 0) || Double.isInfinite(delta)) {
                throw new IllegalArgumentException("delta must be positive and finite, got " + delta);
            }
            if (traceEvery < 1) {
                throw new IllegalArgumentException("traceEvery must be at least 1, got " + traceEvery);
            }
            if (!(eps >= 0) || Double.isInfinite(eps)) {
                throw new IllegalArgumentException("eps must be finite and nonnegative, got " + eps);
            }
        }

        /**
         * The method page's instance and grids: n = 20, r = 5, 2e4 iterations, beta in {0.1, 1, 10},
         * gamma in {0.1, 1, 10, 100}, seeds 0..4, A = W W^T and W W^T + I, smooth l1 and log (delta = 1),
         * eta = 1e-2 / ||A||_2; trace every 20 iterations; eps = 1e-6.
         *
         * @return the settings
         */
        public static Settings paper() {
            return new Settings(20, 5, 20_000, List.of(0.1, 1.0, 10.0), List.of(0.1, 1.0, 10.0, 100.0),
                    List.of(0L, 1L, 2L, 3L, 4L), List.of(0.0, 1.0), List.of(Upper.SMOOTH_L1, Upper.LOG), 1e-2, 1.0, 20,
                    1e-6);
        }

        /**
         * @param s the seeds
         * @return these settings with other seeds
         */
        public Settings withSeeds(List<Long> s) {
            return new Settings(n, r, iterations, betas, gammas, s, shifts, uppers, etaScale, delta, traceEvery, eps);
        }

        /**
         * @param k the iteration count
         * @return these settings with another iteration count
         */
        public Settings withIterations(int k) {
            return new Settings(n, r, k, betas, gammas, seeds, shifts, uppers, etaScale, delta, traceEvery, eps);
        }

        /**
         * @param b the grid of DBGD's beta
         * @param g the grid of the penalty's gamma
         * @return these settings with other grids
         */
        public Settings withGrids(List<Double> b, List<Double> g) {
            return new Settings(n, r, iterations, b, g, seeds, shifts, uppers, etaScale, delta, traceEvery, eps);
        }

        /** @return the number of runs */
        public int runCount() {
            return seeds.size() * shifts.size() * uppers.size() * (betas.size() + gammas.size());
        }
    }

    /**
     * One run's final numbers.
     *
     * @param seed instance seed
     * @param shift identity shift of A
     * @param upper the upper level
     * @param method "DBGD" or "penalty"
     * @param hyperName "beta" or "gamma"
     * @param hyper its value
     * @param eta the base step {@code etaScale / ||A||_2}
     * @param gradGNorm final {@code ||grad g||}
     * @param gradFPerpNorm final {@code ||grad f_perp||}
     * @param f final upper-level value (sparsity)
     * @param g final lower-level value (reconstruction)
     * @param gStar {@code min g} of the instance
     * @param lambda final multiplier column (gamma for the penalty)
     * @param dNorm final {@code ||d||}
     * @param bestGradGNorm smallest {@code ||grad g||} over the run
     * @param iterations iterations done
     * @param seconds wall-clock seconds of the run
     * @param stopReason why it stopped
     * @param trace the trace (every {@code traceEvery} iterations)
     */
    public record Row(long seed, double shift, Upper upper, String method, String hyperName, double hyper, double eta,
            double gradGNorm, double gradFPerpNorm, double f, double g, double gStar, double lambda, double dNorm,
            double bestGradGNorm, int iterations, double seconds, StopReason stopReason, Trace trace) {

        /** @return "WW^T" or "WW^T+I" */
        public String aLabel() {
            return aLabel(shift);
        }

        /**
         * @param shift the shift of the eigenvalues of A
         * @return the label of A for a shift
         */
        public static String aLabel(double shift) {
            if (shift == 0) {
                return "WW^T";
            }
            return shift == 1 ? "WW^T+I" : String.format(Locale.ROOT, "WW^T+%gI", shift);
        }
    }

    /**
     * The outcome of the acceptance check.
     *
     * @param applicable whether every group has DBGD with beta = 1 and beta = 10 and a penalty run with
     *     gamma &lt;= 10
     * @param pass whether every group met the ratio (false when not applicable)
     * @param worstRatio the smallest {@code min_{gamma <= 10} ||grad g||_penalty / max_{beta in {1, 10}} ||grad g||_DBGD}
     *     over the groups
     * @param worstGroup the group where it occurred: seed, A, upper
     * @param groups the number of (seed, A, upper) groups
     */
    public record Check(boolean applicable, boolean pass, double worstRatio, String worstGroup, int groups) {

        /** @return one line: PASS or FAIL with the numbers */
        public String summary() {
            if (!applicable) {
                return "SKIP 5x check: needs beta = 1, beta = 10 and a gamma <= 10 in every group";
            }
            return String.format(Locale.ROOT,
                    "%s 5x check: final ||grad g|| of every penalty run with gamma <= 10 over the worst DBGD run with"
                            + " beta in {1, 10}, smallest ratio over %d groups (seed, A, upper level) = %.2f (%s);"
                            + " required >= %.0f",
                    pass ? "PASS" : "FAIL", groups, worstRatio, worstGroup, REQUIRED_RATIO);
        }
    }

    /**
     * Everything one experiment produced.
     *
     * @param settings what ran
     * @param rows one per run, in the order seeds, shifts, uppers, betas then gammas
     * @param check the acceptance check
     * @param seconds wall-clock seconds of the whole grid
     */
    public record Report(Settings settings, List<Row> rows, Check check, double seconds) {
    }

    /**
     * Runs the grid.
     *
     * @param settings what to run
     * @param threads parallel runs (1: one after the other); per-run seconds are wall-clock either way
     * @param onRow called after each run, from the worker's thread (progress); may be a no-op
     * @return the rows and the check
     */
    public static Report run(Settings settings, int threads, Consumer<Row> onRow) {
        Objects.requireNonNull(onRow, "onRow");
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        long t0 = System.nanoTime();
        List<Callable<Row>> jobs = new ArrayList<>();
        Stationarity stat = Stationarity.of(settings.eps());
        for (long seed : settings.seeds()) {
            for (double shift : settings.shifts()) {
                SymmetricFactorization inst = SymmetricFactorization.generate(settings.n(), settings.r(), shift, seed);
                double eta = settings.etaScale() / inst.spectralNorm();
                double gStar = inst.lowerMinimum();
                for (Upper upper : settings.uppers()) {
                    SimpleBilevelProblem problem = inst.problem(upper.function(settings.delta()));
                    for (double beta : settings.betas()) {
                        jobs.add(() -> row(settings, inst, problem, upper, Dbgd.of(beta, eta, stat), "DBGD", "beta", beta,
                                eta, gStar, onRow));
                    }
                    for (double gamma : settings.gammas()) {
                        jobs.add(() -> row(settings, inst, problem, upper, PenaltyMethod.of(gamma, eta, stat), "penalty",
                                "gamma", gamma, eta, gStar, onRow));
                    }
                }
            }
        }
        List<Row> rows = new ArrayList<>();
        if (threads == 1) {
            for (Callable<Row> job : jobs) {
                try {
                    rows.add(job.call());
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        } else {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                for (Future<Row> f : pool.invokeAll(jobs)) {
                    rows.add(f.get());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
            } finally {
                pool.shutdownNow();
            }
        }
        return new Report(settings, List.copyOf(rows), check(rows), (System.nanoTime() - t0) * 1e-9);
    }

    private static Row row(Settings s, SymmetricFactorization inst, SimpleBilevelProblem problem, Upper upper,
            IterativeSolver<SimpleBilevelProblem, DMatrixRMaj, SimpleBilevelState> solver, String method,
            String hyperName, double hyper, double eta, double gStar, Consumer<Row> onRow) {
        SolverOptions options = SolverOptions.builder().maxIterations(s.iterations()).traceEvery(s.traceEvery())
                .seed(inst.seed()).build();
        Result<DMatrixRMaj> r = solver.solve(problem, inst.start(), options);
        Trace t = r.trace();
        Row row = new Row(inst.seed(), inst.shift(), upper, method, hyperName, hyper, eta, t.lastValue("grad_g_norm"),
                t.lastValue("grad_f_perp_norm"), t.lastValue("f"), t.lastValue("g"), gStar, t.lastValue("lambda"),
                t.lastValue("d_norm"), t.lastValue("best_grad_g_norm"), r.iterations(), r.seconds(), r.stopReason(), t);
        onRow.accept(row);
        return row;
    }

    /**
     * The acceptance check: in every (seed, A, upper) group, {@code min} over penalty runs with
     * gamma &lt;= 10 of the final {@code ||grad g||}, divided by the {@code max} over DBGD runs with
     * beta in {1, 10}, is at least {@link #REQUIRED_RATIO}.
     *
     * @param rows the number of rows
     * @return the outcome of the check
     */
    public static Check check(List<Row> rows) {
        record Key(long seed, double shift, Upper upper) {
        }
        final class Group {
            double worstDbgd = Double.NEGATIVE_INFINITY;
            double bestPenalty = Double.POSITIVE_INFINITY;
            boolean betaOne;
            boolean betaTen;
            boolean penalty;
        }
        Map<Key, Group> groups = new LinkedHashMap<>();
        for (Row r : rows) {
            Group g = groups.computeIfAbsent(new Key(r.seed(), r.shift(), r.upper()), k -> new Group());
            if (r.method().equals("DBGD") && (r.hyper() == 1.0 || r.hyper() == 10.0)) {
                g.worstDbgd = Math.max(g.worstDbgd, r.gradGNorm());
                g.betaOne |= r.hyper() == 1.0;
                g.betaTen |= r.hyper() == 10.0;
            } else if (r.method().equals("penalty") && r.hyper() <= 10.0) {
                g.bestPenalty = Math.min(g.bestPenalty, r.gradGNorm());
                g.penalty = true;
            }
        }
        boolean applicable = !groups.isEmpty();
        double worst = Double.POSITIVE_INFINITY;
        String where = "";
        for (Map.Entry<Key, Group> e : groups.entrySet()) {
            Group g = e.getValue();
            if (!g.betaOne || !g.betaTen || !g.penalty) {
                applicable = false;
                continue;
            }
            double ratio = g.bestPenalty / g.worstDbgd;
            if (!(ratio >= worst)) {
                worst = ratio;
                Key k = e.getKey();
                where = "seed " + k.seed() + ", A = " + Row.aLabel(k.shift()) + ", " + k.upper().label();
            }
        }
        if (!applicable) {
            return new Check(false, false, Double.NaN, "", groups.size());
        }
        return new Check(true, worst >= REQUIRED_RATIO, worst, where, groups.size());
    }
}
