package org.bilevel4j.apps.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MAT-file reader against files built here byte by byte from the level-5 format (MathWorks,
 * "MAT-File Format"): both byte orders, 3-D arrays, frame-size scalars stored in every numeric data
 * type, small and empty elements, compressed elements that inflate far beyond their size, and every
 * refusal with the numbers its message names.
 */
class MatFramesTest {

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
    private static final int MI_UTF8 = 16;
    private static final int MX_CHAR = 4;
    private static final int MX_DOUBLE = 6;
    private static final int MX_UINT8 = 9;
    private static final int MX_UINT64 = 15;

    @TempDir
    Path dir;

    private int files;

    /** Elements of one byte order. */
    private record Mat(ByteOrder order) {

        ByteBuffer buf(int n) {
            return ByteBuffer.allocate(n).order(order);
        }

        byte[] header() {
            byte[] h = new byte[128];
            Arrays.fill(h, 0, 116, (byte) ' ');
            byte[] t = "MATLAB 5.0 MAT-file, bilevel4j test".getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(t, 0, h, 0, t.length);
            ByteBuffer b = buf(128);
            b.put(h);
            b.putShort(124, (short) 0x0100);
            b.putShort(126, (short) (('M' << 8) | 'I')); // 'I', 'M' little-endian; 'M', 'I' big-endian
            return b.array();
        }

        byte[] tag(int type, int n) {
            return buf(8).putInt(0, type).putInt(4, n).array();
        }

        /** An element: its tag and its data padded to 8 bytes. */
        byte[] element(int type, byte[] data) {
            byte[] out = new byte[8 + ((data.length + 7) & ~7)];
            System.arraycopy(tag(type, data.length), 0, out, 0, 8);
            System.arraycopy(data, 0, out, 8, data.length);
            return out;
        }

        /** A small element: the count in the upper 16 bits of the type word, up to 4 data bytes. */
        byte[] small(int type, byte[] data) {
            ByteBuffer b = buf(8).putInt(0, (data.length << 16) | type);
            for (int i = 0; i < data.length; i++) {
                b.put(4 + i, data[i]);
            }
            return b.array();
        }

        byte[] matrix(String name, int mxClass, int[] dims, int dataType, byte[] real) {
            ByteBuffer d = buf(4 * dims.length);
            for (int i = 0; i < dims.length; i++) {
                d.putInt(4 * i, dims[i]);
            }
            byte[] body = TestClips.concat(element(6, buf(8).putInt(0, mxClass).array()), element(5, d.array()),
                    element(1, name.getBytes(StandardCharsets.US_ASCII)), element(dataType, real));
            return TestClips.concat(tag(14, body.length), body);
        }

        /** One number in a MAT data type. */
        byte[] number(int type, double v) {
            return switch (type) {
                case MI_INT8, MI_UINT8 -> new byte[] {(byte) (long) v};
                case MI_INT16, MI_UINT16 -> buf(2).putShort(0, (short) (long) v).array();
                case MI_INT32, MI_UINT32 -> buf(4).putInt(0, (int) (long) v).array();
                case MI_SINGLE -> buf(4).putFloat(0, (float) v).array();
                case MI_DOUBLE -> buf(8).putDouble(0, v).array();
                case MI_INT64, MI_UINT64 -> buf(8).putLong(0, (long) v).array();
                default -> buf(8).putDouble(0, v).array();
            };
        }

        byte[] scalar(String name, int mxClass, int type, double v) {
            return matrix(name, mxClass, new int[] {1, 1}, type, number(type, v));
        }

        byte[] scalar(String name, double v) {
            return scalar(name, MX_DOUBLE, MI_DOUBLE, v);
        }

        byte[] compressed(byte[] element) {
            Deflater d = new Deflater();
            d.setInput(element);
            d.finish();
            byte[] out = new byte[element.length + 1024];
            int n = d.deflate(out);
            d.end();
            return TestClips.concat(tag(15, n), Arrays.copyOf(out, n));
        }
    }

