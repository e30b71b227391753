package org.bilevel4j.apps.cleaning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CleaningDatasetTest {

    @TempDir
    Path dir;

    private void writeFolder(boolean withTrainImages) throws IOException {
        if (withTrainImages) {
            IdxFiles.write(dir, "train-images-idx3-ubyte.gz", IdxFiles.gzip(IdxFiles.images(300, 4, 4, 1)));
        }
        IdxFiles.write(dir, "train-labels-idx1-ubyte.gz", IdxFiles.gzip(IdxFiles.labels(300, 10)));
        IdxFiles.write(dir, "t10k-images-idx3-ubyte", IdxFiles.images(100, 4, 4, 2));
        IdxFiles.write(dir, "t10k-labels-idx1-ubyte", IdxFiles.labels(100, 10));
    }

    @Test
    void splitsTheTrainingFileAndCorruptsExactlyTheAskedFractionToOtherClasses() throws IOException {
        writeFolder(true);
        CleaningDataset d = CleaningDataset.load(dir, new CleaningDataset.Protocol(120, 80, 0, 0.5, 3));
        assertThat(d.trainDesign().numRows).isEqualTo(120);
        assertThat(d.trainDesign().numCols).isEqualTo(17);
        assertThat(d.valDesign().numRows).isEqualTo(80);
        assertThat(d.testDesign().numRows).isEqualTo(100);
        int corrupted = 0;
        for (int i = 0; i < 120; i++) {
            assertThat(d.clean()[i]).isEqualTo(d.trainLabels()[i] == d.trueTrainLabels()[i]);
            corrupted += d.clean()[i] ? 0 : 1;
            assertThat(d.trainLabels()[i]).isBetween(0, 9);
            assertThat(d.trainDesign().get(i, 16)).isEqualTo(1.0);
        }
        assertThat(corrupted).isEqualTo(60);
        for (int i = 0; i < d.trainDesign().getNumElements(); i++) {
            assertThat(d.trainDesign().data[i]).isBetween(0.0, 1.0);
        }
        assertThat(d.notes().get(0)).contains("120 training and 80 validation samples drawn from the 300");
        // seeded: the same seed gives the same split and corruption
        CleaningDataset again = CleaningDataset.load(dir, new CleaningDataset.Protocol(120, 80, 0, 0.5, 3));
        assertThat(again.trainLabels()).isEqualTo(d.trainLabels());
        assertThat(again.trainDesign().data).isEqualTo(d.trainDesign().data);
    }

    @Test
    void withoutTrainingImagesTheTestFileIsSplitAndTheNotesSaySo() throws IOException {
        writeFolder(false);
        CleaningDataset d = CleaningDataset.load(dir, new CleaningDataset.Protocol(50, 25, 0, 0.5, 1));
        assertThat(d.trainDesign().numRows).isEqualTo(50);
        assertThat(d.valDesign().numRows).isEqualTo(25);
        assertThat(d.testDesign().numRows).isEqualTo(25);
        assertThat(d.notes().get(0)).contains("no training images").contains("split 50 train / 25 validation / 25 test");
    }

    @Test
    void inconsistentFilesGiveOneLineErrors() throws IOException {
        writeFolder(true);
        IdxFiles.write(dir, "t10k-labels-idx1-ubyte", IdxFiles.labels(99, 10));
        assertThatThrownBy(() -> CleaningDataset.load(dir, CleaningDataset.Protocol.standard(1)))
                .isInstanceOf(IdxFormatException.class).hasMessageContaining("99 labels for the 100 images");
        IdxFiles.write(dir, "t10k-labels-idx1-ubyte", IdxFiles.labels(100, 12));
        assertThatThrownBy(() -> CleaningDataset.load(dir, CleaningDataset.Protocol.standard(1)))
                .hasMessageContaining("label 10 of sample 10 is not a class 0-9");
        IdxFiles.write(dir, "t10k-labels-idx1-ubyte", IdxFiles.labels(100, 10));
        assertThatThrownBy(() -> CleaningDataset.load(dir, CleaningDataset.Protocol.standard(1)))
                .hasMessageContaining("fewer than the 10000 training + validation samples");
    }

    @Test
    void datasetNamesResolveUnderTheDataRoot() throws IOException {
        java.nio.file.Files.createDirectories(dir.resolve("mnist"));
        assertThat(CleaningDataset.resolve("mnist", dir)).isEqualTo(dir.resolve("mnist"));
        assertThatThrownBy(() -> CleaningDataset.resolve("fashion-mnist", dir))
                .hasMessageContaining("no fashion-mnist folder");
        assertThat(CleaningDataset.resolve(dir.toString(), null)).isEqualTo(dir);
        assertThatThrownBy(() -> CleaningDataset.resolve(dir.resolve("nope").toString(), null))
                .hasMessageContaining("not a folder");
    }
}
