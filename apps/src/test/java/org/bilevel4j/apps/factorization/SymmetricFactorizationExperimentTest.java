package org.bilevel4j.apps.factorization;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.bilevel4j.apps.factorization.SymmetricFactorizationExperiment.Report;
import org.bilevel4j.apps.factorization.SymmetricFactorizationExperiment.Settings;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 5's factorization check at reduced size: one seed (0), both A, both upper levels, the full
 * 2e4 iterations, DBGD beta in {1, 10} against the penalty with gamma in {0.1, 1, 10}. The full grid
 * (seeds 0..4, all betas and gammas) runs from {@code bilevel4j simple mf}, which prints the same check.
 */
class SymmetricFactorizationExperimentTest {

    @Test
    @Tag("slow") // a long or real-data run: not rerun per mutant by PIT (docs/testing.md)
    void dbgdEndsFiveTimesBelowEveryPenaltyWithGammaAtMostTen() {
        Settings s = Settings.paper().withSeeds(List.of(0L)).withGrids(List.of(1.0, 10.0), List.of(0.1, 1.0, 10.0));
        Report report = SymmetricFactorizationExperiment.run(s, 1, r -> { });
        assertThat(report.rows()).hasSize(20);
        assertThat(report.check().applicable()).isTrue();
        assertThat(report.check().groups()).isEqualTo(4);
        assertThat(report.check().worstRatio()).isGreaterThanOrEqualTo(SymmetricFactorizationExperiment.REQUIRED_RATIO);
        assertThat(report.check().pass()).as(report.check().summary()).isTrue();
        // the method page's ranges: DBGD about 0.05-0.07, penalty gamma = 10 about 0.6-0.8, gamma = 1 about 5.5-7
        for (var r : report.rows()) {
            if (r.method().equals("DBGD")) {
                assertThat(r.gradGNorm()).isLessThan(0.1);
            } else if (r.hyper() == 10.0) {
                assertThat(r.gradGNorm()).isBetween(0.5, 0.9);
            }
        }
    }
}
