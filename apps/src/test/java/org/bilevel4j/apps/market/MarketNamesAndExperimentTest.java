package org.bilevel4j.apps.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The names and fuel rules of the market's enums, and {@link MarketExperiment} on the three-block
 * market of {@link ThreeBlocksTest} with a short budget: its rows against {@link MarketMetrics} of the
 * returned points, the trace thinned to every {@code max(1, budget / 2000)}-th iteration, and the row
 * of a method that does not apply.
 */
class MarketNamesAndExperimentTest {

    @Test
    void fuelRatesLabelsAndInference() {
        assertThat(Fuel.COAL.emissionRate()).isEqualTo(0.95);
        assertThat(Fuel.OIL.emissionRate()).isEqualTo(0.80);
        assertThat(Fuel.GAS.emissionRate()).isEqualTo(0.50);
        assertThat(Fuel.NUCLEAR.emissionRate()).isZero();
        assertThat(Fuel.OTHER.emissionRate()).isEqualTo(0.6);
        assertThat(Fuel.RENEWABLE.label()).isEqualTo("renewable");
        assertThat(Fuel.infer(76, false, true)).isEqualTo(Fuel.COAL);
        assertThat(Fuel.infer(76, false, false)).isEqualTo(Fuel.COAL);
        assertThat(Fuel.infer(400, false, true)).isEqualTo(Fuel.NUCLEAR);
        assertThat(Fuel.infer(355, false, true)).isEqualTo(Fuel.GAS);
        assertThat(Fuel.infer(12, false, true)).isEqualTo(Fuel.OIL);
        assertThat(Fuel.infer(76, true, true)).isEqualTo(Fuel.HYDRO);
        assertThat(Fuel.infer(76, true, false)).isEqualTo(Fuel.RENEWABLE);
        // sizes are matched to 1e-9 MW: 76 + 1e-12 is the 76 MW unit, 75.9 and 76 + 1e-6 are not
        assertThat(Fuel.infer(76 + 1e-12, false, true)).isEqualTo(Fuel.COAL);
        assertThat(Fuel.infer(76 - 1e-12, false, true)).isEqualTo(Fuel.COAL);
        assertThat(Fuel.infer(76 + 1e-6, false, true)).isEqualTo(Fuel.OTHER);
        assertThat(Fuel.infer(75.9, false, true)).isEqualTo(Fuel.OTHER);
        assertThat(Fuel.infer(77, false, true)).isEqualTo(Fuel.OTHER);
    }

    @Test
    void methodAndPreferenceNames() {
        assertThat(MarketMethod.BINNO_VANISHING.label()).isEqualTo("binno-vanishing");
        assertThat(MarketMethod.TIKHONOV.label()).isEqualTo("tikhonov");
        assertThat(MarketMethod.parse(" BiNNO-Linesearch ")).isEqualTo(MarketMethod.BINNO_LINESEARCH);
        for (MarketMethod m : MarketMethod.values()) {
            assertThat(MarketMethod.parse(m.label())).isEqualTo(m);
        }
        assertThatThrownBy(() -> MarketMethod.parse("newton")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown method 'newton', expected one of tikhonov, bigsam, binno-linesearch,"
                        + " binno-midpoint, binno-vanishing");
        assertThat(Preference.EMISSIONS.label()).isEqualTo("emissions");
        assertThat(Preference.SCHEDULE.label()).isEqualTo("schedule");
    }

    @Test
    void experimentRowsMeasureTheReturnedPoints() {
        MarketModel m = ThreeBlocksTest.model(Preference.FAIR);
        MarketReference.Solution ref = MarketReference.solve(m);
        List<MarketExperiment.Row> rows = MarketExperiment.run(m, ref,
                List.of(MarketMethod.BIGSAM, MarketMethod.BINNO_MIDPOINT), 6000, Duration.ofSeconds(60), 5);
        assertThat(rows).hasSize(2);
        MarketExperiment.Row r = rows.get(0);
        assertThat(r.method()).isEqualTo(MarketMethod.BIGSAM);
        assertThat(r.iterations()).isBetween(1, 6000);
        assertThat(r.stop()).contains(" (");
        MarketMetrics expect = MarketMetrics.of(m, ref, r.solution().x(), r.solution().y());
        assertThat(r.metrics().lowerGap()).isEqualTo(expect.lowerGap());
        assertThat(r.metrics().distance()).isEqualTo(expect.distance());
        assertThat(r.metrics().upperValue()).isEqualTo(expect.upperValue());
        // a row every 6000 / 2000 = 3 iterations, and the first and last
        int k = r.iterations();
        int expectedRows = 1 + k / 3 + (k % 3 != 0 && k > 1 ? 1 : 0);
        assertThat(r.trace().size()).isEqualTo(expectedRows);
        // the same seed gives the same point
        MarketExperiment.Row again = MarketExperiment.run(m, ref, List.of(MarketMethod.BIGSAM), 6000,
                Duration.ofSeconds(60), 5, MarketMethod.DEFAULT_TIKHONOV_STAGE).get(0);
        assertThat(again.solution().x().data).containsExactly(r.solution().x().data);
        assertThat(again.iterations()).isEqualTo(k);

        MarketExperiment.Row na = rows.get(1);
        assertThat(na.method()).isEqualTo(MarketMethod.BINNO_MIDPOINT);
        assertThat(na.stop()).startsWith("not applicable: ").contains("LINESEARCH");
        assertThat(na.metrics()).isNull();
        assertThat(na.solution()).isNull();
        assertThat(na.trace()).isNull();
        assertThat(na.iterations()).isZero();
    }
}
