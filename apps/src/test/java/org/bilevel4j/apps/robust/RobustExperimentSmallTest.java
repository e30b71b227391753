package org.bilevel4j.apps.robust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.bilevel4j.problem.MinimaxBilevelPoint;
import org.bilevel4j.solver.IterationListener;
import org.bilevel4j.solver.Result;
import org.bilevel4j.solver.SolverOptions;
import org.bilevel4j.solver.Trace;
import org.bilevel4j.solver.minimax.DanskinPenaltyMinimax;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The group-DRO experiment's driver on a tiny ten-class split (two features and the constant, a few
 * samples per class; well under a second): every score against the training run and the metrics it is
 * made of, the choice of tau from the grid, and the bilevel run against the same solver run directly, its
 * per-level record against the solver's trace.
 */
class RobustExperimentSmallTest {

    /** A loose level tolerance c / rho, so that the tiny run passes through several continuation levels. */
    static final double EPS_C = 5.0;

    static ImbalancedSplit split() {
        SmallData tr = SmallData.of(new int[] {6, 6, 2, 6, 2, 6, 2, 6, 6, 6}, 2, 2.5, 41);
        SmallData va = SmallData.of(new int[] {3, 3, 3, 3, 3, 3, 3, 3, 3, 3}, 2, 2.5, 41);
        SmallData te = SmallData.of(new int[] {4, 4, 4, 4, 4, 4, 4, 4, 4, 4}, 2, 2.5, 41);
        return new ImbalancedSplit(tr.x, tr.labels, va.x, va.labels, te.x, te.labels, new double[64], 5);
    }

    static RobustExperiment.Settings settings(double[] taus, int maxOuter) {
        return new RobustExperiment.Settings(0.05, 1.0, 0.1, taus, 1e-6, 40, 10, EPS_C, 0.1, maxOuter, false, 300);
    }

    private static ClassLosses[] sets(ImbalancedSplit s) {
        return new ClassLosses[] {new ClassLosses(s.train(), s.trainLabels(), 10),
            new ClassLosses(s.validation(), s.validationLabels(), 10), new ClassLosses(s.test(), s.testLabels(), 10)};
    }

    /** The score is the fit from zero and the validation and test metrics at its W. */
    private static void checkScore(RobustExperiment.Score sc, String name, LowerLevelFit.Objective o, ClassLosses[] c) {
        LowerLevelFit.Fit f = LowerLevelFit.fit(c[0], o, 0.05, null, 1e-6, 100_000);
        assertThat(sc.method()).isEqualTo(name);
        assertThat(sc.w().data).as(name).containsExactly(f.w().data);
        double[] v = new double[10];
        c[1].losses(f.w(), v);
        assertThat(sc.validationLosses()).containsExactly(v);
        assertThat(sc.testAccuracy()).containsExactly(c[2].classAccuracy(f.w()));
        assertThat(sc.averageTestAccuracy()).isEqualTo(c[2].accuracy(f.w()));
        assertThat(sc.gradientNorm()).isEqualTo(f.gradientNorm()).isLessThanOrEqualTo(1e-6);
        assertThat(sc.gradientCalls()).isEqualTo(f.gradientCalls());
        assertThat(sc.seconds()).isGreaterThanOrEqualTo(0);
    }

