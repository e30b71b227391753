package org.bilevel4j.apps.market;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.bilevel4j.apps.io.SharedData;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Issue 8 on the real RTS-GMLC case: reading it, and Tikhonov continuation to the reference. */
class RtsGmlcTest {

    static MarketData data(MarketData.Options o) throws Exception {
        MatpowerCase c = MatpowerReader.read(SharedData.require("power_cases/matpower/case_RTS_GMLC.m"));
        assertThat(c.gen()).hasSize(158);
        assertThat(c.gencost()).hasSize(158);
        assertThat(c.bus()).hasSize(73);
        return MarketData.fromCase(c, o, MarketData.flatProfile(24));
    }

    @Test
    void offersSkipOutOfServiceUnitsUnlessAsked() throws Exception {
        MarketData in = data(MarketData.Options.defaults());
        MarketData all = data(new MarketData.Options(4, 0, true, 1000));
        assertThat(all.blocks()).isGreaterThan(in.blocks());
        assertThat(in.offers()).noneMatch(o -> o.fuel() == Fuel.RENEWABLE);
        assertThat(all.offers()).anyMatch(o -> o.fuel() == Fuel.RENEWABLE && o.price() == 0.0);
        // consecutive blocks of one generator never share a price
        for (int b = 1; b < in.blocks(); b++) {
            Offer p = in.offers().get(b - 1);
            Offer o = in.offers().get(b);
            if (p.generator() == o.generator()) {
                assertThat(o.price()).isNotEqualTo(p.price());
            }
        }
    }

    @Test
    @Tag("slow") // a long or real-data run: not rerun per mutant by PIT (docs/testing.md)
    void tikhonovReachesTheReferenceOn24Periods() throws Exception {
        MarketModel m = MarketModel.build(data(MarketData.Options.defaults()), Preference.FAIR,
                MarketModel.Weights.defaults());
        MarketReference.Solution ref = MarketReference.solve(m);
        MarketExperiment.Row row = MarketExperiment.run(m, ref, List.of(MarketMethod.TIKHONOV), 200_000,
                Duration.ofSeconds(60), 0).get(0);
        assertThat(row.metrics().lowerGap()).isLessThan(1e-6);
        assertThat(row.metrics().distance()).isLessThan(1e-2);
    }
}
