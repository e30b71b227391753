package org.bilevel4j.apps.cleaning;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.bilevel4j.apps.io.DataPaths;
import org.ejml.data.DMatrixRMaj;

/**
 * The data of one hyper-cleaning experiment: a training set with corrupted labels, a clean
 * validation set and a test set, as design matrices with a bias column.
 *
 * <p>Protocol (seeded): from the training file, {@code trainSize} samples for training and
 * {@code valSize} others for validation, drawn without replacement; the whole test file for testing.
 * When the folder has no training images (the MNIST files of {@code shared/data}), the test file is
 * split instead: {@code trainSize / valSize / rest} (5000 / 2500 / 2500 by default), and
 * {@link #notes()} says so. Then a fraction of the training labels (rounded) is corrupted, each to a
 * uniformly drawn different class. Pixels are scaled to [0, 1] and flattened; each design matrix
 * has a last column of ones for the bias.
 *
 * @param name a short name of the source
 * @param trainDesign training samples, {@code n x (d + 1)}
 * @param trainLabels training labels after corruption
 * @param trueTrainLabels training labels before corruption
 * @param clean per training sample, whether its label was left intact
 * @param valDesign validation samples
 * @param valLabels validation labels (clean)
 * @param testDesign test samples
 * @param testLabels test labels
 * @param classes the number of classes (10)
 * @param notes lines to show the user about how the data was split
 */
