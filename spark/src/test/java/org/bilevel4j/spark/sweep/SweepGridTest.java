package org.bilevel4j.spark.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SweepGridTest {

    @Test
    void gridIsTheCartesianProductWithTheFirstAxisSlowest() {
        Map<String, List<Double>> axes = new LinkedHashMap<>();
        axes.put("lambda", List.of(0.01, 0.1));
        axes.put("gamma", List.of(1.0, 2.0, 3.0));
        axes.put("rank", List.of(9.0));
        List<Setting> g = SweepGrid.grid(axes);
        List<Setting> expected = new ArrayList<>();
        for (double l : List.of(0.01, 0.1)) {
            for (double gm : List.of(1.0, 2.0, 3.0)) {
                expected.add(Setting.of("lambda", l, "gamma", gm, "rank", 9.0));
            }
        }
        assertThat(g).containsExactlyElementsOf(expected);
        assertThat(g.get(0).names()).containsExactly("lambda", "gamma", "rank");
        assertThat(g).doesNotHaveDuplicates();
    }

    @Test
    void fourByFourGridHasSixteenDistinctSettings() {
        Map<String, List<Double>> axes = new LinkedHashMap<>();
        axes.put("lambda", List.of(0.01, 0.05, 0.1, 0.5));
        axes.put("gamma", List.of(0.001, 0.01, 0.1, 1.0));
        List<Setting> g = SweepGrid.grid(axes);
        assertThat(g).hasSize(16).doesNotHaveDuplicates();
        assertThat(g.get(5)).isEqualTo(Setting.of("lambda", 0.05, "gamma", 0.01));
    }

    @Test
    void badAxesAreRejectedWithTheParameterNamed() {
        Map<String, List<Double>> empty = new LinkedHashMap<>();
        empty.put("gamma", List.of());
        assertThatThrownBy(() -> SweepGrid.grid(empty)).hasMessageContaining("gamma");
        Map<String, List<Double>> rep = new LinkedHashMap<>();
        rep.put("lambda", List.of(0.1, 0.1));
        assertThatThrownBy(() -> SweepGrid.grid(rep)).hasMessageContaining("lambda").hasMessageContaining("repeats");
        Map<String, List<Double>> nan = new LinkedHashMap<>();
        nan.put("eta", List.of(Double.NaN));
        assertThatThrownBy(() -> SweepGrid.grid(nan)).hasMessageContaining("eta");
        assertThatThrownBy(() -> SweepGrid.grid(Map.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void listKeepsItsOrderAndNeedsTheSameParameters() {
        List<Setting> l = List.of(Setting.of("a", 2, "b", 1), Setting.of("b", 5, "a", 0));
        assertThat(SweepGrid.list(l)).containsExactlyElementsOf(l);
        assertThatThrownBy(() -> SweepGrid.list(List.of(Setting.of("a", 1), Setting.of("b", 1))))
                .hasMessageContaining("[a]");
    }

    @Test
    void settingDefaultsAndIntegers() {
        Setting s = Setting.of("lambda", 0.5).withDefaults(Map.of("lambda", 0.05, "rank", 9.0));
        assertThat(s.get("lambda")).isEqualTo(0.5);
        assertThat(s.getInt("rank", 1)).isEqualTo(9);
        assertThat(s.names()).first().isEqualTo("lambda");
        assertThatThrownBy(() -> Setting.of("rank", 2.5).getInt("rank", 1)).hasMessageContaining("rank");
        assertThat(Setting.of("lambda", 0.05, "max_iter", 500).toString()).isEqualTo("lambda=0.05, max_iter=500");
    }
}
