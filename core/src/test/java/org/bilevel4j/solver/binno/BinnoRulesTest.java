package org.bilevel4j.solver.binno;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/**
 * The linesearch of {@link BinnoRules} on objectives written as functions of the weights, built so that
 * the accepted pair and the trial sequence can be computed by hand.
 */
class BinnoRulesTest {

    private static final BinnoRules.StepLengths NONE = BinnoRules.StepLengths.NONE;

    /** Records the trial pairs and answers with the given objectives. */
    private static final class Recorder implements BinnoRules.TrialValues {
        final List<double[]> trials = new ArrayList<>();
        private final BinnoRules.TrialValues f;

        Recorder(BinnoRules.TrialValues f) {
            this.f = f;
        }

        @Override
        public double[] at(double a, double b) {
            trials.add(new double[] {a, b});
            return f.at(a, b);
        }
    }

    private static BinnoRules.Choice search(int backtracks, double sigma, BinnoRules.TrialValues f) {
        return BinnoRules.linesearch(new BinnoWeights.Linesearch(backtracks, sigma), false, 0, 1, false, 0, 1, 1.0,
                1.0, NONE, f);
    }

    @Test
    void onlyTheUpperDirectionWorks() {
        // Psi1 falls below its old value 1 only for a > 0.8; Psi2 falls everywhere
        Recorder r = new Recorder((a, b) -> new double[] {1 + (0.8 - a), 0.9});
        BinnoRules.Choice c = search(30, 0, r);
        // t = 1/2 and 3/4 fail the upper level (lo moves up), t = 7/8 passes
        assertThat(r.trials).extracting(p -> p[0]).containsExactly(0.5, 0.75, 0.875);
        assertThat(r.trials).extracting(p -> p[1]).containsExactly(0.5, 0.75, 0.875);
        assertThat(c).isEqualTo(new BinnoRules.Choice(0.875, 0.875, 3, true));
    }

    @Test
    void onlyTheLowerDirectionWorks() {
        // Psi2 falls below its old value 1 only for b < 0.2; Psi1 falls everywhere
        Recorder r = new Recorder((a, b) -> new double[] {0.9, 1 + (b - 0.2)});
        BinnoRules.Choice c = search(30, 0, r);
        assertThat(r.trials).extracting(p -> p[0]).containsExactly(0.5, 0.25, 0.125);
        assertThat(c).isEqualTo(new BinnoRules.Choice(0.125, 0.125, 3, true));
    }

    @Test
    void aFirstTrialThatWorksIsTakenAtOnce() {
        Recorder r = new Recorder((a, b) -> new double[] {0.5, 0.5});
        assertThat(search(30, 0.5, r)).isEqualTo(new BinnoRules.Choice(0.5, 0.5, 1, true));
        assertThat(r.trials).hasSize(1);
    }

    @Test
    void theSearchStaysInsideTheWindowsClippedToTheUnitInterval() {
        // X window [0.2, 0.6], Y window [0.4, 1.3] clipped to [0.4, 1]; Psi1 needs a >= 0.5 (equality passes)
        Recorder r = new Recorder((a, b) -> new double[] {1 + (0.5 - a), 0.9});
        BinnoRules.Choice c = BinnoRules.linesearch(new BinnoWeights.Linesearch(30, 0), true, 0.2, 0.6, true, 0.4, 1.3,
                1.0, 1.0, NONE, r);
        assertThat(r.trials.get(0)[0]).isCloseTo(0.4, within(1e-15));
        assertThat(r.trials.get(0)[1]).isCloseTo(0.7, within(1e-15));
        // second trial: halfway to the upper ends (0.6, 1)
        assertThat(c.alpha()).isCloseTo(0.5, within(1e-15));
        assertThat(c.beta()).isCloseTo(0.85, within(1e-15));
        assertThat(c.trials()).isEqualTo(2);
        assertThat(c.descent()).isTrue();
    }

