package org.bilevel4j.solver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The trace table: columns, rows as copies, the last row, and its checks. */
class TraceTest {

    @Test
    void rowsAreCopiesAndTheLastRowIsTheLastAdded() {
        Trace t = new Trace(List.of("a", "b"));
        assertThat(t.columns()).containsExactly("iteration", "seconds", "a", "b");
        assertThatThrownBy(t::last).isInstanceOf(IllegalStateException.class).hasMessage("trace is empty");
        double[] row = {1, 0.5, 10, 20};
        t.add(row);
        row[2] = -1; // the trace kept a copy
        t.add(new double[] {2, 0.75, 11, 21});
        t.add(new double[] {3, 1.0, 12, 22});
        assertThat(t.size()).isEqualTo(3);
        assertThat(t.row(0)).containsExactly(1, 0.5, 10, 20);
        assertThat(t.last()).containsExactly(3, 1.0, 12, 22);
        t.last()[2] = 99;
        assertThat(t.lastValue("a")).isEqualTo(12);
        assertThat(t.column("b")).containsExactly(20, 21, 22);
        assertThat(t.indexOf("seconds")).isEqualTo(1);
        assertThatThrownBy(() -> t.indexOf("c")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no column 'c' in [iteration, seconds, a, b]");
        assertThatThrownBy(() -> t.add(new double[3])).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("row has 3 values, trace has 4 columns");
        assertThatThrownBy(() -> new Trace(List.of("a", "seconds"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("duplicate trace columns");
    }
}
