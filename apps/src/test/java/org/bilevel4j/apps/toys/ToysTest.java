package org.bilevel4j.apps.toys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.bilevel4j.problem.BilevelGradientCheck;
import org.bilevel4j.problem.BilevelProblem;
import org.bilevel4j.problem.PairIterate;
import org.bilevel4j.solver.StopReason;
import org.bilevel4j.solver.meha.Bome;
import org.bilevel4j.solver.meha.Meha;
import org.bilevel4j.solver.meha.MehaOptions;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The checks of issue 6 on the three toys of the MEHA paper, with the method page's settings. */
class ToysTest {

    private static final double TOL = 1e-2;

    private static PairIterate randomPoint(BilevelProblem p, long seed, double lo, double hi) {
        SplittableRandom rnd = new SplittableRandom(seed);
        DMatrixRMaj x = new DMatrixRMaj(p.xRows(), 1);
        DMatrixRMaj y = new DMatrixRMaj(p.yRows(), 1);
        for (int i = 0; i < x.numRows; i++) {
            x.data[i] = rnd.nextDouble(lo, hi);
        }
        for (int i = 0; i < y.numRows; i++) {
            y.data[i] = rnd.nextDouble(-2, 2);
        }
        return new PairIterate(x, y);
    }

    @Test
    void everyGradientOfTheToysMatchesFiniteDifferences() {
        for (BilevelProblem p : new BilevelProblem[] {new MerelyConvexToy(7), new NonconvexToy(9), new L1Toy(12)}) {
            PairIterate z = randomPoint(p, 3, 0.05, 1.0);
            assertThat(BilevelGradientCheck.check(p, z.x(), z.y(), 8, 5, 1e-7, 1.0)).as(p.toString()).isEmpty();
        }
    }

    @Test
    void theL1ProxIsSoftThresholdingAtTxAndTheReferenceSolvesTheLowerLevel() {
        L1Toy p = new L1Toy(4);
        DMatrixRMaj x = DMatrixRMaj.wrap(4, 1, new double[] {0.5, 0.0, 1.0, 0.25});
        DMatrixRMaj v = DMatrixRMaj.wrap(4, 1, new double[] {0.3, -0.3, -2.0, 0.1});
        DMatrixRMaj out = new DMatrixRMaj(4, 1);
        double g = p.lowerProx(x, v, 0.5, out);
        assertThat(out.data).containsExactly(new double[] {0.05, -0.3, -1.5, 0.0}, org.assertj.core.api.Assertions.within(1e-15));
        assertThat(g).isEqualTo(p.lowerNonsmoothValue(x, out));
        // y*(x*) = soft(a, x*) is the reference y
        PairIterate ref = p.referenceSolution().orElseThrow();
        DMatrixRMaj a = DMatrixRMaj.wrap(4, 1, new double[] {0.25, 0.25, -0.25, -0.25});
        p.lowerProx(ref.x(), a, 1.0, out);
        assertThat(out.data).containsExactly(ref.y().data);
        assertThat(p.supportRight(ref.x(), 0)).isTrue();
    }

