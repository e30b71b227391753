package org.bilevel4j.apps.video;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A MATLAB level-5 MAT-file holding a uint8 clip: either a pixels x frames matrix (as the TFOCS
 * escalator data, with scalars {@code m} = height and {@code n} = width beside it) or a
 * height x width x frames array.
 *
 * <p>Format (MathWorks, "MAT-File Format", level 5): a 128-byte header (text, subsystem offset,
 * version, endian indicator {@code IM} = little-endian or {@code MI} = big-endian), then data
 * elements, each an 8-byte tag (uint32 type, uint32 byte count) and its data padded to 8 bytes; a
 * "small" element packs the count into the upper 16 bits of the type word and 4 data bytes into the
 * tag. Type 15 (miCOMPRESSED) holds a zlib stream (inflated with {@link Inflater}) that decodes to
 * one element; type 14 (miMATRIX) holds the sub-elements array flags (the class in the low byte:
 * 9 = uint8), dimensions (int32), name (int8) and the real part.
 *
 * <p>The clip is the uint8 array with the most elements. MATLAB stores it column-major, so entry
 * (i, t) of a pixels x frames matrix is byte {@code i + P t} and pixel (y, x) is row
 * {@code i = y + H x}; the reader reorders to the row-major layout of {@link Clip}. A 2-D matrix's
 * frame size comes from scalar variables named {@code m}/{@code height}/{@code rows}/{@code h} and
 * {@code n}/{@code width}/{@code cols}/{@code w}, which must be positive integers whose product is
 * the pixel count (a contradiction is an error, never a guess); only a file with neither gets a
 * square frame, when the pixel count is a perfect square.
 * Structs, cells and other classes are skipped (LRSLibrary's {@code demo.mat} is a struct of
 * frames: use {@code demo.avi}).
 */
final class MatFrames implements FrameSource {

    private static final int MI_INT8 = 1;
    private static final int MI_UINT8 = 2;
    private static final int MI_INT16 = 3;
    private static final int MI_UINT16 = 4;
    private static final int MI_INT32 = 5;
    private static final int MI_UINT32 = 6;
    private static final int MI_SINGLE = 7;
    private static final int MI_DOUBLE = 9;
    private static final int MI_INT64 = 12;
    private static final int MI_UINT64 = 13;
    private static final int MI_MATRIX = 14;
    private static final int MI_COMPRESSED = 15;
    private static final int MX_UINT8 = 9;
    private static final long MAX_INFLATED = Integer.MAX_VALUE - 16;

    private final Path path;
    private final ByteBuffer data;
    private final int height;
    private final int width;
    private final int frames;
    private final boolean threeD;

    private MatFrames(Path path, ByteBuffer data, int height, int width, int frames, boolean threeD) {
        this.path = path;
        this.data = data;
        this.height = height;
        this.width = width;
        this.frames = frames;
        this.threeD = threeD;
    }

    /** One variable: its name, MATLAB class, dimensions and real-part element. */
    private record Variable(String name, int mxClass, int[] dims, int dataType, ByteBuffer real) {
        long elements() {
            long n = 1;
            for (int d : dims) {
                n *= d;
            }
            return n;
        }

        String describe() {
            StringBuilder sb = new StringBuilder(name).append(" (class ").append(mxClass).append(", ");
            for (int i = 0; i < dims.length; i++) {
                sb.append(i > 0 ? "x" : "").append(dims[i]);
            }
            return sb.append(')').toString();
        }
    }

