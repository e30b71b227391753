package org.bilevel4j.apps.toys;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.bilevel4j.problem.MinimaxBilevelPoint;
import org.bilevel4j.solver.Driver;
import org.bilevel4j.solver.IterationInfo;
import org.bilevel4j.solver.IterationListener;
import org.bilevel4j.solver.Result;
import org.bilevel4j.solver.SolverOptions;
import org.bilevel4j.solver.StopReason;
import org.bilevel4j.solver.Trace;
import org.bilevel4j.solver.minimax.PenaltyMinimax;
import org.bilevel4j.solver.minimax.PenaltyMinimaxState;
import org.bilevel4j.solver.minimax.StochasticPenaltyMinimax;
import org.bilevel4j.solver.minimax.StochasticPenaltyState;

/**
 * Runs the penalty minimax method on the test problems T1 to T5 and measures each run against the
 * closed-form (or golden-section) solution: the rows behind {@code bilevel4j minimax} and its plots.
 * Nothing prints here.
 */
public final class MinimaxExperiment {

    /** Finite-sum T1 of the stochastic runs: N = 100 components, spread 1, seed 42. */
    public static final int FINITE_SUM_COMPONENTS = 100;
    private static final double FINITE_SUM_SPREAD = 1.0;
    private static final long FINITE_SUM_SEED = 42;
    /** Path points are recorded each time the gradient calls grow by this factor. */
    private static final double PATH_GROWTH = 1.05;

    private MinimaxExperiment() {
    }

    /**
     * The settings of one run.
     *
     * @param problem T1 to T5
     * @param rho the target penalty parameter, positive
     * @param eps eps at the target rho, positive, or NaN for {@code c / rho} with the default c
     * @param stochastic whether to run the stochastic variant (T1 only, on finite-sum T1)
     * @param batch the minibatch size of the stochastic variant
     * @param budget the component-gradient budget of the stochastic variant
     * @param seed the seed of the stochastic variant's minibatches
     * @param maxIterations the cap on proximal (outer) steps over all continuation levels
     */
    public record Settings(String problem, double rho, double eps, boolean stochastic, int batch, long budget,
            long seed, int maxIterations) {

        /**
         * Validates what the solvers do not.
         *
         * @param problem the problem
         * @param rho the target penalty parameter, positive
         * @param eps eps at the target rho, positive, or NaN for {@code c / rho} with the default c
         * @param stochastic whether to run the stochastic variant (T1 only, on finite-sum T1)
         * @param batch the minibatch size of the stochastic variant
         * @param budget the component-gradient budget of the stochastic variant
         * @param seed the seed of the random generator
         * @param maxIterations the iteration limit
         */
        public Settings {
            Objects.requireNonNull(problem, "problem");
            if (!(rho > 0) || Double.isInfinite(rho)) {
                throw new IllegalArgumentException("rho must be positive and finite, got " + rho);
            }
            if (!Double.isNaN(eps) && (!(eps > 0) || Double.isInfinite(eps))) {
                throw new IllegalArgumentException("eps must be positive and finite, got " + eps);
            }
            if (batch < 1 || batch > FINITE_SUM_COMPONENTS) {
                throw new IllegalArgumentException("batch must be in [1, " + FINITE_SUM_COMPONENTS + "], got " + batch);
            }
            if (budget < 1) {
                throw new IllegalArgumentException("budget must be positive, got " + budget);
            }
            if (maxIterations < 1) {
                throw new IllegalArgumentException("maxIterations must be at least 1, got " + maxIterations);
            }
            if (stochastic && !problem.trim().equalsIgnoreCase("T1")) {
                throw new IllegalArgumentException("the stochastic variant runs on finite-sum T1 only, got problem "
                        + problem);
            }
        }

        /**
         * @param problem the problem
         * @param rho the penalty parameter
         * @return deterministic settings with the default eps
         */
        public static Settings deterministic(String problem, double rho) {
            return new Settings(problem, rho, Double.NaN, false, 10, 2_000_000, 0, 50_000_000);
        }

        /**
         * @param rho the penalty parameter
         * @param batch the minibatch size
         * @param budget the budget of component-gradient calls
         * @param seed the seed of the random generator
         * @return stochastic settings on finite-sum T1
         */
        public static Settings stochastic(double rho, int batch, long budget, long seed) {
            return new Settings("T1", rho, Double.NaN, true, batch, budget, seed, Integer.MAX_VALUE);
        }

        /**
         * @param r the penalty parameter
         * @return these settings at another rho (eps, if set, is kept as c / rho with the same c)
         */
        public Settings withRho(double r) {
            double e = Double.isNaN(eps) ? Double.NaN : eps * rho / r;
            return new Settings(problem, r, e, stochastic, batch, budget, seed, maxIterations);
        }

        /** @return eps at the target rho */
        public double effectiveEps() {
            return Double.isNaN(eps) ? PenaltyMinimax.DEFAULT_EPS_CONSTANT / rho : eps;
        }
    }