    @Test
    void merelyConvexBothErrorsBelowTolByIteration100AndThereTo1000() {
        ToyProblem toy = ToyProblem.MERELY_CONVEX;
        BilevelProblem p = toy.create(10);
        ToyRun r = ToyRunner.run(toy, p, new Meha(toy.workingSettings()), 1000, TOL);
        assertThat(r.result().stopReason()).isEqualTo(StopReason.MAX_ITERATIONS);
        assertThat(r.settledFrom()).isBetween(1, 100);
        assertThat(r.criterion()).hasSize(1000);
        assertThat(r.xError()[999]).isLessThan(1e-8);
        assertThat(r.yError()[999]).isLessThan(1e-8);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 10, 50, 100, 200})
    void nonconvexEveryCoordinateWithinTolByIteration3000AndThereTo30000(int n) {
        ToyProblem toy = ToyProblem.NONCONVEX;
        BilevelProblem p = toy.create(n);
        ToyRun r = ToyRunner.run(toy, p, new Meha(toy.workingSettings()), 30000, TOL);
        assertThat(r.result().stopReason()).isEqualTo(StopReason.MAX_ITERATIONS);
        assertThat(r.settledFrom()).isBetween(1, 3000);
        assertThat(r.criterion()).hasSize(30000);
        DMatrixRMaj x = r.result().solution().x();
        for (int i = 0; i < n; i++) {
            assertThat(Math.abs(x.data[i] - 3 * Math.PI / 4) / (3 * Math.PI / 4)).isLessThan(TOL);
        }
    }

    @Test
    void l1YWithinTolByIteration1500AndThereTo15000WithTheRightSupport() {
        ToyProblem toy = ToyProblem.L1;
        L1Toy p = (L1Toy) toy.create(1000);
        ToyRun r = ToyRunner.run(toy, p, new Meha(toy.workingSettings()), 15000, TOL);
        assertThat(r.result().stopReason()).isEqualTo(StopReason.MAX_ITERATIONS);
        assertThat(r.settledFrom()).isBetween(1, 1500);
        assertThat(r.supportRight()).isTrue();
        DMatrixRMaj x = r.result().solution().x();
        for (int i = 0; i < 1000; i++) {
            if (i < 500) {
                assertThat(x.data[i]).isGreaterThanOrEqualTo(1.0 / 1000 * (1 - TOL));
            } else {
                assertThat(x.data[i]).isZero();
            }
        }
    }

    @Test
    void theScriptsStepSizesDivergeInThePaperFormAndTheWarningSaysWhy() {
        ToyProblem toy = ToyProblem.MERELY_CONVEX;
        MehaOptions scripts = toy.scriptSettings();
        assertThat(scripts.stabilityWarning()).contains("grows by");
        ToyRun r = ToyRunner.run(toy, toy.create(10), new Meha(scripts), 100_000, TOL);
        assertThat(r.result().stopReason()).isEqualTo(StopReason.DIVERGED);
        assertThat(r.firstReached()).isEqualTo(-1);
    }

    @Test
    void theScriptsDirectFormReachesTheToleranceThenDiverges() {
        ToyProblem toy = ToyProblem.MERELY_CONVEX;
        MehaOptions direct = toy.scriptSettings().toBuilder().upperWeight(MehaOptions.UpperWeight.DIRECT).build();
        ToyRun r = ToyRunner.run(toy, toy.create(10), new Meha(direct), 100_000, TOL);
        assertThat(r.firstReached()).isPositive();
        assertThat(r.settledFrom()).isEqualTo(-1);
        assertThat(r.result().stopReason()).isEqualTo(StopReason.DIVERGED);
        assertThat(r.result().iterations()).isGreaterThan(r.firstReached());
    }

    @Test
    void bomeSettlesOnTheMerelyConvexToy() {
        ToyProblem toy = ToyProblem.MERELY_CONVEX;
        ToyRun r = ToyRunner.run(toy, toy.create(10), new Bome(toy.bomeSettings()), 1000, TOL);
        assertThat(r.settledFrom()).isBetween(1, 50);
        assertThat(r.finalCriterion()).isLessThan(1e-8);
    }

    @Test
    void noSolverIsHandedTheSolution() {
        // the runner starts every solver at the method page's start, far from the solution
        for (ToyProblem toy : ToyProblem.values()) {
            BilevelProblem p = toy.create(toy == ToyProblem.L1 ? 10 : 3);
            PairIterate s = toy.start(p);
            PairIterate ref = p.referenceSolution().orElseThrow();
            assertThat(org.bilevel4j.solver.meha.PairState.relativeError(s.y(), ref.y())).isGreaterThan(0.5);
        }
    }
}
