package org.bilevel4j.apps.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ejml.data.DMatrixRMaj;

/** NumPy {@code .npy} files; see {@link MatrixIO} for what is supported. */
final class NpyFormat {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("['\"]descr['\"]\\s*:\\s*['\"]([^'\"]*)['\"]");
    private static final Pattern FORTRAN = Pattern.compile("['\"]fortran_order['\"]\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("['\"]shape['\"]\\s*:\\s*\\(([^)]*)\\)");
    private static final int CHUNK = 1 << 16;

    private NpyFormat() {
    }

    /** An element type: kind f, i, u or b, a size in bytes and a byte order. */
    private record Dtype(char kind, int size, ByteOrder order) {
    }

    /**
     * @param length the file's length in bytes, or -1 if unknown (a stream): a header that claims
     *     more data than the file holds is refused before anything is allocated
     */
    static DMatrixRMaj read(Path file, InputStream in, long length) throws IOException {
        byte[] pre = in.readNBytes(8);
        for (int i = 0; i < Math.min(pre.length, MAGIC.length); i++) {
            if (pre[i] != MAGIC[i]) {
                throw new MatrixIOException(file, "bad header: not a NumPy .npy file (no \\x93NUMPY magic string)");
            }
        }
        if (pre.length < 8) {
            throw new MatrixIOException(file, "truncated: " + pre.length + " bytes, too short for a .npy header");
        }
        int major = pre[6] & 0xff;
        int minor = pre[7] & 0xff;
        long headerLen;
        if (major == 1) {
            byte[] b = in.readNBytes(2);
            if (b.length < 2) {
                throw new MatrixIOException(file, "truncated: the .npy header length is missing");
            }
            headerLen = (b[0] & 0xff) | (b[1] & 0xff) << 8;
        } else if (major == 2 || major == 3) {
            byte[] b = in.readNBytes(4);
            if (b.length < 4) {
                throw new MatrixIOException(file, "truncated: the .npy header length is missing");
            }
            headerLen = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
        } else {
            throw new MatrixIOException(file, "bad header: .npy format version " + major + "." + minor
                    + " is not supported (1.0 to 3.0)");
        }
        long prefix = major == 1 ? 10 : 12;
        if (headerLen > 1 << 24) {
            throw new MatrixIOException(file, "bad header: the header claims " + headerLen + " bytes");
        }
        if (length >= 0 && prefix + headerLen > length) {
            throw new MatrixIOException(file, "truncated: the header needs " + headerLen + " bytes, found "
                    + Math.max(0, length - prefix));
        }
        byte[] hb = in.readNBytes((int) headerLen);
        if (hb.length < headerLen) {
            throw new MatrixIOException(file, "truncated: the header needs " + headerLen + " bytes, found "
                    + hb.length);
        }
        String header = new String(hb, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        if (!d.find()) {
            throw new MatrixIOException(file, "bad header: no 'descr' string (structured dtypes are not supported)");
        }
        Dtype dtype = dtype(file, d.group(1));
        Matcher f = FORTRAN.matcher(header);
        if (!f.find()) {
            throw new MatrixIOException(file, "bad header: no 'fortran_order' entry");
        }
        boolean fortran = f.group(1).equals("True");
        Matcher s = SHAPE.matcher(header);
        if (!s.find()) {
            throw new MatrixIOException(file, "bad header: no 'shape' tuple");
        }
        long[] shape = shape(file, s.group(1));
        long rows;
        long cols;
        if (shape.length == 1) {
            rows = shape[0];
            cols = 1;
        } else if (shape.length == 2) {
            rows = shape[0];
            cols = shape[1];
        } else {
            throw new MatrixIOException(file, "a " + shape.length + "-D array of shape (" + s.group(1).strip()
                    + "): only 1-D and 2-D arrays are supported");
        }
        int count = MatrixIO.elementCount(file, rows, cols);
        long dataBytes = (long) count * dtype.size();
        if (length >= 0 && dataBytes > length - prefix - headerLen) {
            throw new MatrixIOException(file, "truncated: the header promises " + dataBytes + " bytes of data, found "
                    + (length - prefix - headerLen) + " (a " + rows + "x" + cols + " array of " + dtype.size()
                    + "-byte values)");
        }
        boolean transpose = fortran && cols > 1 && rows > 1;
        MatrixIO.requireMemory(file, 8L * count * (transpose ? 2 : 1), "the " + rows + "x" + cols + " matrix");
        DMatrixRMaj a = new DMatrixRMaj((int) rows, (int) cols);
        double[] flat = transpose ? new double[count] : a.data;
        readData(file, in, dtype, flat, count);
        if (flat != a.data) {
            int m = a.numRows;
            int n = a.numCols;
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < m; i++) {
                    a.data[i * n + j] = flat[j * m + i];
                }
            }
        }
        for (int i = 0; i < count; i++) {
            if (!Double.isFinite(a.data[i])) {
                throw new MatrixIOException(file, MatrixIO.nonFinite(a.data[i], i / a.numCols, i % a.numCols));
            }
        }
        return a;
    }

