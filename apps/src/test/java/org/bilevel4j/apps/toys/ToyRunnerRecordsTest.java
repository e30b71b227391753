package org.bilevel4j.apps.toys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.bilevel4j.problem.BilevelProblem;
import org.bilevel4j.problem.PairIterate;
import org.bilevel4j.solver.SolverOptions;
import org.bilevel4j.solver.StopReason;
import org.bilevel4j.solver.Trace;
import org.bilevel4j.solver.meha.Meha;
import org.bilevel4j.solver.meha.MehaState;
import org.bilevel4j.solver.meha.PairState;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * What {@link ToyRunner} records per iteration, checked value by value against the same MEHA iteration
 * stepped by hand (MEHA is deterministic) and against the definitions of the first iteration below the
 * tolerance and of the iteration from which the criterion stays below it. Short runs on small toys.
 */
class ToyRunnerRecordsTest {

    private static final int K = 40;

    /** The criterion of each toy, stepped by hand: the errors after iterations 1..k. */
    private static double[][] byHand(ToyProblem toy, BilevelProblem p, int k) {
        Meha meha = new Meha(toy.workingSettings());
        MehaState s = meha.init(p, toy.start(p), SolverOptions.builder().maxIterations(k).build());
        PairIterate ref = p.referenceSolution().orElseThrow();
        double[][] out = new double[3][k];
        for (int i = 0; i < k; i++) {
            meha.step(p, s);
            double ex = PairState.relativeError(s.x(), ref.x());
            double ey = PairState.relativeError(s.y(), ref.y());
            out[0][i] = ex;
            out[1][i] = ey;
            out[2][i] = switch (toy) {
                case MERELY_CONVEX -> Math.max(ex, ey);
                case NONCONVEX -> {
                    double m = 0;
                    for (int j = 0; j < s.x().getNumElements(); j++) {
                        m = Math.max(m, Math.abs(s.x().data[j] - ref.x().data[j]) / Math.abs(ref.x().data[j]));
                    }
                    yield m;
                }
                case L1 -> ey;
            };
        }
        return out;
    }

    /** The first 1-based iteration with {@code c < tol}, or -1. */
    private static int firstBelow(double[] c, double tol) {
        for (int i = 0; i < c.length; i++) {
            if (c[i] < tol) {
                return i + 1;
            }
        }
        return -1;
    }

    /** The 1-based iteration from which {@code c < tol} holds to the end, or -1. */
    private static int settledBelow(double[] c, double tol) {
        int from = c.length;
        while (from > 0 && c[from - 1] < tol) {
            from--;
        }
        return from == c.length ? -1 : from + 1;
    }

    @Test
    void everyRecordedErrorIsTheHandSteppedErrorAndTheTraceIsColumn() {
        for (ToyProblem toy : ToyProblem.values()) {
            BilevelProblem p = toy.create(toy == ToyProblem.L1 ? 6 : 3);
            ToyRun r = ToyRunner.run(toy, p, new Meha(toy.workingSettings()), K, 1e-2);
            double[][] want = byHand(toy, p, K);
            assertThat(r.solver()).isEqualTo("MEHA");
            assertThat(r.result().stopReason()).isEqualTo(StopReason.MAX_ITERATIONS);
            assertThat(r.xError()).as(toy.label()).containsExactly(want[0]);
            assertThat(r.yError()).as(toy.label()).containsExactly(want[1]);
            assertThat(r.criterion()).as(toy.label()).containsExactly(want[2]);
            assertThat(r.criterionName()).isEqualTo(ToyRunner.criterionName(toy));
            assertThat(r.tolerance()).isEqualTo(1e-2);
            int[] its = new int[K];
            for (int i = 0; i < K; i++) {
                its[i] = i + 1;
            }
            assertThat(r.iterations()).containsExactly(its);
            // the driver's trace holds the same relative errors (MEHA's x_rel_err and y_rel_err columns)
            Trace t = r.result().trace();
            assertThat(r.xError()).containsExactly(t.column(PairState.X_REL_ERR));
            assertThat(r.yError()).containsExactly(t.column(PairState.Y_REL_ERR));
            assertThat(r.finalCriterion()).isEqualTo(want[2][K - 1]);
            if (toy == ToyProblem.L1) {
                assertThat(r.supportRight()).isEqualTo(((L1Toy) p).supportRight(r.result().solution().x(), 1e-2));
            } else {
                assertThat(r.supportRight()).isNull();
            }
        }
    }

