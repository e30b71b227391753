package org.bilevel4j.solver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SolverOptionsTest {

    @Test
    void defaultsAreDocumented() {
        SolverOptions o = SolverOptions.defaults();
        assertThat(o.maxIterations()).isEqualTo(1000);
        assertThat(o.relativeTolerance()).isZero();
        assertThat(o.seed()).isZero();
        assertThat(o.traceEvery()).isEqualTo(1);
        assertThat(o.timeLimit()).isEqualTo(SolverOptions.NO_TIME_LIMIT);
    }

    @Test
    void invalidValuesAreRejectedWithTheirName() {
        assertThatThrownBy(() -> SolverOptions.builder().maxIterations(0).build()).hasMessageContaining("maxIterations");
        assertThatThrownBy(() -> SolverOptions.builder().relativeTolerance(-1).build())
                .hasMessageContaining("relativeTolerance");
        assertThatThrownBy(() -> SolverOptions.builder().relativeTolerance(Double.NaN).build())
                .hasMessageContaining("relativeTolerance");
        assertThatThrownBy(() -> SolverOptions.builder().timeLimit(Duration.ZERO).build())
                .hasMessageContaining("timeLimit");
        assertThatThrownBy(() -> SolverOptions.builder().traceEvery(0).build()).hasMessageContaining("traceEvery");
    }

    @Test
    void withersKeepTheOtherFields() {
        SolverOptions o = SolverOptions.builder().maxIterations(5).seed(9).relativeTolerance(1e-3).build();
        SolverOptions p = o.withMaxIterations(7);
        assertThat(p.maxIterations()).isEqualTo(7);
        assertThat(p.seed()).isEqualTo(9);
        assertThat(p.relativeTolerance()).isEqualTo(1e-3);
        assertThat(o.withSeed(3).seed()).isEqualTo(3);
    }
}