    private static void readData(Path file, InputStream in, Dtype t, double[] out, int count) throws IOException {
        long needed = (long) count * t.size();
        byte[] buf = new byte[CHUNK - CHUNK % 8];
        ByteBuffer bb = ByteBuffer.wrap(buf).order(t.order());
        int done = 0;
        long readBytes = 0;
        while (done < count) {
            int want = (int) Math.min(buf.length, (long) (count - done) * t.size());
            int got = in.readNBytes(buf, 0, want);
            readBytes += got;
            if (got < want) {
                throw new MatrixIOException(file, "truncated: the header promises " + needed + " bytes of data, found "
                        + readBytes);
            }
            int k = got / t.size();
            bb.clear();
            for (int i = 0; i < k; i++) {
                out[done + i] = switch (t.kind()) {
                    case 'f' -> t.size() == 8 ? bb.getDouble() : bb.getFloat();
                    case 'i' -> switch (t.size()) {
                        case 1 -> bb.get();
                        case 2 -> bb.getShort();
                        case 4 -> bb.getInt();
                        default -> (double) bb.getLong();
                    };
                    case 'u' -> switch (t.size()) {
                        case 1 -> bb.get() & 0xff;
                        case 2 -> bb.getShort() & 0xffff;
                        case 4 -> bb.getInt() & 0xffffffffL;
                        default -> unsignedLong(bb.getLong());
                    };
                    default -> bb.get() != 0 ? 1.0 : 0.0; // 'b'
                };
            }
            done += k;
        }
        long extra = 0;
        byte[] rest = new byte[4096];
        int g;
        while ((g = in.read(rest)) > 0) {
            extra += g;
        }
        if (extra > 0) {
            throw new MatrixIOException(file, "bad data: " + extra + " bytes after the " + needed
                    + " that the header promises");
        }
    }

    private static double unsignedLong(long v) {
        double d = (double) (v >>> 1) * 2.0;
        return d + (v & 1L);
    }

    private static Dtype dtype(Path file, String descr) throws MatrixIOException {
        String unsupported = "dtype '" + descr + "' is not supported (use float64, float32, an integer type or bool)";
        if (descr.length() < 2) {
            throw new MatrixIOException(file, unsupported);
        }
        char bo = descr.charAt(0);
        String rest = descr.substring(1);
        if (bo != '<' && bo != '>' && bo != '|' && bo != '=') {
            bo = '=';
            rest = descr;
        }
        if (rest.length() < 2) {
            throw new MatrixIOException(file, unsupported);
        }
        char kind = rest.charAt(0);
        int size;
        try {
            size = Integer.parseInt(rest.substring(1));
        } catch (NumberFormatException e) {
            throw new MatrixIOException(file, unsupported);
        }
        boolean ok = switch (kind) {
            case 'f' -> size == 4 || size == 8;
            case 'i', 'u' -> size == 1 || size == 2 || size == 4 || size == 8;
            case 'b' -> size == 1;
            default -> false;
        };
        if (!ok) {
            throw new MatrixIOException(file, unsupported);
        }
        if (bo == '|' && size != 1) {
            throw new MatrixIOException(file, "bad header: dtype '" + descr + "' has no byte order");
        }
        ByteOrder order = switch (bo) {
            case '<' -> ByteOrder.LITTLE_ENDIAN;
            case '>' -> ByteOrder.BIG_ENDIAN;
            default -> ByteOrder.nativeOrder();
        };
        return new Dtype(kind, size, order);
    }

    private static long[] shape(Path file, String tuple) throws MatrixIOException {
        List<Long> dims = new ArrayList<>();
        for (String part : tuple.split(",")) {
            String p = part.strip();
            if (p.endsWith("L")) {
                p = p.substring(0, p.length() - 1);
            }
            if (p.isEmpty()) {
                continue;
            }
            try {
                long v = Long.parseLong(p);
                if (v < 0) {
                    throw new NumberFormatException();
                }
                dims.add(v);
            } catch (NumberFormatException e) {
                throw new MatrixIOException(file, "bad header: shape (" + tuple.strip() + ") is not a tuple of sizes");
            }
        }
        if (dims.isEmpty()) {
            throw new MatrixIOException(file, "a 0-D array (a scalar): only 1-D and 2-D arrays are supported");
        }
        return dims.stream().mapToLong(Long::longValue).toArray();
    }

    static void write(DMatrixRMaj a, OutputStream out) throws IOException {
        String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + a.numRows + ", " + a.numCols + "), }";
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        out.write(MAGIC);
        out.write(1);
        out.write(0);
        out.write(header.length() & 0xff);
        out.write(header.length() >>> 8 & 0xff);
        out.write(header.getBytes(StandardCharsets.ISO_8859_1));
        byte[] buf = new byte[CHUNK];
        ByteBuffer bb = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
        int n = a.getNumElements();
        int per = CHUNK / 8;
        for (int start = 0; start < n; start += per) {
            int k = Math.min(per, n - start);
            bb.clear();
            bb.asDoubleBuffer().put(a.data, start, k);
            out.write(buf, 0, k * 8);
        }
    }
}
