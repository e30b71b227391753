package org.bilevel4j.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import javax.imageio.ImageIO;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;

/** Sparsity pictures and the convergence chart. */
class PlotsTest {

    private static int gray(BufferedImage img, int x, int y) {
        return img.getRGB(x, y) & 0xff;
    }

    @Test
    void smallMatricesGetOneBlockPerEntryNonzerosDarkZerosWhite() {
        DMatrixRMaj a = new DMatrixRMaj(new double[][] {{1, 0, 0}, {0, -2, 1e-9}});
        BufferedImage img = Plots.sparsityPattern(a, 1e-6);
        Plots.Layout l = Plots.layout(2, 3);
        assertThat(img.getWidth()).isEqualTo(l.width());
        assertThat(img.getHeight()).isEqualTo(l.height());
        assertThat(l.rowsPerCell()).isEqualTo(1);
        assertThat(l.cellWidth()).isGreaterThanOrEqualTo(6);
        // sample the middle of each cell
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                int g = gray(img, j * l.cellWidth() + l.cellWidth() / 2, i * l.cellHeight() + l.cellHeight() / 2);
                boolean nonzero = Math.abs(a.get(i, j)) > 1e-6;
                assertThat(g).as("cell (%d, %d)", i, j).isEqualTo(nonzero ? 0 : 255);
            }
        }
    }

    @Test
    void tallFactorsArePooledIntoAReadablePicture() {
        int m = 76_800;
        int r = 10;
        DMatrixRMaj x = new DMatrixRMaj(m, r);
        // column j has nonzeros in the first (j + 1) / 10 of its rows; row block pattern is visible
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < r; j++) {
                x.set(i, j, i < (long) m * (j + 1) / r ? 1.0 : 0.0);
            }
        }
        Plots.Layout l = Plots.layout(m, r);
        assertThat(l.height()).isBetween(600, 1300);
        assertThat(l.width()).isBetween(Plots.MIN_SIDE, 400);
        assertThat(l.rowsPerCell()).isEqualTo(64);
        BufferedImage img = Plots.sparsityPattern(x, 0);
        assertThat(img.getHeight()).isEqualTo(l.height());
        // top rows: every column nonzero -> black; bottom rows: only the last column nonzero
        assertThat(gray(img, l.cellWidth() / 2, 0)).isEqualTo(0);
        assertThat(gray(img, l.cellWidth() / 2, l.height() - 1)).isEqualTo(255);
        assertThat(gray(img, l.width() - 1 - l.cellWidth() / 2, l.height() - 1)).isEqualTo(0);
    }

    @Test
    void pooledCellsShowTheFractionOfNonzeros() {
        DMatrixRMaj a = new DMatrixRMaj(2400, 1);
        for (int i = 0; i < 2400; i += 2) {
            a.set(i, 0, 1.0); // every other row: half of each pooled cell
        }
        BufferedImage img = Plots.sparsityPattern(a, 0);
        assertThat(Plots.layout(2400, 1).rowsPerCell()).isEqualTo(2);
        assertThat(gray(img, 0, 0)).isBetween(126, 129);
    }

    @Test
    void convergenceChartIsLogScaleForPositiveValuesAndSkipsNonFinitePoints() throws IOException {
        double[] it = {1, 2, 3, 4};
        XYChart c = Plots.lineChart("t", "iteration", "objective", List.of(
                new Plots.Series("a", it, new double[] {10, 5, 2, 1}, false),
                new Plots.Series("b", it, new double[] {8, Double.NaN, 3, 2}, true)));
        assertThat(c.getStyler().isYAxisLogarithmic()).isTrue();
        assertThat(c.getSeriesMap().get("b").getXData()).hasSize(3);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        Plots.writePng(c, png);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png.toByteArray()));
        assertThat(img.getWidth()).isEqualTo(900);
        XYChart lin = Plots.lineChart("t", "iteration", "objective", List.of(
                new Plots.Series("a", it, new double[] {1, 0, -1, 2}, false)));
        assertThat(lin.getStyler().isYAxisLogarithmic()).isFalse();
    }

    @Test
    void longCurvesAreThinned() {
        double[] x = new double[100_001];
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = i + 1;
            y[i] = 1.0 / (i + 1);
        }
        double[][] t = Plots.thin(x, y, true);
        assertThat(t[0].length).isLessThanOrEqualTo(Plots.MAX_POINTS + 1);
        assertThat(t[0][0]).isEqualTo(1);
        assertThat(t[0][t[0].length - 1]).isEqualTo(x.length);
    }
}
