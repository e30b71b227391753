package org.bilevel4j.apps.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AVI reader against files built here chunk by chunk from the RIFF/AVI and DIB layouts: 24- and
 * 32-bit pixels with distinct R, G and B, top-down and bottom-up rows, the video stream after an
 * audio stream, dropped frames, stray chunks, nesting, and each refusal with its numbers.
 */
class AviFramesTest {

    @TempDir
    Path dir;

    private int files;

    private static byte[] ascii(String s) {
        return TestClips.ascii(s);
    }

    private static byte[] list(String type, byte[]... parts) {
        return TestClips.chunk("LIST", TestClips.concat(ascii(type), TestClips.concat(parts)));
    }

    private static byte[] strh(String type, int size) {
        ByteBuffer b = TestClips.le(size);
        b.put(0, ascii(type));
        return TestClips.chunk("strh", b.array());
    }

    /** A BITMAPINFOHEADER of the given size (20 bytes reach biCompression), compression a fourcc or null (BI_RGB). */
    private static byte[] strf(int w, int h, int bits, String compression, int size) {
        ByteBuffer b = TestClips.le(size);
        b.putInt(0, 40);
        b.putInt(4, w);
        b.putInt(8, h);
        b.putShort(12, (short) 1);
        b.putShort(14, (short) bits);
        if (compression != null) {
            b.put(16, ascii(compression));
        }
        return TestClips.chunk("strf", b.array());
    }

    private static byte[] strf(int w, int h, int bits) {
        return strf(w, h, bits, null, 40);
    }

    private static byte[] videoStrl(int w, int h, int bits) {
        return list("strl", strh("vids", 56), strf(w, h, bits));
    }

    private static byte[] riff(byte[]... parts) {
        return TestClips.chunk("RIFF", TestClips.concat(ascii("AVI "), TestClips.concat(parts)));
    }

    /** R, G, B of pixel (y, x) of frame k, all different */
    private static int[] rgb(int k, int y, int x) {
        return new int[] {(50 * k + 30 * y + 7 * x) % 256, (90 + 20 * k + 11 * y + 3 * x) % 256,
            (200 + 13 * k + 5 * y + 17 * x) % 256};
    }

