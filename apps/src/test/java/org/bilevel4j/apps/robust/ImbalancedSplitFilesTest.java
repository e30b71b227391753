package org.bilevel4j.apps.robust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import java.util.zip.GZIPOutputStream;
import org.bilevel4j.apps.cleaning.IdxFormatException;
import org.bilevel4j.apps.cleaning.IdxReader;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ImbalancedSplit#load} on small synthetic IDX folders (9 x 9 images, the fewest samples per class
 * the protocol accepts): the split against the protocol written out here (Fisher-Yates per class with one
 * {@code L64X128MixRandom}), the labels against the files, the PCA features against their definition
 * (mean and covariance of the training subset computed here by plain loops), and every refusal of a
 * malformed folder with its message.
 */
class ImbalancedSplitFilesTest {

    private static final int SIDE = 9;
    private static final int D = SIDE * SIDE;
    private static final long SEED = 3;

    // test data only (no library code runs here): the pool, its pixels and the test set
    private static final int[] poolLabels = minimalPoolLabels(1);
    private static final byte[] poolPixels = pixels(poolLabels.length, 2);
    private static final int[] testLabels = testLabels();
    private static final byte[] testPixels = pixels(30, 4);

    /** The fewest samples per class the split accepts (100 + 780 or 100 + 78), in a seeded order. */
    static int[] minimalPoolLabels(long seed) {
        int n = 0;
        for (int k = 0; k < 10; k++) {
            n += 100 + ImbalancedSplit.trainingCount(k);
        }
        int[] l = new int[n];
        int o = 0;
        for (int k = 0; k < 10; k++) {
            for (int i = 0; i < 100 + ImbalancedSplit.trainingCount(k); i++) {
                l[o++] = k;
            }
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = l[i];
            l[i] = l[j];
            l[j] = t;
        }
        return l;
    }

    /** Pixel p of every image uniform on {0, ..., 1 + 3p}: distinct variances, bytes above 127 included. */
    static byte[] pixels(int count, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        byte[] b = new byte[count * D];
        for (int i = 0; i < count; i++) {
            for (int p = 0; p < D; p++) {
                b[i * D + p] = (byte) rnd.nextInt(2 + 3 * p);
            }
        }
        return b;
    }

