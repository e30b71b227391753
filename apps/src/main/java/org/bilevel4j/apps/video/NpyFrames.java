package org.bilevel4j.apps.video;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A NumPy {@code .npy} file holding a uint8 array of shape (frames, height, width) in C order, the
 * layout of the {@code frames_y8} dumps: pixel (t, y, x) is the byte at
 * {@code offset + t H W + y W + x}.
 *
 * <p>Format (NumPy NEP 1): the magic {@code \x93NUMPY}, a major and a minor version byte, the header
 * length (uint16 little-endian in version 1, uint32 in versions 2 and 3), then an ASCII Python dict
 * with {@code 'descr'}, {@code 'fortran_order'} and {@code 'shape'}; the data follow. Only
 * {@code descr} {@code |u1} (or {@code u1}, {@code <u1}, {@code >u1}) and C order are accepted.
 * Frames are read one at a time, so a frame range reads only its frames.
 */
final class NpyFrames implements FrameSource {

    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private final Path path;
    private final long offset;
    private final int frames;
    private final int height;
    private final int width;

    private NpyFrames(Path path, long offset, int frames, int height, int width) {
        this.path = path;
        this.offset = offset;
        this.frames = frames;
        this.height = height;
        this.width = width;
    }

    static NpyFrames open(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer pre = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, pre, 0);
            pre.flip();
            if (pre.remaining() < 10) {
                throw new ClipException(path, "truncated .npy: " + size + " bytes, shorter than the header");
            }
            byte[] magic = new byte[6];
            pre.get(magic);
            if ((magic[0] & 0xFF) != 0x93 || !new String(magic, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY")) {
                throw new ClipException(path, "not a .npy file (no \\x93NUMPY magic)");
            }
            int major = pre.get() & 0xFF;
            pre.get();
            long headerLen;
            int headerStart;
            if (major == 1) {
                headerLen = pre.getShort(8) & 0xFFFF;
                headerStart = 10;
            } else if (major == 2 || major == 3) {
                if (pre.limit() < 12) {
                    throw new ClipException(path, "truncated .npy header");
                }
                headerLen = pre.getInt(8) & 0xFFFFFFFFL;
                headerStart = 12;
            } else {
                throw new ClipException(path, "unsupported .npy version " + major);
            }
            if (headerStart + headerLen > size) {
                throw new ClipException(path, "truncated .npy: header of " + headerLen + " bytes, file has " + size);
            }
            if (headerLen > 1 << 20) {
                throw new ClipException(path, "corrupt .npy: header length " + headerLen);
            }
            ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
            readFully(ch, hb, headerStart);
            String header = new String(hb.array(), 0, hb.position(), StandardCharsets.ISO_8859_1);
            Matcher d = DESCR.matcher(header);
            Matcher f = FORTRAN.matcher(header);
            Matcher s = SHAPE.matcher(header);
            if (!d.find() || !f.find() || !s.find()) {
                throw new ClipException(path, "corrupt .npy header: " + header.strip());
            }
            String descr = d.group(1);
            if (!(descr.equals("|u1") || descr.equals("u1") || descr.equals("<u1") || descr.equals(">u1"))) {
                throw new ClipException(path, "the .npy array has dtype '" + descr
                        + "'; expected uint8 ('|u1') frames");
            }
            if (f.group(1).equals("True")) {
                throw new ClipException(path, "the .npy array is in Fortran order; expected C order (frames, height,"
                        + " width)");
            }
            String[] parts = s.group(1).split(",");
            long[] dims = new long[3];
            int nd = 0;
            for (String p : parts) {
                String q = p.trim();
                if (q.isEmpty()) {
                    continue;
                }
                if (nd == 3) {
                    nd = 4;
                    break;
                }
                try {
                    dims[nd++] = Long.parseLong(q.endsWith("L") ? q.substring(0, q.length() - 1) : q);
                } catch (NumberFormatException e) {
                    throw new ClipException(path, "corrupt .npy shape (" + s.group(1) + ")");
                }
            }
            if (nd != 3) {
                throw new ClipException(path, "the .npy array has shape (" + s.group(1).trim()
                        + "); expected 3 dimensions (frames, height, width)");
            }
            if (dims[0] < 1 || dims[1] < 1 || dims[2] < 1 || dims[0] > Integer.MAX_VALUE
                    || dims[1] * dims[2] > Integer.MAX_VALUE) {
                throw new ClipException(path, "the .npy array has an unusable shape (" + s.group(1).trim() + ")");
            }
            long offset = headerStart + headerLen;
            long need = dims[0] * dims[1] * dims[2];
            if (size - offset < need) {
                throw new ClipException(path, "truncated .npy: shape (" + dims[0] + ", " + dims[1] + ", " + dims[2]
                        + ") needs " + need + " data bytes, the file has " + (size - offset));
            }
            return new NpyFrames(path, offset, (int) dims[0], (int) dims[1], (int) dims[2]);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        long p = pos;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, p);
            if (n < 0) {
                break;
            }
            p += n;
        }
    }

    @Override
    public int frames() {
        return frames;
    }

    @Override
    public int height() {
        return height;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public void read(int t, double[] out) throws IOException {
        int n = height * width;
        ByteBuffer buf = ByteBuffer.allocate(n);
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            readFully(ch, buf, offset + (long) t * n);
        }
        if (buf.hasRemaining()) {
            throw new ClipException(path, "truncated .npy: frame " + t + " is incomplete");
        }
        byte[] b = buf.array();
        for (int i = 0; i < n; i++) {
            out[i] = (b[i] & 0xFF) / 255.0;
        }
    }
}
