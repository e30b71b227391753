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
}
