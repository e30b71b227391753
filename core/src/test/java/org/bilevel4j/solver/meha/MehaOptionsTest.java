package org.bilevel4j.solver.meha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MehaOptionsTest {

    @Test
    void paperIsThePaperFormWithTheMerelyConvexToySettings() {
        MehaOptions o = MehaOptions.paper();
        assertThat(o.upperWeight()).isEqualTo(MehaOptions.UpperWeight.INVERSE);
        assertThat(o.order()).isEqualTo(MehaOptions.UpdateOrder.X_FIRST);
        assertThat(o.thetaStart()).isEqualTo(MehaOptions.ThetaStart.FROM_Y);
        assertThat(1 / o.gamma()).isCloseTo(0.2, within(1e-15));
        assertThat(o.eta()).isEqualTo(0.75);
        assertThat(o.alpha()).isEqualTo(0.3);
        assertThat(o.beta()).isEqualTo(0.5);
        assertThat(o.c0()).isEqualTo(0.6);
        assertThat(o.p()).isEqualTo(0.49);
        assertThat(o.stabilityWarning()).isNull();
    }

    @Test
    void penaltyScheduleAndWeights() {
        MehaOptions o = MehaOptions.builder().c0(2).p(0.25).build();
        assertThat(o.penalty(0)).isEqualTo(2.0);
        assertThat(o.penalty(15)).isCloseTo(4.0, within(1e-12));
        assertThat(o.upperWeightAt(15)).isCloseTo(0.25, within(1e-12));
        MehaOptions d = o.toBuilder().upperWeight(MehaOptions.UpperWeight.DIRECT).build();
        assertThat(d.upperWeightAt(15)).isCloseTo(4.0, within(1e-12));
    }

    @Test
    void theScriptsStepSizesCarryAVisibleStabilityWarning() {
        MehaOptions scripts = MehaOptions.builder().inverseGamma(0.2).eta(0.009).c0(0.6).p(0.49).alpha(0.012)
                .beta(0.1).build();
        assertThat(scripts.flatDirectionGapFactor()).isCloseTo(1.02 * 0.9982, within(1e-12));
        assertThat(scripts.stabilityWarning()).contains("grows by").contains("1.01816");
        // a factor of exactly 1 (gamma = 1, beta = 1, eta = 1/2: 2 x 1/2) already warns: the gap does not shrink
        MehaOptions one = MehaOptions.builder().inverseGamma(1).beta(1).eta(0.5).build();
        assertThat(one.flatDirectionGapFactor()).isEqualTo(1.0);
        assertThat(one.stabilityWarning()).contains("= 1.00000 per iteration");
        MehaOptions below = one.toBuilder().eta(Math.nextUp(0.5)).build();
        assertThat(below.flatDirectionGapFactor()).isLessThan(1.0);
        assertThat(below.stabilityWarning()).isNull();
    }

    @Test
    void validates() {
        assertThatThrownBy(() -> MehaOptions.builder().eta(0).build()).hasMessageContaining("eta must be");
        assertThatThrownBy(() -> MehaOptions.builder().gamma(Double.NaN).build()).hasMessageContaining("gamma");
        assertThatThrownBy(() -> MehaOptions.builder().p(0.5).build()).hasMessageContaining("0 <= p < 1/2");
        assertThatThrownBy(() -> MehaOptions.builder().alpha(-1).build()).hasMessageContaining("alpha");
        assertThatThrownBy(() -> MehaOptions.builder().order(null).build()).isInstanceOf(NullPointerException.class);
    }
}
