package org.bilevel4j.apps.toys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class GoldenSectionTest {

    @Test
    void findsTheMinimumOfUnimodalFunctionsInsideAndAtTheEnds() {
        assertThat(GoldenSection.minimize(x -> (x - 1.3) * (x - 1.3), 0, 10, 1e-10)).isCloseTo(1.3, within(1e-9));
        assertThat(GoldenSection.minimize(x -> Math.abs(x + 2), -5, 5, 1e-10)).isCloseTo(-2, within(1e-9));
        assertThat(GoldenSection.minimize(x -> x, 0, 10, 1e-10)).isCloseTo(0, within(1e-9));
        assertThatThrownBy(() -> GoldenSection.minimize(x -> x, 1, 0, 1e-3))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aZeroWidthBracketAndABracketOfExactlyTheToleranceAreNotSearched() {
        // a == b is a valid bracket: its midpoint
        assertThat(GoldenSection.minimize(x -> x, 2, 2, 1e-3)).isEqualTo(2);
        // b - a equal to the tolerance: no iteration, the midpoint of [0, 1e-3]
        assertThat(GoldenSection.minimize(x -> (x - 1) * (x - 1), 0, 1e-3, 1e-3)).isEqualTo(5e-4);
        assertThatThrownBy(() -> GoldenSection.minimize(x -> x, 0, 1, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("need a <= b and tol > 0, got [0.0, 1.0], 0.0");
    }

    @Test
    void onATieTheLeftPartOfTheBracketIsKept() {
        // f(c) = f(d) at every step of a constant: the bracket shrinks from the right, towards a
        double m = GoldenSection.minimize(x -> 0.0, 0, 1, 1e-6);
        assertThat(m).isBetween(0.0, 1e-6);
    }
}
