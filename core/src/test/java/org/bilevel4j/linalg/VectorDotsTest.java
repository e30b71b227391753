package org.bilevel4j.linalg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorDots} against the order of sums its Javadoc states, bit for bit: lane q of a column's
 * vector sums {@code fma(v[i], c[i], .)} over the rows {@code i = j + q + t L} of the whole vectors in
 * increasing t, the lanes are added in lane order from 0, and that is added to the plain sum of the rows
 * past the last whole vector. Row ranges of every length from 0 to 3L + 1 and every start 0 to L + 1, so
 * that the vector loop runs zero, one and several times and the tail takes 0 to L - 1 rows.
 */
class VectorDotsTest {

    @BeforeEach
    void module() {
        assumeThat(PanelKernels.AVAILABLE).as("the Vector API module is not resolved").isTrue();
    }

    /** The documented sum of v[j:rows] . w[j:rows]. */
    private static double expected(double[] v, double[] w, int j, int rows) {
        int lanes = VectorDots.lanes();
        int whole = (rows - j) / lanes * lanes;
        double[] acc = new double[lanes];
        for (int i = j; i < j + whole; i++) {
            acc[(i - j) % lanes] = Math.fma(v[i], w[i], acc[(i - j) % lanes]);
        }
        double laneSum = 0;
        for (double a : acc) {
            laneSum += a;
        }
        double tail = 0;
        for (int i = j + whole; i < rows; i++) {
            tail += v[i] * w[i];
        }
        return laneSum + tail;
    }

    @Test
    void sumsFollowTheLanesThenTheTailBitForBit() {
        int lanes = VectorDots.lanes();
        assertThat(lanes).isPositive();
        SplittableRandom rnd = new SplittableRandom(5);
        int n = 4 * lanes + 4;
        double[] v = new double[n];
        double[][] c = new double[10][n];
        for (int i = 0; i < n; i++) {
            v[i] = rnd.nextDouble(-1, 1) * Math.scalb(1.0, rnd.nextInt(-20, 20));
            for (double[] col : c) {
                col[i] = rnd.nextDouble(-1, 1) * Math.scalb(1.0, rnd.nextInt(-20, 20));
            }
        }
        double[] out = new double[8];
        for (int j = 0; j <= lanes + 1; j++) {
            for (int len = 0; len <= 3 * lanes + 1 && j + len <= n; len++) {
                int rows = j + len;
                VectorDots.dots8(v, c, 2, j, rows, out);
                for (int q = 0; q < 8; q++) {
                    assertThat(out[q]).as("dots8 column %d, rows [%d, %d)", q, j, rows)
                            .isEqualTo(expected(v, c[2 + q], j, rows));
                }
                VectorDots.dots4(v, c, 1, j, rows, out);
                for (int q = 0; q < 4; q++) {
                    assertThat(out[q]).as("dots4 column %d, rows [%d, %d)", q, j, rows)
                            .isEqualTo(expected(v, c[1 + q], j, rows));
                }
                assertThat(VectorDots.dot(v, c[9], j, rows)).as("dot, rows [%d, %d)", j, rows)
                        .isEqualTo(expected(v, c[9], j, rows));
            }
        }
    }
}
