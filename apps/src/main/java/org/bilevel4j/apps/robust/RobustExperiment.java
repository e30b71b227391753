package org.bilevel4j.apps.robust;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bilevel4j.problem.MinimaxBilevelPoint;
import org.bilevel4j.solver.Driver;
import org.bilevel4j.solver.IterationInfo;
import org.bilevel4j.solver.IterationListener;
import org.bilevel4j.solver.Result;
import org.bilevel4j.solver.SolverOptions;
import org.bilevel4j.solver.minimax.DanskinPenaltyMinimax;
import org.bilevel4j.solver.minimax.DanskinPenaltyState;
import org.ejml.data.DMatrixRMaj;

/**
 * The group-DRO experiment of one seed (issue 17): the baselines ERM, class-balanced, group DRO with
 * tau = 1 and group DRO with tau picked from a grid by validation worst-class loss, all trained by
 * {@link LowerLevelFit} to a gradient norm; and the bilevel penalty method
 * ({@link DanskinPenaltyMinimax} with rho continuation, here with the {@link GroupDroInnerSolver})
 * that learns the per-class shifts a, after which the lower level is re-solved at a to the same
 * gradient norm and that W is scored. Every method is scored by its validation worst-class loss and
 * its worst-class, average and per-class test accuracy.
 */
public final class RobustExperiment {

    private RobustExperiment() {
    }

    /**
     * The settings.
     *
     * @param lambda the ridge lam (1e-2)
     * @param tau the tau of the bilevel lower level and of the plain group-DRO baseline (1)
     * @param mu the upper level's mu (0.1)
     * @param taus the tau grid of tuned group DRO ({0.1, 0.3, 1, 3, 10})
     * @param tolerance the gradient-norm target of every training run (1e-6)
     * @param rho the target rho (40)
     * @param startRho the first rho (10)
     * @param epsConstant c in eps = c / rho (0.5)
     * @param innerFactor the inner tolerance over eps (0.1)
     * @param maxOuter the bilevel method's outer-step budget over all levels
     * @param extragradientInner whether the inner saddle is solved by the solver's built-in block-step
     *     extragradient (true) or by {@link GroupDroInnerSolver} (false, the default)
     * @param maxInner the inner budget per outer step (extragradient iterations, or L-BFGS iterations of
     *     each of the two solves)
     */
    public record Settings(double lambda, double tau, double mu, double[] taus, double tolerance, double rho,
            double startRho, double epsConstant, double innerFactor, int maxOuter, boolean extragradientInner,
            int maxInner) {

        /**
         * Validates; copies taus.
         *
         * @param lambda the ridge lam
         * @param tau the tau of the bilevel lower level and of the plain group-DRO baseline
         * @param mu the upper level's mu
         * @param taus the tau grid of tuned group DRO, not null
         * @param tolerance the gradient-norm target of every training run, positive
         * @param rho the target rho
         * @param startRho the first rho
         * @param epsConstant c in eps = c / rho
         * @param innerFactor the inner tolerance over eps
         * @param maxOuter the outer-step budget, at least 1
         * @param extragradientInner whether the built-in block-step extragradient solves the inner saddle
         * @param maxInner the inner budget per outer step, at least 1
         * @throws IllegalArgumentException when maxOuter or maxInner is below 1 or tolerance is not positive
         */
        public Settings {
            Objects.requireNonNull(taus, "taus");
            taus = taus.clone();
            if (maxOuter < 1) {
                throw new IllegalArgumentException("the outer-step budget must be at least 1, got " + maxOuter);
            }
            if (maxInner < 1) {
                throw new IllegalArgumentException("the inner budget must be at least 1, got " + maxInner);
            }
            if (!(tolerance > 0)) {
                throw new IllegalArgumentException("the gradient-norm tolerance must be positive, got " + tolerance);
            }
        }

        /** @return the settings */
        public static Settings standard() {
            return new Settings(1e-2, 1.0, 0.1, new double[] {0.1, 0.3, 1, 3, 10}, 1e-6, 40, 10, 0.5, 0.1, 2000,
                    false, 100_000);
        }

        /**
         * @param n the outer-step budget, at least 1
         * @return these settings with another outer budget
         */
        public Settings withMaxOuter(int n) {
            return new Settings(lambda, tau, mu, taus, tolerance, rho, startRho, epsConstant, innerFactor, n,
                    extragradientInner, maxInner);
        }

        /**
         * @param r the target rho
         * @param factor the inner tolerance over eps
         * @return these settings with another target rho and inner tolerance factor
         */
        public Settings withPenalty(double r, double factor) {
            return new Settings(lambda, tau, mu, taus, tolerance, r, startRho, epsConstant, factor, maxOuter,
                    extragradientInner, maxInner);
        }

        /**
         * @param extragradient whether the built-in block-step extragradient solves the inner saddle (false:
         *     {@link GroupDroInnerSolver})
         * @param budget the inner budget per outer step, at least 1
         * @return these settings with another inner solver and budget
         */
        public Settings withInner(boolean extragradient, int budget) {
            return new Settings(lambda, tau, mu, taus, tolerance, rho, startRho, epsConstant, innerFactor, maxOuter,
                    extragradient, budget);
        }
    }