    static byte[] imagesFile(int count, int rows, int cols, byte[] px) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        out.writeInt(IdxReader.IMAGES_MAGIC);
        out.writeInt(count);
        out.writeInt(rows);
        out.writeInt(cols);
        out.write(px);
        out.flush();
        return b.toByteArray();
    }

    static byte[] labelsFile(int[] labels) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        out.writeInt(IdxReader.LABELS_MAGIC);
        out.writeInt(labels.length);
        for (int l : labels) {
            out.writeByte(l);
        }
        out.flush();
        return b.toByteArray();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (OutputStream g = new GZIPOutputStream(b)) {
            g.write(raw);
        }
        return b.toByteArray();
    }

    /** Writes the four files; the training images gzipped, the rest plain. */
    static void writeFolder(Path dir, int[] pool, byte[] poolPx, int[] test, byte[] testPx, int testSide)
            throws IOException {
        Files.write(dir.resolve("train-images-idx3-ubyte.gz"), gzip(imagesFile(poolPx.length / D, SIDE, SIDE, poolPx)));
        Files.write(dir.resolve("train-labels-idx1-ubyte"), labelsFile(pool));
        Files.write(dir.resolve("t10k-images-idx3-ubyte"),
                imagesFile(testPx.length / (testSide * testSide), testSide, testSide, testPx));
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), labelsFile(test));
    }

    static int[] testLabels() {
        // three per class, not sorted
        int[] l = new int[30];
        for (int i = 0; i < 30; i++) {
            l[i] = (7 * i + 3) % 10;
        }
        return l;
    }

    /**
     * Writes the folder and loads it. Every test that checks the loaded split loads it itself: PIT credits
     * the code run by a shared {@code @BeforeAll} to one test only, which then hides the others' checks.
     */
    private static ImbalancedSplit load(Path dir) throws IOException {
        writeFolder(dir, poolLabels, poolPixels, testLabels, testPixels, SIDE);
        return ImbalancedSplit.load(dir, SEED);
    }

    /** The protocol: per class 0..9 in order, Fisher-Yates on its indices (in file order) with one generator. */
    static int[][] protocol(int[] labels, long seed) {
        RandomGenerator rnd = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
        int[] train = new int[4992];
        int[] val = new int[1000];
        int ot = 0;
        int ov = 0;
        for (int k = 0; k < 10; k++) {
            int[] members = new int[labels.length];
            int m = 0;
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == k) {
                    members[m++] = i;
                }
            }
            for (int i = m - 1; i >= 1; i--) {
                int j = rnd.nextInt(i + 1);
                int t = members[i];
                members[i] = members[j];
                members[j] = t;
            }
            for (int i = 0; i < 100; i++) {
                val[ov++] = members[i];
            }
            int nk = (k == 0 || k == 2 || k == 4 || k == 6) ? 78 : 780;
            for (int i = 0; i < nk; i++) {
                train[ot++] = members[100 + i];
            }
        }
        return new int[][] {train, val};
    }

    @Test
    void splitFollowsTheProtocolAtTheSmallestClassSizes() {
        int[][] s = ImbalancedSplit.split(poolLabels, SEED);
        assertThat(s).isDeepEqualTo(protocol(poolLabels, SEED));
        ImbalancedSplitTest.checkSplit(poolLabels, s);
        assertThat(ImbalancedSplit.split(poolLabels, SEED + 1)).isDeepEqualTo(protocol(poolLabels, SEED + 1));
    }

    /** The labels of the loaded split against the files, and then its features against their definition. */
    @Test
    void loadedSplitHasTheFilesLabelsAndTheWhitenedLeadingComponents(@TempDir Path dir) throws IOException {
        ImbalancedSplit split = load(dir);
        int[][] s = ImbalancedSplit.split(poolLabels, SEED);
        assertThat(split.seed()).isEqualTo(SEED);
        int[] trainLabels = new int[4992];
        for (int i = 0; i < 4992; i++) {
            trainLabels[i] = poolLabels[s[0][i]];
        }
        int[] validationLabels = new int[1000];
        for (int i = 0; i < 1000; i++) {
            validationLabels[i] = poolLabels[s[1][i]];
        }
        assertThat(split.trainLabels()).containsExactly(trainLabels);
        assertThat(split.validationLabels()).containsExactly(validationLabels);
        int[] sortedTest = testLabels.clone();
        Arrays.sort(sortedTest);
        assertThat(split.testLabels()).containsExactly(sortedTest);
        assertThat(split.train().numRows).isEqualTo(4992);
        assertThat(split.validation().numRows).isEqualTo(1000);
        assertThat(split.test().numRows).isEqualTo(30);
        assertThat(split.dimension()).isEqualTo(65);
        assertThat(split.describe()).isEqualTo("imbalanced FashionMNIST (seed 3): 4992 training samples (780 per class,"
                + " 78 for classes 0, 2, 4, 6), 1000 validation (100 per class), 30 test; PCA on the training subset,"
                + " 64 whitened components + 1 (D = 65)");
        checkFeatures(split);
    }

    private static double[] image(byte[] px, int i) {
        double[] x = new double[D];
        for (int p = 0; p < D; p++) {
            x[p] = (px[i * D + p] & 0xFF) / 255.0;
        }
        return x;
    }

    /** Test images in the loader's order: by class, then by position in the file. */
    private static int[] testOrder() {
        int[] order = new int[30];
        int o = 0;
        for (int k = 0; k < 10; k++) {
            for (int i = 0; i < 30; i++) {
                if (testLabels[i] == k) {
                    order[o++] = i;
                }
            }
        }
        return order;
    }

    private static void checkFeatures(ImbalancedSplit split) {
        int[] tr = ImbalancedSplit.split(poolLabels, SEED)[0];
        int n = tr.length;
        double[] mean = new double[D];
        for (int i : tr) {
            double[] x = image(poolPixels, i);
            for (int p = 0; p < D; p++) {
                mean[p] += x[p] / n;
            }
        }
        double[][] c = new double[n][];
        for (int r = 0; r < n; r++) {
            c[r] = image(poolPixels, tr[r]);
            for (int p = 0; p < D; p++) {
                c[r][p] -= mean[p];
            }
        }
        DMatrixRMaj cov = new DMatrixRMaj(D, D);
        for (double[] row : c) {
            for (int a = 0; a < D; a++) {
                double ra = row[a] / n;
                for (int b = 0; b < D; b++) {
                    cov.data[a * D + b] += ra * row[b];
                }
            }
        }
        // the eigenvalues of C, largest first
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(D, false, true);
        assertThat(eig.decompose(cov.copy())).isTrue();
        double[] ev = new double[D];
        for (int j = 0; j < D; j++) {
            ev[j] = -eig.getEigenvalue(j).getReal();
        }
        Arrays.sort(ev);
        double[] kept = split.eigenvalues();
        assertThat(kept).hasSize(64);
        double top = -ev[0];
        for (int j = 0; j < 64; j++) {
            assertThat(kept[j]).as("eigenvalue %d", j).isCloseTo(-ev[j], org.assertj.core.data.Offset.offset(1e-10 * top));
        }
        // the 64th kept eigenvalue is well above the 65th: the choice of components is not a near tie
        assertThat(kept[63]).isGreaterThan(-ev[64] * 1.01);
        DMatrixRMaj f = split.train();
        assertThat(f.numCols).isEqualTo(65);
        double[][] v = new double[64][D];
        double worstEigen = 0;
        for (int j = 0; j < 64; j++) {
            // sum_i c_i f_ij = n C v_j / sqrt(l_j) = n sqrt(l_j) v_j
            for (int r = 0; r < n; r++) {
                double w = f.data[r * 65 + j] / (n * Math.sqrt(kept[j]));
                for (int p = 0; p < D; p++) {
                    v[j][p] += c[r][p] * w;
                }
            }
            double norm = 0;
            int arg = 0;
            for (int p = 0; p < D; p++) {
                norm += v[j][p] * v[j][p];
                if (Math.abs(v[j][p]) > Math.abs(v[j][arg])) {
                    arg = p;
                }
            }
            assertThat(Math.sqrt(norm)).as("norm of v_%d", j).isCloseTo(1, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(v[j][arg]).as("sign of v_%d", j).isPositive();
            for (int a = 0; a < D; a++) {
                double cv = 0;
                for (int b = 0; b < D; b++) {
                    cv += cov.get(a, b) * v[j][b];
                }
                worstEigen = Math.max(worstEigen, Math.abs(cv - kept[j] * v[j][a]));
            }
        }
        assertThat(worstEigen).as("max |C v_j - l_j v_j|").isLessThanOrEqualTo(1e-9 * top);
        // whitened on the training subset: mean 0, identity second moments; the last column is the constant 1
        double worstMoment = 0;
        for (int j = 0; j < 64; j++) {
            for (int l = j; l < 64; l++) {
                double s = 0;
                for (int r = 0; r < n; r++) {
                    s += f.data[r * 65 + j] * f.data[r * 65 + l];
                }
                worstMoment = Math.max(worstMoment, Math.abs(s / n - (j == l ? 1 : 0)));
            }
        }
        assertThat(worstMoment).as("max |second moment - identity|").isLessThanOrEqualTo(1e-9);
        for (DMatrixRMaj m : new DMatrixRMaj[] {split.train(), split.validation(), split.test()}) {
            for (int r = 0; r < m.numRows; r++) {
                assertThat(m.get(r, 64)).isEqualTo(1.0);
            }
        }
        // validation and test rows: (x - m)^T v_j / sqrt(l_j) of their own images
        int[] va = ImbalancedSplit.split(poolLabels, SEED)[1];
        int[] te = testOrder();
        double worstRow = 0;
        for (int set = 0; set < 2; set++) {
            DMatrixRMaj m = set == 0 ? split.validation() : split.test();
            for (int r = 0; r < m.numRows; r++) {
                double[] x = set == 0 ? image(poolPixels, va[r]) : image(testPixels, te[r]);
                for (int j = 0; j < 64; j++) {
                    double s = 0;
                    for (int p = 0; p < D; p++) {
                        s += (x[p] - mean[p]) * v[j][p];
                    }
                    worstRow = Math.max(worstRow, Math.abs(m.get(r, j) - s / Math.sqrt(kept[j])));
                }
            }
        }
        assertThat(worstRow).as("max error of a validation or test feature").isLessThanOrEqualTo(1e-8);
    }

    @Test
    void refusesMismatchedCountsSizesLabelsAndMissingFiles(@TempDir Path dir) throws IOException {
        // a training label file one label short
        Path d1 = Files.createDirectory(dir.resolve("short-train"));
        writeFolder(d1, poolLabels, poolPixels, testLabels, testPixels, SIDE);
        Files.write(d1.resolve("train-labels-idx1-ubyte"), labelsFile(Arrays.copyOf(poolLabels, poolLabels.length - 1)));
        assertThatThrownBy(() -> ImbalancedSplit.load(d1, 0)).isInstanceOf(IdxFormatException.class)
                .hasMessage(d1.resolve("train-labels-idx1-ubyte") + ": " + (poolLabels.length - 1) + " labels for "
                        + poolLabels.length + " images");
        // a test label file one label long
        Path d2 = Files.createDirectory(dir.resolve("long-test"));
        int[] longTest = Arrays.copyOf(testLabels, 31);
        writeFolder(d2, poolLabels, poolPixels, longTest, testPixels, SIDE);
        assertThatThrownBy(() -> ImbalancedSplit.load(d2, 0)).isInstanceOf(IdxFormatException.class)
                .hasMessage(d2.resolve("t10k-labels-idx1-ubyte") + ": 31 labels for 30 images");
        // test images of another size
        Path d3 = Files.createDirectory(dir.resolve("small-test"));
        writeFolder(d3, poolLabels, poolPixels, testLabels, new byte[30 * 64], 8);
        assertThatThrownBy(() -> ImbalancedSplit.load(d3, 0)).isInstanceOf(IdxFormatException.class)
                .hasMessage(d3.resolve("t10k-images-idx3-ubyte") + ": images have 64 pixels, the training images 81");
        // label 10 (one past the classes) in the training file, then in the test file
        Path d4 = Files.createDirectory(dir.resolve("label-ten-train"));
        int[] bad = poolLabels.clone();
        bad[5] = 10;
        writeFolder(d4, bad, poolPixels, testLabels, testPixels, SIDE);
        assertThatThrownBy(() -> ImbalancedSplit.load(d4, 0)).isInstanceOf(IdxFormatException.class)
                .hasMessage(d4.resolve("train-labels-idx1-ubyte") + ": label 10 of sample 5 is not a class 0-9");
        Path d5 = Files.createDirectory(dir.resolve("label-ten-test"));
        int[] badTest = testLabels.clone();
        badTest[29] = 10;
        writeFolder(d5, poolLabels, poolPixels, badTest, testPixels, SIDE);
        assertThatThrownBy(() -> ImbalancedSplit.load(d5, 0)).isInstanceOf(IdxFormatException.class)
                .hasMessage(d5.resolve("t10k-labels-idx1-ubyte") + ": label 10 of sample 29 is not a class 0-9");
        // one sample short in class 4 (a minority class): 177 of the 178 the split needs
        Path d6 = Files.createDirectory(dir.resolve("short-class"));
        int[] fewer = poolLabels.clone();
        for (int i = 0; i < fewer.length; i++) {
            if (fewer[i] == 4) {
                fewer[i] = 9;
                break;
            }
        }
        writeFolder(d6, fewer, poolPixels, testLabels, testPixels, SIDE);
        assertThatThrownBy(() -> ImbalancedSplit.load(d6, 0)).isInstanceOf(IdxFormatException.class)
                .hasMessage(d6.resolve("train-labels-idx1-ubyte") + ": class 4 has 177 samples, the split needs 178");
        // a missing file
        Path d7 = Files.createDirectory(dir.resolve("missing"));
        writeFolder(d7, poolLabels, poolPixels, testLabels, testPixels, SIDE);
        Files.delete(d7.resolve("t10k-labels-idx1-ubyte"));
        assertThatThrownBy(() -> ImbalancedSplit.load(d7, 0)).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("missing FashionMNIST file t10k-labels-idx1-ubyte[.gz]");
    }

    @Test
    void aTrainingCovarianceOfRankBelow64IsRefused(@TempDir Path dir) throws IOException {
        // only the first 40 pixels vary; the other 41 are 0 in every image
        byte[] px = poolPixels.clone();
        for (int i = 0; i < poolLabels.length; i++) {
            for (int p = 40; p < D; p++) {
                px[i * D + p] = 0;
            }
        }
        writeFolder(dir, poolLabels, px, testLabels, testPixels, SIDE);
        assertThatThrownBy(() -> ImbalancedSplit.load(dir, 0)).isInstanceOf(IllegalStateException.class)
                .hasMessage("the training covariance has rank below 64");
    }
}