    static MatFrames open(Path path) throws IOException {
        byte[] bytes = ClipReader.readAll(path);
        if (bytes.length < 128) {
            throw new ClipException(path, "truncated MAT-file: " + bytes.length + " bytes, the header alone has 128");
        }
        String text = new String(bytes, 0, 116, StandardCharsets.ISO_8859_1);
        if (!text.startsWith("MATLAB 5.0 MAT-file")) {
            throw new ClipException(path, "not a MATLAB level-5 MAT-file (v7.3/HDF5 and v4 files are not read)");
        }
        ByteOrder order;
        if (bytes[126] == 'I' && bytes[127] == 'M') {
            order = ByteOrder.LITTLE_ENDIAN;
        } else if (bytes[126] == 'M' && bytes[127] == 'I') {
            order = ByteOrder.BIG_ENDIAN;
        } else {
            throw new ClipException(path, "corrupt MAT-file header: no endian indicator");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(order);
        List<Variable> vars = new ArrayList<>();
        int pos = 128;
        while (pos < bytes.length) {
            pos = element(path, b, pos, bytes.length, vars);
        }
        Variable clip = null;
        for (Variable v : vars) {
            if (v.mxClass == MX_UINT8 && (v.dims.length == 2 || v.dims.length == 3)
                    && (clip == null || v.elements() > clip.elements())) {
                clip = v;
            }
        }
        if (clip == null) {
            StringBuilder found = new StringBuilder();
            for (Variable v : vars) {
                found.append(found.length() > 0 ? ", " : "").append(v.describe());
            }
            throw new ClipException(path, "no uint8 matrix in the MAT-file (found: "
                    + (found.length() == 0 ? "nothing" : found) + ")");
        }
        if (clip.dataType != MI_UINT8) {
            throw new ClipException(path, "the uint8 variable " + clip.name + " is stored as data type "
                    + clip.dataType + "; expected miUINT8");
        }
        if (clip.real.remaining() < clip.elements()) {
            throw new ClipException(path, "truncated MAT-file: " + clip.name + " has " + clip.real.remaining()
                    + " of its " + clip.elements() + " bytes");
        }
        if (clip.dims.length == 3) {
            return new MatFrames(path, clip.real, clip.dims[0], clip.dims[1], clip.dims[2], true);
        }
        int pixels = clip.dims[0];
        String[] hNames = {"m", "height", "rows", "h"};
        String[] wNames = {"n", "width", "cols", "w"};
        int h = scalar(vars, hNames);
        int w = scalar(vars, wNames);
        String hName = named(vars, hNames);
        String wName = named(vars, wNames);
        if (hName != null || wName != null) {
            // the file states its frame size: it must be whole and match the pixel count, never guessed
            if (h <= 0 || w <= 0) {
                throw new ClipException(path, "the frame size of " + clip.describe() + " is not stated as two positive"
                        + " integer scalars: found " + (hName == null ? "no height (m)" : stated(vars, hName)) + " and "
                        + (wName == null ? "no width (n)" : stated(vars, wName)));
            }
            if ((long) h * w != pixels) {
                throw new ClipException(path, hName + " = " + h + " and " + wName + " = " + w + " give " + ((long) h * w)
                        + " pixels per frame, but " + clip.name + " has " + pixels + " rows (pixels per frame)");
            }
        } else {
            int side = (int) Math.round(Math.sqrt(pixels));
            if (side * side != pixels) {
                throw new ClipException(path, "cannot tell the frame size of " + clip.describe() + ": store scalars"
                        + " m (height) and n (width) with m*n = " + pixels + " beside it");
            }
            h = side;
            w = side;
        }
        return new MatFrames(path, clip.real, h, w, clip.dims[1], false);
    }

    /** @return the first of the names that some variable has, or null */
    private static String named(List<Variable> vars, String... names) {
        for (String n : names) {
            for (Variable v : vars) {
                if (v.name.equals(n)) {
                    return n;
                }
            }
        }
        return null;
    }

    /**
     * @return {@code "name = value"} for a 1x1 real numeric variable, else its name, class and shape
     *     with {@code ", not a real numeric scalar"}
     */
    private static String stated(List<Variable> vars, String name) {
        for (Variable v : vars) {
            if (v.name.equals(name)) {
                if (v.elements() == 1 && v.real != null && v.mxClass >= 6 && v.mxClass <= 15) {
                    return name + " = " + number(v.real, v.dataType);
                }
                return v.describe() + ", not a real numeric scalar";
            }
        }
        return name + " = nothing";
    }

    /** @return the value of the first 1x1 numeric variable with one of the names, or -1 */
    private static int scalar(List<Variable> vars, String... names) {
        for (String n : names) {
            for (Variable v : vars) {
                if (v.name.equals(n) && v.elements() == 1 && v.real != null && v.mxClass >= 6 && v.mxClass <= 15) {
                    double d = number(v.real, v.dataType);
                    if (d >= 1 && d <= Integer.MAX_VALUE && d == Math.rint(d)) {
                        return (int) d;
                    }
                }
            }
        }
        return -1;
    }

    private static double number(ByteBuffer b, int type) {
        ByteBuffer x = b.duplicate().order(b.order());
        switch (type) {
            case MI_INT8: return x.get(0);
            case MI_UINT8: return x.get(0) & 0xFF;
            case MI_INT16: return x.getShort(0);
            case MI_UINT16: return x.getShort(0) & 0xFFFF;
            case MI_INT32: return x.getInt(0);
            case MI_UINT32: return x.getInt(0) & 0xFFFFFFFFL;
            case MI_SINGLE: return x.getFloat(0);
            case MI_DOUBLE: return x.getDouble(0);
            case MI_INT64: return x.getLong(0);
            case MI_UINT64: return x.getLong(0);
            default: return Double.NaN;
        }
    }

    /**
     * Reads the element at pos, adding matrices to vars.
     *
     * @return the position after the element
     */
    private static int element(Path path, ByteBuffer b, int pos, int end, List<Variable> vars)
            throws ClipException {
        if (pos + 8 > end) {
            throw new ClipException(path, "truncated MAT-file: element tag at byte " + pos + " is incomplete");
        }
        int word = b.getInt(pos);
        if (word >>> 16 != 0) {
            return pos + 8; // a small element at top level holds no matrix
        }
        int type = word;
        long n = b.getInt(pos + 4) & 0xFFFFFFFFL;
        long start = pos + 8L;
        if (start + n > end) {
            throw new ClipException(path, "truncated MAT-file: element of type " + type + " at byte " + pos
                    + " declares " + n + " bytes, only " + (end - start) + " remain");
        }
        if (type == MI_COMPRESSED) {
            byte[] inner = inflate(path, b, (int) start, (int) n);
            ByteBuffer ib = ByteBuffer.wrap(inner).order(b.order());
            int p = 0;
            while (p < inner.length) {
                p = element(path, ib, p, inner.length, vars);
            }
            return (int) (start + n);
        }
        if (type == MI_MATRIX) {
            matrix(path, b, (int) start, (int) (start + n), vars);
        }
        long next = start + ((n + 7) & ~7L);
        return (int) Math.min(next, end);
    }

    private static byte[] inflate(Path path, ByteBuffer b, int start, int n) throws ClipException {
        Inflater inf = new Inflater();
        try {
            byte[] in = new byte[n];
            b.duplicate().position(start).get(in);
            inf.setInput(in);
            byte[] out = new byte[Math.max(64, Math.min(4 * n + 64, 1 << 26))];
            int len = 0;
            while (!inf.finished()) {
                if (len == out.length) {
                    if (out.length >= MAX_INFLATED) {
                        throw new ClipException(path, "compressed element at byte " + (start - 8) + " is too large");
                    }
                    String heap = org.bilevel4j.apps.io.MemoryBudget.shortfall(3L * Math.min(2L * out.length,
                            MAX_INFLATED), "the compressed element at byte " + (start - 8) + " (inflated beyond "
                            + out.length + " bytes)");
                    if (heap != null) {
                        throw new ClipException(path, heap);
                    }
                    out = java.util.Arrays.copyOf(out, (int) Math.min(2L * out.length, MAX_INFLATED));
                }
                int k = inf.inflate(out, len, out.length - len);
                if (k == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    throw new ClipException(path, "truncated MAT-file: compressed element at byte " + (start - 8)
                            + " ends early");
                }
                len += k;
            }
            return java.util.Arrays.copyOf(out, len);
        } catch (DataFormatException e) {
            throw new ClipException(path, "corrupt compressed element at byte " + (start - 8) + ": " + e.getMessage());
        } finally {
            inf.end();
        }
    }

    /** A sub-element: its type and data. */
    private record Sub(int type, int start, int length, int next) {
    }

    private static Sub sub(Path path, ByteBuffer b, int pos, int end) throws ClipException {
        if (pos + 8 > end) {
            throw new ClipException(path, "truncated MAT-file: matrix sub-element at byte " + pos + " is incomplete");
        }
        int word = b.getInt(pos);
        int small = word >>> 16;
        if (small != 0) {
            return new Sub(word & 0xFFFF, pos + 4, small, pos + 8);
        }
        long n = b.getInt(pos + 4) & 0xFFFFFFFFL;
        if (pos + 8L + n > end) {
            throw new ClipException(path, "truncated MAT-file: matrix sub-element at byte " + pos + " declares " + n
                    + " bytes, only " + (end - pos - 8) + " remain");
        }
        return new Sub(word, pos + 8, (int) n, (int) Math.min(pos + 8L + ((n + 7) & ~7L), end));
    }

    private static void matrix(Path path, ByteBuffer b, int start, int end, List<Variable> vars) throws ClipException {
        if (end - start < 16) {
            return;
        }
        Sub flags = sub(path, b, start, end);
        int mxClass = b.getInt(flags.start) & 0xFF;
        Sub dimsEl = sub(path, b, flags.next, end);
        int nd = dimsEl.length / 4;
        int[] dims = new int[nd];
        for (int i = 0; i < nd; i++) {
            dims[i] = b.getInt(dimsEl.start + 4 * i);
            if (dims[i] < 0) {
                throw new ClipException(path, "corrupt MAT-file: negative dimension " + dims[i]);
            }
        }
        Sub nameEl = sub(path, b, dimsEl.next, end);
        byte[] nm = new byte[nameEl.length];
        b.duplicate().position(nameEl.start).get(nm);
        String name = new String(nm, StandardCharsets.US_ASCII);
        if (mxClass < 6 || mxClass > 15) {
            vars.add(new Variable(name, mxClass, dims, 0, null));
            return;
        }
        Sub real = sub(path, b, nameEl.next, end);
        ByteBuffer rb = b.duplicate().position(real.start).limit(real.start + real.length).slice().order(b.order());
        vars.add(new Variable(name, mxClass, dims, real.type, rb));
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
    public void read(int t, double[] out) {
        long base = (long) t * height * width;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                // column-major: (y, x) of frame t at y + H x (2-D pixels x frames and 3-D H x W x T alike)
                out[y * width + x] = (data.get((int) (base + y + (long) height * x)) & 0xFF) / 255.0;
            }
        }
    }

    @Override
    public String toString() {
        return "MAT " + path + (threeD ? " (H x W x T)" : " (pixels x frames)");
    }
}