    /**
     * One method's scores.
     *
     * @param method the method's label
     * @param w the trained W (D x K)
     * @param validationLosses V_k(W)
     * @param testAccuracy per-class test accuracy
     * @param averageTestAccuracy the accuracy over the whole test set
     * @param gradientNorm the final training gradient norm
     * @param gradientCalls training gradient evaluations
     * @param seconds training time
     */
    public record Score(String method, DMatrixRMaj w, double[] validationLosses, double[] testAccuracy,
            double averageTestAccuracy, double gradientNorm, long gradientCalls, double seconds) {

        /** @return max_k V_k */
        public double worstValidationLoss() {
            double m = Double.NEGATIVE_INFINITY;
            for (double v : validationLosses) {
                m = Math.max(m, v);
            }
            return m;
        }

        /** @return min_k test accuracy of class k */
        public double worstTestAccuracy() {
            double m = Double.POSITIVE_INFINITY;
            for (double v : testAccuracy) {
                m = Math.min(m, v);
            }
            return m;
        }
    }

    /**
     * The bilevel run.
     *
     * @param result the solver's result (trace included)
     * @param shifts the learned a
     * @param retrained the lower level re-solved at a and scored
     * @param levelRho rho of each continuation level
     * @param levelGap the lower-level gap at the end of each level
     * @param times seconds since the start, one per outer step
     * @param lowerWorst validation worst-class loss of the lower-level W (z1) at the current a, per outer step
     * @param penaltyWorst validation worst-class loss of the penalty's W (y1), per outer step
     * @param gradientCalls evaluations of grad P_rho (one upper and two lower gradients each)
     */
    public record Bilevel(Result<MinimaxBilevelPoint> result, double[] shifts, Score retrained, double[] levelRho,
            double[] levelGap, double[] times, double[] lowerWorst, double[] penaltyWorst, long gradientCalls) {
    }

    /**
     * Everything of one seed.
     *
     * @param seed the split's seed
     * @param baselines ERM, class-balanced, group DRO (tau = 1), tuned group DRO
     * @param tauGrid group DRO at every tau of the grid
     * @param chosenTau the tau of the grid with the smallest validation worst-class loss
     * @param bilevel the bilevel run
     */
    public record Report(long seed, List<Score> baselines, List<Score> tauGrid, double chosenTau, Bilevel bilevel) {
    }

    /** Progress of the bilevel run: one call per outer step. */
    @FunctionalInterface
    public interface Progress {
        /**
         * @param info the solver's snapshot
         * @param lowerWorst the worst validation class loss at z1 (the lower level's W)
         */
        void onStep(IterationInfo info, double lowerWorst);
    }

    /** Scores a W. */
    static Score score(String method, DMatrixRMaj w, ClassLosses val, ClassLosses test, double gn, long calls,
            double seconds) {
        double[] v = new double[val.classes()];
        val.losses(w, v);
        return new Score(method, w, v, test.classAccuracy(w), test.accuracy(w), gn, calls, seconds);
    }

    /** Trains an objective from zero and scores it. */
    static Score baseline(String label, LowerLevelFit.Objective obj, ClassLosses tr, ClassLosses val,
            ClassLosses test, Settings s) {
        LowerLevelFit.Fit f = LowerLevelFit.fit(tr, obj, s.lambda(), null, s.tolerance(), 100_000);
        return score(label, f.w(), val, test, f.gradientNorm(), f.gradientCalls(), f.seconds());
    }

