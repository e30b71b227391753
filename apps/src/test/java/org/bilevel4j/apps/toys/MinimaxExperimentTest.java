package org.bilevel4j.apps.toys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.bilevel4j.apps.toys.MinimaxExperiment.Outcome;
import org.bilevel4j.apps.toys.MinimaxExperiment.PathPoint;
import org.bilevel4j.apps.toys.MinimaxExperiment.Settings;
import org.bilevel4j.solver.StopReason;
import org.junit.jupiter.api.Test;

class MinimaxExperimentTest {

    @Test
    void aRunMeasuresItsSolutionAgainstTheReferenceAndRecordsAPath() {
        Outcome o = MinimaxExperiment.run(Settings.deterministic("T4", 100));
        MinimaxToy t = new T4ConstrainedLower();
        assertThat(o.stopReason()).isEqualTo(StopReason.CONVERGED);
        assertThat(o.error()).isEqualTo(t.error(o.solution()));
        assertThat(o.gap()).isEqualTo(t.lowerGap(o.solution()));
        assertThat(o.reference().toArray()).containsExactly(t.solution().toArray());
        assertThat(o.note()).startsWith("multiplier bound: ||lambda*||_1 <= 8");
        assertThat(o.gradientCalls()).isEqualTo((long) o.trace().lastValue("grad_calls"));
        List<PathPoint> path = o.path();
        assertThat(path.size()).isGreaterThan(10);
        for (int i = 1; i < path.size(); i++) {
            assertThat(path.get(i).gradientCalls()).isGreaterThan(path.get(i - 1).gradientCalls());
        }
        assertThat(path.get(path.size() - 1).gradientCalls()).isEqualTo(o.gradientCalls());
        assertThat(path.get(path.size() - 1).error()).isEqualTo(o.error());
    }

    @Test
    void aSweepRunsEachRhoAndKeepsC() {
        Settings s = new Settings("T1", 100, 1e-3, false, 10, 1, 0, 1_000_000);
        List<Outcome> rows = MinimaxExperiment.sweep(s, new double[] {10, 50});
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).settings().rho()).isEqualTo(10);
        assertThat(rows.get(0).settings().effectiveEps()).isEqualTo(1e-2); // c = 0.1 kept
        assertThat(rows.get(1).error()).isLessThan(rows.get(0).error());
    }

    @Test
    void badSettingsAreOneLineErrors() {
        assertThatThrownBy(() -> Settings.deterministic("T1", -3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("rho must be positive and finite, got -3.0");
        assertThatThrownBy(() -> new Settings("T1", 10, 0, false, 10, 1, 0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("eps must be positive and finite, got 0.0");
        assertThatThrownBy(() -> new Settings("T3", 10, Double.NaN, true, 10, 1000, 0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("finite-sum T1 only");
        assertThatThrownBy(() -> Settings.stochastic(30, 101, 1000, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batch");
        assertThatThrownBy(() -> MinimaxExperiment.run(Settings.deterministic("T7", 10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown problem 'T7'");
        assertThatThrownBy(() -> MinimaxExperiment.run(Settings.stochastic(30, 10, 100, 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("budget");
    }
}