    private static double gray(int k, int y, int x) {
        int[] c = rgb(k, y, x);
        return (0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]) / 255.0;
    }

    /** The DIB bytes of frame k: rows padded to 4 bytes, B G R (A), bottom-up unless topDown. */
    private static byte[] dib(int k, int w, int h, int bytesPerPixel, boolean topDown) {
        int stride = (w * bytesPerPixel + 3) & ~3;
        byte[] d = new byte[stride * h];
        java.util.Arrays.fill(d, (byte) 0xEE); // padding and the fourth byte are never read
        for (int y = 0; y < h; y++) {
            int row = topDown ? y : h - 1 - y;
            for (int x = 0; x < w; x++) {
                int[] c = rgb(k, y, x);
                int q = row * stride + x * bytesPerPixel;
                d[q] = (byte) c[2];
                d[q + 1] = (byte) c[1];
                d[q + 2] = (byte) c[0];
            }
        }
        return d;
    }

    private Path write(byte[] bytes) throws IOException {
        Path f = dir.resolve("a" + files++ + ".avi");
        Files.write(f, bytes);
        return f;
    }

    /** Frame t of the clip equals frame k of the pattern. */
    private static void assertFrame(Clip c, int t, int k) {
        for (int y = 0; y < c.height(); y++) {
            for (int x = 0; x < c.width(); x++) {
                assertThat(c.data().get(y * c.width() + x, t)).as("t=%d y=%d x=%d", t, y, x)
                        .isCloseTo(gray(k, y, x), within(1e-12));
            }
        }
    }

    @Test
    void thirtyTwoBitTopDownVideoAfterAnAudioStreamWithDroppedFrames() throws IOException {
        int w = 3;
        int h = 2;
        byte[] audio = list("strl", strh("auds", 56), TestClips.chunk("strf", new byte[18]));
        // a minimal video header: strh of 8 bytes, strf of 20
        byte[] video = list("strl", strh("vids", 8), strf(w, -h, 32, null, 20));
        byte[] hdrl = list("hdrl", TestClips.chunk("avih", new byte[56]), audio, video, list("INFO"));
        byte[] movi = list("movi", TestClips.chunk("00wb", new byte[7]), TestClips.chunk("01db", dib(0, w, h, 4, true)),
                TestClips.chunk("ABdb", new byte[24]), TestClips.chunk("01dc", dib(1, w, h, 4, true)),
                TestClips.chunk("01db", new byte[0]), TestClips.chunk("01db", dib(2, w, h, 4, true)),
                TestClips.chunk("01db", new byte[0]));
        Path f = write(riff(hdrl, TestClips.chunk("JUNK", new byte[3]), movi));
        Clip c = ClipReader.read(f);
        assertThat(c.height()).isEqualTo(h);
        assertThat(c.width()).isEqualTo(w);
        assertThat(c.frames()).isEqualTo(5);
        int[] shows = {0, 1, 1, 2, 2};
        for (int t = 0; t < 5; t++) {
            assertFrame(c, t, shows[t]);
        }
        assertThat(AviFrames.open(f).toString()).isEqualTo("AVI " + f);
    }

    @Test
    void twentyFourBitBottomUpStreamZeroSkipsOtherStreamsChunks() throws IOException {
        int w = 5;
        int h = 3;
        byte[] hdrl = list("hdrl", TestClips.chunk("avih", new byte[56]), videoStrl(w, h, 24),
                list("strl", strh("vids", 56), strf(7, 7, 24)));
        byte[] movi = list("movi", TestClips.chunk("00db", dib(0, w, h, 3, false)),
                TestClips.chunk("10db", dib(5, w, h, 3, false)), TestClips.chunk("01db", dib(6, w, h, 3, false)),
                TestClips.chunk("00dc", dib(1, w, h, 3, false)));
        Clip c = ClipReader.read(write(riff(hdrl, movi)));
        assertThat(c.frames()).isEqualTo(2);
        assertFrame(c, 0, 0);
        assertFrame(c, 1, 1);
        // one pixel wide: rows of 3 bytes padded to 4
        byte[] narrow = riff(list("hdrl", videoStrl(1, 2, 24)), list("movi", TestClips.chunk("00db", dib(3, 1, 2, 3,
                false))));
        Clip n = ClipReader.read(write(narrow));
        assertThat(n.width()).isEqualTo(1);
        assertFrame(n, 0, 3);
        // an uncompressed fourcc ('RAW ') instead of BI_RGB
        byte[] raw = riff(list("hdrl", list("strl", strh("vids", 56), strf(2, 2, 24, "RAW ", 40))),
                list("movi", TestClips.chunk("00db", dib(4, 2, 2, 3, false))));
        assertFrame(ClipReader.read(write(raw)), 0, 4);
    }

    @Test
    void onlyTheFirstVideoFormatCounts() throws IOException {
        byte[] strl = list("strl", strh("vids", 56), strf(2, 2, 24), strf(9, 9, 24));
        Clip c = ClipReader.read(write(riff(list("hdrl", strl), list("movi", TestClips.chunk("00db",
                dib(0, 2, 2, 3, false))))));
        assertThat(c.width()).isEqualTo(2);
        assertFrame(c, 0, 0);
    }

    @Test
    void headerListsAreReadUpToEightLevelsDeep() throws IOException {
        for (int wraps : new int[] {6, 7}) {
            byte[] hdrl = list("hdrl", videoStrl(2, 2, 24));
            for (int k = 0; k < wraps; k++) {
                hdrl = list("wrap", hdrl);
            }
            Path f = write(riff(hdrl, list("movi", TestClips.chunk("00db", dib(0, 2, 2, 3, false)))));
            if (wraps == 6) {
                assertFrame(ClipReader.read(f), 0, 0);
            } else {
                assertThatThrownBy(() -> ClipReader.read(f)).hasMessage(f + ": no video stream ('vids') in the AVI headers");
            }
        }
    }

    private static int indexOf(byte[] b, String id) {
        byte[] p = ascii(id);
        for (int i = 0; i + 4 <= b.length; i++) {
            if (b[i] == p[0] && b[i + 1] == p[1] && b[i + 2] == p[2] && b[i + 3] == p[3]) {
                return i;
            }
        }
        throw new AssertionError(id);
    }

    private void assertRefused(byte[] bytes, String problem) throws IOException {
        Path f = write(bytes);
        assertThatThrownBy(() -> ClipReader.read(f)).isInstanceOf(ClipException.class).hasMessage(f + ": " + problem);
    }

    @Test
    void refusalsNameTheirNumbers() throws IOException {
        byte[] hdrl = list("hdrl", videoStrl(5, 3, 24));
        byte[] frame = dib(0, 5, 3, 3, false);
        assertThat(frame.length).isEqualTo(48);
        byte[] shortFrame = riff(hdrl, list("movi", TestClips.chunk("00db", java.util.Arrays.copyOf(frame, 47))));
        assertRefused(shortFrame, "frame chunk at byte " + (indexOf(shortFrame, "00db") + 8)
                + " has 47 bytes; a 5x3 24-bit frame needs 48");
        byte[] short32 = riff(list("hdrl", videoStrl(5, 3, 32)), list("movi", TestClips.chunk("00db", new byte[59])));
        assertRefused(short32, "frame chunk at byte " + (indexOf(short32, "00db") + 8)
                + " has 59 bytes; a 5x3 32-bit frame needs 60");
        assertRefused(riff(hdrl, list("movi", TestClips.chunk("00db", new byte[0]), TestClips.chunk("00db", frame))),
                "the first frame chunk is empty");
        assertRefused(riff(hdrl, list("movi", TestClips.chunk("01db", frame))),
                "the AVI's 'movi' list has no frames of video stream 0");
        assertRefused(riff(hdrl), "no 'movi' list: the AVI has no frame data (truncated?)");
        assertRefused(riff(list("hdrl", videoStrl(5, 3, 16)), list("movi", TestClips.chunk("00db", frame))),
                "the video has 16 bits per pixel; only 24- and 32-bit uncompressed RGB is read");
        assertRefused(riff(list("hdrl", videoStrl(0, 3, 24)), list("movi", TestClips.chunk("00db", frame))),
                "corrupt AVI: frame size 0x3");
        assertRefused(riff(list("hdrl", videoStrl(5, 0, 24)), list("movi", TestClips.chunk("00db", frame))),
                "corrupt AVI: frame size 5x0");
        byte[] del = riff(list("hdrl", list("strl", strh("vids", 56), strf(5, 3, 24, "XV\u007fD", 40))),
                list("movi", TestClips.chunk("00db", frame)));
        assertRefused(del, "the video is compressed (fourcc 'XV?D'); only uncompressed 24/32-bit RGB AVI is read:"
                + " decode it to a frames .npy or PNG folder");
        assertRefused(riff(list("hdrl", list("strl", strh("vids", 56), strf(5, 3, 24, null, 16)))),
                "corrupt AVI: video format chunk of 16 bytes");
        assertRefused(riff(list("hdrl", videoStrl(100000, 100000, 24)), list("movi", TestClips.chunk("00db", frame))),
                "the image header claims 100000x100000 pixels, too many for one frame");
        assertRefused(riff(), "no video stream ('vids') in the AVI headers");
        assertRefused(java.util.Arrays.copyOf(riff(), 11), "truncated AVI: 11 bytes");
        byte[] wave = riff();
        System.arraycopy(ascii("WAVE"), 0, wave, 8, 4);
        assertRefused(wave, "not an AVI file (no RIFF 'AVI ' header)");
        // a chunk that claims more than the file holds, and a LIST too short for its type
        byte[] big = TestClips.concat(riff(), TestClips.chunk("LIST", new byte[4]));
        ByteBuffer.wrap(big).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(4, big.length - 8).putInt(16, 1000);
        assertRefused(big, "truncated AVI: chunk 'LIST' at byte 12 declares 1000 bytes, only 4 remain");
        byte[] tiny = TestClips.concat(riff(), TestClips.chunk("LIST", new byte[2]));
        ByteBuffer.wrap(tiny).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(4, tiny.length - 8);
        assertRefused(tiny, "corrupt AVI: LIST at byte 12 has size 2");
    }

    @Test
    void aClipOfManyDroppedFramesIsRefusedBeforeItsMatrixIsAllocated() throws IOException {
        int w = 256;
        int h = 256;
        List<byte[]> chunks = new ArrayList<>();
        chunks.add(TestClips.chunk("00db", dib(0, w, h, 3, false)));
        for (int k = 1; k < 32768; k++) {
            chunks.add(TestClips.chunk("00db", new byte[0]));
        }
        byte[] movi = list("movi", chunks.toArray(new byte[0][]));
        Path f = write(riff(list("hdrl", videoStrl(w, h, 24)), movi));
        // 65536 pixels x 32768 frames: 2^31 entries, more than one array holds
        assertThatThrownBy(() -> ClipReader.read(f)).isInstanceOf(ClipException.class).hasMessage(f
                + ": the clip is too large for one matrix: 256x256 pixels x 32768 frames (choose fewer --frames or a"
                + " larger --downscale)");
        // half of them and one: 8 (2^16 x 16385 + 2^16) bytes = 8193 MiB with the frame buffer, more than the heap
        assertThatThrownBy(() -> ClipReader.read(f, FrameRange.parse("0:16385"), 1)).isInstanceOf(ClipException.class)
                .hasMessageStartingWith(f + ": the 65536 x 16385 clip matrix needs 8193 MiB, more than the")
                .hasMessageEndingWith(" (or choose fewer --frames or a larger --downscale)");
        // and the frames that fit are the first one repeated
        Clip c = ClipReader.read(f, FrameRange.parse("32760:32768"), 64);
        assertThat(c.frames()).isEqualTo(8);
        assertThat(c.height()).isEqualTo(4);
        double mean = 0;
        for (int y = 0; y < 64; y++) {
            for (int x = 64; x < 128; x++) {
                mean += gray(0, y, x) / 4096;
            }
        }
        assertThat(c.data().get(1, 7)).isCloseTo(mean, within(1e-12));
    }
}
