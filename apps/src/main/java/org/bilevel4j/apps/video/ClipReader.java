package org.bilevel4j.apps.video;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.ejml.data.DMatrixRMaj;

/**
 * Reads a clip into a {@link Clip}: grayscale in [0, 1], one frame per column, row-major pixels.
 *
 * <p>Formats, recognised by their first bytes (a folder by being one):
 * <ul>
 *   <li>NumPy {@code .npy}, uint8 of shape (frames, height, width) in C order: the
 *       {@code frames_y8} dumps of {@code ../shared/data} ({@code \x93NUMPY});</li>
 *   <li>uncompressed AVI, 24/32-bit BI_RGB DIB frames, e.g. the 48 x 48 UCSD traffic clip
 *       ({@code RIFF....AVI }); compressed codecs are rejected naming their fourcc;</li>
 *   <li>MATLAB level-5 {@code .mat} with a uint8 pixels x frames matrix (plus scalars {@code m},
 *       {@code n} for height and width) or a height x width x frames array, compressed elements
 *       included ({@code MATLAB 5.0 MAT-file});</li>
 *   <li>a folder of PNG/PGM frames in natural name order.</li>
 * </ul>
 * Options: a {@link FrameRange} and an integer downscale factor k, which averages k x k blocks
 * (a box filter) and drops the last {@code height mod k} rows and {@code width mod k} columns.
 *
 * <p>Every failure is a {@link ClipException} whose message is one line naming the file and the
 * problem: missing or unreadable, truncated, not uncompressed, frames of different sizes, an empty
 * folder, a frame range outside the clip.
 */
public final class ClipReader {

    private ClipReader() {
    }

    /**
     * Reads every frame at full resolution.
     *
     * @param path the path
     * @return the clip
     * @throws ClipException if the clip cannot be read
     */
    public static Clip read(Path path) throws ClipException {
        return read(path, FrameRange.all(), 1);
    }

    /**
     * Reads frames {@code range} of the clip at {@code path}, downscaled by {@code downscale}.
     *
     * @throws ClipException if the clip cannot be read or the options do not fit it
     * @param path the path
     * @param range the frames to read
     * @param downscale the downscaling factor, at least 1
     * @return the clip
     */
    public static Clip read(Path path, FrameRange range, int downscale) throws ClipException {
        if (downscale < 1) {
            throw new ClipException(path, "downscale factor must be at least 1, got " + downscale);
        }
        try {
            FrameSource src = open(path);
            int total = src.frames();
            int count;
            try {
                count = range.count(total);
            } catch (IllegalArgumentException e) {
                throw new ClipException(path, e.getMessage());
            }
            int h = src.height();
            int w = src.width();
            int hs = h / downscale;
            int ws = w / downscale;
            if (hs < 1 || ws < 1) {
                throw new ClipException(path, "downscale factor " + downscale + " is larger than the " + w + "x" + h
                        + " frames");
            }
            long cells = (long) hs * ws * count;
            if ((long) hs * ws > Integer.MAX_VALUE - 8 || cells > Integer.MAX_VALUE - 8) {
                throw new ClipException(path, "the clip is too large for one matrix: " + hs + "x" + ws + " pixels x "
                        + count + " frames (choose fewer --frames or a larger --downscale)");
            }
            String heap = org.bilevel4j.apps.io.MemoryBudget.shortfall(8 * cells + 8L * h * w, "the " + hs * ws
                    + " x " + count + " clip matrix");
            if (heap != null) {
                throw new ClipException(path, heap + " (or choose fewer --frames or a larger --downscale)");
            }
            DMatrixRMaj data = new DMatrixRMaj(hs * ws, count);
            double[] frame = new double[h * w];
            double norm = 1.0 / ((double) downscale * downscale);
            for (int c = 0; c < count; c++) {
                src.read(range.start() + c, frame);
                for (int y = 0; y < hs; y++) {
                    for (int x = 0; x < ws; x++) {
                        double s = 0;
                        for (int dy = 0; dy < downscale; dy++) {
                            int row = (y * downscale + dy) * w + x * downscale;
                            for (int dx = 0; dx < downscale; dx++) {
                                s += frame[row + dx];
                            }
                        }
                        data.data[(y * ws + x) * count + c] = s * norm;
                    }
                }
            }
            return new Clip(path.getFileName() == null ? path.toString() : path.getFileName().toString(), data, hs,
                    ws);
        } catch (ClipException e) {
            throw e;
        } catch (NoSuchFileException e) {
            throw new ClipException(path, "no such file or folder", e);
        } catch (IOException e) {
            throw new ClipException(path, "cannot read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // a malformed file that slipped past the checks (index out of bounds in a corrupt header)
            throw new ClipException(path, "corrupt file (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
        }
    }

    /**
     * Reads a whole file, after checking that it fits in one array and in the free heap.
     *
     * @throws ClipException naming the file if it does not
     */
    static byte[] readAll(Path path) throws IOException {
        long size = Files.size(path);
        if (size > Integer.MAX_VALUE - 8) {
            throw new ClipException(path, "the file has " + size + " bytes, more than this reader reads at once"
                    + " (2 GiB); convert the clip to a frames .npy");
        }
        String heap = org.bilevel4j.apps.io.MemoryBudget.shortfall(2 * size, "reading the file");
        if (heap != null) {
            throw new ClipException(path, heap);
        }
        return Files.readAllBytes(path);
    }

    private static FrameSource open(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            return ImageFolderFrames.open(path);
        }
        if (!Files.exists(path)) {
            throw new ClipException(path, "no such file or folder");
        }
        if (!Files.isReadable(path)) {
            throw new ClipException(path, "not readable");
        }
        if (!Files.isRegularFile(path)) {
            throw new ClipException(path, "not a regular file or a folder (a device or a pipe has no length to check)");
        }
        byte[] head = new byte[20];
        int n;
        try (InputStream in = Files.newInputStream(path)) {
            n = in.readNBytes(head, 0, head.length);
        }
        if (n == 0) {
            throw new ClipException(path, "empty file");
        }
        String ascii = new String(head, 0, n, StandardCharsets.ISO_8859_1);
        if (n >= 6 && (head[0] & 0xFF) == 0x93 && ascii.startsWith("NUMPY", 1)) {
            return NpyFrames.open(path);
        }
        if (ascii.startsWith("RIFF")) {
            return AviFrames.open(path);
        }
        if (ascii.startsWith("MATLAB")) {
            return MatFrames.open(path);
        }
        String name = path.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (name.endsWith(".npy")) {
            return NpyFrames.open(path);
        }
        if (name.endsWith(".avi")) {
            return AviFrames.open(path);
        }
        if (name.endsWith(".mat")) {
            return MatFrames.open(path);
        }
        throw new ClipException(path, "unrecognized format: expected a uint8 frames .npy, an uncompressed .avi, a"
                + " MATLAB v5 .mat or a folder of PNG/PGM frames");
    }
}