    /**
     * Runs the baselines and the bilevel method on one split.
     *
     * @param listener receives the bilevel solver's iterations (progress bars), may be {@link IterationListener#none()}
     * @param progress receives each outer step with the lower-level validation worst loss, or null
     * @param split the data
     * @param s the settings
     * @return the baselines (ERM, class-balanced, group DRO at tau, group DRO at the grid's tau of the
     *     smallest worst validation class loss), the tau grid's scores, the chosen tau and the bilevel run
     */
    public static Report run(ImbalancedSplit split, Settings s, IterationListener listener, Progress progress) {
        int k = ImbalancedSplit.CLASSES;
        ClassLosses tr = new ClassLosses(split.train(), split.trainLabels(), k);
        ClassLosses val = new ClassLosses(split.validation(), split.validationLabels(), k);
        ClassLosses test = new ClassLosses(split.test(), split.testLabels(), k);
        List<Score> baselines = new ArrayList<>();
        baselines.add(baseline("ERM", LowerLevelFit.Objective.erm(tr), tr, val, test, s));
        baselines.add(baseline("class-balanced", LowerLevelFit.Objective.balanced(k), tr, val, test, s));
        List<Score> grid = new ArrayList<>();
        Score dro1 = null;
        Score best = null;
        double bestTau = Double.NaN;
        for (double t : s.taus()) {
            Score sc = baseline("group DRO tau=" + num(t),
                    LowerLevelFit.Objective.groupDro("group DRO", t, new double[k]), tr, val, test, s);
            grid.add(sc);
            if (t == s.tau()) {
                dro1 = sc;
            }
            if (best == null || sc.worstValidationLoss() < best.worstValidationLoss()) {
                best = sc;
                bestTau = t;
            }
        }
        if (dro1 == null) {
            dro1 = baseline("group DRO tau=" + num(s.tau()),
                    LowerLevelFit.Objective.groupDro("group DRO", s.tau(), new double[k]), tr, val, test, s);
        }
        baselines.add(rename(dro1, "group DRO tau=" + num(s.tau())));
        baselines.add(rename(best, "group DRO tuned (tau=" + num(bestTau) + ")"));
        Bilevel b = bilevel(tr, val, test, s, listener, progress);
        return new Report(split.seed(), baselines, grid, bestTau, b);
    }

    private static Score rename(Score s, String name) {
        return new Score(name, s.w(), s.validationLosses(), s.testAccuracy(), s.averageTestAccuracy(),
                s.gradientNorm(), s.gradientCalls(), s.seconds());
    }

    /** The bilevel run and the retraining at the learned shifts. */
    static Bilevel bilevel(ClassLosses tr, ClassLosses val, ClassLosses test, Settings s, IterationListener listener,
            Progress progress) {
        GroupDroBilevel problem = new GroupDroBilevel(tr, val, s.tau(), s.lambda(), s.mu(), 1.0, 20.0);
        DanskinPenaltyMinimax solver = DanskinPenaltyMinimax.builder(s.rho()).startRho(s.startRho())
                .epsConstant(s.epsConstant()).innerFactor(s.innerFactor()).maxInnerIterations(s.maxInner())
                .innerSolver(s.extragradientInner() ? null : new GroupDroInnerSolver(s.maxInner())).build();
        SolverOptions options = SolverOptions.builder().maxIterations(s.maxOuter()).build();
        DanskinPenaltyState state = solver.init(problem, problem.start(), options);
        List<double[]> curve = new ArrayList<>();
        List<double[]> levels = new ArrayList<>();
        double[] lastLevel = {0, s.startRho(), Double.NaN};
        IterationListener recorder = new IterationListener() {
            @Override
            public void onIteration(IterationInfo info) {
                double lw = problem.worstValidationLoss(state.z1());
                double pw = problem.worstValidationLoss(state.solution().y1());
                curve.add(new double[] {info.seconds(), lw, pw});
                double level = info.get("level");
                if (level != lastLevel[0]) {
                    levels.add(new double[] {lastLevel[1], lastLevel[2]});
                }
                lastLevel[0] = level;
                lastLevel[1] = info.get("rho");
                lastLevel[2] = info.get("gap");
                if (progress != null) {
                    progress.onStep(info, lw);
                }
            }
        };
        Result<MinimaxBilevelPoint> r = Driver.run(solver, problem, state, options, recorder.andThen(listener));
        levels.add(new double[] {lastLevel[1], lastLevel[2]});
        double[] a = r.solution().x1().data.clone();
        LowerLevelFit.Fit f = LowerLevelFit.fit(tr, LowerLevelFit.Objective.groupDro("bilevel", s.tau(), a), s.lambda(),
                null, s.tolerance(), 100_000);
        Score retrained = score("bilevel (retrained at learned a)", f.w(), val, test, f.gradientNorm(),
                f.gradientCalls(), r.seconds());
        int n = curve.size();
        double[] t = new double[n];
        double[] lw = new double[n];
        double[] pw = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = curve.get(i)[0];
            lw[i] = curve.get(i)[1];
            pw[i] = curve.get(i)[2];
        }
        double[] lr = new double[levels.size()];
        double[] lg = new double[levels.size()];
        for (int i = 0; i < lr.length; i++) {
            lr[i] = levels.get(i)[0];
            lg[i] = levels.get(i)[1];
        }
        return new Bilevel(r, a, retrained, lr, lg, t, lw, pw, state.gradientCalls());
    }

    static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e6 ? Long.toString((long) v) : Double.toString(v);
    }
}
