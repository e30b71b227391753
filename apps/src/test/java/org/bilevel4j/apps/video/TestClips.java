package org.bilevel4j.apps.video;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Deflater;

/** Writers of small clip files in each supported format, from the format specifications. */
final class TestClips {

    private TestClips() {
    }

    /** frames[t][y * w + x] = value(t, y, x) = (7 t + 3 y + x) mod 256 */
    static byte[][] pattern(int t, int h, int w) {
        byte[][] f = new byte[t][h * w];
        for (int k = 0; k < t; k++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    f[k][y * w + x] = (byte) ((37 * k + 13 * y + 5 * x) % 256);
                }
            }
        }
        return f;
    }

    static void writeNpy(Path file, byte[][] frames, int h, int w) throws IOException {
        String dict = "{'descr': '|u1', 'fortran_order': False, 'shape': (" + frames.length + ", " + h + ", " + w
                + "), }";
        StringBuilder header = new StringBuilder(dict);
        while ((10 + header.length() + 1) % 64 != 0) {
            header.append(' ');
        }
        header.append('\n');
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x93);
        out.write("NUMPY".getBytes(StandardCharsets.US_ASCII));
        out.write(1);
        out.write(0);
        out.write(header.length() & 0xFF);
        out.write(header.length() >> 8);
        out.write(header.toString().getBytes(StandardCharsets.US_ASCII));
        for (byte[] f : frames) {
            out.write(f);
        }
        Files.write(file, out.toByteArray());
    }

    /** An uncompressed 24-bit bottom-up AVI with gray pixels (R = G = B), or a fake XVID one. */
    static void writeAvi(Path file, byte[][] frames, int h, int w, String compression) throws IOException {
        int stride = (w * 3 + 3) & ~3;
        ByteArrayOutputStream movi = new ByteArrayOutputStream();
        movi.write(ascii("movi"));
        for (byte[] f : frames) {
            byte[] data = new byte[stride * h];
            for (int y = 0; y < h; y++) {
                int row = h - 1 - y;
                for (int x = 0; x < w; x++) {
                    byte v = f[y * w + x];
                    data[row * stride + 3 * x] = v;
                    data[row * stride + 3 * x + 1] = v;
                    data[row * stride + 3 * x + 2] = v;
                }
            }
            movi.write(chunk("00db", data));
        }
        ByteBuffer avih = le(56);
        avih.putInt(0, 66666);
        avih.putInt(16, frames.length);
        avih.putInt(24, 1);
        avih.putInt(32, w);
        avih.putInt(36, h);
        ByteBuffer strh = le(56);
        strh.put(0, ascii("vids"));
        strh.put(4, ascii(compression == null ? "DIB " : compression));
        ByteBuffer strf = le(40);
        strf.putInt(0, 40);
        strf.putInt(4, w);
        strf.putInt(8, h);
        strf.putShort(12, (short) 1);
        strf.putShort(14, (short) 24);
        if (compression == null) {
            strf.putInt(16, 0);
        } else {
            strf.put(16, ascii(compression));
        }
        byte[] strl = concat(ascii("strl"), chunk("strh", strh.array()), chunk("strf", strf.array()));
        byte[] hdrl = concat(ascii("hdrl"), chunk("avih", avih.array()), chunk("LIST", strl));
        byte[] body = concat(ascii("AVI "), chunk("LIST", hdrl), chunk("LIST", movi.toByteArray()));
        Files.write(file, chunk("RIFF", body));
    }

    /** A level-5 MAT-file with scalars m, n (double) and X (uint8, pixels x frames, column-major). */
    static void writeMat(Path file, byte[][] frames, int h, int w, boolean compress) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] text = new byte[116];
        java.util.Arrays.fill(text, (byte) ' ');
        byte[] t = "MATLAB 5.0 MAT-file, written by a bilevel4j test".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(t, 0, text, 0, t.length);
        out.write(text);
        out.write(new byte[8]);
        out.write(new byte[] {0, 1, 'I', 'M'});
        int p = h * w;
        byte[] x = new byte[p * frames.length];
        for (int k = 0; k < frames.length; k++) {
            for (int y = 0; y < h; y++) {
                for (int c = 0; c < w; c++) {
                    x[k * p + y + h * c] = frames[k][y * w + c];
                }
            }
        }
        for (byte[] el : new byte[][] {doubleScalar("m", h), doubleScalar("n", w),
            matrix("X", 9, new int[] {p, frames.length}, 2, x)}) {
            if (compress) {
                Deflater d = new Deflater();
                d.setInput(el);
                d.finish();
                byte[] buf = new byte[el.length + 1024];
                int n = d.deflate(buf);
                d.end();
                out.write(tag(15, n));
                out.write(buf, 0, n);
            } else {
                out.write(el);
            }
        }
        Files.write(file, out.toByteArray());
    }

    private static byte[] doubleScalar(String name, double v) {
        ByteBuffer b = le(8);
        b.putDouble(0, v);
        return matrix(name, 6, new int[] {1, 1}, 9, b.array());
    }

    /** A miMATRIX element: flags, dims, name, real part (type dataType). */
    static byte[] matrix(String name, int mxClass, int[] dims, int dataType, byte[] real) {
        ByteBuffer flags = le(8);
        flags.putInt(0, mxClass);
        ByteBuffer d = le(4 * dims.length);
        for (int i = 0; i < dims.length; i++) {
            d.putInt(4 * i, dims[i]);
        }
        byte[] body = concat(element(6, flags.array()), element(5, d.array()),
                element(1, name.getBytes(StandardCharsets.US_ASCII)), element(dataType, real));
        return concat(tag(14, body.length), body);
    }

    private static byte[] element(int type, byte[] data) {
        int padded = (data.length + 7) & ~7;
        byte[] out = new byte[8 + padded];
        System.arraycopy(tag(type, data.length), 0, out, 0, 8);
        System.arraycopy(data, 0, out, 8, data.length);
        return out;
    }

    private static byte[] tag(int type, int n) {
        ByteBuffer b = le(8);
        b.putInt(0, type);
        b.putInt(4, n);
        return b.array();
    }

    static byte[] chunk(String id, byte[] data) {
        byte[] out = new byte[8 + data.length + (data.length & 1)];
        System.arraycopy(ascii(id), 0, out, 0, 4);
        ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putInt(4, data.length);
        System.arraycopy(data, 0, out, 8, data.length);
        return out;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }

    /** The first n bytes of a file into another. */
    static Path truncated(Path file, Path to, int n) throws IOException {
        byte[] b = Files.readAllBytes(file);
        Files.write(to, java.util.Arrays.copyOf(b, n));
        return to;
    }
}
