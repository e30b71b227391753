package org.bilevel4j.apps.cleaning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CleaningDataset#load} against its documented protocol, replayed in the test from the same seed:
 * a Fisher-Yates permutation of the pool (from the last index down, {@code nextInt(i + 1)}), training then
 * validation samples from its front, the whole test file in order (or a second permutation's front),
 * then {@code round(fraction n)} labels corrupted along a third permutation, each by a shift
 * {@code 1 + nextInt(9)}. Every row is compared with the bytes of the image it must be, and every label
 * with the file's. Images carry their own index in their first two pixels, so no two are alike.
 */
class CleaningDatasetProtocolTest {

    private static final int SIDE = 3;

    @TempDir
    Path dir;

    private static byte[] images(int count) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        out.writeInt(IdxReader.IMAGES_MAGIC);
        out.writeInt(count);
        out.writeInt(SIDE);
        out.writeInt(SIDE);
        for (int k = 0; k < count; k++) {
            for (int p = 0; p < SIDE * SIDE; p++) {
                out.writeByte(pixel(k, p));
            }
        }
        out.flush();
        return b.toByteArray();
    }

    /** Pixel p of image k: the index in the first two pixels, then a pattern. */
    private static int pixel(int k, int p) {
        return switch (p) {
            case 0 -> k & 0xFF;
            case 1 -> (k >> 8) & 0xFF;
            default -> (k * 7 + p * 13) & 0xFF;
        };
    }

    /** Label of image k (offset so that different files have different labels). */
    private static int label(int k, int offset) {
        return (k * 7 + offset) % 10;
    }

    private static byte[] labels(int count, int offset) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        out.writeInt(IdxReader.LABELS_MAGIC);
        out.writeInt(count);
        for (int k = 0; k < count; k++) {
            out.writeByte(label(k, offset));
        }
        out.flush();
        return b.toByteArray();
    }

    private static int[] fisherYates(int n, RandomGenerator rnd) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** Each row of the design is image idx[r] scaled to [0, 1], then a 1. */
    private static void assertRows(DMatrixRMaj a, int[] idx) {
        assertThat(a.numRows).isEqualTo(idx.length);
        assertThat(a.numCols).isEqualTo(SIDE * SIDE + 1);
        for (int r = 0; r < idx.length; r++) {
            for (int p = 0; p < SIDE * SIDE; p++) {
                assertThat(a.get(r, p)).as("row %d pixel %d", r, p).isEqualTo(pixel(idx[r], p) / 255.0);
            }
            assertThat(a.get(r, SIDE * SIDE)).isEqualTo(1.0);
        }
    }

    /** The protocol's corruption replayed: returns the noisy labels; fills clean. */
    private static int[] corrupt(int[] truth, boolean[] clean, double fraction, RandomGenerator rnd) {
        int[] noisy = truth.clone();
        int k = (int) Math.round(fraction * truth.length);
        int[] perm = fisherYates(truth.length, rnd);
        java.util.Arrays.fill(clean, true);
        for (int j = 0; j < k; j++) {
            int i = perm[j];
            noisy[i] = (noisy[i] + 1 + rnd.nextInt(9)) % 10;
            clean[i] = false;
        }
        return noisy;
    }

    private void write(boolean training, int trainCount, int testCount) throws IOException {
        if (training) {
            IdxFiles.write(dir, "train-images-idx3-ubyte.gz", IdxFiles.gzip(images(trainCount)));
            IdxFiles.write(dir, "train-labels-idx1-ubyte", labels(trainCount, 3));
        }
        IdxFiles.write(dir, "t10k-images-idx3-ubyte", images(testCount));
        IdxFiles.write(dir, "t10k-labels-idx1-ubyte.gz", IdxFiles.gzip(labels(testCount, 5)));
    }

    @Test
    void theTrainingFileIsSplitAndCorruptedExactlyAsTheProtocolSays() throws IOException {
        write(true, 300, 40);
        CleaningDataset d = CleaningDataset.load(dir, new CleaningDataset.Protocol(70, 50, 0, 0.3, 17));
        RandomGenerator rnd = RandomGeneratorFactory.of("L64X128MixRandom").create(17);
        int[] perm = fisherYates(300, rnd);
        int[] train = java.util.Arrays.copyOfRange(perm, 0, 70);
        int[] val = java.util.Arrays.copyOfRange(perm, 70, 120);
        int[] test = new int[40];
        for (int i = 0; i < 40; i++) {
            test[i] = i; // the whole test file, in its order
        }
        assertRows(d.trainDesign(), train);
        assertRows(d.valDesign(), val);
        assertRows(d.testDesign(), test);
        int[] truth = new int[70];
        for (int i = 0; i < 70; i++) {
            truth[i] = label(train[i], 3);
        }
        assertThat(d.trueTrainLabels()).containsExactly(truth);
        for (int i = 0; i < 50; i++) {
            assertThat(d.valLabels()[i]).isEqualTo(label(val[i], 3));
        }
        for (int i = 0; i < 40; i++) {
            assertThat(d.testLabels()[i]).isEqualTo(label(i, 5));
        }
        boolean[] clean = new boolean[70];
        assertThat(d.trainLabels()).containsExactly(corrupt(truth, clean, 0.3, rnd));
        assertThat(d.clean()).containsExactly(clean);
        assertThat(d.name()).isEqualTo(dir.getFileName().toString());
        assertThat(d.features()).isEqualTo(SIDE * SIDE);
        assertThat(d.classes()).isEqualTo(10);
        assertThat(d.notes()).containsExactly(
                d.name() + ": 70 training and 50 validation samples drawn from the 300 of the training file, 40 test"
                        + " samples from the test file (seed 17)",
                "21 of 70 training labels (30%) corrupted to a uniformly drawn different class");
    }

    @Test
    void aSmallerTestSetIsTheFrontOfASecondPermutation() throws IOException {
        write(true, 200, 60);
        CleaningDataset d = CleaningDataset.load(dir, new CleaningDataset.Protocol(30, 20, 25, 0.5, 4));
        RandomGenerator rnd = RandomGeneratorFactory.of("L64X128MixRandom").create(4);
        int[] perm = fisherYates(200, rnd);
        int[] test = java.util.Arrays.copyOf(fisherYates(60, rnd), 25);
        assertRows(d.trainDesign(), java.util.Arrays.copyOfRange(perm, 0, 30));
        assertRows(d.testDesign(), test);
        for (int i = 0; i < 25; i++) {
            assertThat(d.testLabels()[i]).isEqualTo(label(test[i], 5));
        }
        // and exactly the whole test file is the identity, not a shuffle of it
        CleaningDataset all = CleaningDataset.load(dir, new CleaningDataset.Protocol(30, 20, 60, 0.5, 4));
        int[] identity = new int[60];
        for (int i = 0; i < 60; i++) {
            identity[i] = i;
        }
        assertRows(all.testDesign(), identity);
        assertThatThrownBy(() -> CleaningDataset.load(dir, new CleaningDataset.Protocol(30, 20, 61, 0.5, 4)))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("t10k-images-idx3-ubyte: has 60 samples, fewer than the 61 test samples asked for");
    }

    @Test
    void withoutTrainingImagesOnePermutationOfTheTestFileIsSplitInThree() throws IOException {
        write(false, 0, 100);
        CleaningDataset d = CleaningDataset.load(dir, new CleaningDataset.Protocol(40, 25, 20, 0.25, 8));
        RandomGenerator rnd = RandomGeneratorFactory.of("L64X128MixRandom").create(8);
        int[] perm = fisherYates(100, rnd);
        int[] train = java.util.Arrays.copyOfRange(perm, 0, 40);
        int[] val = java.util.Arrays.copyOfRange(perm, 40, 65);
        int[] test = java.util.Arrays.copyOfRange(perm, 65, 85);
        assertRows(d.trainDesign(), train);
        assertRows(d.valDesign(), val);
        assertRows(d.testDesign(), test);
        int[] truth = new int[40];
        for (int i = 0; i < 40; i++) {
            truth[i] = label(train[i], 5);
        }
        assertThat(d.trueTrainLabels()).containsExactly(truth);
        for (int i = 0; i < 20; i++) {
            assertThat(d.testLabels()[i]).isEqualTo(label(test[i], 5));
        }
        boolean[] clean = new boolean[40];
        assertThat(d.trainLabels()).containsExactly(corrupt(truth, clean, 0.25, rnd));
        assertThat(d.clean()).containsExactly(clean);
        assertThat(d.notes().get(0)).isEqualTo(d.name() + ": the folder has no training images"
                + " (train-images-idx3-ubyte), so the 100 test images are split 40 train / 25 validation / 20 test"
                + " (seed 8)");
        assertThat(d.notes().get(1)).isEqualTo("10 of 40 training labels (25%) corrupted to a uniformly drawn"
                + " different class");
        // the rest of the file by default, and no more than the file holds
        CleaningDataset rest = CleaningDataset.load(dir, new CleaningDataset.Protocol(40, 25, 0, 0.25, 8));
        assertThat(rest.testDesign().numRows).isEqualTo(35);
        assertThatThrownBy(() -> CleaningDataset.load(dir, new CleaningDataset.Protocol(60, 30, 20, 0.5, 1)))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("has 100 samples, fewer than the 110 training + validation + test samples");
    }

    @Test
    void trainingFilesAreCheckedLikeTheTestFiles() throws IOException {
        write(true, 50, 20);
        IdxFiles.write(dir, "train-labels-idx1-ubyte", labels(49, 3));
        assertThatThrownBy(() -> CleaningDataset.load(dir, new CleaningDataset.Protocol(10, 10, 0, 0.5, 1)))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("train-labels-idx1-ubyte: 49 labels for the 50 images of"
                        + " train-images-idx3-ubyte.gz");
        // images of another size than the test images
        IdxFiles.write(dir, "train-labels-idx1-ubyte", labels(50, 3));
        IdxFiles.write(dir, "train-images-idx3-ubyte.gz", IdxFiles.gzip(IdxFiles.images(50, 4, 4, 1)));
        assertThatThrownBy(() -> CleaningDataset.load(dir, new CleaningDataset.Protocol(10, 10, 0, 0.5, 1)))
                .isInstanceOf(IdxFormatException.class).hasMessageContaining("images are 4 x 4 but the test images are"
                        + " 3 x 3");
    }

    @Test
    void theFolderQueriesSeeTheTrainingFilesAndTheDataRootNamesAMissingFolder() throws IOException {
        write(false, 0, 10);
        assertThat(CleaningDataset.hasTrainingImages(dir)).isFalse();
        assertThat(CleaningDataset.defaultValidation(dir)).isEqualTo(2500);
        IdxFiles.write(dir, "train-images-idx3-ubyte", images(10));
        assertThat(CleaningDataset.hasTrainingImages(dir)).isFalse(); // no training labels yet
        IdxFiles.write(dir, "train-labels-idx1-ubyte.gz", IdxFiles.gzip(labels(10, 3)));
        assertThat(CleaningDataset.hasTrainingImages(dir)).isTrue();
        assertThat(CleaningDataset.defaultValidation(dir)).isEqualTo(5000);
        Path missing = dir.resolve("no-such-root");
        assertThatThrownBy(() -> CleaningDataset.dataRoot(missing)).isInstanceOf(NoSuchFileException.class)
                .satisfies(e -> assertThat(((NoSuchFileException) e).getFile()).isEqualTo(missing.toString()))
                .hasMessageContaining("does not exist or is not a folder");
        assertThat(CleaningDataset.dataRoot(dir)).isEqualTo(dir.toAbsolutePath().normalize());
        Files.delete(dir.resolve("t10k-images-idx3-ubyte"));
        assertThatThrownBy(() -> CleaningDataset.load(dir, CleaningDataset.Protocol.standard(1)))
                .isInstanceOf(NoSuchFileException.class).hasMessageContaining("no t10k-images-idx3-ubyte[.gz]");
    }

    @Test
    void theSyntheticSetIsItsDocumentedConstruction() {
        long seed = 12;
        int f = 5;
        CleaningDataset d = CleaningDataset.synthetic(f, 6, 4, 3, 0.3, 0.5, seed);
        RandomGenerator rnd = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
        double[][] proto = new double[10][f];
        for (double[] row : proto) {
            for (int j = 0; j < f; j++) {
                row[j] = rnd.nextDouble();
            }
        }
        DMatrixRMaj[] designs = {d.trainDesign(), d.valDesign(), d.testDesign()};
        int[] truth = new int[6];
        for (int i = 0; i < 13; i++) {
            int c = rnd.nextInt(10);
            DMatrixRMaj a = i < 6 ? designs[0] : i < 10 ? designs[1] : designs[2];
            int r = i < 6 ? i : i < 10 ? i - 6 : i - 10;
            if (i < 6) {
                truth[i] = c;
            } else if (i < 10) {
                assertThat(d.valLabels()[r]).isEqualTo(c);
            } else {
                assertThat(d.testLabels()[r]).isEqualTo(c);
            }
            for (int j = 0; j < f; j++) {
                double v = proto[c][j] + 0.3 * (2 * rnd.nextDouble() - 1);
                double px = Math.round(255 * Math.min(1, Math.max(0, v)));
                assertThat(a.get(r, j)).as("sample %d feature %d", i, j).isEqualTo(px / 255.0);
            }
            assertThat(a.get(r, f)).isEqualTo(1.0);
        }
        assertThat(d.trueTrainLabels()).containsExactly(truth);
        boolean[] clean = new boolean[6];
        assertThat(d.trainLabels()).containsExactly(corrupt(truth, clean, 0.5, rnd));
        assertThat(d.clean()).containsExactly(clean);
        assertThat(d.notes()).containsExactly("synthetic: 5 features, 6 train / 4 validation / 3 test, 3 training"
                + " labels corrupted (seed 12)");
        // the smallest sizes are accepted
        CleaningDataset one = CleaningDataset.synthetic(1, 1, 1, 1, 0.1, 0, 1);
        assertThat(one.features()).isEqualTo(1);
        assertThat(one.clean()).containsExactly(true);
        assertThatThrownBy(() -> CleaningDataset.synthetic(1, 1, 1, 0, 0.1, 0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("sizes must be positive");
    }
}
