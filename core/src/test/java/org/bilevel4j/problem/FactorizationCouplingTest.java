package org.bilevel4j.problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.bilevel4j.linalg.MatOps;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

class FactorizationCouplingTest {

    private static DMatrixRMaj random(int r, int c, SplittableRandom rnd) {
        DMatrixRMaj a = new DMatrixRMaj(r, c);
        for (int i = 0; i < a.getNumElements(); i++) {
            a.data[i] = rnd.nextDouble(-1, 1);
        }
        return a;
    }

    /** 1/2 ||XY - M||^2 from the definition, with the m x n residual formed explicitly. */
    private static double direct(DMatrixRMaj m, DMatrixRMaj x, DMatrixRMaj y) {
        DMatrixRMaj xy = new DMatrixRMaj(m.numRows, m.numCols);
        CommonOps_DDRM.mult(x, y, xy);
        CommonOps_DDRM.subtractEquals(xy, m);
        return 0.5 * MatOps.normSq(xy);
    }

    @Test
    void valueMatchesDefinitionOnBothPaths() {
        SplittableRandom rnd = new SplittableRandom(1);
        DMatrixRMaj m = random(30, 20, rnd);
        DMatrixRMaj x = random(30, 4, rnd);
        DMatrixRMaj y = random(4, 20, rnd);
        FactorizationCoupling h = new FactorizationCoupling(m, 4);
        double expected = direct(m, x, y);
        assertThat(h.exactValues()).isTrue();
        assertThat(h.value(x, y)).isCloseTo(expected, within(1e-12 * expected));
        assertThat(h.residualValue(x, y)).isCloseTo(expected, within(1e-12 * expected));
        // the Gram identity used for large matrices
        DMatrixRMaj p = new DMatrixRMaj(30, 4);
        CommonOps_DDRM.multTransB(m, y, p);
        DMatrixRMaj gy = new DMatrixRMaj(4, 4);
        CommonOps_DDRM.multTransB(y, y, gy);
        DMatrixRMaj gx = new DMatrixRMaj(4, 4);
        CommonOps_DDRM.multTransA(x, x, gx);
        assertThat(h.valueFromProducts(x, y, p, gy, gx)).isCloseTo(expected, within(1e-10 * expected));
    }

    @Test
    void gradientsMatchCentralDifferences() {
        SplittableRandom rnd = new SplittableRandom(2);
        DMatrixRMaj m = random(7, 6, rnd);
        DMatrixRMaj x = random(7, 3, rnd);
        DMatrixRMaj y = random(3, 6, rnd);
        FactorizationCoupling h = new FactorizationCoupling(m, 3);
        DMatrixRMaj gx = new DMatrixRMaj(7, 3);
        DMatrixRMaj gy = new DMatrixRMaj(3, 6);
        h.gradientX(x, y, gx);
        h.gradientY(x, y, gy);
        double eps = Math.cbrt(Math.ulp(1.0));
        for (int i = 0; i < x.getNumElements(); i++) {
            double old = x.data[i];
            double step = eps * Math.max(1, Math.abs(old));
            x.data[i] = old + step;
            double fp = direct(m, x, y);
            x.data[i] = old - step;
            double fm = direct(m, x, y);
            x.data[i] = old;
            assertThat(gx.data[i]).as("dH/dX[%d]", i).isCloseTo((fp - fm) / (2 * step), within(1e-7));
        }
        for (int i = 0; i < y.getNumElements(); i++) {
            double old = y.data[i];
            double step = eps * Math.max(1, Math.abs(old));
            y.data[i] = old + step;
            double fp = direct(m, x, y);
            y.data[i] = old - step;
            double fm = direct(m, x, y);
            y.data[i] = old;
            assertThat(gy.data[i]).as("dH/dY[%d]", i).isCloseTo((fp - fm) / (2 * step), within(1e-7));
        }
    }

    @Test
    void lipschitzConstantsBoundGradientDifferencesAndAreAttained() {
        SplittableRandom rnd = new SplittableRandom(3);
        DMatrixRMaj m = random(9, 8, rnd);
        DMatrixRMaj y = random(3, 8, rnd);
        FactorizationCoupling h = new FactorizationCoupling(m, 3);
        double lx = h.lipschitzX(y);
        DMatrixRMaj g1 = new DMatrixRMaj(9, 3);
        DMatrixRMaj g2 = new DMatrixRMaj(9, 3);
        double best = 0;
        for (int trial = 0; trial < 200; trial++) {
            DMatrixRMaj x1 = random(9, 3, rnd);
            DMatrixRMaj x2 = random(9, 3, rnd);
            h.gradientX(x1, y, g1);
            h.gradientX(x2, y, g2);
            double ratio = MatOps.distance(g1, g2) / MatOps.distance(x1, x2);
            assertThat(ratio).isLessThanOrEqualTo(lx * (1 + 1e-12));
            best = Math.max(best, ratio);
        }
        // grad_X is X -> X (Y Y^T) - M Y^T: the bound is attained along the top eigenvector
        assertThat(best).isGreaterThan(0.3 * lx);
        // grad_Y is Y -> (X^T X) Y - X^T M: Lipschitz with ||X^T X||_2 = ||X||_2^2
        DMatrixRMaj x = random(9, 3, rnd);
        assertThat(h.lipschitzY(x)).isCloseTo(Math.pow(MatOps.spectralNorm(x), 2), within(1e-10));
        DMatrixRMaj gy1 = new DMatrixRMaj(3, 8);
        DMatrixRMaj gy2 = new DMatrixRMaj(3, 8);
        for (int trial = 0; trial < 50; trial++) {
            DMatrixRMaj y1 = random(3, 8, rnd);
            DMatrixRMaj y2 = random(3, 8, rnd);
            h.gradientY(x, y1, gy1);
            h.gradientY(x, y2, gy2);
            assertThat(MatOps.distance(gy1, gy2)).isLessThanOrEqualTo(h.lipschitzY(x) * MatOps.distance(y1, y2) * (1 + 1e-12));
        }
    }

