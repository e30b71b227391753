package org.bilevel4j.apps.toys;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bilevel4j.problem.SimpleBilevelProblem;
import org.bilevel4j.solver.Driver;
import org.bilevel4j.solver.IterationListener;
import org.bilevel4j.solver.IterativeSolver;
import org.bilevel4j.solver.Result;
import org.bilevel4j.solver.SolverOptions;
import org.bilevel4j.solver.simple.Bloop;
import org.bilevel4j.solver.simple.Dbgd;
import org.bilevel4j.solver.simple.PenaltyMethod;
import org.bilevel4j.solver.simple.SimpleBilevelState;
import org.bilevel4j.solver.simple.Stationarity;
import org.ejml.data.DMatrixRMaj;

/**
 * The toy experiment of the DBGD method page: both cases of {@link CircleToy}, several starts, DBGD
 * (beta grid) against the penalty method (gamma grid, step {@code eta / gamma} for gamma &gt; 1) and
 * BLOOP. Each run keeps its {@link Result} (with the trace) and its path in the plane for the
 * trajectory figure.
 */
public final class CircleToyExperiment {

    private CircleToyExperiment() {
    }

    /**
     * What to run.
     *
     * @param eta the constant step (the method page: 0.02)
     * @param betas DBGD's barrier weights (the method page: 1)
     * @param gammas the penalty weights (the method page: 1, 10, 100)
     * @param bloopLams BLOOP's weights (empty: no BLOOP runs)
     * @param starts the start points, each {x1, x2}
     * @param maxIterations iteration limit of every run
     * @param eps the stationarity tolerance {@code eps_f = eps_g}
     */
    public record Settings(double eta, List<Double> betas, List<Double> gammas, List<Double> bloopLams,
            List<double[]> starts, int maxIterations, double eps) {

        /**
         * Validates and copies.
         *
         * @param eta the constant step (the method page: 0.02)
         * @param betas DBGD's barrier weights (the method page: 1)
         * @param gammas the penalty weights (the method page: 1, 10, 100)
         * @param bloopLams BLOOP's weights (empty: no BLOOP runs)
         * @param starts the start points, each {x1, x2}
         * @param maxIterations the iteration limit
         * @param eps the stationarity tolerance {@code eps_f = eps_g}
         */
        public Settings {
            if (!(eta > 0) || Double.isInfinite(eta)) {
                throw new IllegalArgumentException("eta must be positive and finite, got " + eta);
            }
            betas = List.copyOf(betas);
            gammas = List.copyOf(gammas);
            bloopLams = List.copyOf(bloopLams);
            List<double[]> s = new ArrayList<>();
            for (double[] p : starts) {
                if (p.length != 2 || !Double.isFinite(p[0]) || !Double.isFinite(p[1])) {
                    throw new IllegalArgumentException("a start is two finite numbers, got " + java.util.Arrays.toString(p));
                }
                s.add(p.clone());
            }
            starts = List.copyOf(s);
            if (starts.isEmpty()) {
                throw new IllegalArgumentException("at least one start is needed");
            }
            if (maxIterations < 1) {
                throw new IllegalArgumentException("maxIterations must be at least 1, got " + maxIterations);
            }
            if (!(eps >= 0) || Double.isInfinite(eps)) {
                throw new IllegalArgumentException("eps must be finite and nonnegative, got " + eps);
            }
        }

        /**
         * The method page's settings: eta = 0.02, beta = 1, gamma in {1, 10, 100}, BLOOP with lam = 1,
         * starts (0.5, 0.5), (-1.5, 0), (0.2, -1.3), 30000 iterations (the gamma = 100 penalty needs
         * about 22700 to settle), eps = 1e-6.
         *
         * @return the settings
         */
        public static Settings paper() {
            return new Settings(0.02, List.of(1.0), List.of(1.0, 10.0, 100.0), List.of(1.0),
                    List.of(new double[] {0.5, 0.5}, new double[] {-1.5, 0}, new double[] {0.2, -1.3}), 30_000, 1e-6);
        }

        /**
         * @param n the iteration limit
         * @return these settings with another iteration limit
         */
        public Settings withMaxIterations(int n) {
            return new Settings(eta, betas, gammas, bloopLams, starts, n, eps);
        }
    }