public record CleaningDataset(String name, DMatrixRMaj trainDesign, int[] trainLabels, int[] trueTrainLabels,
        boolean[] clean, DMatrixRMaj valDesign, int[] valLabels, DMatrixRMaj testDesign, int[] testLabels,
        int classes, List<String> notes) {

    /** The number of classes of MNIST and FashionMNIST. */
    public static final int CLASSES = 10;

    /**
     * Validates the sizes.
     *
     * @param name a short name of the source
     * @param trainDesign training samples, {@code n x (d + 1)}
     * @param trainLabels training labels after corruption
     * @param trueTrainLabels training labels before corruption
     * @param clean per training sample, whether its label was left intact
     * @param valDesign validation samples
     * @param valLabels validation labels (clean)
     * @param testDesign test samples
     * @param testLabels test labels
     * @param classes the number of classes (10)
     * @param notes lines to show the user about how the data was split
     */
    public CleaningDataset {
        Objects.requireNonNull(name, "name");
        if (trainDesign.numRows != trainLabels.length || trainLabels.length != trueTrainLabels.length
                || trainLabels.length != clean.length || valDesign.numRows != valLabels.length
                || testDesign.numRows != testLabels.length) {
            throw new IllegalArgumentException("sample and label counts differ");
        }
        notes = List.copyOf(notes);
    }

    /**
     * How to build a dataset.
     *
     * @param trainSize training samples (default 5000)
     * @param valSize validation samples (default 5000; 2500 for a split test file)
     * @param testSize test samples, or 0 for all that remain (default 0)
     * @param corruption the fraction of training labels replaced by random ones, in [0, 1] (default 0.5)
     * @param seed the seed of the split and of the corruption
     */
    public record Protocol(int trainSize, int valSize, int testSize, double corruption, long seed) {

        /**
         * Validates.
         *
         * @param trainSize training samples (default 5000)
         * @param valSize validation samples (default 5000; 2500 for a split test file)
         * @param testSize test samples, or 0 for all that remain (default 0)
         * @param corruption the fraction of training labels replaced by random ones, in [0, 1] (default 0.5)
         * @param seed the seed of the random generator
         */
        public Protocol {
            if (trainSize < 1 || valSize < 1 || testSize < 0) {
                throw new IllegalArgumentException("train and validation sizes must be positive and the test size"
                        + " nonnegative, got " + trainSize + ", " + valSize + ", " + testSize);
            }
            if (!(corruption >= 0 && corruption <= 1)) {
                throw new IllegalArgumentException("corruption must be in [0, 1], got " + corruption);
            }
        }

        /**
         * @param seed the seed of the random generator
         * @return the method page's protocol: 5000 / 5000 / whole test file, 50 % corruption
         */
        public static Protocol standard(long seed) {
            return new Protocol(5000, 5000, 0, 0.5, seed);
        }
    }

    /** The four IDX files of a folder (each may be missing). */
    record Files4(Path trainImages, Path trainLabels, Path testImages, Path testLabels) {
    }

    /** @return the number of features without the bias */
    public int features() {
        return trainDesign.numCols - 1;
    }

    /**
     * Finds the data folder of a dataset argument: {@code fashion-mnist} and {@code mnist} are looked
     * up under the data root ({@link #dataRoot}); anything else is a folder path.
     *
     * @param dataset {@code fashion-mnist}, {@code mnist} or a folder
     * @param explicitRoot an explicit data root (a {@code --data} option), or null
     * @return the data set's folder
     * @throws IOException if the data root cannot be found
     */
    public static Path resolve(String dataset, Path explicitRoot) throws IOException {
        String d = dataset.toLowerCase(Locale.ROOT);
        if (d.equals("fashion-mnist") || d.equals("mnist")) {
            Path root = dataRoot(explicitRoot);
            Path folder = root.resolve(d);
            if (!Files.isDirectory(folder)) {
                throw new NoSuchFileException(folder.toString(), null, "no " + d + " folder in the data root " + root);
            }
            return folder;
        }
        Path folder = Path.of(dataset);
        if (!Files.isDirectory(folder)) {
            throw new NoSuchFileException(dataset, null,
                    "not a folder, and not one of the names fashion-mnist and mnist");
        }
        return folder;
    }

    /**
     * The data root, by the project's rule ({@link DataPaths}): an explicit path first, then the
     * environment variable {@code BILEVEL4J_DATA}, then {@code ../shared/data} beside the checkout.
     *
     * @throws NoSuchFileException when no data root is found or a configured one is not a folder
     * @param explicitRoot the folder given explicitly, or null
     * @return the data root
     */
    public static Path dataRoot(Path explicitRoot) throws IOException {
        try {
            return DataPaths.require(explicitRoot);
        } catch (IllegalArgumentException e) {
            throw new NoSuchFileException(explicitRoot == null ? "data root" : explicitRoot.toString(), null,
                    e.getMessage());
        }
    }

    /**
     * @param folder the data set's folder
     * @return whether the folder has training images and labels (else the test file is split)
     */
    public static boolean hasTrainingImages(Path folder) {
        Files4 f = find(folder);
        return f.trainImages != null && f.trainLabels != null;
    }

    /**
     * @return the method page's number of validation samples for a folder: 5000 taken from the
     *     training file, or 2500 when there are no training images and the test file is split
     *     5000 / 2500 / 2500
     * @param folder the data set's folder
     */
    public static int defaultValidation(Path folder) {
        return hasTrainingImages(folder) ? 5000 : 2500;
    }

    static Files4 find(Path folder) {
        return new Files4(pick(folder, "train-images-idx3-ubyte"), pick(folder, "train-labels-idx1-ubyte"),
                pick(folder, "t10k-images-idx3-ubyte"), pick(folder, "t10k-labels-idx1-ubyte"));
    }

    private static Path pick(Path folder, String base) {
        for (String ext : new String[] {".gz", ""}) {
            Path p = folder.resolve(base + ext);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    /**
     * Loads the folder and applies the protocol.
     *
     * @param folder the data set's folder
     * @param protocol how the samples are split and corrupted
     * @return the data set
     * @throws IOException if a file cannot be read or is malformed
     */
    public static CleaningDataset load(Path folder, Protocol protocol) throws IOException {
        Files4 f = find(folder);
        if (f.testImages == null || f.testLabels == null) {
            throw new NoSuchFileException(folder.toString(), null,
                    "no t10k-images-idx3-ubyte[.gz] and t10k-labels-idx1-ubyte[.gz] in this folder");
        }
        IdxImages testImages = IdxReader.readImages(f.testImages);
        int[] testLabels = IdxReader.readLabels(f.testLabels);
        checkPair(f.testImages, testImages, f.testLabels, testLabels);
        RandomGenerator rnd = RandomGeneratorFactory.of("L64X128MixRandom").create(protocol.seed());
        List<String> notes = new ArrayList<>();
        String name = folder.getFileName() == null ? folder.toString() : folder.getFileName().toString();
        int[] trainIdx;
        int[] valIdx;
        int[] testIdx;
        IdxImages pool;
        int[] poolLabels;
        if (f.trainImages != null && f.trainLabels != null) {
            pool = IdxReader.readImages(f.trainImages);
            poolLabels = IdxReader.readLabels(f.trainLabels);
            checkPair(f.trainImages, pool, f.trainLabels, poolLabels);
            if (pool.rows() != testImages.rows() || pool.cols() != testImages.cols()) {
                throw new IdxFormatException(f.trainImages, "images are " + pool.rows() + " x " + pool.cols()
                        + " but the test images are " + testImages.rows() + " x " + testImages.cols());
            }
            need(f.trainImages, pool.count(), protocol.trainSize() + protocol.valSize(), "training + validation");
            int[] perm = permutation(pool.count(), rnd);
            trainIdx = slice(perm, 0, protocol.trainSize());
            valIdx = slice(perm, protocol.trainSize(), protocol.valSize());
            int nt = protocol.testSize() == 0 ? testImages.count() : protocol.testSize();
            need(f.testImages, testImages.count(), nt, "test");
            testIdx = nt == testImages.count() ? identity(nt) : slice(permutation(testImages.count(), rnd), 0, nt);
            notes.add(String.format("%s: %d training and %d validation samples drawn from the %d of the training"
                    + " file, %d test samples from the test file (seed %d)", name, trainIdx.length, valIdx.length,
                    pool.count(), testIdx.length, protocol.seed()));
        } else {
            pool = testImages;
            poolLabels = testLabels;
            int rest = testImages.count() - protocol.trainSize() - protocol.valSize();
            int nt = protocol.testSize() == 0 ? rest : protocol.testSize();
            need(f.testImages, testImages.count(), protocol.trainSize() + protocol.valSize() + nt,
                    "training + validation + test");
            int[] perm = permutation(testImages.count(), rnd);
            trainIdx = slice(perm, 0, protocol.trainSize());
            valIdx = slice(perm, protocol.trainSize(), protocol.valSize());
            testIdx = slice(perm, protocol.trainSize() + protocol.valSize(), nt);
            notes.add(String.format("%s: the folder has no training images (train-images-idx3-ubyte), so the %d"
                    + " test images are split %d train / %d validation / %d test (seed %d)", name,
                    testImages.count(), trainIdx.length, valIdx.length, testIdx.length, protocol.seed()));
        }
        int[] trueTrain = gather(poolLabels, trainIdx);
        int[] noisy = trueTrain.clone();
        boolean[] clean = new boolean[noisy.length];
        int corrupted = corrupt(noisy, clean, protocol.corruption(), CLASSES, rnd);
        notes.add(String.format("%d of %d training labels (%.0f%%) corrupted to a uniformly drawn different class",
                corrupted, noisy.length, 100.0 * corrupted / noisy.length));
        return new CleaningDataset(name, design(pool, trainIdx), noisy, trueTrain, clean, design(pool, valIdx),
                gather(poolLabels, valIdx), design(testImages, testIdx), gather(testLabels, testIdx), CLASSES, notes);
    }

    /**
     * A synthetic stand-in with the shape of the real data sets, for benchmarks and fast tests when no
     * IDX files are at hand: 10 classes, each a random prototype image in [0, 1]^d; a sample is its
     * class prototype plus uniform noise of amplitude {@code noise}, clipped to [0, 1]. Then the same
     * corruption as {@link #load}.
     *
     * @param features the number of features
     * @param trainSize the number of training samples
     * @param valSize the number of validation samples
     * @param testSize the number of test samples
     * @param noise the amplitude of the uniform noise around the class prototype
     * @param corruption the fraction of training labels replaced by random ones
     * @param seed the seed of the random generator
     * @return the data set
     */
    public static CleaningDataset synthetic(int features, int trainSize, int valSize, int testSize, double noise,
            double corruption, long seed) {
        if (features < 1 || trainSize < 1 || valSize < 1 || testSize < 1) {
            throw new IllegalArgumentException("sizes must be positive");
        }
        RandomGenerator rnd = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
        double[][] proto = new double[CLASSES][features];
        for (double[] row : proto) {
            for (int j = 0; j < features; j++) {
                row[j] = rnd.nextDouble();
            }
        }
        int total = trainSize + valSize + testSize;
        byte[] px = new byte[total * features];
        int[] labels = new int[total];
        for (int i = 0; i < total; i++) {
            int c = rnd.nextInt(CLASSES);
            labels[i] = c;
            for (int j = 0; j < features; j++) {
                double v = proto[c][j] + noise * (2 * rnd.nextDouble() - 1);
                px[i * features + j] = (byte) Math.round(255 * Math.min(1, Math.max(0, v)));
            }
        }
        IdxImages images = new IdxImages(total, 1, features, px);
        int[] trainIdx = new int[trainSize];
        int[] valIdx = new int[valSize];
        int[] testIdx = new int[testSize];
        for (int i = 0; i < total; i++) {
            if (i < trainSize) {
                trainIdx[i] = i;
            } else if (i < trainSize + valSize) {
                valIdx[i - trainSize] = i;
            } else {
                testIdx[i - trainSize - valSize] = i;
            }
        }
        int[] trueTrain = gather(labels, trainIdx);
        int[] noisy = trueTrain.clone();
        boolean[] clean = new boolean[trainSize];
        int k = corrupt(noisy, clean, corruption, CLASSES, rnd);
        List<String> notes = List.of(String.format("synthetic: %d features, %d train / %d validation / %d test,"
                + " %d training labels corrupted (seed %d)", features, trainSize, valSize, testSize, k, seed));
        return new CleaningDataset("synthetic", design(images, trainIdx), noisy, trueTrain, clean,
                design(images, valIdx), gather(labels, valIdx), design(images, testIdx), gather(labels, testIdx),
                CLASSES, notes);
    }

    private static void checkPair(Path imagesFile, IdxImages images, Path labelsFile, int[] labels)
            throws IdxFormatException {
        if (images.count() != labels.length) {
            throw new IdxFormatException(labelsFile, labels.length + " labels for the " + images.count()
                    + " images of " + imagesFile.getFileName());
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= CLASSES) {
                throw new IdxFormatException(labelsFile, "label " + labels[i] + " of sample " + i
                        + " is not a class 0-" + (CLASSES - 1));
            }
        }
    }

    private static void need(Path file, int have, int want, String what) throws IdxFormatException {
        if (have < want) {
            throw new IdxFormatException(file, "has " + have + " samples, fewer than the " + want + " " + what
                    + " samples asked for");
        }
    }

    /**
     * Corrupts {@code round(fraction n)} labels chosen uniformly, each to a uniformly drawn different
     * class. Modified: labels, clean.
     *
     * @return the number of corrupted labels
     */
    static int corrupt(int[] labels, boolean[] clean, double fraction, int classes, RandomGenerator rnd) {
        int n = labels.length;
        int k = (int) Math.round(fraction * n);
        int[] perm = permutation(n, rnd);
        java.util.Arrays.fill(clean, true);
        for (int j = 0; j < k; j++) {
            int i = perm[j];
            int shift = 1 + rnd.nextInt(classes - 1);
            labels[i] = (labels[i] + shift) % classes;
            clean[i] = false;
        }
        return k;
    }

    static int[] permutation(int n, RandomGenerator rnd) {
        int[] p = identity(n);
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static int[] identity(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        return p;
    }

    private static int[] slice(int[] a, int from, int len) {
        int[] r = new int[len];
        System.arraycopy(a, from, r, 0, len);
        return r;
    }

    private static int[] gather(int[] a, int[] idx) {
        int[] r = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            r[i] = a[idx[i]];
        }
        return r;
    }

    /** @return the design matrix of the chosen images: pixels / 255, then a column of ones */
    static DMatrixRMaj design(IdxImages images, int[] idx) {
        int d = images.pixelsPerImage();
        DMatrixRMaj a = new DMatrixRMaj(idx.length, d + 1);
        byte[] px = images.pixels();
        for (int r = 0; r < idx.length; r++) {
            int src = idx[r] * d;
            int dst = r * (d + 1);
            for (int p = 0; p < d; p++) {
                a.data[dst + p] = (px[src + p] & 0xFF) / 255.0;
            }
            a.data[dst + d] = 1.0;
        }
        return a;
    }
}
