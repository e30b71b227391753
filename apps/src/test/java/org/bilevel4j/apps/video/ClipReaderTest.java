package org.bilevel4j.apps.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipReaderTest {

    private static final int T = 4;
    private static final int H = 6;
    private static final int W = 5;
    private static final byte[][] FRAMES = TestClips.pattern(T, H, W);

    @TempDir
    Path dir;

    /** Every entry of the clip equals the pattern: pixel (y, x) of frame t at row y W + x, column t. */
    private static void assertPattern(Clip c, int first) {
        assertThat(c.height()).isEqualTo(H);
        assertThat(c.width()).isEqualTo(W);
        for (int t = 0; t < c.frames(); t++) {
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    double want = (FRAMES[first + t][y * W + x] & 0xFF) / 255.0;
                    assertThat(c.data().get(y * W + x, t)).as("t=%d y=%d x=%d", t, y, x).isCloseTo(want,
                            within(1e-12));
                }
            }
        }
    }

    @Test
    void readsNpyWithRangeAndDownscale() throws IOException {
        Path f = dir.resolve("clip.npy");
        TestClips.writeNpy(f, FRAMES, H, W);
        Clip c = ClipReader.read(f);
        assertThat(c.frames()).isEqualTo(T);
        assertPattern(c, 0);
        Clip part = ClipReader.read(f, FrameRange.parse("1:3"), 1);
        assertThat(part.frames()).isEqualTo(2);
        assertPattern(part, 1);
        Clip small = ClipReader.read(f, FrameRange.all(), 2);
        assertThat(small.height()).isEqualTo(3);
        assertThat(small.width()).isEqualTo(2);
        // pixel (1, 1) of frame 2 is the mean of rows 2..3, columns 2..3
        double mean = 0;
        for (int y = 2; y < 4; y++) {
            for (int x = 2; x < 4; x++) {
                mean += (FRAMES[2][y * W + x] & 0xFF) / 255.0 / 4;
            }
        }
        assertThat(small.data().get(1 * 2 + 1, 2)).isCloseTo(mean, within(1e-12));
    }

    @Test
    void readsUncompressedAviBottomUpWithRowPadding() throws IOException {
        Path f = dir.resolve("clip.avi");
        TestClips.writeAvi(f, FRAMES, H, W, null);
        Clip c = ClipReader.read(f);
        assertThat(c.frames()).isEqualTo(T);
        assertPattern(c, 0);
    }

    @Test
    void readsMatFilesCompressedOrNot() throws IOException {
        for (boolean compress : new boolean[] {true, false}) {
            Path f = dir.resolve("clip" + compress + ".mat");
            TestClips.writeMat(f, FRAMES, H, W, compress);
            Clip c = ClipReader.read(f);
            assertThat(c.frames()).isEqualTo(T);
            assertPattern(c, 0);
        }
    }

    @Test
    void readsFoldersOfPngAndPgmInNaturalOrder() throws IOException {
        Path png = Files.createDirectory(dir.resolve("png"));
        Path pgm = Files.createDirectory(dir.resolve("pgm"));
        for (int t = 0; t < T; t++) {
            BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    img.getRaster().setSample(x, y, 0, FRAMES[t][y * W + x] & 0xFF);
                }
            }
            // f1, f2, ..., named so that plain string order would put f10 first
            ImageIO.write(img, "png", png.resolve("f" + (t == 0 ? 1 : t * 10) + ".png").toFile());
            byte[] head = ("P5\n# a comment\n" + W + " " + H + "\n255\n").getBytes(StandardCharsets.US_ASCII);
            Files.write(pgm.resolve("g" + (t == 0 ? 1 : t * 10) + ".pgm"), TestClips.concat(head, FRAMES[t]));
        }
        Files.writeString(png.resolve("notes.txt"), "ignored");
        assertPattern(ClipReader.read(png), 0);
        assertPattern(ClipReader.read(pgm), 0);
    }

    @Test
    void truncatedFilesAreOneLineErrorsNamingTheFile() throws IOException {
        Path npy = dir.resolve("a.npy");
        TestClips.writeNpy(npy, FRAMES, H, W);
        Path avi = dir.resolve("a.avi");
        TestClips.writeAvi(avi, FRAMES, H, W, null);
        Path mat = dir.resolve("a.mat");
        TestClips.writeMat(mat, FRAMES, H, W, true);
        Path matPlain = dir.resolve("b.mat");
        TestClips.writeMat(matPlain, FRAMES, H, W, false);
        for (Path f : new Path[] {npy, avi, mat, matPlain}) {
            long size = Files.size(f);
            for (int cut : new int[] {(int) size - 7, (int) size / 2, 100, 9}) {
                Path t = TestClips.truncated(f, dir.resolve("cut_" + cut + "_" + f.getFileName()), cut);
                assertThatThrownBy(() -> ClipReader.read(t)).isInstanceOf(ClipException.class)
                        .hasMessageStartingWith(t.toString() + ": ")
                        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n")
                                .containsAnyOf("truncated", "ends early", "no 'movi'", "no uint8"));
            }
        }
    }

    @Test
    void corruptedFilesAreRejected() throws IOException {
        Path mat = dir.resolve("z.mat");
        TestClips.writeMat(mat, FRAMES, H, W, true);
        byte[] b = Files.readAllBytes(mat);
        for (int i = 150; i < 170; i++) {
            b[i] ^= 0x5A;
        }
        Path bad = dir.resolve("bad.mat");
        Files.write(bad, b);
        assertThatThrownBy(() -> ClipReader.read(bad)).isInstanceOf(ClipException.class)
                .hasMessageContaining("bad.mat: ").hasMessageContaining("corrupt");
        Path npy = dir.resolve("z.npy");
        TestClips.writeNpy(npy, FRAMES, H, W);
        String text = new String(Files.readAllBytes(npy), StandardCharsets.ISO_8859_1).replace("|u1", "<f8");
        Files.write(npy, text.getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> ClipReader.read(npy)).hasMessageContaining("dtype '<f8'");
        Path junk = dir.resolve("junk.bin");
        Files.writeString(junk, "hello");
        assertThatThrownBy(() -> ClipReader.read(junk)).hasMessageContaining("unrecognized format");
    }

    @Test
    void compressedAviIsRejectedNamingTheFourcc() throws IOException {
        Path f = dir.resolve("x.avi");
        TestClips.writeAvi(f, FRAMES, H, W, "XVID");
        assertThatThrownBy(() -> ClipReader.read(f)).isInstanceOf(ClipException.class)
                .hasMessageContaining("x.avi: ").hasMessageContaining("compressed (fourcc 'XVID')");
    }

    @Test
    void framesOfDifferentSizesEmptyFoldersAndBadRangesAreErrors() throws IOException {
        Path mixed = Files.createDirectory(dir.resolve("mixed"));
        ImageIO.write(new BufferedImage(5, 6, BufferedImage.TYPE_BYTE_GRAY), "png", mixed.resolve("a1.png").toFile());
        ImageIO.write(new BufferedImage(6, 6, BufferedImage.TYPE_BYTE_GRAY), "png", mixed.resolve("a2.png").toFile());
        assertThatThrownBy(() -> ClipReader.read(mixed)).hasMessageContaining("a2.png: frames of different sizes");
        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertThatThrownBy(() -> ClipReader.read(empty)).hasMessageContaining("empty folder");
        Path npy = dir.resolve("r.npy");
        TestClips.writeNpy(npy, FRAMES, H, W);
        assertThatThrownBy(() -> ClipReader.read(npy, FrameRange.parse("2:9"), 1))
                .hasMessageContaining("r.npy: frame range 2:9 is outside the clip's 4 frames");
        assertThatThrownBy(() -> ClipReader.read(npy, FrameRange.all(), 7)).hasMessageContaining("downscale");
        assertThatThrownBy(() -> ClipReader.read(dir.resolve("missing.npy"))).hasMessageContaining("no such file");
        assertThatThrownBy(() -> FrameRange.parse("3")).hasMessageContaining("a:b");
    }
}
