package org.bilevel4j.apps.perf;

import static org.assertj.core.api.Assertions.assertThat;

import org.bilevel4j.apps.cleaning.CleaningDataset;
import org.bilevel4j.apps.cleaning.HyperCleaning;
import org.bilevel4j.linalg.Precision;
import org.bilevel4j.apps.cleaning.ProductLog;
import org.junit.jupiter.api.Test;

class MehaBenchTest {

    @Test
    void countsTheProductsOfAnIterationAndTimesThemAlone() {
        CleaningDataset d = CleaningDataset.synthetic(50, 400, 200, 10, 0.5, 0.5, 1);
        MehaBench.Report r = MehaBench.run(d, HyperCleaning.mehaDefaults(), 3, 3, 4, Precision.DOUBLE);
        // paper order: one fused training forward of 2 x 10 columns (y+ and the next theta), one fused
        // training backward of 2 x 10 columns, one validation forward and one validation backward
        assertThat(r.productsPerIteration()).containsEntry(new ProductLog.Shape("train", false, 20), 1.0)
                .containsEntry(new ProductLog.Shape("train", true, 20), 1.0)
                .containsEntry(new ProductLog.Shape("val", false, 10), 1.0)
                .containsEntry(new ProductLog.Shape("val", true, 10), 1.0).hasSize(4);
        assertThat(r.secondsPerIteration()).isPositive();
        assertThat(r.floorSecondsPerIteration()).isPositive();
        assertThat(r.ratio()).isFinite();
        // the process CPU clock may tick coarser than a round of these tiny iterations (Linux: often 10 ms,
        // and under load the process can get no tick in a round), so 0 is a valid reading here
        assertThat(r.cpuSecondsPerIteration()).isNotNegative().isFinite();
        assertThat(MehaBench.describe(r)).anyMatch(l -> l.contains("ratio to the floor"));
    }
}
