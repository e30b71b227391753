package org.bilevel4j.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.bilevel4j.solver.IterationInfo;
import org.bilevel4j.solver.StopReason;
import org.junit.jupiter.api.Test;

/** The summary table's layout and the progress bar's decision to appear. */
class SummaryTableAndProgressTest {

    @Test
    void tableAlignsColumnsToTheRight() {
        String t = new SummaryTable(List.of("A", "method B")).row("iterations", "1000", "7")
                .row("Psi1", SummaryTable.sci(2.0771), SummaryTable.percent(0.1044)).render();
        assertThat(t).isEqualTo(""
                + "                    A  method B\n"
                + "iterations       1000         7\n"
                + "Psi1        2.077e+00     10.4%\n");
    }

    private static IterationInfo info(int k, double seconds, double psi1, double psi2) {
        return new IterationInfo(k, seconds, List.of("psi1", "psi2", "alpha"), new double[] {psi1, psi2, 0.5});
    }

    @Test
    void shortRunsGetNoBar() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressListener p = new ProgressListener("BINNO", 1000, List.of("psi1", "psi2"), new PrintStream(bytes));
        // 1 ms per iteration: a 1 s run
        for (int k = 1; k <= 1000; k++) {
            p.onIteration(info(k, k * 1e-3, 1, 1));
        }
        p.onFinish(StopReason.MAX_ITERATIONS, 1000, 1.0);
        assertThat(p.started()).isFalse();
        assertThat(bytes.size()).isZero();
    }

    @Test
    void longRunsGetABarWithTheObjectives() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressListener p = new ProgressListener("BINNO", 100, List.of("psi1", "psi2"), new PrintStream(bytes, true));
        // 0.1 s per iteration: a 10 s run, the bar starts after half a second
        for (int k = 1; k <= 4; k++) {
            p.onIteration(info(k, k * 0.1, 10.0 / k, 5.0 / k));
            assertThat(p.started()).isFalse();
        }
        p.onIteration(info(5, 0.5, 2.0, 1.0));
        assertThat(p.started()).isTrue();
        assertThat(p.message(info(6, 0.6, 2.5, 1.25))).isEqualTo("Psi1=2.500e+00 Psi2=1.250e+00");
        p.onIteration(info(6, 0.6, 2.5, 1.25));
        p.onFinish(StopReason.MAX_ITERATIONS, 6, 0.6);
        assertThat(p.started()).isFalse();
        String drawn = bytes.toString(StandardCharsets.UTF_8);
        assertThat(drawn).contains("BINNO", "Psi1=");
    }
}
