package org.bilevel4j.apps.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image-folder reader value by value: natural name order, the PGM parser (P2 and P5, 8 and 16
 * bits, the file-length checks with their numbers), colour, indexed and gray-plus-alpha PNGs by
 * their BT.601 luma, and the size checks made before an image is decoded.
 */
class ImageFolderFramesTest {

    @TempDir
    Path dir;

    private int folders;

    /** A new folder holding the given files (name, bytes). */
    private Path folder(Object... nameAndBytes) throws IOException {
        Path f = Files.createDirectory(dir.resolve("f" + folders++));
        for (int i = 0; i < nameAndBytes.length; i += 2) {
            Files.write(f.resolve((String) nameAndBytes[i]), (byte[]) nameAndBytes[i + 1]);
        }
        return f;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static int sign(int c) {
        return Integer.signum(c);
    }

    @Test
    void namesCompareWithDigitRunsAsNumbers() {
        assertThat(sign(ImageFolderFrames.naturalCompare("f2", "f10"))).isEqualTo(-1);
        assertThat(sign(ImageFolderFrames.naturalCompare("f10", "f2"))).isEqualTo(1);
        assertThat(sign(ImageFolderFrames.naturalCompare("f9", "f10"))).isEqualTo(-1);
        assertThat(sign(ImageFolderFrames.naturalCompare("f12", "f13"))).isEqualTo(-1);
        assertThat(sign(ImageFolderFrames.naturalCompare("a", "b"))).isEqualTo(-1);
        assertThat(sign(ImageFolderFrames.naturalCompare("b1", "a2"))).isEqualTo(1);
        assertThat(ImageFolderFrames.naturalCompare("f7.png", "f7.png")).isZero();
        // a prefix comes first, in either argument order
        assertThat(sign(ImageFolderFrames.naturalCompare("ab", "abc"))).isEqualTo(-1);
        assertThat(sign(ImageFolderFrames.naturalCompare("abc", "ab"))).isEqualTo(1);
        assertThat(sign(ImageFolderFrames.naturalCompare("f1", "f1a"))).isEqualTo(-1);
        // leading zeros: equal numbers, then the rest (here of different lengths), then the text itself
        assertThat(sign(ImageFolderFrames.naturalCompare("f01x", "f1"))).isEqualTo(1);
        assertThat(sign(ImageFolderFrames.naturalCompare("f01", "f1x"))).isEqualTo(-1);
        assertThat(sign(ImageFolderFrames.naturalCompare("f01", "f1"))).isEqualTo(-1);
        assertThat(sign(ImageFolderFrames.naturalCompare("f1", "f01"))).isEqualTo(1);
        assertThat(sign(ImageFolderFrames.naturalCompare("f007", "f7"))).isEqualTo(-1);
        assertThat(sign(ImageFolderFrames.naturalCompare("x10y2", "x10y10"))).isEqualTo(-1);
    }

    @Test
    void frameFilesAreRecognisedByTheirExtension() {
        for (String n : new String[] {"a.png", "A.PNG", "b.pgm", "c.pnm", "d.bmp", "e.gif", "f.jpg", "g.JPEG"}) {
            assertThat(ImageFolderFrames.isFrameFile(Path.of(n))).as(n).isTrue();
        }
        for (String n : new String[] {"a.txt", "png", "b.png.bak", "c.tif"}) {
            assertThat(ImageFolderFrames.isFrameFile(Path.of(n))).as(n).isFalse();
        }
    }

    @Test
    void subfoldersAndOtherFilesAreIgnored() throws IOException {
        Path f = folder("f1.pgm", ascii("P2 2 1 4 1 2"), "notes.txt", ascii("ignored"));
        Files.createDirectory(f.resolve("sub.png"));
        ImageFolderFrames src = ImageFolderFrames.open(f);
        assertThat(src.frames()).isEqualTo(1);
        assertThat(src.toString()).isEqualTo("frames folder " + f);
        Clip c = ClipReader.read(f);
        assertThat(c.data().data).containsExactly(0.25, 0.5);
    }

    @Test
    void asciiPgmIsReadValueByValueAndNeedsNoTrailingWhitespace() throws IOException {
        // 3 x 2, maxval 10, the last number at the very end of the file; 12 is clipped to maxval
        Path f = folder("a.pgm", ascii("P2\n# c\n3 2\n10\n0 1 2\n5 9 12"));
        Clip c = ClipReader.read(f);
        assertThat(c.height()).isEqualTo(2);
        assertThat(c.width()).isEqualTo(3);
        assertThat(c.data().data).containsExactly(0.0, 0.1, 0.2, 0.5, 0.9, 1.0);
        // the shortest P2 body: 2 w h - 1 bytes ("1 2 3 4" for 2 x 2)
        Clip d = ClipReader.read(folder("b.pgm", ascii("P2 2 2 4\n1 2 3 4")));
        assertThat(d.data().data).containsExactly(0.25, 0.5, 0.75, 1.0);
        // a comment right after the last number ends it
        assertThat(ClipReader.read(folder("d.pgm", ascii("P2 2 1 9 1 2#"))).data().data).containsExactly(1 / 9.0,
                2 / 9.0);
        // 1 x 1, maxval 1
        assertThat(ClipReader.read(folder("c.pgm", ascii("P2 1 1 1 1"))).data().data).containsExactly(1.0);
    }

    @Test
    void binaryPgmReadsOneOrTwoBytesPerSample() throws IOException {
        byte[] head = ascii("P5\n3 2\n255\n");
        byte[] px = {0, 51, (byte) 102, (byte) 153, (byte) 204, (byte) 255};
        Clip c = ClipReader.read(folder("a.pgm", TestClips.concat(head, px)));
        assertThat(c.data().data).containsExactly(0.0, 0.2, 0.4, 0.6, 0.8, 1.0);
        // maxval 1000: big-endian 16-bit samples; 0xFFFF is clipped to maxval
        byte[] head16 = ascii("P5 2 2 1000\n");
        byte[] px16 = {0x03, (byte) 0xE8, 0x01, (byte) 0xF4, 0x00, 0x64, (byte) 0xFF, (byte) 0xFF};
        Clip d = ClipReader.read(folder("b.pgm", TestClips.concat(head16, px16)));
        assertThat(d.data().data).containsExactly(1.0, 0.5, 0.1, 1.0);
        // maxval 256 is already two bytes per sample, 65535 the largest maxval
        Clip e = ClipReader.read(folder("c.pgm", TestClips.concat(ascii("P5 1 2 256\n"), new byte[] {0, 64, 1, 0})));
        assertThat(e.data().data).containsExactly(0.25, 1.0);
        Clip g = ClipReader.read(folder("d.pgm", TestClips.concat(ascii("P5 1 1 65535\n"),
                new byte[] {(byte) 0x80, 0x00})));
        assertThat(g.data().data[0]).isCloseTo(32768 / 65535.0, within(1e-15));
        // maxval 1 and a 1 x 1 frame
        assertThat(ClipReader.read(folder("e.pgm", TestClips.concat(ascii("P5 1 1 1\n"), new byte[] {1})))
                .data().data).containsExactly(1.0);
        // exactly w h bytes after the one whitespace byte is enough
        assertThat(ClipReader.read(folder("f.pgm", TestClips.concat(ascii("P5 2 1 255\n"), new byte[] {0, (byte) 255})))
                .data().data).containsExactly(0.0, 1.0);
    }

    @Test
    void pgmHeadersAreCheckedWithTheirNumbers() throws IOException {
        Object[][] cases = {
            {"P6 1 1 255\n\0", "not a PGM file (magic 'P6', expected P5 or P2)"},
            {"P5 0 1 255\n\0", "corrupt PGM header: 0x1, maxval 255"},
            {"P5 1 0 255\n\0", "corrupt PGM header: 1x0, maxval 255"},
            {"P5 1 1 0\n\0", "corrupt PGM header: 1x1, maxval 0"},
            {"P2 1 1 65536\n1", "corrupt PGM header: 1x1, maxval 65536"},
            {"P5 x 1 255\n\0", "corrupt PGM: width is 'x'"},
            {"P5 3 2 255\n12345", "truncated PGM: 3x2 needs 6 bytes of pixels, 5 present"},
            {"P5 3 2 256\n123456", "truncated PGM: 3x2 needs 12 bytes of pixels, 6 present"},
            {"P5 3 2 255", "truncated PGM: 3x2 needs 6 bytes of pixels, 0 present"},
            {"P2 3 2 255\n1 2 3", "truncated PGM: 3x2 needs 12 or more bytes of pixels, 7 present"},
            {"P2 2 2 9 1 2 3   ", "truncated PGM header"},
            // 2 w h - 1 bytes after maxval pass the length check (the file ends before a fourth number)
            {"P2 2 2 4 1 2 34", "truncated PGM header"},
            {"P5\n3 ", "truncated PGM header"},
            {"P2\n# a comment to the end", "truncated PGM header"},
            {"P2 2 1 9 1 x", "corrupt PGM: pixel 1 is 'x'"},
        };
        for (Object[] c : cases) {
            Path f = folder("a.pgm", ascii((String) c[0]));
            assertThatThrownBy(() -> ClipReader.read(f)).as((String) c[0]).isInstanceOf(ClipException.class)
                    .hasMessage(f.resolve("a.pgm") + ": " + c[1]);
        }
    }

    /** A PNG of the given header only (IHDR, no image data), from the PNG specification. */
    private static byte[] pngHeader(int w, int h) {
        ByteBuffer ihdr = ByteBuffer.allocate(17);
        ihdr.put(ascii("IHDR")).putInt(w).putInt(h).put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0)
                .put((byte) 0);
        CRC32 crc = new CRC32();
        crc.update(ihdr.array());
        ByteBuffer out = ByteBuffer.allocate(8 + 4 + 17 + 4);
        out.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}).putInt(13).put(ihdr.array())
                .putInt((int) crc.getValue());
        return out.array();
    }

    @Test
    void imageHeadersClaimingTooManyPixelsAreRefusedBeforeDecoding() throws IOException {
        Path f = folder("a.png", pngHeader(100000, 100000));
        assertThatThrownBy(() -> ClipReader.read(f)).isInstanceOf(ClipException.class)
                .hasMessage(f.resolve("a.png") + ": the image header claims 100000x100000 pixels, too many for one frame");
        // a size that one array holds but the heap does not: 12 bytes a pixel
        Path g = folder("a.png", pngHeader(46000, 46000));
        assertThatThrownBy(() -> ClipReader.read(g)).isInstanceOf(ClipException.class)
                .hasMessageStartingWith(g.resolve("a.png") + ": the 46000x46000 frame needs 24215 MiB, more than the");
        Path h = folder("a.png", ascii("not an image at all"));
        assertThatThrownBy(() -> ClipReader.read(h)).isInstanceOf(ClipException.class)
                .hasMessage(h.resolve("a.png") + ": not a readable image (no reader for its format)");
    }

    @Test
    void pixelCountsAreCheckedAtTheirLimits() {
        Path p = Path.of("x.png");
        assertThatCode(() -> ImageFolderFrames.checkPixels(p, 1, 1, 8)).doesNotThrowAnyException();
        assertThatThrownBy(() -> ImageFolderFrames.checkPixels(p, 0, 5, 8)).hasMessage("x.png: corrupt image header: 0x5");
        assertThatThrownBy(() -> ImageFolderFrames.checkPixels(p, 5, 0, 8)).hasMessage("x.png: corrupt image header: 5x0");
        // at most Integer.MAX_VALUE - 8 pixels (with no bytes to allocate, so the heap does not decide)
        long max = Integer.MAX_VALUE - 8;
        assertThatCode(() -> ImageFolderFrames.checkPixels(p, max, 1, 0)).doesNotThrowAnyException();
        assertThatCode(() -> ImageFolderFrames.checkPixels(p, 1, max, 0)).doesNotThrowAnyException();
        assertThatThrownBy(() -> ImageFolderFrames.checkPixels(p, max + 1, 1, 0))
                .hasMessage("x.png: the image header claims 2147483640x1 pixels, too many for one frame");
        assertThatThrownBy(() -> ImageFolderFrames.checkPixels(p, 65536, 32768, 0))
                .hasMessageContaining("65536x32768 pixels, too many");
        // bytes per pixel times pixels against the free heap (8 x 46340^2 bytes: 16 GiB)
        assertThatThrownBy(() -> ImageFolderFrames.checkPixels(p, 46340, 46340, 8))
                .hasMessageStartingWith("x.png: the 46340x46340 frame needs 16383 MiB");
    }

    private static double luma(int r, int g, int b) {
        return 0.299 * r + 0.587 * g + 0.114 * b;
    }

    @Test
    void colourPngIsReadAsLuma() throws IOException {
        int w = 3;
        int h = 2;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[][] rgb = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {10, 200, 30}, {128, 64, 32}, {1, 2, 250}};
        for (int i = 0; i < w * h; i++) {
            img.setRGB(i % w, i / w, (rgb[i][0] << 16) | (rgb[i][1] << 8) | rgb[i][2]);
        }
        Path f = Files.createDirectory(dir.resolve("rgb"));
        ImageIO.write(img, "png", f.resolve("a.png").toFile());
        Clip c = ClipReader.read(f);
        assertThat(c.height()).isEqualTo(h);
        assertThat(c.width()).isEqualTo(w);
        for (int i = 0; i < w * h; i++) {
            assertThat(c.data().data[i]).as("pixel %d", i).isCloseTo(luma(rgb[i][0], rgb[i][1], rgb[i][2]) / 255,
                    within(1e-12));
        }
    }

    @Test
    void indexedPngIsReadThroughItsPalette() throws IOException {
        byte[] r = {(byte) 255, 0, 0, 12, (byte) 200};
        byte[] g = {0, (byte) 255, 0, 34, 100};
        byte[] b = {0, 0, (byte) 255, 56, 7};
        IndexColorModel icm = new IndexColorModel(8, 5, r, g, b);
        int w = 3;
        int h = 2;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED, icm);
        int[] index = {0, 1, 2, 3, 4, 3};
        for (int i = 0; i < w * h; i++) {
            img.getRaster().setSample(i % w, i / w, 0, index[i]);
        }
        Path f = Files.createDirectory(dir.resolve("indexed"));
        ImageIO.write(img, "png", f.resolve("a.png").toFile());
        Clip c = ClipReader.read(f);
        for (int i = 0; i < w * h; i++) {
            int k = index[i];
            assertThat(c.data().data[i]).as("pixel %d", i).isCloseTo(luma(r[k] & 0xFF, g[k] & 0xFF, b[k] & 0xFF) / 255,
                    within(1e-12));
        }
    }

    @Test
    void grayWithAlphaUsesTheGrayBand() throws IOException {
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), true, false,
                Transparency.TRANSLUCENT, DataBuffer.TYPE_BYTE);
        int w = 3;
        int h = 2;
        WritableRaster raster = cm.createCompatibleWritableRaster(w, h);
        int[] gray = {0, 51, 102, 153, 204, 255};
        for (int i = 0; i < w * h; i++) {
            raster.setSample(i % w, i / w, 0, gray[i]);
            raster.setSample(i % w, i / w, 1, 255 - i);
        }
        BufferedImage img = new BufferedImage(cm, raster, false, null);
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        assertThat(ImageIO.write(img, "png", o)).isTrue();
        Path f = folder("a.png", o.toByteArray());
        Clip c = ClipReader.read(f);
        assertThat(c.data().data).containsExactly(0.0, 0.2, 0.4, 0.6, 0.8, 1.0);
    }

    @Test
    void sixteenBitGrayPngIsScaledByItsDepth() throws IOException {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
        img.getRaster().setSample(0, 0, 0, 65535);
        img.getRaster().setSample(1, 0, 0, 13107);
        Path f = Files.createDirectory(dir.resolve("g16"));
        ImageIO.write(img, "png", f.resolve("a.png").toFile());
        assertThat(ClipReader.read(f).data().data).containsExactly(1.0, 0.2);
    }
}
