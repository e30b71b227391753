package org.bilevel4j.apps.cleaning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The hyper-cleaning problem's weights {@code sigma(x)}: the sigmoid at both ends of its range, and the
 * memo of the two most recent x never serving the weights of another x, whatever the order of the
 * requests (each value is compared with a fresh problem's).
 */
class HyperCleaningWeightsTest {

    private static final CleaningDataset DATA = CleaningDataset.synthetic(6, 20, 10, 10, 0.5, 0.5, 2);

    @Test
    void theSigmoidIsOneOverOnePlusExpMinusTAndSaturatesWithoutNaN() {
        for (double t : new double[] {-30, -2.5, -0.1, 0, 0.1, 2.5, 30}) {
            assertThat(HyperCleaningProblem.sigmoid(t)).isCloseTo(1 / (1 + Math.exp(-t)), within(1e-15));
        }
        assertThat(HyperCleaningProblem.sigmoid(0)).isEqualTo(0.5);
        assertThat(HyperCleaningProblem.sigmoid(1000)).isEqualTo(1.0);
        assertThat(HyperCleaningProblem.sigmoid(-1000)).isEqualTo(0.0);
        assertThat(HyperCleaningProblem.sigmoid(-40)).isCloseTo(Math.exp(-40), within(1e-30));
    }

    private static DMatrixRMaj x(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        DMatrixRMaj x = new DMatrixRMaj(20, 1);
        for (int i = 0; i < 20; i++) {
            x.data[i] = rnd.nextDouble(-3, 3);
        }
        return x;
    }

    @Test
    void theWeightsMemoServesOnlyTheXItWasComputedFor() {
        HyperCleaningProblem p = new HyperCleaningProblem(DATA, 0.01);
        assertThat(p.ridge()).isEqualTo(0.01);
        DMatrixRMaj y = new DMatrixRMaj(7, 10);
        y.set(0, 3, 0.4);
        y.set(6, 1, -0.2);
        DMatrixRMaj zero = new DMatrixRMaj(20, 1);
        DMatrixRMaj a = x(1);
        DMatrixRMaj b = x(2);
        DMatrixRMaj c = x(3);
        // every order of requests over four x's, the start x = 0 included
        DMatrixRMaj[] order = {a, zero, b, a, c, zero, b, b, zero, a, c, c, a};
        DMatrixRMaj g = new DMatrixRMaj(20, 1);
        DMatrixRMaj h = new DMatrixRMaj(20, 1);
        for (int k = 0; k < order.length; k++) {
            HyperCleaningProblem fresh = new HyperCleaningProblem(DATA, 0.01);
            assertThat(p.lowerSmoothValue(order[k], y)).as("request %d", k)
                    .isEqualTo(fresh.lowerSmoothValue(order[k], y));
            p.lowerSmoothGradientX(order[k], y, g);
            fresh.lowerSmoothGradientX(order[k], y, h);
            assertThat(g.data).as("request %d", k).containsExactly(h.data);
        }
    }
}