    @Test
    void secondsAreTheDriversSecondsLessTheListenersOwnTime() {
        ToyProblem toy = ToyProblem.MERELY_CONVEX;
        BilevelProblem p = toy.create(3);
        ToyRun r = ToyRunner.run(toy, p, new Meha(toy.workingSettings()), K, 1e-2);
        double[] wall = r.result().trace().column("seconds");
        assertThat(r.seconds()).hasSize(K);
        double previous = 0;
        for (int i = 0; i < K; i++) {
            double overhead = wall[i] - r.seconds()[i];
            // nothing is subtracted before the first bookkeeping; then what is subtracted only grows and
            // stays below the wall time it is part of
            if (i == 0) {
                assertThat(overhead).isZero();
            }
            assertThat(overhead).as("overhead at %d", i).isGreaterThanOrEqualTo(previous).isLessThan(wall[i]);
            previous = overhead;
        }
        // the bookkeeping of 39 iterations takes some time
        assertThat(previous).isPositive();
    }

    @Test
    void firstAndSettledFollowTheirDefinitionsWithATolerancePlacedOnARecordedValue() {
        ToyProblem toy = ToyProblem.MERELY_CONVEX;
        BilevelProblem p = toy.create(3);
        double[] c = byHand(toy, p, K)[2];
        // tolerances placed exactly on recorded values (the test is strict: c < tol), and around them
        double[] tols = {c[0], c[5], c[K / 2], c[K - 1], Math.nextUp(c[K - 1]), Math.nextUp(c[5]), 1e300, 0};
        for (double tol : tols) {
            ToyRun r = ToyRunner.run(toy, p, new Meha(toy.workingSettings()), K, tol);
            assertThat(r.criterion()).containsExactly(c);
            assertThat(r.firstReached()).as("tol %s", tol).isEqualTo(firstBelow(c, tol));
            assertThat(r.settledFrom()).as("tol %s", tol).isEqualTo(settledBelow(c, tol));
            if (r.firstReached() > 0) {
                assertThat(r.secondsFirstReached()).isEqualTo(r.seconds()[r.firstReached() - 1]);
            } else {
                assertThat(r.secondsFirstReached()).isNaN();
            }
            if (r.settledFrom() > 0) {
                assertThat(r.secondsSettled()).isEqualTo(r.seconds()[r.settledFrom() - 1]);
            } else {
                assertThat(r.secondsSettled()).isNaN();
            }
        }
        // at 1e300 every iteration is below; at 0 none is
        assertThat(ToyRunner.run(toy, p, new Meha(toy.workingSettings()), K, 1e300).settledFrom()).isEqualTo(1);
        assertThat(ToyRunner.run(toy, p, new Meha(toy.workingSettings()), K, 0).firstReached()).isEqualTo(-1);
    }

    @Test
    void aCriterionThatDipsBelowAndRisesAgainIsReachedButNotSettled() {
        // the definitions on a hand-made record: below at 2 and 3, above at 4, below at 5 and 6
        double[] c = {5, 0.5, 0.2, 3, 0.1, 0.05};
        assertThat(firstBelow(c, 1)).isEqualTo(2);
        assertThat(settledBelow(c, 1)).isEqualTo(5);
        ToyRun r = new ToyRun("s", null, new int[] {1, 2, 3, 4, 5, 6}, new double[] {0.1, 0.2, 0.3, 0.4, 0.5, 0.6},
                c, c, c, "c", 1, 2, 5, null);
        assertThat(r.secondsFirstReached()).isEqualTo(0.2);
        assertThat(r.secondsSettled()).isEqualTo(0.5);
        assertThat(r.finalCriterion()).isEqualTo(0.05);
        ToyRun none = new ToyRun("s", null, new int[0], new double[0], new double[0], new double[0], new double[0],
                "c", 1, -1, -1, null);
        assertThat(none.secondsFirstReached()).isNaN();
        assertThat(none.secondsSettled()).isNaN();
        assertThat(none.finalCriterion()).isNaN();
    }

    @Test
    void theNonconvexCriterionIsTheLargestRelativeCoordinateErrorOverNonzeroReferenceEntries() {
        DMatrixRMaj x = DMatrixRMaj.wrap(3, 1, new double[] {1, 5, 2});
        DMatrixRMaj r = DMatrixRMaj.wrap(3, 1, new double[] {2, 0, 4});
        // |1 - 2| / 2 = 0.5 and |2 - 4| / 4 = 0.5; the entry with r = 0 is skipped
        assertThat(ToyRunner.maxCoordinateError(x, r)).isEqualTo(0.5);
        assertThat(ToyRunner.maxCoordinateError(DMatrixRMaj.wrap(2, 1, new double[] {3, 1}),
                DMatrixRMaj.wrap(2, 1, new double[] {4, -2}))).isEqualTo(1.5);
        assertThat(ToyRunner.maxCoordinateError(DMatrixRMaj.wrap(2, 1, new double[] {1, 1}),
                DMatrixRMaj.wrap(2, 1, new double[] {1, 1}))).isZero();
        // a NaN entry makes the criterion NaN, whichever entry comes after it
        assertThat(ToyRunner.maxCoordinateError(DMatrixRMaj.wrap(2, 1, new double[] {Double.NaN, 9}),
                DMatrixRMaj.wrap(2, 1, new double[] {1, 1}))).isNaN();
        assertThat(ToyRunner.maxCoordinateError(DMatrixRMaj.wrap(2, 1, new double[] {9, Double.NaN}),
                DMatrixRMaj.wrap(2, 1, new double[] {1, 1}))).isNaN();
    }

