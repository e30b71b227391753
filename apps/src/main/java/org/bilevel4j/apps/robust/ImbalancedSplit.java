package org.bilevel4j.apps.robust;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.bilevel4j.apps.cleaning.IdxFormatException;
import org.bilevel4j.apps.cleaning.IdxImages;
import org.bilevel4j.apps.cleaning.IdxReader;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * The imbalanced FashionMNIST split of the group-DRO experiment, with PCA features.
 *
 * <p>Protocol (seeded with {@code L64X128MixRandom}): the indices of each class of the training file
 * are shuffled (classes in order 0..9, one generator); the first {@link #VALIDATION_PER_CLASS} of
 * class k go to validation, the next {@code n_k} to training, with {@code n_k = 780} except
 * {@code n_k = 78} for the minority classes {0 T-shirt, 2 pullover, 4 coat, 6 shirt} (10x
 * subsampling): 4,992 training and 1,000 validation samples. The test set is the official 10,000.
 *
 * <p>Features: pixels / 255; the mean {@code m} and covariance {@code C = (1/n) sum (x - m)(x - m)^T}
 * (784 x 784) of the training subset; its symmetric eigendecomposition (EJML) with eigenvalues
 * {@code l_1 >= l_2 >= ...} and unit eigenvectors {@code v_j} (sign fixed so that the entry of largest
 * magnitude is positive); the feature vector {@code ((x - m)^T v_j / sqrt(l_j))_{j <= 64}} followed by a
 * constant 1, so D = 65. On the training set the 64 features have mean 0 and identity covariance.
 *
 * <p>Samples are stored sorted by class; {@code offsets[k] .. offsets[k + 1]} are the rows of class k.
 *
 * @param train training features, n x D, rows sorted by class
 * @param trainLabels their classes
 * @param validation validation features, sorted by class
 * @param validationLabels their classes
 * @param test test features (the official test file, sorted by class)
 * @param testLabels their classes
 * @param eigenvalues the 64 leading eigenvalues of the training covariance
 * @param seed the seed of the split
 */
public record ImbalancedSplit(DMatrixRMaj train, int[] trainLabels, DMatrixRMaj validation, int[] validationLabels,
        DMatrixRMaj test, int[] testLabels, double[] eigenvalues, long seed) {

    /** The number of classes. */
    public static final int CLASSES = 10;
    /** Validation samples per class. */
    public static final int VALIDATION_PER_CLASS = 100;
    /** Training samples of a majority class. */
    public static final int MAJORITY = 780;
    /** Training samples of a minority class (10x subsampled). */
    public static final int MINORITY = 78;
    /** The minority classes: T-shirt/top, pullover, coat, shirt. */
    public static final List<Integer> MINORITY_CLASSES = List.of(0, 2, 4, 6);
    /** Principal components kept. */
    public static final int COMPONENTS = 64;
    /** The FashionMNIST class names. */
    public static final List<String> CLASS_NAMES = List.of("T-shirt", "trouser", "pullover", "dress", "coat",
            "sandal", "shirt", "sneaker", "bag", "boot");

    /**
     * @param k a class, in [0, 10)
     * @return the training samples of class k under the protocol: {@link #MINORITY} for a minority class,
     *     else {@link #MAJORITY}
     */
    public static int trainingCount(int k) {
        return MINORITY_CLASSES.contains(k) ? MINORITY : MAJORITY;
    }

    /** @return the feature dimension D = 65 */
    public int dimension() {
        return train.numCols;
    }

    /**
     * Loads a FashionMNIST folder (the four IDX files, gzipped or not) and applies the protocol.
     *
     * @param folder the folder with {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte},
     *     {@code t10k-images-idx3-ubyte} and {@code t10k-labels-idx1-ubyte}, each possibly with {@code .gz}
     * @param seed the seed of the split
     * @return the split with its features
     * @throws IOException when a file cannot be read
     * @throws NoSuchFileException when a file is missing
     * @throws IdxFormatException when a file is malformed or a class has too few samples
     */
    public static ImbalancedSplit load(Path folder, long seed) throws IOException {
        Path trI = pick(folder, "train-images-idx3-ubyte");
        Path trL = pick(folder, "train-labels-idx1-ubyte");
        Path teI = pick(folder, "t10k-images-idx3-ubyte");
        Path teL = pick(folder, "t10k-labels-idx1-ubyte");
        IdxImages pool = IdxReader.readImages(trI);
        int[] poolLabels = IdxReader.readLabels(trL);
        IdxImages test = IdxReader.readImages(teI);
        int[] testLabels = IdxReader.readLabels(teL);
        if (pool.count() != poolLabels.length) {
            throw new IdxFormatException(trL, poolLabels.length + " labels for " + pool.count() + " images");
        }
        if (test.count() != testLabels.length) {
            throw new IdxFormatException(teL, testLabels.length + " labels for " + test.count() + " images");
        }
        if (pool.pixelsPerImage() != test.pixelsPerImage()) {
            throw new IdxFormatException(teI, "images have " + test.pixelsPerImage() + " pixels, the training images "
                    + pool.pixelsPerImage());
        }
        checkLabels(trL, poolLabels);
        checkLabels(teL, testLabels);
        int[][] idx;
        try {
            idx = split(poolLabels, seed);
        } catch (IllegalArgumentException e) {
            throw new IdxFormatException(trL, e.getMessage());
        }
        int[] testIdx = sortedByClass(testLabels);
        return build(pool, poolLabels, idx[0], idx[1], test, testLabels, testIdx, seed);
    }

    private static void checkLabels(Path file, int[] labels) throws IdxFormatException {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= CLASSES) {
                throw new IdxFormatException(file, "label " + labels[i] + " of sample " + i + " is not a class 0-9");
            }
        }
    }

    private static Path pick(Path folder, String base) throws NoSuchFileException {
        for (String ext : new String[] {".gz", ""}) {
            Path p = folder.resolve(base + ext);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new NoSuchFileException(folder.resolve(base + ".gz").toString(), null,
                "missing FashionMNIST file " + base + "[.gz]");
    }

    /**
     * The seeded split of a labelled pool: per class, shuffle its indices (Fisher-Yates with one
     * {@code L64X128MixRandom} generator, classes 0..9 in order), take 100 for validation, then
     * {@link #trainingCount} for training. Both index lists are sorted by class, then by draw order.
     *
     * @param labels the pool's labels, each in [0, 10)
     * @param seed the seed of the generator
     * @return {train indices, validation indices}
     * @throws IllegalArgumentException when a class has too few samples
     */
    public static int[][] split(int[] labels, long seed) {
        RandomGenerator rnd = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
        int[] count = new int[CLASSES];
        for (int l : labels) {
            count[l]++;
        }
        int nTrain = 0;
        for (int k = 0; k < CLASSES; k++) {
            nTrain += trainingCount(k);
            if (count[k] < VALIDATION_PER_CLASS + trainingCount(k)) {
                throw new IllegalArgumentException("class " + k + " has " + count[k] + " samples, the split needs "
                        + (VALIDATION_PER_CLASS + trainingCount(k)));
            }
        }
        int[] train = new int[nTrain];
        int[] val = new int[CLASSES * VALIDATION_PER_CLASS];
        int ot = 0;
        int ov = 0;
        for (int k = 0; k < CLASSES; k++) {
            int[] members = new int[count[k]];
            int m = 0;
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == k) {
                    members[m++] = i;
                }
            }
            for (int i = m - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int t = members[i];
                members[i] = members[j];
                members[j] = t;
            }
            System.arraycopy(members, 0, val, ov, VALIDATION_PER_CLASS);
            ov += VALIDATION_PER_CLASS;
            System.arraycopy(members, VALIDATION_PER_CLASS, train, ot, trainingCount(k));
            ot += trainingCount(k);
        }
        return new int[][] {train, val};
    }

    private static int[] sortedByClass(int[] labels) {
        int[] idx = new int[labels.length];
        int o = 0;
        for (int k = 0; k < CLASSES; k++) {
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == k) {
                    idx[o++] = i;
                }
            }
        }
        return Arrays.copyOf(idx, o);
    }

    /**
     * Builds the features from images: PCA fitted on the training indices, applied to all three sets.
     *
     * @param trainIdx training indices into {@code pool} (sorted by class)
     * @param valIdx validation indices into {@code pool} (sorted by class)
     * @param testIdx test indices into {@code test} (sorted by class)
     */
    static ImbalancedSplit build(IdxImages pool, int[] poolLabels, int[] trainIdx, int[] valIdx, IdxImages test,
            int[] testLabels, int[] testIdx, long seed) {
        int d = pool.pixelsPerImage();
        int n = trainIdx.length;
        double[] mean = new double[d];
        double[] row = new double[d];
        for (int i : trainIdx) {
            pixels(pool, i, row);
            for (int p = 0; p < d; p++) {
                mean[p] += row[p];
            }
        }
        for (int p = 0; p < d; p++) {
            mean[p] /= n;
        }
        DMatrixRMaj centered = new DMatrixRMaj(n, d);
        for (int r = 0; r < n; r++) {
            pixels(pool, trainIdx[r], row);
            for (int p = 0; p < d; p++) {
                centered.data[r * d + p] = row[p] - mean[p];
            }
        }
        DMatrixRMaj cov = new DMatrixRMaj(d, d);
        org.ejml.dense.row.CommonOps_DDRM.multTransA(centered, centered, cov);
        org.ejml.dense.row.CommonOps_DDRM.scale(1.0 / n, cov);
        // exact symmetry for the symmetric solver
        for (int i = 0; i < d; i++) {
            for (int j = i + 1; j < d; j++) {
                double s = 0.5 * (cov.get(i, j) + cov.get(j, i));
                cov.set(i, j, s);
                cov.set(j, i, s);
            }
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
        if (!eig.decompose(cov)) {
            throw new IllegalStateException("the eigendecomposition of the 784 x 784 training covariance failed");
        }
        Integer[] order = new Integer[d];
        double[] ev = new double[d];
        for (int j = 0; j < d; j++) {
            order[j] = j;
            ev[j] = eig.getEigenvalue(j).getReal();
        }
        Arrays.sort(order, (x, y) -> Double.compare(ev[y], ev[x]));
        int c = COMPONENTS;
        double[][] basis = new double[c][];
        double[] kept = new double[c];
        for (int j = 0; j < c; j++) {
            DMatrixRMaj v = eig.getEigenVector(order[j]);
            double norm = 0;
            int arg = 0;
            for (int p = 0; p < d; p++) {
                norm += v.data[p] * v.data[p];
                if (Math.abs(v.data[p]) > Math.abs(v.data[arg])) {
                    arg = p;
                }
            }
            double s = (v.data[arg] < 0 ? -1 : 1) / Math.sqrt(norm);
            kept[j] = ev[order[j]];
            if (!(kept[j] > 0)) {
                throw new IllegalStateException("the training covariance has rank below " + c);
            }
            double w = s / Math.sqrt(kept[j]);
            basis[j] = new double[d];
            for (int p = 0; p < d; p++) {
                basis[j][p] = v.data[p] * w;
            }
        }
        return new ImbalancedSplit(features(pool, trainIdx, mean, basis), gather(poolLabels, trainIdx),
                features(pool, valIdx, mean, basis), gather(poolLabels, valIdx), features(test, testIdx, mean, basis),
                gather(testLabels, testIdx), kept, seed);
    }

    private static void pixels(IdxImages im, int i, double[] out) {
        byte[] px = im.pixels();
        int d = im.pixelsPerImage();
        int o = i * d;
        for (int p = 0; p < d; p++) {
            out[p] = (px[o + p] & 0xFF) / 255.0;
        }
    }

    private static DMatrixRMaj features(IdxImages im, int[] idx, double[] mean, double[][] basis) {
        int d = im.pixelsPerImage();
        int c = basis.length;
        DMatrixRMaj f = new DMatrixRMaj(idx.length, c + 1);
        double[] row = new double[d];
        for (int r = 0; r < idx.length; r++) {
            pixels(im, idx[r], row);
            for (int p = 0; p < d; p++) {
                row[p] -= mean[p];
            }
            for (int j = 0; j < c; j++) {
                double s = 0;
                double[] b = basis[j];
                for (int p = 0; p < d; p++) {
                    s += row[p] * b[p];
                }
                f.data[r * (c + 1) + j] = s;
            }
            f.data[r * (c + 1) + c] = 1.0;
        }
        return f;
    }

    private static int[] gather(int[] a, int[] idx) {
        int[] r = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            r[i] = a[idx[i]];
        }
        return r;
    }

    /** @return a short description of the split */
    public String describe() {
        return String.format(java.util.Locale.ROOT, "imbalanced FashionMNIST (seed %d): %d training samples (780 per"
                + " class, 78 for classes 0, 2, 4, 6), %d validation (100 per class), %d test; PCA on the training"
                + " subset, %d whitened components + 1 (D = %d)", seed, train.numRows, validation.numRows, test.numRows,
                COMPONENTS, dimension());
    }
}
