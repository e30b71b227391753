package org.bilevel4j.apps.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The frames .npy reader (NEP 1 versions 1 to 3, every header check with its numbers), the format
 * detection and options of {@link ClipReader}, {@link FrameRange} and {@link Clip}'s own helpers.
 */
class NpyFramesAndClipTest {

    @TempDir
    Path dir;

    private int files;

    /** A .npy file: magic, version, header length (2 bytes in version 1, else 4), the header, the data. */
    private static byte[] npy(int major, String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.US_ASCII);
        int start = major == 1 ? 10 : 12;
        ByteBuffer b = ByteBuffer.allocate(start + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) major).put((byte) 0);
        if (major == 1) {
            b.putShort((short) h.length);
        } else {
            b.putInt(h.length);
        }
        return b.put(h).put(data).array();
    }

    private static String dict(String descr, boolean fortran, String shape) {
        return "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': (" + shape
                + "), }\n";
    }

    /** byte (t, y, x) of a frames array */
    private static byte[] pixels(int t, int h, int w) {
        byte[] d = new byte[t * h * w];
        for (int i = 0; i < d.length; i++) {
            d[i] = (byte) (31 * i + 7);
        }
        return d;
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path f = dir.resolve(files++ + name);
        Files.write(f, bytes);
        return f;
    }

    private void assertRefused(byte[] bytes, String problem) throws IOException {
        Path f = write("a.npy", bytes);
        assertThatThrownBy(() -> ClipReader.read(f)).isInstanceOf(ClipException.class).hasMessage(f + ": " + problem);
    }

    private static void assertPixels(Clip c, byte[] d, int first) {
        int p = c.height() * c.width();
        for (int t = 0; t < c.frames(); t++) {
            for (int i = 0; i < p; i++) {
                assertThat(c.data().get(i, t)).isEqualTo((d[(first + t) * p + i] & 0xFF) / 255.0);
            }
        }
    }

    @Test
    void versionsOneToThreeAndPython2Shapes() throws IOException {
        byte[] d = pixels(3, 2, 4);
        for (int major = 1; major <= 3; major++) {
            for (String shape : new String[] {"3, 2, 4", "3L, 2L, 4L", " 3 ,2, 4,"}) {
                for (String descr : new String[] {"|u1", "u1", "<u1", ">u1"}) {
                    Clip c = ClipReader.read(write("c.npy", npy(major, dict(descr, false, shape), d)));
                    assertThat(c.frames()).isEqualTo(3);
                    assertThat(c.height()).isEqualTo(2);
                    assertThat(c.width()).isEqualTo(4);
                    assertPixels(c, d, 0);
                }
            }
        }
        // one 1 x 1 frame
        Clip one = ClipReader.read(write("c.npy", npy(1, dict("|u1", false, "1, 1, 1"), new byte[] {(byte) 200})));
        assertThat(one.data().data).containsExactly(200 / 255.0);
        // a range reads only its frames
        Clip part = ClipReader.read(write("c.npy", npy(2, dict("|u1", false, "3, 2, 4"), d)), FrameRange.parse("1:3"), 1);
        assertThat(part.frames()).isEqualTo(2);
        assertPixels(part, d, 1);
    }

    @Test
    void headersAreCheckedWithTheirNumbers() throws IOException {
        byte[] d = pixels(2, 3, 4);
        assertRefused(Arrays.copyOf(npy(1, "", new byte[0]), 9), "truncated .npy: 9 bytes, shorter than the header");
        assertRefused(npy(1, "", new byte[0]), "corrupt .npy header: ");
        assertRefused(Arrays.copyOf(npy(2, "", new byte[0]), 11), "truncated .npy header");
        assertRefused(npy(2, "", new byte[0]), "corrupt .npy header: ");
        byte[] v4 = npy(3, dict("|u1", false, "2, 3, 4"), d);
        v4[6] = 4;
        assertRefused(v4, "unsupported .npy version 4");
        byte[] longHeader = npy(1, dict("|u1", false, "2, 3, 4"), d);
        ByteBuffer.wrap(longHeader).order(ByteOrder.LITTLE_ENDIAN).putShort(8, (short) 500);
        assertRefused(longHeader, "truncated .npy: header of 500 bytes, file has " + longHeader.length);
        String h = dict("|u1", false, "2, 3, 4");
        assertRefused(npy(1, h, new byte[0]), "truncated .npy: shape (2, 3, 4) needs 24 data bytes, the file has 0");
        assertRefused(npy(1, h, new byte[20]), "truncated .npy: shape (2, 3, 4) needs 24 data bytes, the file has 20");
        assertRefused(npy(1, dict("|u1", true, "2, 3, 4"), d),
                "the .npy array is in Fortran order; expected C order (frames, height, width)");
        assertRefused(npy(1, dict("<u2", false, "2, 3, 4"), d), "the .npy array has dtype '<u2'; expected uint8 ('|u1') frames");
        assertRefused(npy(1, dict("|u1", false, "6, 4"), d),
                "the .npy array has shape (6, 4); expected 3 dimensions (frames, height, width)");
        assertRefused(npy(1, dict("|u1", false, "1, 2, 3, 4"), d),
                "the .npy array has shape (1, 2, 3, 4); expected 3 dimensions (frames, height, width)");
        assertRefused(npy(1, dict("|u1", false, "2, x, 4"), d), "corrupt .npy shape (2, x, 4)");
        assertRefused(npy(1, "{'descr': '|u1', 'shape': (2, 3, 4), }", d),
                "corrupt .npy header: {'descr': '|u1', 'shape': (2, 3, 4), }");
        for (String shape : new String[] {"0, 3, 4", "2, 0, 4", "2, 3, 0", "2147483648, 1, 1", "1, 65536, 65536",
            "1, 2147483648, 1"}) {
            assertRefused(npy(1, dict("|u1", false, shape), d), "the .npy array has an unusable shape (" + shape + ")");
        }
        assertRefused(npy(1, dict("|u1", false, "2147483647, 1, 1"), d),
                "truncated .npy: shape (2147483647, 1, 1) needs 2147483647 data bytes, the file has 24");
        assertRefused(npy(1, dict("|u1", false, "1, 2147483647, 1"), d),
                "truncated .npy: shape (1, 2147483647, 1) needs 2147483647 data bytes, the file has 24");
        assertRefused(npy(1, dict("|u1", false, "1, 46341, 46340"), d),
                "truncated .npy: shape (1, 46341, 46340) needs 2147441940 data bytes, the file has 24");
    }

    @Test
    void headersOfUpToOneMebibyte() throws IOException {
        byte[] d = pixels(1, 2, 2);
        String h = dict("|u1", false, "1, 2, 2");
        String padded = h.substring(0, h.length() - 1) + " ".repeat((1 << 20) - h.length()) + "\n";
        assertThat(padded).hasSize(1 << 20);
        assertPixels(ClipReader.read(write("big.npy", npy(2, padded, d))), d, 0);
        assertRefused(npy(2, padded + " ", d), "corrupt .npy: header length 1048577");
    }

    @Test
    void aFrameCutAfterOpeningIsAnError() throws IOException {
        byte[] d = pixels(3, 2, 4);
        Path f = write("c.npy", npy(1, dict("|u1", false, "3, 2, 4"), d));
        NpyFrames src = NpyFrames.open(f);
        byte[] all = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(all, all.length - 5));
        double[] out = new double[8];
        src.read(1, out);
        assertThat(out[7]).isEqualTo((d[15] & 0xFF) / 255.0);
        assertThatThrownBy(() -> src.read(2, out)).isInstanceOf(ClipException.class)
                .hasMessage(f + ": truncated .npy: frame 2 is incomplete");
        Files.write(f, Arrays.copyOf(all, all.length - 24));
        assertThatThrownBy(() -> src.read(2, out)).hasMessage(f + ": truncated .npy: frame 2 is incomplete");
        // frames of one pixel: a read at the end of the file must not be answered by an earlier byte
        Path g = write("one.npy", npy(1, dict("|u1", false, "3, 1, 1"), new byte[] {10, 20, 30}));
        NpyFrames ones = NpyFrames.open(g);
        byte[] ab = Files.readAllBytes(g);
        Files.write(g, Arrays.copyOf(ab, ab.length - 2));
        double[] one = new double[1];
        ones.read(0, one);
        assertThat(one[0]).isEqualTo(10 / 255.0);
        assertThatThrownBy(() -> ones.read(2, one)).hasMessage(g + ": truncated .npy: frame 2 is incomplete");
    }

    @Test
    void formatsAreRecognisedByTheirBytesThenByTheirNames() throws IOException {
        byte[] d = pixels(2, 2, 3);
        Path bin = write("clip.bin", npy(1, dict("|u1", false, "2, 2, 3"), d));
        Clip c = ClipReader.read(bin);
        assertThat(c.name()).isEqualTo(bin.getFileName().toString());
        assertPixels(c, d, 0);
        Path six = write("six.bin", Arrays.copyOf(npy(1, "", new byte[0]), 6));
        assertThatThrownBy(() -> ClipReader.read(six)).hasMessage(six + ": truncated .npy: 6 bytes, shorter than the header");
        Path five = write("five.bin", Arrays.copyOf(npy(1, "", new byte[0]), 5));
        assertThatThrownBy(() -> ClipReader.read(five)).hasMessageContaining("unrecognized format");
        byte[] text = "hello, not a clip".getBytes(StandardCharsets.US_ASCII);
        Path n = write("x.NPY", text);
        assertThatThrownBy(() -> ClipReader.read(n)).hasMessage(n + ": not a .npy file (no \\x93NUMPY magic)");
        Path a = write("x.avi", text);
        assertThatThrownBy(() -> ClipReader.read(a)).hasMessage(a + ": not an AVI file (no RIFF 'AVI ' header)");
        Path m = write("x.mat", text);
        assertThatThrownBy(() -> ClipReader.read(m)).hasMessage(m + ": truncated MAT-file: 17 bytes, the header alone"
                + " has 128");
        Path junk = write("x.txt", text);
        assertThatThrownBy(() -> ClipReader.read(junk)).hasMessage(junk + ": unrecognized format: expected a uint8"
                + " frames .npy, an uncompressed .avi, a MATLAB v5 .mat or a folder of PNG/PGM frames");
        Path empty = write("e.npy", new byte[0]);
        assertThatThrownBy(() -> ClipReader.read(empty)).hasMessage(empty + ": empty file");
        Path dev = Path.of("/dev/null");
        if (Files.exists(dev)) {
            assertThatThrownBy(() -> ClipReader.read(dev)).hasMessage("/dev/null: not a regular file or a folder (a"
                    + " device or a pipe has no length to check)");
        }
    }

    @Test
    void downscalingAveragesWholeBlocks() throws IOException {
        int h = 6;
        int w = 5;
        byte[] d = pixels(2, h, w);
        Path f = write("c.npy", npy(1, dict("|u1", false, "2, 6, 5"), d));
        for (int k : new int[] {2, 3, 5}) {
            Clip c = ClipReader.read(f, FrameRange.all(), k);
            assertThat(c.height()).isEqualTo(h / k);
            assertThat(c.width()).isEqualTo(w / k);
            for (int t = 0; t < 2; t++) {
                for (int y = 0; y < h / k; y++) {
                    for (int x = 0; x < w / k; x++) {
                        double mean = 0;
                        for (int yy = y * k; yy < y * k + k; yy++) {
                            for (int xx = x * k; xx < x * k + k; xx++) {
                                mean += (d[t * h * w + yy * w + xx] & 0xFF) / 255.0;
                            }
                        }
                        assertThat(c.data().get(y * (w / k) + x, t)).as("k=%d t=%d y=%d x=%d", k, t, y, x)
                                .isCloseTo(mean / (k * k), within(1e-12));
                    }
                }
            }
        }
        assertThatThrownBy(() -> ClipReader.read(f, FrameRange.all(), 0))
                .hasMessage(f + ": downscale factor must be at least 1, got 0");
        assertThatThrownBy(() -> ClipReader.read(f, FrameRange.all(), 7))
                .hasMessage(f + ": downscale factor 7 is larger than the 5x6 frames");
        assertThatThrownBy(() -> ClipReader.read(f, FrameRange.parse("2:"), 1))
                .hasMessage(f + ": frame range 2: is outside the clip's 2 frames (0:2)");
    }

    @Test
    void frameRangesParseAndCount() {
        assertThat(FrameRange.parse("all")).isEqualTo(FrameRange.all());
        assertThat(FrameRange.parse(" : ")).isEqualTo(FrameRange.all());
        assertThat(FrameRange.parse(":3")).isEqualTo(new FrameRange(0, 3));
        assertThat(FrameRange.parse("2:")).isEqualTo(new FrameRange(2, FrameRange.OPEN));
        assertThat(FrameRange.parse(" 1 : 4 ")).isEqualTo(new FrameRange(1, 4));
        assertThat(FrameRange.parse("2:").toString()).isEqualTo("2:");
        assertThat(new FrameRange(1, 4).toString()).isEqualTo("1:4");
        assertThat(new FrameRange(0, 4).count(4)).isEqualTo(4);
        assertThat(new FrameRange(1, FrameRange.OPEN).count(4)).isEqualTo(3);
        assertThat(new FrameRange(3, FrameRange.OPEN).count(4)).isEqualTo(1);
        assertThatThrownBy(() -> new FrameRange(4, FrameRange.OPEN).count(4))
                .hasMessage("frame range 4: is outside the clip's 4 frames (0:4)");
        assertThatThrownBy(() -> new FrameRange(0, 5).count(4)).hasMessage("frame range 0:5 is outside the clip's 4"
                + " frames (0:4)");
        assertThatThrownBy(() -> FrameRange.parse("x:3")).hasMessage("frame range must look like a:b (0-based, end"
                + " exclusive), got 'x:3'");
        assertThatThrownBy(() -> FrameRange.parse("3")).hasMessageContaining("got '3'");
        assertThatThrownBy(() -> new FrameRange(-1, 3)).hasMessage("frame range start must be at least 0, got -1");
        assertThatThrownBy(() -> new FrameRange(3, 3)).hasMessage("frame range 3:3 is empty");
    }

    @Test
    void clipsFromBytesAndTheirFrames() {
        byte[][] frames = {{0, 51, (byte) 102, (byte) 153, (byte) 204, (byte) 255}, {1, 2, 3, 4, 5, 6}};
        Clip c = Clip.fromBytes("two", frames, 2, 3);
        assertThat(c.name()).isEqualTo("two");
        assertThat(c.frames()).isEqualTo(2);
        assertThat(c.pixels()).isEqualTo(6);
        assertThat(c.data().numRows).isEqualTo(6);
        assertThat(c.data().get(0, 0)).isEqualTo(0.0);
        assertThat(c.data().get(1, 0)).isEqualTo(0.2);
        assertThat(c.data().get(5, 0)).isEqualTo(1.0);
        assertThat(c.data().get(3, 1)).isEqualTo(4 / 255.0);
        DMatrixRMaj f0 = c.frame(0);
        assertThat(f0.numRows).isEqualTo(2);
        assertThat(f0.numCols).isEqualTo(3);
        assertThat(f0.data).containsExactly(0.0, 0.2, 0.4, 0.6, 0.8, 1.0);
        DMatrixRMaj f1 = Clip.frameOf(c.data(), 1, 2, 3);
        assertThat(f1.get(1, 2)).isEqualTo(6 / 255.0);
        assertThat(f1.get(0, 1)).isEqualTo(2 / 255.0);
        f1.set(0, 0, 9);
        assertThat(c.data().get(0, 1)).isEqualTo(1 / 255.0); // a copy
        assertThatThrownBy(() -> new Clip("x", new DMatrixRMaj(6, 1), 0, 3))
                .hasMessage("frame size must be positive, got 0x3");
        assertThatThrownBy(() -> new Clip("x", new DMatrixRMaj(6, 1), 2, 0))
                .hasMessage("frame size must be positive, got 2x0");
        assertThatThrownBy(() -> new Clip("x", new DMatrixRMaj(5, 1), 2, 3))
                .hasMessage("data has 5 rows, frames have 2x3 = 6 pixels");
        assertThatThrownBy(() -> new Clip("x", new DMatrixRMaj(6, 0), 2, 3)).hasMessage("a clip needs at least one frame");
        assertThat(new Clip("x", new DMatrixRMaj(1, 1), 1, 1).frames()).isEqualTo(1);
    }
}
