package org.bilevel4j.problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class BalanceCouplingTest {

    private static DMatrixRMaj random(int r, int c, SplittableRandom rnd) {
        DMatrixRMaj m = new DMatrixRMaj(r, c);
        for (int i = 0; i < m.getNumElements(); i++) {
            m.data[i] = 10 * rnd.nextDouble() - 5;
        }
        return m;
    }

    @Test
    void gradientsMatchCentralDifferences() {
        SplittableRandom rnd = new SplittableRandom(7);
        BalanceCoupling h = new BalanceCoupling(4, 3, 5, 2.5);
        DMatrixRMaj x = random(4, 5, rnd);
        DMatrixRMaj y = random(3, 5, rnd);
        DMatrixRMaj gx = new DMatrixRMaj(4, 5);
        DMatrixRMaj gy = new DMatrixRMaj(3, 5);
        h.gradientX(x, y, gx);
        h.gradientY(x, y, gy);
        double step = 1e-5;
        for (int i = 0; i < x.getNumElements(); i++) {
            double v = x.data[i];
            x.data[i] = v + step;
            double up = h.value(x, y);
            x.data[i] = v - step;
            double down = h.value(x, y);
            x.data[i] = v;
            assertThat(gx.data[i]).isCloseTo((up - down) / (2 * step), within(1e-5 * Math.max(1, Math.abs(up))));
        }
        for (int i = 0; i < y.getNumElements(); i++) {
            double v = y.data[i];
            y.data[i] = v + step;
            double up = h.value(x, y);
            y.data[i] = v - step;
            double down = h.value(x, y);
            y.data[i] = v;
            assertThat(gy.data[i]).isCloseTo((up - down) / (2 * step), within(1e-5 * Math.max(1, Math.abs(up))));
        }
    }

    @Test
    void lipschitzConstantsBoundTheGradientChange() {
        SplittableRandom rnd = new SplittableRandom(11);
        BalanceCoupling h = new BalanceCoupling(4, 3, 5, 2.5);
        DMatrixRMaj y = random(3, 5, rnd);
        for (int k = 0; k < 20; k++) {
            DMatrixRMaj x1 = random(4, 5, rnd);
            DMatrixRMaj x2 = random(4, 5, rnd);
            DMatrixRMaj g1 = new DMatrixRMaj(4, 5);
            DMatrixRMaj g2 = new DMatrixRMaj(4, 5);
            h.gradientX(x1, y, g1);
            h.gradientX(x2, y, g2);
            double dg = 0;
            double dx = 0;
            for (int i = 0; i < 20; i++) {
                dg += Math.pow(g1.data[i] - g2.data[i], 2);
                dx += Math.pow(x1.data[i] - x2.data[i], 2);
            }
            assertThat(Math.sqrt(dg)).isLessThanOrEqualTo(h.lipschitzX(y) * Math.sqrt(dx) * (1 + 1e-12));
        }
        // the bound is attained by a change along the all-ones direction of one period
        assertThat(h.lipschitzX(y)).isEqualTo(2.5 * 4);
        assertThat(h.jointLipschitz()).isEqualTo(2.5 * 7);
    }
}