    /**
     * One point of a run's path.
     *
     * @param gradientCalls cumulative gradient calls (component-gradient calls when stochastic)
     * @param error the error against the reference solution
     * @param gap the exact lower-level gap
     */
    public record PathPoint(long gradientCalls, double error, double gap) {
    }

    /**
     * The outcome of one run.
     *
     * @param settings the settings
     * @param description the problem's one-line description
     * @param solution the computed (x1, x2, y1, y2)
     * @param reference the closed-form (T5: golden-section) solution
     * @param error the largest deviation over x1, y1, y2 ({@link MinimaxToy#error})
     * @param errorX1 the deviation in x1
     * @param errorX2 the deviation in x2 (0 without x2)
     * @param multiplierError T4's multiplier deviation, NaN elsewhere
     * @param gap the exact lower-level gap at the solution ({@link MinimaxToy#lowerGap})
     * @param upperValue f at the solution
     * @param referenceValue f at the reference solution
     * @param gradientCalls evaluations of grad P_rho (stochastic: component-gradient evaluations)
     * @param seconds wall-clock seconds of the run, start-up included
     * @param stopReason why it stopped
     * @param iterations proximal (outer) steps
     * @param message the solver's account of the stop
     * @param trace the solver's trace
     * @param path error and gap against gradient calls, on a geometric grid of calls
     * @param note extra facts (T4: the multiplier bound), or an empty string
     */
    public record Outcome(Settings settings, String description, MinimaxBilevelPoint solution,
            MinimaxBilevelPoint reference, double error, double errorX1, double errorX2, double multiplierError,
            double gap, double upperValue, double referenceValue, long gradientCalls, double seconds,
            StopReason stopReason, int iterations, String message, Trace trace, List<PathPoint> path, String note) {

        /** @return the name of the calls unit */
        public String callsUnit() {
            return settings.stochastic() ? "component-gradient calls" : "gradient calls";
        }
    }

    /**
     * Runs one setting.
     *
     * @param s the settings
     * @return the outcome
     */
    public static Outcome run(Settings s) {
        MinimaxToy toy = MinimaxToys.byName(s.problem());
        return s.stochastic() ? runStochastic(s, toy) : runDeterministic(s, toy);
    }

    /**
     * Runs the same settings at each rho.
     *
     * @param base the settings
     * @param rhos the penalty parameters
     * @return one outcome per rho
     */
    public static List<Outcome> sweep(Settings base, double[] rhos) {
        List<Outcome> out = new ArrayList<>();
        for (double r : rhos) {
            out.add(run(base.withRho(r)));
        }
        return out;
    }

    private static Outcome runDeterministic(Settings s, MinimaxToy toy) {
        PenaltyMinimax pm = PenaltyMinimax.builder(s.rho()).eps(s.effectiveEps()).build();
        SolverOptions options = SolverOptions.builder().maxIterations(s.maxIterations()).traceEvery(10).build();
        long t0 = System.nanoTime();
        PenaltyMinimaxState st = pm.init(toy.problem(), toy.start(), options);
        PathRecorder rec = new PathRecorder(toy, "grad_calls", st::solution);
        rec.record(st.gradientCalls(), st.solution());
        Result<MinimaxBilevelPoint> r = Driver.run(pm, toy.problem(), st, options, rec);
        double seconds = (System.nanoTime() - t0) * 1e-9;
        rec.finish(st.gradientCalls(), r.solution());
        String note = toy instanceof T4ConstrainedLower t4 ? "multiplier bound: " + t4.lowerLevel().multiplierBound()
                : "";
        return outcome(s, toy, r, st.gradientCalls(), seconds, rec.path, note);
    }

