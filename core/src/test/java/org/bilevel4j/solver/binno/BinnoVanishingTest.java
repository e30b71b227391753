package org.bilevel4j.solver.binno;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The vanishing-weight rule, our extension of BINNO. */
class BinnoVanishingTest {

    @Test
    void weightsDecayAsAPowerOfTheIteration() {
        BinnoWeights.Vanishing v = new BinnoWeights.Vanishing(0.8, 0.5, 0.5);
        assertThat(v.alpha(0)).isEqualTo(0.8);
        assertThat(v.beta(3)).isEqualTo(0.25);
        assertThat(v.alpha(99)).isCloseTo(0.08, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(v.label()).isEqualTo("vanishing");
        assertThat(new Binno(v).name()).isEqualTo("BINNO(vanishing)");
    }

    @Test
    void rejectsSummableOrGrowingWeights() {
        assertThatThrownBy(() -> new BinnoWeights.Vanishing(1, 1, 1.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("divergent sum");
        assertThatThrownBy(() -> new BinnoWeights.Vanishing(1, 1, 0)).hasMessageContaining("power must be in (0, 1]");
        assertThatThrownBy(() -> new BinnoWeights.Vanishing(1.5, 1, 0.5)).hasMessageContaining("alpha0 and beta0");
    }
}
