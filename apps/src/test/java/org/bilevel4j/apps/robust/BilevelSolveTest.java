package org.bilevel4j.apps.robust;

import static org.assertj.core.api.Assertions.assertThat;

import org.bilevel4j.problem.MinimaxBilevelPoint;
import org.bilevel4j.solver.Result;
import org.bilevel4j.solver.SolverOptions;
import org.bilevel4j.solver.StopReason;
import org.bilevel4j.solver.minimax.DanskinPenaltyMinimax;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * End to end on a small synthetic instance: the penalty method with the outer Danskin step, with the
 * built-in block-step extragradient and with the best-response L-BFGS inner solver, against a grid
 * search of the bilevel objective over the shifts.
 */
class BilevelSolveTest {

    private static final int K = 3;

    static GroupDroBilevel instance() {
        ClassLosses tr = SmallData.of(new int[] {20, 20, 4}, 2, 1.5, 21).losses(K);
        ClassLosses va = SmallData.of(new int[] {10, 10, 10}, 2, 1.5, 21).losses(K);
        return new GroupDroBilevel(tr, va, 1.0, 1e-2, 0.1, 1.0, 20.0);
    }

    /** max_p f(p, W*(a)) with W*(a) the lower level's solution at a (the bilevel objective). */
    static double objective(GroupDroBilevel p, double[] a) {
        LowerLevelFit.Fit f = LowerLevelFit.fit(p.train(), LowerLevelFit.Objective.groupDro("a", p.tau(), a),
                p.lambda(), null, 1e-8, 2_000);
        double[] v = new double[K];
        p.validation().losses(f.w(), v);
        LowerLevelFit.Objective rule = LowerLevelFit.Objective.groupDro("p", p.mu(), new double[K]);
        double[] w = new double[K];
        rule.weightsAt(v, w);
        return rule.lossPart(v, w);
    }

    static Result<MinimaxBilevelPoint> solve(GroupDroBilevel p, boolean lbfgs) {
        DanskinPenaltyMinimax.Builder b = DanskinPenaltyMinimax.builder(40).innerFactor(0.01).epsConstant(0.05);
        if (lbfgs) {
            b.innerSolver(new GroupDroInnerSolver(10_000));
        }
        return b.build().solve(p, p.start(), SolverOptions.builder().maxIterations(5000).build());
    }

    @Test
    @Tag("slow") // a long or real-data run: not rerun per mutant by PIT (docs/testing.md)
    void bothInnerSolversConvergeToTheSameShiftsWithAShrinkingNonnegativeGap() {
        GroupDroBilevel p = instance();
        Result<MinimaxBilevelPoint> eg = solve(p, false);
        Result<MinimaxBilevelPoint> lb = solve(p, true);
        for (Result<MinimaxBilevelPoint> r : java.util.List.of(eg, lb)) {
            assertThat(r.stopReason()).as(r.message()).isEqualTo(StopReason.CONVERGED);
            assertThat(r.trace().lastValue("rho")).isEqualTo(40);
            double[] level = r.trace().column("level");
            double[] gap = r.trace().column("gap");
            double[] lastGap = new double[3];
            for (int i = 0; i < level.length; i++) {
                lastGap[(int) level[i]] = gap[i];
                assertThat(gap[i]).isGreaterThanOrEqualTo(-1e-8);
            }
            // about 1/rho^2: each doubling of rho divides the gap by 2.5 to 6
            assertThat(lastGap[0] / lastGap[1]).isBetween(2.5, 6.0);
            assertThat(lastGap[1] / lastGap[2]).isBetween(2.5, 6.0);
        }
        for (int k = 0; k < K; k++) {
            // the value depends only on differences of the shifts; compare those
            double de = eg.solution().x1().data[k] - eg.solution().x1().data[0];
            double dl = lb.solution().x1().data[k] - lb.solution().x1().data[0];
            assertThat(Math.abs(de - dl)).isLessThan(5e-3);
        }
    }

    @Test
    void learnedShiftsAreAsGoodAsAGridSearchOfTheBilevelObjective() {
        GroupDroBilevel p = instance();
        Result<MinimaxBilevelPoint> r = solve(p, true);
        double learned = objective(p, r.solution().x1().data);
        double best = Double.POSITIVE_INFINITY;
        for (int i = -10; i <= 10; i++) {
            for (int j = -10; j <= 10; j++) {
                best = Math.min(best, objective(p, new double[] {0, 0.1 * i, 0.1 * j}));
            }
        }
        double atZero = objective(p, new double[K]);
        assertThat(best).isLessThan(atZero - 0.01); // the instance has something to learn
        // the penalty solution at rho = 40 is O(1/rho) from the bilevel one
        assertThat(learned).isLessThanOrEqualTo(best + 5e-3);
        DMatrixRMaj w = r.solution().y1();
        assertThat(w.getNumElements()).isEqualTo(3 * K);
    }
}