    private static final Mat LE = new Mat(ByteOrder.LITTLE_ENDIAN);
    private static final Mat BE = new Mat(ByteOrder.BIG_ENDIAN);

    /** uint8 value of pixel (y, x) of frame t */
    private static int value(int t, int y, int x) {
        return (41 * t + 17 * y + 5 * x + 3) % 256;
    }

    /** A pixels x frames uint8 matrix X of h x w frames, column-major: pixel (y, x) at row y + h x. */
    private static byte[] clip2d(Mat mat, String name, int h, int w, int frames) {
        byte[] x = new byte[h * w * frames];
        for (int t = 0; t < frames; t++) {
            for (int y = 0; y < h; y++) {
                for (int c = 0; c < w; c++) {
                    x[t * h * w + y + h * c] = (byte) value(t, y, c);
                }
            }
        }
        return mat.matrix(name, MX_UINT8, new int[] {h * w, frames}, MI_UINT8, x);
    }

    private Path file(Mat mat, byte[]... elements) throws IOException {
        Path f = dir.resolve("m" + files++ + ".mat");
        Files.write(f, TestClips.concat(mat.header(), TestClips.concat(elements)));
        return f;
    }

    private static void assertClip(Clip c, int h, int w, int frames) {
        assertThat(c.height()).isEqualTo(h);
        assertThat(c.width()).isEqualTo(w);
        assertThat(c.frames()).isEqualTo(frames);
        for (int t = 0; t < frames; t++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    assertThat(c.data().get(y * w + x, t) * 255).as("t=%d y=%d x=%d", t, y, x)
                            .isCloseTo(value(t, y, x), within(1e-9));
                }
            }
        }
    }

    @Test
    void threeDimensionalArraysInEitherByteOrder() throws IOException {
        for (Mat mat : new Mat[] {LE, BE}) {
            int h = 3;
            int w = 4;
            int frames = 2;
            byte[] x = new byte[h * w * frames];
            for (int t = 0; t < frames; t++) {
                for (int y = 0; y < h; y++) {
                    for (int c = 0; c < w; c++) {
                        x[y + h * c + h * w * t] = (byte) value(t, y, c);
                    }
                }
            }
            Path f = file(mat, mat.matrix("V", MX_UINT8, new int[] {h, w, frames}, MI_UINT8, x));
            assertClip(ClipReader.read(f), h, w, frames);
            assertThat(MatFrames.open(f).toString()).isEqualTo("MAT " + f + " (H x W x T)");
        }
        Path f = file(BE, BE.scalar("m", 3), BE.scalar("n", 4), clip2d(BE, "X", 3, 4, 2));
        assertClip(ClipReader.read(f), 3, 4, 2);
        assertThat(MatFrames.open(f).toString()).isEqualTo("MAT " + f + " (pixels x frames)");
    }

    @Test
    void frameSizeScalarsMayBeStoredInAnyNumericType() throws IOException {
        int[] types = {MI_INT8, MI_UINT8, MI_INT16, MI_UINT16, MI_INT32, MI_UINT32, MI_SINGLE, MI_DOUBLE, MI_INT64,
            MI_UINT64};
        String[][] names = {{"m", "n"}, {"height", "width"}, {"rows", "cols"}, {"h", "w"}};
        for (int i = 0; i < types.length; i++) {
            for (Mat mat : new Mat[] {LE, BE}) {
                String[] nm = names[i % names.length];
                int mxClass = i % 2 == 0 ? MX_DOUBLE : MX_UINT64;
                Path f = file(mat, mat.scalar(nm[0], mxClass, types[i], 3), mat.scalar(nm[1], mxClass, types[i], 4),
                        clip2d(mat, "X", 3, 4, 2));
                assertClip(ClipReader.read(f), 3, 4, 2);
            }
        }
        // a height of 1
        assertClip(ClipReader.read(file(LE, LE.scalar("m", 1), LE.scalar("n", 12), clip2d(LE, "X", 1, 12, 2))), 1,
                12, 2);
    }

    @Test
    void squareFramesOnlyWithoutSizeScalars() throws IOException {
        assertClip(ClipReader.read(file(LE, clip2d(LE, "X", 4, 4, 3))), 4, 4, 3);
        Path f = file(LE, clip2d(LE, "X", 3, 4, 2));
        assertThatThrownBy(() -> ClipReader.read(f)).hasMessage(f + ": cannot tell the frame size of X (class 9, 12x2):"
                + " store scalars m (height) and n (width) with m*n = 12 beside it");
    }

    private void assertRefused(Path f, String problem) {
        assertThatThrownBy(() -> ClipReader.read(f)).isInstanceOf(ClipException.class).hasMessage(f + ": " + problem);
    }

    @Test
    void statedFrameSizesMustBeWholeAndMatch() throws IOException {
        byte[] x = clip2d(LE, "X", 3, 4, 2);
        String intro = "the frame size of X (class 9, 12x2) is not stated as two positive integer scalars: found ";
        assertRefused(file(LE, LE.scalar("m", 2.5), LE.scalar("n", 4), x), intro + "m = 2.5 and n = 4.0");
        assertRefused(file(LE, LE.scalar("n", 4), x), intro + "no height (m) and n = 4.0");
        assertRefused(file(LE, LE.scalar("height", 3), x), intro + "height = 3.0 and no width (n)");
        assertRefused(file(LE, LE.scalar("m", MX_DOUBLE, MI_INT8, -3), LE.scalar("n", 4), x),
                intro + "m = -3.0 and n = 4.0");
        assertRefused(file(LE, LE.scalar("m", MX_UINT64, MI_UINT64, 0), LE.scalar("n", 4), x),
                intro + "m = 0.0 and n = 4.0");
        assertRefused(file(LE, LE.scalar("m", MX_DOUBLE, MI_UTF8, 3), LE.scalar("n", 4), x),
                intro + "m = NaN and n = 4.0");
        assertRefused(file(LE, LE.matrix("m", MX_CHAR, new int[] {1, 1}, MI_UINT16, new byte[] {'3', 0}),
                LE.scalar("n", 4), x), intro + "m (class 4, 1x1), not a real numeric scalar and n = 4.0");
        assertRefused(file(LE, LE.matrix("m", MX_DOUBLE, new int[] {1, 2}, MI_DOUBLE, new byte[16]),
                LE.scalar("n", 4), x), intro + "m (class 6, 1x2), not a real numeric scalar and n = 4.0");
        assertRefused(file(LE, LE.scalar("m", 2), LE.scalar("n", 5), x),
                "m = 2 and n = 5 give 10 pixels per frame, but X has 12 rows (pixels per frame)");
        assertRefused(file(LE, LE.scalar("rows", MX_DOUBLE, MI_INT32, Integer.MAX_VALUE), LE.scalar("cols", 1), x),
                "rows = 2147483647 and cols = 1 give 2147483647 pixels per frame, but X has 12 rows (pixels per frame)");
        // the first name present decides: m before height
        assertRefused(file(LE, LE.scalar("height", 3), LE.scalar("m", 5), LE.scalar("w", 4), x),
                "m = 5 and w = 4 give 20 pixels per frame, but X has 12 rows (pixels per frame)");
    }

    @Test
    void theLargestUint8ArrayIsTheClip() throws IOException {
        byte[] small = LE.matrix("A", MX_UINT8, new int[] {2, 2}, MI_UINT8, new byte[] {9, 9, 9, 9});
        byte[] sameSize = LE.matrix("B", MX_UINT8, new int[] {12, 2}, MI_UINT8, new byte[24]);
        byte[] fourD = LE.matrix("Q", MX_UINT8, new int[] {4, 4, 4, 4}, MI_UINT8, new byte[256]);
        byte[] doubles = LE.matrix("D", MX_DOUBLE, new int[] {30, 30}, MI_DOUBLE, new byte[7200]);
        Path f = file(LE, small, fourD, doubles, LE.scalar("m", 3), clip2d(LE, "X", 3, 4, 2), sameSize,
                LE.scalar("n", 4));
        assertClip(ClipReader.read(f), 3, 4, 2);
    }

    @Test
    void smallEmptyAndZeroSizedElementsAreSkipped() throws IOException {
        byte[] emptyMatrix = LE.tag(14, 0);
        byte[] emptyArray = LE.matrix("E", MX_DOUBLE, new int[] {0, 0}, MI_DOUBLE, new byte[0]);
        byte[] smallTop = LE.small(MI_INT32, new byte[] {1, 2, 3, 4});
        byte[] cell = LE.matrix("C", 1, new int[] {1, 1}, MI_DOUBLE, new byte[8]);
        byte[] trailingEmpty = LE.tag(MI_INT8, 0);
        Path f = file(LE, smallTop, emptyMatrix, emptyArray, cell, LE.scalar("m", 3), LE.scalar("n", 4),
                clip2d(LE, "X", 3, 4, 2), trailingEmpty);
        assertClip(ClipReader.read(f), 3, 4, 2);
        // the name and the flags as small sub-elements
        byte[] body = TestClips.concat(LE.small(6, new byte[] {MX_DOUBLE, 0, 0, 0}),
                LE.element(5, LE.buf(8).putInt(0, 1).putInt(4, 1).array()), LE.small(1, new byte[] {'m'}),
                LE.element(MI_DOUBLE, LE.number(MI_DOUBLE, 3)));
        Path g = file(LE, TestClips.concat(LE.tag(14, body.length), body), LE.scalar("n", 4), clip2d(LE, "X", 3, 4, 2));
        assertClip(ClipReader.read(g), 3, 4, 2);
    }

    @Test
    void compressedElementsInflateBeyondTheirFirstBuffer() throws IOException {
        int h = 40;
        int w = 50;
        int frames = 30;
        byte[] x = new byte[h * w * frames];
        Arrays.fill(x, (byte) 7);
        x[5] = 1;
        x[x.length - 1] = (byte) 200;
        byte[] matrix = LE.matrix("X", MX_UINT8, new int[] {h * w, frames}, MI_UINT8, x);
        byte[] z = LE.compressed(matrix);
        assertThat(z.length * 4 + 64).isLessThan(matrix.length / 8); // three doublings at least
        Path f = file(LE, LE.compressed(LE.scalar("m", h)), LE.compressed(LE.scalar("n", w)), z);
        Clip c = ClipReader.read(f);
        assertThat(c.frames()).isEqualTo(frames);
        // byte 5 of frame 0 is pixel (y, x) = (5, 0), row 5 w of the clip
        assertThat(c.data().get(5 * w, 0)).isEqualTo(1 / 255.0);
        assertThat(c.data().get(h * w - 1, frames - 1)).isEqualTo(200 / 255.0);
        assertThat(c.data().get(0, 0)).isEqualTo(7 / 255.0);
        assertThat(c.data().get(1, 2)).isEqualTo(7 / 255.0);
    }

    @Test
    void compressedElementsThatEndEarlyOrAreCorruptAreRefused() throws IOException {
        byte[] matrix = clip2d(LE, "X", 4, 4, 2);
        // a zlib stream with a preset dictionary: the inflater stops asking for it
        Deflater d = new Deflater();
        d.setDictionary(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        d.setInput(matrix);
        d.finish();
        byte[] out = new byte[matrix.length + 1024];
        int n = d.deflate(out);
        d.end();
        assertRefused(file(LE, LE.tag(15, n), Arrays.copyOf(out, n)),
                "truncated MAT-file: compressed element at byte 128 ends early");
        byte[] z = LE.compressed(matrix);
        assertRefused(file(LE, LE.tag(15, z.length - 8 - 6), Arrays.copyOfRange(z, 8, z.length - 6)),
                "truncated MAT-file: compressed element at byte 128 ends early");
        byte[] junk = {0x78, (byte) 0x9C, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0, 0};
        Path f = file(LE, LE.tag(15, junk.length), junk);
        assertThatThrownBy(() -> ClipReader.read(f)).isInstanceOf(ClipException.class)
                .hasMessageStartingWith(f + ": corrupt compressed element at byte 128: ");
    }

    @Test
    void headersAndElementsThatDoNotFitAreRefusedWithTheirPositions() throws IOException {
        byte[] header = LE.header();
        Path short127 = dir.resolve("short.mat");
        Files.write(short127, Arrays.copyOf(header, 127));
        assertRefused(short127, "truncated MAT-file: 127 bytes, the header alone has 128");
        assertRefused(file(LE), "no uint8 matrix in the MAT-file (found: nothing)");
        Path noEndian = dir.resolve("e.mat");
        byte[] h2 = header.clone();
        h2[126] = 'X';
        Files.write(noEndian, h2);
        assertRefused(noEndian, "corrupt MAT-file header: no endian indicator");
        Path v73 = dir.resolve("v.mat");
        byte[] h3 = header.clone();
        h3[7] = '7';
        Files.write(v73, h3);
        assertRefused(v73, "not a MATLAB level-5 MAT-file (v7.3/HDF5 and v4 files are not read)");
        assertRefused(file(LE, LE.scalar("a", 1), LE.matrix("s", MX_CHAR, new int[] {1, 3}, MI_UINT16, new byte[6])),
                "no uint8 matrix in the MAT-file (found: a (class 6, 1x1), s (class 4, 1x3))");
        assertRefused(file(LE, LE.matrix("X", MX_UINT8, new int[] {12, 2}, MI_UINT16, new byte[48])),
                "the uint8 variable X is stored as data type 4; expected miUINT8");
        assertRefused(file(LE, LE.matrix("X", MX_UINT8, new int[] {12, 2}, MI_UINT8, new byte[20])),
                "truncated MAT-file: X has 20 of its 24 bytes");
        byte[] x = clip2d(LE, "X", 4, 4, 2);
        // x is 8 (tag) + 16 (flags) + 16 (dims) + 16 (name) + 8 + 32 (data) bytes long, so the 5 bytes after
        // it start at byte 128 + 96
        assertThat(x.length).isEqualTo(96);
        assertRefused(file(LE, x, new byte[5]), "truncated MAT-file: element tag at byte 224 is incomplete");
        assertRefused(file(LE, LE.tag(14, 1000), new byte[24]),
                "truncated MAT-file: element of type 14 at byte 128 declares 1000 bytes, only 24 remain");
        // a matrix of 16 bytes: its flags, and no room for the dimensions' tag
        byte[] flagsOnly = LE.element(6, new byte[8]);
        assertRefused(file(LE, LE.tag(14, 16), flagsOnly),
                "truncated MAT-file: matrix sub-element at byte 152 is incomplete");
        assertRefused(file(LE, LE.tag(14, 24), flagsOnly, LE.tag(5, 100)),
                "truncated MAT-file: matrix sub-element at byte 152 declares 100 bytes, only 0 remain");
        // a few bytes too many (less than the tag's 8)
        assertRefused(file(LE, LE.tag(14, 24), flagsOnly, LE.tag(5, 4)),
                "truncated MAT-file: matrix sub-element at byte 152 declares 4 bytes, only 0 remain");
        assertRefused(file(LE, LE.matrix("X", MX_UINT8, new int[] {4, -3}, MI_UINT8, new byte[8])),
                "corrupt MAT-file: negative dimension -3");
    }
}