    @Test
    void rejectsBadRankAndNonFiniteData() {
        DMatrixRMaj m = new DMatrixRMaj(4, 3);
        assertThatThrownBy(() -> new FactorizationCoupling(m, 0)).hasMessageContaining("between 1 and min(m, n) = 3");
        assertThatThrownBy(() -> new FactorizationCoupling(m, 4)).hasMessageContaining("got 4");
        m.set(1, 2, Double.NaN);
        assertThatThrownBy(() -> new FactorizationCoupling(m, 2)).hasMessageContaining("row 2, column 3");
    }

    @Test
    void shapeMismatchNamesTheBlock() {
        FactorizationCoupling h = new FactorizationCoupling(new DMatrixRMaj(5, 4), 2);
        assertThatThrownBy(() -> h.value(new DMatrixRMaj(5, 3), new DMatrixRMaj(2, 4)))
                .hasMessage("X is 5x3, expected 5x2");
    }

    @Test
    void scaledStartMinimizesTheResidualOverTheScaleAndKeepsTheFactorsBalanced() {
        SplittableRandom rnd = new SplittableRandom(3);
        DMatrixRMaj m = new DMatrixRMaj(40, 25);
        for (int i = 0; i < m.data.length; i++) {
            m.data[i] = rnd.nextDouble();
        }
        FactorizationCoupling h = new FactorizationCoupling(m, 3);
        DMatrixRMaj x = new DMatrixRMaj(40, 3);
        DMatrixRMaj y = new DMatrixRMaj(3, 25);
        for (int i = 0; i < x.data.length; i++) {
            x.data[i] = rnd.nextDouble();
        }
        for (int i = 0; i < y.data.length; i++) {
            y.data[i] = rnd.nextDouble();
        }
        DMatrixRMaj x0 = x.copy();
        DMatrixRMaj y0 = y.copy();
        BlockIterate s = h.scaledToData(new BlockIterate(x, y));
        assertThat(x.data).isEqualTo(x0.data);
        assertThat(y.data).isEqualTo(y0.data);
        // the same factor on both blocks
        double f = s.x().data[0] / x.data[0];
        for (int i = 0; i < x.data.length; i++) {
            assertThat(s.x().data[i]).isCloseTo(f * x.data[i], within(1e-14));
        }
        for (int i = 0; i < y.data.length; i++) {
            assertThat(s.y().data[i]).isCloseTo(f * y.data[i], within(1e-14));
        }
        // optimality of the scale: d/dc 1/2||c XY - M||^2 at the scaled point is <XY, XY - M> = 0
        DMatrixRMaj xy = new DMatrixRMaj(40, 25);
        CommonOps_DDRM.mult(s.x(), s.y(), xy);
        DMatrixRMaj res = xy.copy();
        CommonOps_DDRM.subtractEquals(res, m);
        assertThat(MatOps.dot(xy, res)).isCloseTo(0.0, within(1e-10 * MatOps.normSq(m)));
        // and the value is below that of any nearby scale
        double v = direct(m, s.x(), s.y());
        for (double c : new double[] {0.9, 0.99, 1.01, 1.1}) {
            DMatrixRMaj xc = s.x().copy();
            CommonOps_DDRM.scale(c, xc);
            assertThat(direct(m, xc, s.y())).isGreaterThan(v);
        }
        // a uniform [0, 1) start of rank 3 has products near 3/4, the data's mean is near 1/2
        assertThat(f * f).isBetween(0.5, 0.8);
    }

    @Test
    void scaledStartNeedsAPositiveInnerProduct() {
        DMatrixRMaj m = new DMatrixRMaj(4, 3);
        CommonOps_DDRM.fill(m, -1);
        FactorizationCoupling h = new FactorizationCoupling(m, 1);
        DMatrixRMaj x = new DMatrixRMaj(4, 1);
        DMatrixRMaj y = new DMatrixRMaj(1, 3);
        CommonOps_DDRM.fill(x, 1);
        CommonOps_DDRM.fill(y, 1);
        assertThatThrownBy(() -> h.scaledToData(new BlockIterate(x, y)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot scale");
    }
}