    private static double worst(double[] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            m = Math.max(m, x);
        }
        return m;
    }

    @Test
    void baselinesTauGridAndTheBilevelRunOnATinySplit() {
        ImbalancedSplit s = split();
        ClassLosses[] c = sets(s);
        RobustExperiment.Settings set = settings(new double[] {0.3, 1, 3}, 60);
        List<double[]> steps = new ArrayList<>();
        RobustExperiment.Report r = RobustExperiment.run(s, set, IterationListener.none(),
                (info, lw) -> steps.add(new double[] {info.iteration(), lw}));
        assertThat(r.seed()).isEqualTo(5);
        // the grid, in order
        assertThat(r.tauGrid()).extracting(RobustExperiment.Score::method)
                .containsExactly("group DRO tau=0.3", "group DRO tau=1", "group DRO tau=3");
        double[] taus = {0.3, 1, 3};
        int best = 0;
        for (int i = 0; i < 3; i++) {
            checkScore(r.tauGrid().get(i), "group DRO tau=" + RobustExperiment.num(taus[i]),
                    LowerLevelFit.Objective.groupDro("g", taus[i], new double[10]), c);
            if (r.tauGrid().get(i).worstValidationLoss() < r.tauGrid().get(best).worstValidationLoss()) {
                best = i;
            }
        }
        assertThat(r.chosenTau()).isEqualTo(taus[best]);
        // the baselines: ERM, class-balanced, tau = 1 (the grid's own score), tuned (the grid's best)
        List<RobustExperiment.Score> b = r.baselines();
        assertThat(b).extracting(RobustExperiment.Score::method).containsExactly("ERM", "class-balanced",
                "group DRO tau=1", "group DRO tuned (tau=" + RobustExperiment.num(taus[best]) + ")");
        checkScore(b.get(0), "ERM", LowerLevelFit.Objective.erm(c[0]), c);
        checkScore(b.get(1), "class-balanced", LowerLevelFit.Objective.balanced(10), c);
        assertThat(b.get(2).w()).isSameAs(r.tauGrid().get(1).w());
        assertThat(b.get(2).validationLosses()).isSameAs(r.tauGrid().get(1).validationLosses());
        assertThat(b.get(3).w()).isSameAs(r.tauGrid().get(best).w());
        assertThat(b.get(3).gradientCalls()).isEqualTo(r.tauGrid().get(best).gradientCalls());
        assertThat(b.get(3).averageTestAccuracy()).isEqualTo(r.tauGrid().get(best).averageTestAccuracy());
        // the bilevel run is the penalty method with the best-response inner solver, run directly here
        RobustExperiment.Bilevel bl = r.bilevel();
        GroupDroBilevel problem = new GroupDroBilevel(c[0], c[1], 1.0, 0.05, 0.1, 1.0, 20.0);
        Result<MinimaxBilevelPoint> direct = DanskinPenaltyMinimax.builder(40).startRho(10).epsConstant(EPS_C)
                .innerFactor(0.1).maxInnerIterations(300).innerSolver(new GroupDroInnerSolver(300)).build()
                .solve(problem, problem.start(), SolverOptions.builder().maxIterations(60).build());
        int n = direct.iterations();
        assertThat(bl.result().iterations()).isEqualTo(n);
        assertThat(bl.shifts()).containsExactly(direct.solution().x1().data);
        assertThat(bl.result().solution().y1().data).containsExactly(direct.solution().y1().data);
        Trace t = bl.result().trace();
        assertThat(t.size()).isEqualTo(n);
        assertThat(bl.times()).hasSize(n);
        assertThat(bl.lowerWorst()).hasSize(n);
        assertThat(bl.penaltyWorst()).hasSize(n);
        assertThat(steps).hasSize(n);
        for (int i = 0; i < n; i++) {
            assertThat(steps.get(i)[0]).isEqualTo(i + 1);
            assertThat(steps.get(i)[1]).isEqualTo(bl.lowerWorst()[i]);
            assertThat(bl.times()[i]).isEqualTo(t.row(i)[1]);
        }
        assertThat(bl.penaltyWorst()[n - 1]).isEqualTo(problem.worstValidationLoss(bl.result().solution().y1()));
        assertThat(bl.gradientCalls()).isEqualTo((long) t.lastValue("grad_calls"));
        // one entry per continuation level: its rho and its last gap, from the trace
        List<Double> rho = new ArrayList<>();
        List<Double> gap = new ArrayList<>();
        double[] level = t.column("level");
        for (int i = 0; i < n; i++) {
            if (i == n - 1 || level[i + 1] != level[i]) {
                rho.add(t.column("rho")[i]);
                gap.add(t.column("gap")[i]);
            }
        }
        assertThat(rho).as("levels reached").hasSizeGreaterThanOrEqualTo(2);
        assertThat(bl.levelRho()).containsExactly(rho.stream().mapToDouble(Double::doubleValue).toArray());
        assertThat(bl.levelGap()).containsExactly(gap.stream().mapToDouble(Double::doubleValue).toArray());
        // retrained: the lower level re-solved at the learned shifts, timed by the bilevel run
        double[] a = direct.solution().x1().data;
        checkScoreAt(bl.retrained(), a, c);
        assertThat(bl.retrained().seconds()).isEqualTo(bl.result().seconds());
    }

    private static void checkScoreAt(RobustExperiment.Score sc, double[] a, ClassLosses[] c) {
        LowerLevelFit.Fit f = LowerLevelFit.fit(c[0], LowerLevelFit.Objective.groupDro("b", 1.0, a), 0.05, null, 1e-6,
                100_000);
        assertThat(sc.method()).isEqualTo("bilevel (retrained at learned a)");
        assertThat(sc.w().data).containsExactly(f.w().data);
        assertThat(sc.gradientNorm()).isEqualTo(f.gradientNorm());
        assertThat(sc.gradientCalls()).isEqualTo(f.gradientCalls());
        assertThat(sc.testAccuracy()).containsExactly(c[2].classAccuracy(f.w()));
    }

    @Test
    void tauOutsideTheGridIsTrainedOnItsOwnAndTiesKeepTheFirstTau() {
        ImbalancedSplit s = split();
        ClassLosses[] c = sets(s);
        RobustExperiment.Report r = RobustExperiment.run(s, settings(new double[] {2, 2}, 1), IterationListener.none(),
                null);
        assertThat(r.tauGrid()).hasSize(2);
        assertThat(r.tauGrid().get(0).worstValidationLoss()).isEqualTo(r.tauGrid().get(1).worstValidationLoss());
        assertThat(r.chosenTau()).isEqualTo(2.0);
        assertThat(r.baselines().get(3).method()).isEqualTo("group DRO tuned (tau=2)");
        assertThat(r.baselines().get(3).w()).isSameAs(r.tauGrid().get(0).w());
        checkScore(r.baselines().get(2), "group DRO tau=1", LowerLevelFit.Objective.groupDro("g", 1, new double[10]), c);
        assertThat(r.bilevel().result().iterations()).isEqualTo(1);
    }

    @Test
    void theBuiltInExtragradientSolvesTheInnerSaddleWhenAsked() {
        ImbalancedSplit s = split();
        ClassLosses[] c = sets(s);
        RobustExperiment.Settings set = settings(new double[] {1}, 2).withInner(true, 30);
        RobustExperiment.Bilevel bl = RobustExperiment.bilevel(c[0], c[1], c[2], set, IterationListener.none(), null);
        GroupDroBilevel problem = new GroupDroBilevel(c[0], c[1], 1.0, 0.05, 0.1, 1.0, 20.0);
        Result<MinimaxBilevelPoint> direct = DanskinPenaltyMinimax.builder(40).startRho(10).epsConstant(EPS_C)
                .innerFactor(0.1).maxInnerIterations(30).build()
                .solve(problem, problem.start(), SolverOptions.builder().maxIterations(2).build());
        assertThat(bl.shifts()).containsExactly(direct.solution().x1().data);
        assertThat(bl.result().solution().y1().data).containsExactly(direct.solution().y1().data);
        assertThat(bl.gradientCalls()).isEqualTo((long) direct.trace().lastValue("grad_calls"));
    }

    @Test
    void scoresWorstValuesAndNumbers() {
        RobustExperiment.Score sc = new RobustExperiment.Score("m", new DMatrixRMaj(1, 1), new double[] {0.5, 2, -1},
                new double[] {0.9, 0.25, 0.7}, 0.6, 0, 0, 0);
        assertThat(sc.worstValidationLoss()).isEqualTo(2.0);
        assertThat(sc.worstTestAccuracy()).isEqualTo(0.25);
        assertThat(RobustExperiment.num(1)).isEqualTo("1");
        assertThat(RobustExperiment.num(-3)).isEqualTo("-3");
        assertThat(RobustExperiment.num(0.3)).isEqualTo("0.3");
        assertThat(RobustExperiment.num(999_999)).isEqualTo("999999");
        assertThat(RobustExperiment.num(1e6)).isEqualTo("1000000.0");
        assertThat(RobustExperiment.num(-1e6)).isEqualTo("-1000000.0");
    }

    @Test
    void settingsStandardWithersAndChecks() {
        RobustExperiment.Settings st = RobustExperiment.Settings.standard();
        assertThat(new double[] {st.lambda(), st.tau(), st.mu(), st.tolerance(), st.rho(), st.startRho(),
            st.epsConstant(), st.innerFactor()}).containsExactly(1e-2, 1.0, 0.1, 1e-6, 40, 10, 0.5, 0.1);
        assertThat(st.taus()).containsExactly(0.1, 0.3, 1, 3, 10);
        assertThat(st.maxOuter()).isEqualTo(2000);
        assertThat(st.extragradientInner()).isFalse();
        assertThat(st.maxInner()).isEqualTo(100_000);
        RobustExperiment.Settings w = st.withMaxOuter(7).withPenalty(80, 0.2).withInner(true, 9);
        assertThat(w.maxOuter()).isEqualTo(7);
        assertThat(w.rho()).isEqualTo(80);
        assertThat(w.innerFactor()).isEqualTo(0.2);
        assertThat(w.extragradientInner()).isTrue();
        assertThat(w.maxInner()).isEqualTo(9);
        assertThat(w.lambda()).isEqualTo(1e-2);
        assertThat(w.startRho()).isEqualTo(10);
        assertThat(w.taus()).containsExactly(0.1, 0.3, 1, 3, 10);
        double[] taus = {1, 2};
        RobustExperiment.Settings copy = settings(taus, 1);
        taus[0] = 9;
        assertThat(copy.taus()).containsExactly(1, 2);
        assertThatThrownBy(() -> settings(taus, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the outer-step budget must be at least 1, got 0");
        assertThatThrownBy(() -> settings(taus, 1).withInner(false, 0))
                .hasMessage("the inner budget must be at least 1, got 0");
        assertThatThrownBy(() -> new RobustExperiment.Settings(1, 1, 1, taus, 0, 40, 10, 0.5, 0.1, 1, false, 1))
                .hasMessage("the gradient-norm tolerance must be positive, got 0.0");
    }
}
