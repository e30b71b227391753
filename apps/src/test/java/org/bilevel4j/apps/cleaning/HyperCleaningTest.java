package org.bilevel4j.apps.cleaning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.bilevel4j.solver.StopReason;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class HyperCleaningTest {

    private static HyperCleaning.Settings reduced(HyperCleaning.Method m, int iterations) {
        return HyperCleaning.Settings.standard(m).withMaxIterations(iterations).withEvalEvery(iterations)
                .withFitIterations(100);
    }

    @Test
    void mehaBeatsTrainingOnAllNoisyDataOnASyntheticSet() {
        CleaningDataset d = CleaningDataset.synthetic(64, 600, 300, 600, 1.6, 0.5, 5);
        HyperCleaning.Report meha = HyperCleaning.run(d, reduced(HyperCleaning.Method.MEHA, 300), null);
        HyperCleaning.Report all = HyperCleaning.run(d, reduced(HyperCleaning.Method.ALL_DATA, 1000), null);
        assertThat(meha.stopReason()).isEqualTo(StopReason.MAX_ITERATIONS);
        assertThat(meha.iterations()).isEqualTo(300);
        assertThat(meha.testAccuracy()).isGreaterThan(all.testAccuracy());
        assertThat(meha.f1()).isGreaterThan(2.0 / 3);
        assertThat(meha.checkpoints().get(0).f1()).isEqualTo(2.0 / 3, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(meha.checkpoints()).extracting(HyperCleaning.Checkpoint::iteration).containsExactly(0, 300);
    }

    @Test
    @Tag("slow") // a long or real-data run: not rerun per mutant by PIT (docs/testing.md)
    void realFashionMnistReadsAndAReducedMehaRunBeatsAllData() throws IOException {
        Optional<Path> folder = TestData.folder("fashion-mnist");
        assumeTrue(folder.isPresent(), "shared/data/fashion-mnist not found (set BILEVEL4J_DATA or put shared/data"
                + " beside the checkout): skipping the real-data test");
        CleaningDataset d = CleaningDataset.load(folder.get(), new CleaningDataset.Protocol(1000, 1000, 1000, 0.5, 1));
        assertThat(d.features()).isEqualTo(784);
        assertThat(d.trainDesign().numRows).isEqualTo(1000);
        assertThat(d.testDesign().numRows).isEqualTo(1000);
        HyperCleaning.Report meha = HyperCleaning.run(d, reduced(HyperCleaning.Method.MEHA, 200), null);
        HyperCleaning.Report all = HyperCleaning.run(d, reduced(HyperCleaning.Method.ALL_DATA, 200), null);
        assertThat(meha.testAccuracy()).isGreaterThan(all.testAccuracy());
        assertThat(meha.f1()).isGreaterThan(0.8);
    }
}