    @Test
    void windowsAreIgnoredWhenNotUsed() {
        Recorder r = new Recorder((a, b) -> new double[] {0.5, 0.5});
        BinnoRules.linesearch(new BinnoWeights.Linesearch(30, 0), false, 0.2, 0.6, false, 0.4, 1.3, 1.0, 1.0, NONE, r);
        assertThat(r.trials.get(0)).containsExactly(0.5, 0.5);
        Recorder r2 = new Recorder((a, b) -> new double[] {0.5, 0.5});
        BinnoRules.linesearch(new BinnoWeights.Linesearch(30, 0), true, -0.5, 0.5, false, 0.4, 1.3, 1.0, 1.0, NONE, r2);
        // the X window clipped to [0, 0.5]
        assertThat(r2.trials.get(0)).containsExactly(0.25, 0.5);
    }

    @Test
    void theSufficientDecreaseConditionRejectsAPlainDecrease() {
        // D(a, b) = ((a^2 + (1 - a)^2) / (2 * 0.5)) with ||dXu||^2 = ||dXl||^2 = 1, <dXu, dXl> = 0, nu_X = 0.5
        BinnoRules.StepLengths d = new BinnoRules.StepLengths(1, 0, 1, 0.5, 0, 0, 0, 1);
        assertThat(d.measure(0.5, 0.3)).isCloseTo(0.5, within(1e-15));
        assertThat(d.measure(0.75, 0.3)).isCloseTo(0.625, within(1e-15));
        // Psi1(a) = 1 - 0.19 a^2: at a = 1/2 it falls by 0.0475 < sigma D = 0.05; at 3/4 by 0.106875 > 0.0625
        BinnoRules.TrialValues f = (a, b) -> new double[] {1 - 0.19 * a * a, 0.5};
        Recorder r = new Recorder(f);
        BinnoRules.Choice c = BinnoRules.linesearch(new BinnoWeights.Linesearch(30, 0.1), false, 0, 1, false, 0, 1,
                1.0, 1.0, d, r);
        assertThat(c).isEqualTo(new BinnoRules.Choice(0.75, 0.75, 2, true));
        // with sigma = 0 the plain decrease at the first trial is accepted
        BinnoRules.Choice plain = BinnoRules.linesearch(new BinnoWeights.Linesearch(30, 0), false, 0, 1, false, 0, 1,
                1.0, 1.0, d, f);
        assertThat(plain).isEqualTo(new BinnoRules.Choice(0.5, 0.5, 1, true));
    }

