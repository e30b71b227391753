package org.bilevel4j.apps.toys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.bilevel4j.apps.toys.FiniteDifferences.col;

import java.util.SplittableRandom;
import org.bilevel4j.problem.Box;
import org.bilevel4j.problem.MinimaxBilevelPoint;
import org.bilevel4j.problem.MinimaxBilevelProblem;
import org.bilevel4j.problem.MultiplierBound;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The closed forms of T1 to T5 and their exact lower-level gaps. */
class MinimaxToysTest {

    @Test
    void namesResolveAndUnknownNamesAreOneLineErrors() {
        assertThat(MinimaxToys.names()).containsExactly("T1", "T2", "T3", "T4", "T5");
        for (String n : MinimaxToys.names()) {
            assertThat(MinimaxToys.byName(n.toLowerCase()).name()).isEqualTo(n);
        }
        assertThatThrownBy(() -> MinimaxToys.byName("T9")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown problem 'T9'; expected one of [T1, T2, T3, T4, T5]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"T1", "T2", "T3", "T4", "T5"})
    void solutionLiesInTheBoxesSolvesTheLowerLevelAndHasTheStatedValue(String name) {
        MinimaxToy t = MinimaxToys.byName(name);
        MinimaxBilevelProblem p = t.problem();
        MinimaxBilevelPoint s = t.solution();
        p.checkPoint(s);
        p.checkPoint(t.start());
        assertThat(p.x1Domain().contains(s.x1()) && p.x2Domain().contains(s.x2()) && p.y1Domain().contains(s.y1())
                && p.y2Domain().contains(s.y2())).isTrue();
        assertThat(t.lowerGap(s)).isCloseTo(0, within(1e-12));
        assertThat(p.upperValue(s.x1(), s.x2(), s.y1(), s.y2())).isCloseTo(t.solutionValue(), within(1e-12));
        assertThat(t.error(s)).isZero();
    }

    /** Brute force: the gap with the inner max and min over scalar z by golden section. */
    private static double scalarGap(MinimaxBilevelProblem p, MinimaxBilevelPoint x) {
        Box y1 = p.y1Domain();
        Box y2 = p.y2Domain();
        double z2 = GoldenSection.minimize(z -> -p.lowerValue(x.x1(), x.y1(), col(new double[] {z})), y2.lower(0),
                y2.upper(0), 1e-12);
        double z1 = GoldenSection.minimize(z -> p.lowerValue(x.x1(), col(new double[] {z}), x.y2()), y1.lower(0),
                y1.upper(0), 1e-12);
        return p.lowerValue(x.x1(), x.y1(), col(new double[] {z2})) - p.lowerValue(x.x1(), col(new double[] {z1}),
                x.y2());
    }

    @ParameterizedTest
    @ValueSource(strings = {"T1", "T2", "T4"})
    void closedFormGapsMatchABruteForceGapAndAreNonnegative(String name) {
        MinimaxToy t = MinimaxToys.byName(name);
        MinimaxBilevelProblem p = t.problem();
        SplittableRandom rnd = new SplittableRandom(11);
        for (int k = 0; k < 30; k++) {
            MinimaxBilevelPoint x = MinimaxBilevelPoint.of(FiniteDifferences.randomIn(p.x1Domain(), rnd),
                    FiniteDifferences.randomIn(p.x2Domain(), rnd), FiniteDifferences.randomIn(p.y1Domain(), rnd),
                    FiniteDifferences.randomIn(p.y2Domain(), rnd));
            double gap = t.lowerGap(x);
            assertThat(gap).isGreaterThanOrEqualTo(0);
            assertThat(gap).isCloseTo(scalarGap(p, x), within(1e-6 * Math.max(1, gap)));
        }
    }

    @Test
    void t1ClosedFormSatisfiesBothLevelsFirstOrderConditions() {
        T1StronglyConvexConcave t = new T1StronglyConvexConcave();
        MinimaxBilevelPoint s = t.solution();
        assertThat(s.toArray()).containsExactly(2, -1, 1, 1);
        // another instance: lower saddle and reduced upper stationarity by finite differences
        T1StronglyConvexConcave u = new T1StronglyConvexConcave(2, 0.5, 0.7, -1, 1, 3);
        MinimaxBilevelPoint v = u.solution();
        assertThat(u.lowerGap(v)).isCloseTo(0, within(1e-13));
        double k = 2 * 0.5 / (2 * 0.5 + 0.49);
        double sFactor = k * (1 + 0.7 / 0.5);
        java.util.function.DoubleUnaryOperator reduced = x1 -> {
            double x2 = (sFactor * x1 - 1) / 3;
            return 0.5 * (x1 + 1) * (x1 + 1) + x2 * (sFactor * x1 - 1) - 1.5 * x2 * x2;
        };
        assertThat(GoldenSection.minimize(reduced, -10, 10, 1e-11)).isCloseTo(v.x1().data[0], within(1e-8));
    }

    @Test
    void t3ReducedProblemHasItsMinimumAtFourThirds() {
        // with y = (x/2, x/2) on the lower solutions, the upper value is x^2/4 + (x - 2)^2 / 2
        assertThat(GoldenSection.minimize(x -> x * x / 4 + 0.5 * (x - 2) * (x - 2), -10, 10, 1e-11))
                .isCloseTo(4.0 / 3, within(1e-8));
        T3ConvexLower t = new T3ConvexLower();
        assertThat(t.lowerGap(MinimaxBilevelPoint.of(new double[] {1}, new double[0], new double[] {0.2, 0.3},
                new double[0]))).isCloseTo(0.125, within(1e-15));
    }

    @Test
    void t4MultiplierBoundIsTheSlaterBoundAndTheBoxIsZeroToTen() {
        T4ConstrainedLower t = new T4ConstrainedLower();
        MultiplierBound b = t.lowerLevel().multiplierBound();
        assertThat(b.margin()).isEqualTo(4);
        assertThat(b.objectiveAtSlater()).isEqualTo(32);
        assertThat(b.objectiveLowerBound()).isEqualTo(0);
        assertThat(b.bound()).isEqualTo(8);
        assertThat(b.cap()).isEqualTo(10);
        assertThat(t.problem().y2Domain()).isEqualTo(Box.cube(1, 0, 10));
        assertThat(t.multiplierError(t.solution())).isZero();
    }

    @Test
    void t5GoldenSectionOptimumIsInteriorAndTheGridAgrees() {
        T5Ridge t = T5Ridge.instance();
        double x1 = t.solution().x1().data[0];
        assertThat(x1).isBetween(0.1, 9.9);
        int best = 0;
        double bestF = Double.POSITIVE_INFINITY;
        for (int i = 0; i <= 1000; i++) {
            double f = t.reducedObjective(i * 0.01);
            if (f < bestF) {
                bestF = f;
                best = i;
            }
        }
        assertThat(best * 0.01).isCloseTo(x1, within(0.01));
        assertThat(t.reducedObjective(x1)).isLessThan(t.reducedObjective(0) - 0.1); // a clear improvement on x1 = 0
        // the ridge solution stays inside y's box along the whole x1 range
        for (double a = 0; a <= 10; a += 0.5) {
            for (double v : t.lowerSolution(a)) {
                assertThat(Math.abs(v)).isLessThan(3);
            }
        }
    }
}