    private static Outcome runStochastic(Settings s, MinimaxToy toy) {
        T1FiniteSum fs = new T1FiniteSum(FINITE_SUM_COMPONENTS, FINITE_SUM_SPREAD, FINITE_SUM_SEED);
        StochasticPenaltyMinimax sp = StochasticPenaltyMinimax.builder(s.rho()).epsConstant(s.effectiveEps() * s.rho())
                .batchSize(s.batch()).componentBudget(s.budget()).build();
        SolverOptions options = SolverOptions.builder().maxIterations(s.maxIterations()).seed(s.seed())
                .traceEvery(10).build();
        long t0 = System.nanoTime();
        var problem = fs.sampled();
        StochasticPenaltyState st = sp.init(problem, toy.start(), options);
        long left = s.budget() - st.componentCalls();
        if (left < sp.callsPerOuterStep()) {
            throw new IllegalArgumentException("budget " + s.budget() + " does not cover one outer step");
        }
        int steps = (int) Math.min(s.maxIterations(), left / sp.callsPerOuterStep());
        PathRecorder rec = new PathRecorder(toy, "component_calls", st::solution);
        rec.record(st.componentCalls(), st.solution());
        Result<MinimaxBilevelPoint> r = Driver.run(sp, problem, st, options.withMaxIterations(steps), rec);
        double seconds = (System.nanoTime() - t0) * 1e-9;
        rec.finish(st.componentCalls(), r.solution());
        String note = String.format(Locale.ROOT, "finite-sum T1: N = %d, minibatch %d, seed %d, budget %d",
                FINITE_SUM_COMPONENTS, s.batch(), s.seed(), s.budget());
        return outcome(s, toy, r, st.componentCalls(), seconds, rec.path, note);
    }

    private static Outcome outcome(Settings s, MinimaxToy toy, Result<MinimaxBilevelPoint> r, long calls,
            double seconds, List<PathPoint> path, String note) {
        MinimaxBilevelPoint x = r.solution();
        MinimaxBilevelPoint ref = toy.solution();
        double upper = toy.problem().upperValue(x.x1(), x.x2(), x.y1(), x.y2());
        return new Outcome(s, toy.description(), x, ref, toy.error(x), toy.errorX1(x), toy.errorX2(x),
                toy.multiplierError(x), toy.lowerGap(x), upper, toy.solutionValue(), calls, seconds, r.stopReason(),
                r.iterations(), r.message(), r.trace(), List.copyOf(path), note);
    }

    /** Records error and gap each time the calls grow by {@link #PATH_GROWTH}. */
    private static final class PathRecorder implements IterationListener {
        private final MinimaxToy toy;
        private final String column;
        private final java.util.function.Supplier<MinimaxBilevelPoint> current;
        final List<PathPoint> path = new ArrayList<>();
        private double next = 1;
        private long last = -1;

        PathRecorder(MinimaxToy toy, String column, java.util.function.Supplier<MinimaxBilevelPoint> current) {
            this.toy = toy;
            this.column = column;
            this.current = current;
        }

        void record(long calls, MinimaxBilevelPoint p) {
            path.add(new PathPoint(calls, toy.error(p), toy.lowerGap(p)));
            last = calls;
            next = Math.max(next, calls * PATH_GROWTH);
        }

        @Override
        public void onIteration(IterationInfo info) {
            long calls = (long) info.get(column);
            if (calls >= next) {
                record(calls, current.get());
            }
        }

        void finish(long calls, MinimaxBilevelPoint p) {
            if (calls != last) {
                record(calls, p);
            }
        }
    }
}