    /**
     * One run.
     *
     * @param toy the instance
     * @param start the start {x1, x2}
     * @param method "DBGD", "penalty" or "BLOOP"
     * @param hyperName "beta", "gamma" or "lam"
     * @param hyper its value
     * @param result the solver's result (trace: every iteration)
     * @param path1 first coordinates of x_0, x_1, ..., x_final
     * @param path2 second coordinates
     * @param nearest the known point nearest to the end: a stationary point of the bilevel problem, or
     *     for the penalty method its own limit {@link CircleToy#penaltyLimit} when c lies on the axis
     * @param distance distance from the end to {@code nearest}
     */
    public record Run(CircleToy toy, double[] start, String method, String hyperName, double hyper,
            Result<DMatrixRMaj> result, double[] path1, double[] path2, double[] nearest, double distance) {

        /** @return the final point {x1, x2} */
        public double[] end() {
            return new double[] {result.solution().get(0), result.solution().get(1)};
        }
    }

    /**
     * Runs every (case, start, method, hyperparameter) of the settings, in that order.
     *
     * @param s the settings
     * @return the runs in order
     */
    public static List<Run> run(Settings s) {
        List<Run> runs = new ArrayList<>();
        Stationarity stat = Stationarity.of(s.eps());
        for (CircleToy toy : List.of(CircleToy.caseTwo(), CircleToy.caseOne())) {
            for (double[] start : s.starts()) {
                for (double beta : s.betas()) {
                    runs.add(run(toy, start, Dbgd.of(beta, s.eta(), stat), "DBGD", "beta", beta, s.maxIterations()));
                }
                for (double gamma : s.gammas()) {
                    runs.add(run(toy, start, PenaltyMethod.of(gamma, s.eta(), stat), "penalty", "gamma", gamma,
                            s.maxIterations()));
                }
                for (double lam : s.bloopLams()) {
                    runs.add(run(toy, start, Bloop.of(lam, s.eta(), stat), "BLOOP", "lam", lam, s.maxIterations()));
                }
            }
        }
        return runs;
    }

    /**
     * One run of a simple bilevel solver on the toy from {@code start}, recording the path.
     *
     * @param solver DBGD, the penalty method or BLOOP
     * @param maxIterations iteration limit
     * @param toy the toy
     * @param start the start point, not modified
     * @param method the solver's name
     * @param hyperName the name of the hyperparameter
     * @param hyper its value
     * @return the run
     */
    public static Run run(CircleToy toy, double[] start,
            IterativeSolver<SimpleBilevelProblem, DMatrixRMaj, SimpleBilevelState> solver, String method,
            String hyperName, double hyper, int maxIterations) {
        Objects.requireNonNull(toy, "toy");
        SimpleBilevelProblem problem = toy.problem();
        SolverOptions options = SolverOptions.builder().maxIterations(maxIterations).build();
        SimpleBilevelState state = solver.init(problem, CircleToy.point(start[0], start[1]), options);
        PathRecorder path = new PathRecorder(state);
        Result<DMatrixRMaj> r = Driver.run(solver, problem, state, options, path);
        double[] end = {r.solution().get(0), r.solution().get(1)};
        List<double[]> known = new ArrayList<>(List.of(toy.stationaryPoints()));
        if (method.equals("penalty") && toy.c2() == 0 && toy.c1() > 0) {
            known.add(toy.penaltyLimit(hyper));
        }
        double[] nearest = null;
        double best = Double.POSITIVE_INFINITY;
        for (double[] p : known) {
            double dist = Math.hypot(end[0] - p[0], end[1] - p[1]);
            if (dist < best) {
                best = dist;
                nearest = p;
            }
        }
        return new Run(toy, start.clone(), method, hyperName, hyper, r, path.first(), path.second(), nearest, best);
    }

    /** Records x_k after every iteration (the driver calls listeners after the step is committed). */
    private static final class PathRecorder implements IterationListener {
        private final SimpleBilevelState state;
        private double[] a = new double[1024];
        private double[] b = new double[1024];
        private int n;

        PathRecorder(SimpleBilevelState state) {
            this.state = state;
            add();
        }

        private void add() {
            if (n == a.length) {
                a = java.util.Arrays.copyOf(a, 2 * n);
                b = java.util.Arrays.copyOf(b, 2 * n);
            }
            a[n] = state.x().get(0);
            b[n] = state.x().get(1);
            n++;
        }

        @Override
        public void onIteration(org.bilevel4j.solver.IterationInfo info) {
            add();
        }

        double[] first() {
            return java.util.Arrays.copyOf(a, n);
        }

        double[] second() {
            return java.util.Arrays.copyOf(b, n);
        }
    }
}
