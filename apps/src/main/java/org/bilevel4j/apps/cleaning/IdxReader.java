package org.bilevel4j.apps.cleaning;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files (the MNIST format), plain or gzip-compressed (detected by the gzip magic bytes,
 * not the file name). An IDX file starts with a big-endian magic number {@code 0x0000TTDD}
 * (TT = 0x08 for unsigned bytes, DD = the number of dimensions), then one big-endian int per
 * dimension, then the data. Everything is checked: the magic number, positive sizes, the data
 * length (a truncated file is an error, and so are bytes after the data), and the gzip stream's
 * integrity. Every error is an {@link IdxFormatException} whose one-line message names the file.
 */
public final class IdxReader {

    /** Magic number of unsigned-byte images: type 0x08, 3 dimensions. */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of unsigned-byte labels: type 0x08, 1 dimension. */
    public static final int LABELS_MAGIC = 0x00000801;

    private IdxReader() {
    }

    /**
     * Reads an image file (magic 0x00000803).
     *
     * @param file the IDX file, plain or gzip-compressed
     * @return the images
     * @throws IdxFormatException when the file is malformed, truncated, has bytes after the data or a
     *     corrupted gzip stream
     * @throws IOException when the file cannot be read (missing, unreadable)
     */
    public static IdxImages readImages(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            int magic = readHeaderInt(in, file, "magic number");
            checkMagic(file, magic, IMAGES_MAGIC, "images");
            int count = readSize(in, file, "image count");
            int rows = readSize(in, file, "row count");
            int cols = readSize(in, file, "column count");
            if (rows == 0 || cols == 0) {
                throw new IdxFormatException(file, "image size " + rows + " x " + cols + " is empty");
            }
            long total = (long) count * rows * cols;
            if (total > Integer.MAX_VALUE - 8) {
                throw new IdxFormatException(file, "header announces " + count + " images of " + rows + " x " + cols
                        + " = " + total + " bytes, more than this reader supports");
            }
            checkClaim(file, 16, total, count + " images of " + rows + " x " + cols);
            byte[] pixels = new byte[(int) total];
            readData(in, file, pixels, count + " images of " + rows + " x " + cols);
            expectEnd(in, file);
            return new IdxImages(count, rows, cols, pixels);
        } catch (ZipException e) {
            throw corrupted(file, e);
        }
    }

    /**
     * Reads a label file (magic 0x00000801); labels are unsigned bytes 0-255.
     *
     * @param file the IDX file, plain or gzip-compressed
     * @return the labels, one per item, each in [0, 255]
     * @throws IdxFormatException when the file is malformed, truncated, has bytes after the data or a
     *     corrupted gzip stream
     * @throws IOException when the file cannot be read (missing, unreadable)
     */
    public static int[] readLabels(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            int magic = readHeaderInt(in, file, "magic number");
            checkMagic(file, magic, LABELS_MAGIC, "labels");
            int count = readSize(in, file, "label count");
            checkClaim(file, 8, 5L * count, count + " labels");
            byte[] raw = new byte[count];
            readData(in, file, raw, count + " labels");
            expectEnd(in, file);
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = raw[i] & 0xFF;
            }
            return labels;
        } catch (ZipException e) {
            throw corrupted(file, e);
        }
    }

    /** The most a gzip stream inflates: deflate's limit is about 1032 to 1. */
    private static final long MAX_GZIP_RATIO = 1032;

    /**
     * Checks what the header announces against the file's length (a plain file must hold it, a
     * gzip file can inflate at most about 1032-fold) and against the free heap, before allocating.
     *
     * @param headerBytes the header's length
     * @param bytes what the reader will allocate for the data (labels: their bytes and ints)
     */
    private static void checkClaim(Path file, long headerBytes, long bytes, String what) throws IOException {
        long size = Files.size(file);
        boolean gz;
        try (InputStream in = Files.newInputStream(file)) {
            gz = in.read() == 0x1f && in.read() == 0x8b;
        }
        long data = what.endsWith("labels") ? bytes / 5 : bytes;
        if (!gz && headerBytes + data > size) {
            throw new IdxFormatException(file, "truncated: the header announces " + what + " (" + data
                    + " bytes of data) but the file ends after " + Math.max(0, size - headerBytes));
        }
        if (gz && data > MAX_GZIP_RATIO * size) {
            throw new IdxFormatException(file, "the header announces " + what + " (" + data + " bytes of data), more"
                    + " than a " + size + "-byte gzip file can hold");
        }
        String heap = org.bilevel4j.apps.io.MemoryBudget.shortfall(bytes, what);
        if (heap != null) {
            throw new IdxFormatException(file, heap);
        }
    }

    private static IdxFormatException corrupted(Path file, ZipException e) {
        return new IdxFormatException(file, "corrupted gzip data (" + e.getMessage() + ")", e);
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream raw;
        try {
            raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
        try {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            if (b0 == 0x1f && b1 == 0x8b) {
                return new DataInputStream(new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16));
            }
            return new DataInputStream(raw);
        } catch (ZipException e) {
            raw.close();
            throw corrupted(file, e);
        } catch (EOFException e) {
            raw.close();
            throw new IdxFormatException(file, "truncated gzip header", e);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    private static int readHeaderInt(DataInputStream in, Path file, String what) throws IOException {
        try {
            return in.readInt();
        } catch (EOFException e) {
            throw new IdxFormatException(file, "truncated header: the file ends before the " + what, e);
        }
    }

    private static void checkMagic(Path file, int magic, int expected, String what) throws IdxFormatException {
        if (magic != expected) {
            String hint = (magic >>> 16) != 0 ? " (not an IDX file)"
                    : ((magic >>> 8) & 0xFF) != 0x08 ? " (IDX data type 0x" + Integer.toHexString((magic >>> 8) & 0xFF)
                            + " is not unsigned byte)"
                            : " (an IDX file with " + (magic & 0xFF) + " dimensions)";
            throw new IdxFormatException(file, String.format("bad magic number 0x%08X, expected 0x%08X for IDX %s%s",
                    magic, expected, what, hint));
        }
    }

    private static int readSize(DataInputStream in, Path file, String what) throws IOException {
        int v = readHeaderInt(in, file, what);
        if (v < 0) {
            throw new IdxFormatException(file, "negative " + what + " " + v + " in the header");
        }
        return v;
    }

    private static void readData(DataInputStream in, Path file, byte[] into, String what) throws IOException {
        int off = 0;
        while (off < into.length) {
            int r;
            try {
                r = in.read(into, off, into.length - off);
            } catch (EOFException e) {
                r = -1;
            }
            if (r < 0) {
                throw new IdxFormatException(file, "truncated: the header announces " + what + " (" + into.length
                        + " bytes of data) but the file ends after " + off);
            }
            off += r;
        }
    }

    private static void expectEnd(DataInputStream in, Path file) throws IOException {
        long extra = 0;
        byte[] buf = new byte[8192];
        int r;
        try {
            while ((r = in.read(buf)) >= 0) {
                extra += r;
            }
        } catch (EOFException e) {
            throw new IdxFormatException(file, "truncated gzip stream after the data (" + e.getMessage() + ")", e);
        }
        if (extra > 0) {
            throw new IdxFormatException(file, extra + " unexpected bytes after the data the header announces");
        }
    }
}