    @Test
    void theConditionIsRelativeToTheSizeOfTheOldValue() {
        // old Psi1 = 100: the violation is (v - 100 + sigma D) / 100; D(1/2, 1/2) = 1/4 + 1/4 with nu = 1/2, 1
        BinnoRules.StepLengths d = new BinnoRules.StepLengths(1, 1, 1, 0.5, 1, 1, 1, 1);
        assertThat(d.measure(0.5, 0.5)).isCloseTo(1.0 + 0.5, within(1e-15));
        assertThat(BinnoRules.violation(99.0, 100.0, 0.5)).isCloseTo(-0.005, within(1e-15));
        assertThat(BinnoRules.violation(0.2, 0.5, 0.1)).isCloseTo(-0.2, within(1e-15));
        assertThat(BinnoRules.violation(-3.0, -2.0, 0.5)).isCloseTo(-0.25, within(1e-15));
        assertThat(BinnoRules.violation(Double.NaN, 1.0, 0)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(BinnoRules.violation(1.0, Double.POSITIVE_INFINITY, 0)).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void stepLengthsFollowFromTheDifferenceSums() {
        double[] x = {1, 2, 3};
        double[] u = {2, 2, 1};
        double[] l = {1, 4, 4};
        // u - x = (1, 0, -2), l - x = (0, 2, 1)
        assertThat(BinnoRules.differenceSums(x, u, l)).containsExactly(5, -2, 5);
        double[] y = {0, 1};
        double[] yu = {1, 1};
        double[] yl = {0, 3};
        BinnoRules.StepLengths s = BinnoRules.StepLengths.of(x, u, l, 0.25, y, yu, yl, 2);
        assertThat(s).isEqualTo(new BinnoRules.StepLengths(5, -2, 5, 0.25, 1, 0, 4, 2));
        // X(0.3) - X = 0.3 (1, 0, -2) + 0.7 (0, 2, 1) = (0.3, 1.4, 0.1); Y(0.6) - Y = (0.6, 0.8)
        double xs = 0.09 + 1.96 + 0.01;
        double ys = 0.36 + 0.64;
        assertThat(s.measure(0.3, 0.6)).isCloseTo(xs / (2 * 0.25) + ys / (2 * 2), within(1e-14));
        assertThat(BinnoRules.StepLengths.NONE.measure(0.3, 0.6)).isZero();
    }

    @Test
    void withoutSimultaneousDescentTheTrialWithTheSmallestWorseViolationIsTakenAndFlagged() {
        // Psi1 needs a > 0.7, Psi2 needs b < 0.3: no pair on the segment serves both;
        // max(0.7 - t, t - 0.3) is smallest (0.2) at t = 1/2, the first trial
        Recorder r = new Recorder((a, b) -> new double[] {1 + (0.7 - a), 1 + (b - 0.3)});
        BinnoRules.Choice c = search(5, 0, r);
        assertThat(c).isEqualTo(new BinnoRules.Choice(0.5, 0.5, 6, false));
        // both fail at 1/2 with equal violations: towards the upper end; then towards the larger violation
        assertThat(r.trials).extracting(p -> p[0]).containsExactly(0.5, 0.75, 0.625, 0.5625, 0.53125, 0.515625);
    }

    @Test
    void theFallbackIsTheBestTrialNotTheLast() {
        // Psi1 needs a > 0.9, Psi2 needs b < 0.8; t = 7/8 is the best (max(0.025, 0.075))
        Recorder r = new Recorder((a, b) -> new double[] {1 + (0.9 - a), 1 + (b - 0.8)});
        BinnoRules.Choice c = search(3, 0, r);
        // 1/2 (0.4), 3/4 (0.15), 7/8 (0.075; upper fails less: towards lower), 13/16 (0.0875)
        assertThat(r.trials).extracting(p -> p[0]).containsExactly(0.5, 0.75, 0.875, 0.8125);
        assertThat(c).isEqualTo(new BinnoRules.Choice(0.875, 0.875, 4, false));
    }

    @Test
    void theLastTrialIsTheLowerEndWhenOnlyItIsFeasible() {
        // an indicator in the lower level: Psi2 finite only at the lower candidates (t = 0)
        Recorder r = new Recorder((a, b) -> new double[] {0.9, a == 0 && b == 0 ? 0.9 : Double.POSITIVE_INFINITY});
        BinnoRules.Choice c = search(4, 0, r);
        assertThat(r.trials).extracting(p -> p[0]).containsExactly(0.5, 0.25, 0.125, 0.0625, 0.0);
        assertThat(c).isEqualTo(new BinnoRules.Choice(0.0, 0.0, 5, true));
    }

    @Test
    void theLastTrialIsTheUpperEndWhenOnlyItWorks() {
        Recorder r = new Recorder((a, b) -> new double[] {a == 1 && b == 1 ? 0.9 : 1.1, 0.9});
        BinnoRules.Choice c = search(3, 0, r);
        assertThat(r.trials).extracting(p -> p[0]).containsExactly(0.5, 0.75, 0.875, 1.0);
        assertThat(c).isEqualTo(new BinnoRules.Choice(1.0, 1.0, 4, true));
    }

    @Test
    void theLastTrialStaysInsideTheBracketOnceBothEndsMoved() {
        // Psi1 fails for a <= 0.6, Psi2 for b > 0.6: lo = 1/2, hi = 3/4, hi = 5/8; the last trial is 9/16, not an
        // end; every violation is 0.1, so the fallback is the first trial
        Recorder r = new Recorder((a, b) -> new double[] {a > 0.6 ? 0.9 : 1.1, b > 0.6 ? 1.1 : 0.9});
        BinnoRules.Choice c = search(3, 0, r);
        assertThat(r.trials).extracting(p -> p[0]).containsExactly(0.5, 0.75, 0.625, 0.5625);
        assertThat(c).isEqualTo(new BinnoRules.Choice(0.5, 0.5, 4, false));
    }

    @Test
    void withoutBacktracksOnlyTheMiddleIsTried() {
        Recorder r = new Recorder((a, b) -> new double[] {2, 2});
        assertThat(search(0, 0, r)).isEqualTo(new BinnoRules.Choice(0.5, 0.5, 1, false));
        assertThat(r.trials).hasSize(1);
    }

    @Test
    void theRuleValidatesItsParameters() {
        assertThatThrownBy(() -> new BinnoWeights.Linesearch(-1)).hasMessageContaining("maxBacktracks");
        assertThatThrownBy(() -> new BinnoWeights.Linesearch(3, 1.0)).hasMessageContaining("sigma");
        assertThatThrownBy(() -> new BinnoWeights.Linesearch(3, -0.1)).hasMessageContaining("sigma");
        assertThatThrownBy(() -> new BinnoWeights.Linesearch(3, Double.NaN)).hasMessageContaining("sigma");
        assertThat(new BinnoWeights.Linesearch(3).sigma()).isEqualTo(BinnoWeights.Linesearch.DEFAULT_SIGMA);
        assertThat(BinnoWeights.LINESEARCH).isEqualTo(new BinnoWeights.Linesearch(30, 1e-4));
    }

    @Test
    void aViolationOfExactlyZeroIsAccepted() {
        // Psi1 equals its old value from a = 3/4 on (sigma = 0): accepted there, not one trial later
        Recorder r = new Recorder((a, b) -> new double[] {a >= 0.75 ? 1.0 : 1.5, 0.9});
        assertThat(search(30, 0, r)).isEqualTo(new BinnoRules.Choice(0.75, 0.75, 2, true));
        Recorder r2 = new Recorder((a, b) -> new double[] {0.9, b <= 0.25 ? 1.0 : 1.5});
        assertThat(search(30, 0, r2)).isEqualTo(new BinnoRules.Choice(0.25, 0.25, 2, true));
    }

    @Test
    void equalViolationsMoveTowardsTheUpperEnd() {
        // both levels fail by exactly 0.5 at every trial
        Recorder r = new Recorder((a, b) -> new double[] {1.5, 1.5});
        search(2, 0, r);
        assertThat(r.trials).extracting(p -> p[0]).containsExactly(0.5, 0.75, 1.0);
    }

    @Test
    void theStepOfXFollowsTheFormulaWhereItBinds() {
        // L_X = 1, L_f1 = 3, L_f2 = 8: sqrt((1 + 8)(1 + 3)) - 1 = 5, nu_X = min(1/5, 1/1)
        assertThat(BinnoRules.stepX(1, OptionalDouble.of(3), OptionalDouble.of(8))).isCloseTo(0.2, within(1e-16));
        // L_X = 4, L_f1 = 5, L_f2 = 0: sqrt(4 * 9) - 4 = 2, min(1/2, 1/4)
        assertThat(BinnoRules.stepX(4, OptionalDouble.of(5), OptionalDouble.of(0))).isEqualTo(0.25);
        // without one of the constants the plain 1/L_X
        assertThat(BinnoRules.stepX(2, OptionalDouble.empty(), OptionalDouble.of(5))).isEqualTo(0.5);
        assertThat(BinnoRules.stepX(2, OptionalDouble.of(5), OptionalDouble.empty())).isEqualTo(0.5);
        // both constants 0: the bound 1/0 is not used
        assertThat(BinnoRules.stepX(2, OptionalDouble.of(0), OptionalDouble.of(0))).isEqualTo(0.5);
    }

    @Test
    void theStepOfYFollowsTheFormulaWhereItBinds() {
        // L_u = 1, L_l = 2, L_g1 = 3, L_g2 = 4: A = 3, B = 12 + 4 + 6 = 22, 2 / (sqrt(97) - 3) < 1/2
        double want = 2 / (Math.sqrt(97) - 3);
        assertThat(BinnoRules.stepY(1, 2, OptionalDouble.of(3), OptionalDouble.of(4))).isCloseTo(want,
                within(1e-15));
        assertThat(BinnoRules.stepY(2, 1, OptionalDouble.of(4), OptionalDouble.of(3))).isCloseTo(
                2 / (Math.sqrt(9 + 4 * (12 + 3 * 2 + 4)) - 3), within(1e-15));
        // without a constant: 1 / max(L_u, L_l)
        assertThat(BinnoRules.stepY(1, 2, OptionalDouble.empty(), OptionalDouble.of(4))).isEqualTo(0.5);
        assertThat(BinnoRules.stepY(4, 2, OptionalDouble.of(3), OptionalDouble.empty())).isEqualTo(0.25);
        // B = 0 (both constants 0): the bound is not used; with zero factors the floor caps the step
        assertThat(BinnoRules.stepY(1, 2, OptionalDouble.of(0), OptionalDouble.of(0))).isEqualTo(0.5);
        assertThat(BinnoRules.stepY(0, 0, OptionalDouble.of(0), OptionalDouble.of(0))).isEqualTo(0x1p52);
        assertThat(BinnoRules.stepY(0, 0, OptionalDouble.empty(), OptionalDouble.empty())).isEqualTo(0x1p52);
    }

    @Test
    void theWindowsFollowTheirFormulas() {
        // nu = 1/2, L = 1, L_1 = 3, L_2 = 8: {(2 + 1) / (3 + 2 + 2), (8 + 1) / (8 + 2 + 2)}
        assertThat(BinnoRules.windowX(0.5, 1, OptionalDouble.of(3), OptionalDouble.of(8))).containsExactly(3.0 / 7,
                9.0 / 12);
        assertThat(BinnoRules.windowY(0.5, 1, 2, OptionalDouble.of(3), OptionalDouble.of(8))).containsExactly(
                3.0 / 7, 10.0 / 14);
        assertThat(BinnoRules.windowX(0.5, 1, OptionalDouble.empty(), OptionalDouble.of(8))).containsExactly(0, 1);
        assertThat(BinnoRules.windowY(0.5, 1, 2, OptionalDouble.of(3), OptionalDouble.empty())).containsExactly(0,
                1);
    }

    @Test
    void theFirstTrialIsTheMiddleOfTheClippedIntervals() {
        assertThat(BinnoRules.firstTrial(true, 0.2, 0.6, true, 0.4, 1.3)).containsExactly(0.5 * (0.2 + 0.6),
                0.5 * (0.4 + 1.0));
        assertThat(BinnoRules.firstTrial(false, 0.2, 0.6, false, 0.4, 1.3)).containsExactly(0.5, 0.5);
        assertThat(BinnoRules.firstTrial(false, 0.2, 0.6, false, 0.4, 0.9)).containsExactly(0.5, 0.5);
        assertThat(BinnoRules.firstTrial(false, 0.2, 0.6, true, 0.4, 0.9)).containsExactly(0.5, 0.5 * (0.4 + 0.9));
        assertThat(BinnoRules.firstTrial(true, -1, 0.5, false, 0, 1)).containsExactly(0.25, 0.5);
        assertThat(BinnoRules.clip01(-0.5)).isZero();
        assertThat(BinnoRules.clip01(1.5)).isEqualTo(1.0);
        assertThat(BinnoRules.clip01(0.3)).isEqualTo(0.3);
    }
}