    @Test
    void criterionNamesSayWhatEachToyIsJudgedBy() {
        assertThat(ToyRunner.criterionName(ToyProblem.MERELY_CONVEX))
                .isEqualTo("max(||x - x*||/||x*||, ||y - y*||/||y*||)");
        assertThat(ToyRunner.criterionName(ToyProblem.NONCONVEX)).isEqualTo("max_i |x_i - x*_i| / |x*_i|");
        assertThat(ToyRunner.criterionName(ToyProblem.L1)).isEqualTo("||y - y*||/||y*|| (x* is not unique)");
    }

    @Test
    void toyProblemsHaveTheMethodPagesLabelsSizesAndBudgets() {
        assertThat(ToyProblem.MERELY_CONVEX.label()).isEqualTo("merely-convex");
        assertThat(ToyProblem.NONCONVEX.label()).isEqualTo("nonconvex");
        assertThat(ToyProblem.L1.label()).isEqualTo("l1");
        assertThat(ToyProblem.MERELY_CONVEX.defaultDim()).isEqualTo(10);
        assertThat(ToyProblem.NONCONVEX.defaultDim()).isEqualTo(10);
        assertThat(ToyProblem.L1.defaultDim()).isEqualTo(1000);
        assertThat(ToyProblem.MERELY_CONVEX.defaultIterations()).isEqualTo(1000);
        assertThat(ToyProblem.NONCONVEX.defaultIterations()).isEqualTo(30000);
        assertThat(ToyProblem.L1.defaultIterations()).isEqualTo(15000);
        for (ToyProblem t : ToyProblem.values()) {
            assertThat(ToyProblem.parse(t.label())).isSameAs(t);
            assertThat(ToyProblem.parse(t.label().toUpperCase(java.util.Locale.ROOT))).isSameAs(t);
        }
        assertThatThrownBy(() -> ToyProblem.parse("convex")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown toy problem 'convex': use merely-convex, nonconvex or l1");
        assertThatThrownBy(() -> ToyProblem.L1.scriptSettings()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no script settings for the l1 toy");
    }

    @Test
    void theToysSizesReferencesAndNames() {
        // the smallest sizes are accepted
        assertThat(new MerelyConvexToy(1).n()).isEqualTo(1);
        assertThat(new L1Toy(2).n()).isEqualTo(2);
        assertThat(new NonconvexToy(4).n()).isEqualTo(4);
        assertThatThrownBy(() -> new MerelyConvexToy(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new L1Toy(3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new L1Toy(0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new MerelyConvexToy(3).toString()).isEqualTo("merely-convex toy, n = 3");
        assertThat(new L1Toy(4).toString()).isEqualTo("l1 toy, n = 4");
        assertThat(new NonconvexToy(2).toString()).isEqualTo("nonconvex toy, n = 2");
        // x in [0, 1]^n for the l1 toy; its reference: x* = 1/n on the first half, y* = -1/n on the second
        L1Toy l1 = new L1Toy(4);
        assertThat(l1.constrainedX()).isTrue();
        PairIterate ref = l1.referenceSolution().orElseThrow();
        assertThat(ref.x().data).containsExactly(0.25, 0.25, 0, 0);
        assertThat(ref.y().data).containsExactly(0, 0, -0.25, -0.25);
        // the support test: at least 1/n (1 - tol) on the first half, exactly 0 on the second
        assertThat(l1.supportRight(DMatrixRMaj.wrap(4, 1, new double[] {0.25, 0.2, 0, 0}), 0.2)).isTrue();
        assertThat(l1.supportRight(DMatrixRMaj.wrap(4, 1, new double[] {0.25, 0.19, 0, 0}), 0.2)).isFalse();
        assertThat(l1.supportRight(DMatrixRMaj.wrap(4, 1, new double[] {0.25, 0.25, 0, 1e-300}), 0.2)).isFalse();
        assertThat(l1.supportRight(DMatrixRMaj.wrap(4, 1, new double[] {0.25, 0.25, 1e-300, 0}), 0.2)).isFalse();
        // the nonconvex toy's reference: x* = 3 pi / 4 and y* = x* + 2 in every entry
        PairIterate nc = new NonconvexToy(2).referenceSolution().orElseThrow();
        assertThat(nc.x().data).containsExactly(3 * Math.PI / 4, 3 * Math.PI / 4);
        assertThat(nc.y().data).containsExactly(3 * Math.PI / 4 + 2, 3 * Math.PI / 4 + 2);
    }
}
