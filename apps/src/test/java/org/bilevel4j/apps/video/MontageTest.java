package org.bilevel4j.apps.video;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Montages pixel by pixel: every pixel of the image is computed here from where it falls (a 2-pixel
 * white gap, then tiles of {@code zoom x zoom} blocks, one tile per column of a row's matrix), with
 * the gray level {@code round(255 clip(v / scale, 0, 1))}.
 */
class MontageTest {

    @TempDir
    Path dir;

    /** The gray level the montage must show at image pixel (x, y). */
    private static int expected(List<Montage.Row> rows, int height, int width, int zoom, int x, int y) {
        int tw = width * zoom;
        int th = height * zoom;
        if (x < 2 || y < 2) {
            return 255;
        }
        int c = (x - 2) / (tw + 2);
        int ox = (x - 2) % (tw + 2);
        int r = (y - 2) / (th + 2);
        int oy = (y - 2) % (th + 2);
        if (ox >= tw || oy >= th || r >= rows.size() || c >= rows.get(r).frames().numCols) {
            return 255;
        }
        Montage.Row row = rows.get(r);
        int px = ox / zoom;
        int py = oy / zoom;
        double v = row.frames().get(py * width + px, c);
        double level = row.scale() > 0 ? v / row.scale() : 0;
        return (int) Math.round(255 * Math.min(1, Math.max(0, level)));
    }

    private static void assertPixels(BufferedImage img, List<Montage.Row> rows, int height, int width, int zoom) {
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                assertThat(img.getRaster().getSample(x, y, 0)).as("pixel (%d, %d)", x, y)
                        .isEqualTo(expected(rows, height, width, zoom, x, y));
            }
        }
    }

    /** A pixels x n matrix whose entries differ (some above 1 and some negative, to be clipped). */
    private static DMatrixRMaj frames(int pixels, int n, double offset) {
        DMatrixRMaj m = new DMatrixRMaj(pixels, n);
        for (int i = 0; i < pixels; i++) {
            for (int j = 0; j < n; j++) {
                m.set(i, j, offset + 0.13 * i - 0.21 * j + 0.017 * i * j);
            }
        }
        return m;
    }

    @Test
    void tilesGapsZoomAndGrayLevelsArePixelExact() {
        int height = 2;
        int width = 3;
        int zoom = 2;
        List<Montage.Row> rows = List.of(new Montage.Row(frames(6, 3, 0.1), 1.0),
                new Montage.Row(frames(6, 2, -0.2), 2.0), new Montage.Row(frames(6, 1, 0.3), 0.0),
                new Montage.Row(frames(6, 2, 0.5), 0.5));
        BufferedImage img = Montage.draw(rows, height, width, zoom);
        assertThat(img.getWidth()).isEqualTo(3 * 6 + 4 * 2);
        assertThat(img.getHeight()).isEqualTo(4 * 4 + 5 * 2);
        assertThat(img.getType()).isEqualTo(BufferedImage.TYPE_BYTE_GRAY);
        assertPixels(img, rows, height, width, zoom);
        // spot checks of the rule itself: row 0, tile 1, pixel (py, px) = (1, 2) enlarged at (2 + 8 + 4, 2 + 2)
        double v = 0.1 + 0.13 * 5 - 0.21 + 0.017 * 5;
        assertThat(img.getRaster().getSample(2 + 8 + 4, 2 + 2, 0)).isEqualTo((int) Math.round(255 * v));
        assertThat(img.getRaster().getSample(2 + 8 + 5, 2 + 3, 0)).isEqualTo((int) Math.round(255 * v));
        // the row of scale 0 is black, the gap after it white
        assertThat(img.getRaster().getSample(2, 2 + 2 * 6, 0)).isZero();
        assertThat(img.getRaster().getSample(2 + 6, 2 + 2 * 6, 0)).isEqualTo(255);
        // one zoom level: a 1 x 1 image per pixel
        List<Montage.Row> one = List.of(new Montage.Row(frames(6, 2, 0.05), 0.8));
        BufferedImage small = Montage.draw(one, height, width, 1);
        assertThat(small.getWidth()).isEqualTo(2 * 3 + 3 * 2);
        assertPixels(small, one, height, width, 1);
    }

    @Test
    void columnsEvenSpacingZoomAndMax() {
        DMatrixRMaj m = new DMatrixRMaj(new double[][] {{1, -2, 3, -4}, {-5, 6, -7, 8}, {9, -10, 11, -12}});
        DMatrixRMaj c = Montage.columns(m, new int[] {3, 0, 3}, false);
        assertThat(c.numRows).isEqualTo(3);
        assertThat(c.numCols).isEqualTo(3);
        assertThat(c.data).containsExactly(-4, 1, -4, 8, -5, 8, -12, 9, -12);
        assertThat(Montage.columns(m, new int[] {1, 2}, true).data).containsExactly(2, 3, 6, 7, 10, 11);
        assertThat(m.get(0, 1)).isEqualTo(-2); // not modified
        assertThat(Montage.evenlySpaced(10, 4)).containsExactly(0, 3, 6, 9);
        assertThat(Montage.evenlySpaced(10, 3)).containsExactly(0, 5, 9);
        assertThat(Montage.evenlySpaced(7, 3)).containsExactly(0, 3, 6);
        assertThat(Montage.evenlySpaced(3, 6)).containsExactly(0, 1, 2);
        assertThat(Montage.evenlySpaced(5, 1)).containsExactly(0);
        assertThat(Montage.evenlySpaced(51, 6)).containsExactly(0, 10, 20, 30, 40, 50);
        assertThat(Montage.zoomFor(1)).isEqualTo(8);
        assertThat(Montage.zoomFor(12)).isEqualTo(8);
        assertThat(Montage.zoomFor(13)).isEqualTo(7);
        assertThat(Montage.zoomFor(48)).isEqualTo(2);
        assertThat(Montage.zoomFor(96)).isEqualTo(1);
        assertThat(Montage.zoomFor(500)).isEqualTo(1);
        assertThat(Montage.zoomFor(0)).isEqualTo(8);
        assertThat(Montage.max(m)).isEqualTo(11);
        assertThat(Montage.max(new DMatrixRMaj(new double[][] {{-1, -2}}))).isZero();
        assertThat(Montage.max(new DMatrixRMaj(0, 0))).isZero();
    }

    @Test
    void observationShowsTheClipAndWithAReferenceL0AndTheObservation() {
        int height = 2;
        int width = 2;
        DMatrixRMaj clip = frames(4, 5, 0.1);
        DMatrixRMaj clean = frames(4, 5, 0.2);
        DMatrixRMaj observed = frames(4, 5, 0.3);
        int[] shown = {4, 1};
        BufferedImage plain = Montage.observation(clip, Corruption.none(clip), shown, height, width, 3);
        assertPixels(plain, List.of(new Montage.Row(Montage.columns(clip, shown, false), 1.0)), height, width, 3);
        assertThat(plain.getHeight()).isEqualTo(6 + 2 * 2);
        BufferedImage ref = Montage.observation(clip, new Corruption.Observation(observed, clean, 3), shown, height,
                width, 3);
        assertThat(ref.getHeight()).isEqualTo(3 * 6 + 4 * 2);
        assertPixels(ref, List.of(new Montage.Row(Montage.columns(clip, shown, false), 1.0),
                new Montage.Row(Montage.columns(clean, shown, false), 1.0),
                new Montage.Row(Montage.columns(observed, shown, false), 1.0)), height, width, 3);
    }

    @Test
    void separationScalesTheSparseRowToItsLargestEntry() {
        DMatrixRMaj obs = frames(4, 2, 0.1);
        DMatrixRMaj low = frames(4, 2, 0.05);
        DMatrixRMaj sparse = new DMatrixRMaj(new double[][] {{0.01, 0.02}, {0.04, 0.0}, {0.03, 0.005}, {0, 0.01}});
        BufferedImage img = Montage.separation(obs, low, sparse, 2, 2, 2);
        assertPixels(img, List.of(new Montage.Row(obs, 1.0), new Montage.Row(low, 1.0), new Montage.Row(sparse, 0.04)),
                2, 2, 2);
        // the largest entry, pixel 1 of tile 0 of row 2, is white
        assertThat(img.getRaster().getSample(2 + 2, 2 + 2 * 6, 0)).isEqualTo(255);
        // an all-zero sparse part stays black (scale 1e-12, not 0)
        DMatrixRMaj zero = new DMatrixRMaj(4, 2);
        BufferedImage z = Montage.separation(obs, low, zero, 2, 2, 2);
        assertPixels(z, List.of(new Montage.Row(obs, 1.0), new Montage.Row(low, 1.0), new Montage.Row(zero, 1e-12)),
                2, 2, 2);
        assertThat(z.getRaster().getSample(2, 2 + 2 * 6, 0)).isZero();
    }

    @Test
    void pngBytesAndFilesDecodeToTheSameImage() throws IOException {
        List<Montage.Row> rows = List.of(new Montage.Row(frames(6, 3, 0.1), 1.0));
        BufferedImage img = Montage.draw(rows, 2, 3, 2);
        BufferedImage fromBytes = ImageIO.read(new ByteArrayInputStream(Montage.pngBytes(img)));
        Path f = dir.resolve("m.png");
        Montage.writePng(img, f);
        assertThat(Files.size(f)).isPositive();
        BufferedImage fromFile = ImageIO.read(f.toFile());
        for (BufferedImage back : new BufferedImage[] {fromBytes, fromFile}) {
            assertThat(back.getWidth()).isEqualTo(img.getWidth());
            assertThat(back.getHeight()).isEqualTo(img.getHeight());
            assertPixels(back, rows, 2, 3, 2);
        }
    }
}
