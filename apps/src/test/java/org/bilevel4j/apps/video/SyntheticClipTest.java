package org.bilevel4j.apps.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.api.Test;

/**
 * The synthetic clip against its model, written out here from the class's description with the
 * draws in the documented order (L64X128MixRandom from the seed):
 * <pre>
 *   3 gratings, each kx = U[0.5, 3) 2 pi / W, ky = U[0.5, 3) 2 pi / H, phase U[0, 2 pi), amplitude U[0.05, 0.1)
 *   background(y, x) = clip(0.5 + sum_g a_g sin(kx_g x + ky_g y + phase_g) + 0.03 (U[0, 1) - 0.5), 0.2, 0.8),
 *                      one U per pixel in row-major order
 *   object: centre y U[0, H), x U[0, W); velocity vy U[-1.5, 1.5), vx U[0.8, 2) with a random sign;
 *           radius max(1.5, min(H, W) U[0.06, 0.12)); gray 0.95 or 0.05 by a random boolean
 *   frame t: the background, then each object's disc (pixels within the radius of its centre, later
 *            objects on top); then every centre moves by its velocity and, where it left [0, H) or
 *            [0, W), its velocity component changes sign and the centre is clamped to [0, H - 1] or [0, W - 1]
 * </pre>
 * The discs are found here by testing every pixel of the frame.
 */
class SyntheticClipTest {

    private static double[][] model(int h, int w, int frames, int objects, long seed) {
        RandomGenerator rnd = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
        double[][] grating = new double[3][];
        for (int g = 0; g < 3; g++) {
            double kx = rnd.nextDouble(0.5, 3.0) * 2 * Math.PI / w;
            double ky = rnd.nextDouble(0.5, 3.0) * 2 * Math.PI / h;
            double phase = rnd.nextDouble(0, 2 * Math.PI);
            double amplitude = rnd.nextDouble(0.05, 0.1);
            grating[g] = new double[] {kx, ky, phase, amplitude};
        }
        double[] background = new double[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double v = 0.5;
                for (double[] g : grating) {
                    v += g[3] * Math.sin(g[0] * x + g[1] * y + g[2]);
                }
                v += 0.03 * (rnd.nextDouble() - 0.5);
                background[y * w + x] = Math.max(0.2, Math.min(0.8, v));
            }
        }
        double[] cy = new double[objects];
        double[] cx = new double[objects];
        double[] vy = new double[objects];
        double[] vx = new double[objects];
        double[] radius = new double[objects];
        double[] gray = new double[objects];
        for (int o = 0; o < objects; o++) {
            cy[o] = rnd.nextDouble(0, h);
            cx[o] = rnd.nextDouble(0, w);
            vy[o] = rnd.nextDouble(-1.5, 1.5);
            double speed = rnd.nextDouble(0.8, 2.0);
            vx[o] = rnd.nextBoolean() ? speed : -speed;
            radius[o] = Math.max(1.5, Math.min(h, w) * rnd.nextDouble(0.06, 0.12));
            gray[o] = rnd.nextBoolean() ? 0.95 : 0.05;
        }
        double[][] out = new double[frames][];
        for (int t = 0; t < frames; t++) {
            double[] f = background.clone();
            for (int o = 0; o < objects; o++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        if ((y - cy[o]) * (y - cy[o]) + (x - cx[o]) * (x - cx[o]) <= radius[o] * radius[o]) {
                            f[y * w + x] = gray[o];
                        }
                    }
                }
                cy[o] += vy[o];
                cx[o] += vx[o];
                if (cy[o] < 0 || cy[o] >= h) {
                    vy[o] = -vy[o];
                    cy[o] = Math.max(0, Math.min(h - 1, cy[o]));
                }
                if (cx[o] < 0 || cx[o] >= w) {
                    vx[o] = -vx[o];
                    cx[o] = Math.max(0, Math.min(w - 1, cx[o]));
                }
            }
            out[t] = f;
        }
        return out;
    }

    @Test
    void everyFrameFollowsTheModel() {
        int[][] sizes = {{12, 10, 40, 3, 7}, {20, 33, 25, 5, 11}, {4, 4, 6, 1, 2}, {9, 16, 30, 0, 3}};
        for (int[] s : sizes) {
            Clip c = SyntheticClip.generate(s[0], s[1], s[2], s[3], s[4]);
            assertThat(c.name()).isEqualTo("synthetic");
            assertThat(c.height()).isEqualTo(s[0]);
            assertThat(c.width()).isEqualTo(s[1]);
            assertThat(c.frames()).isEqualTo(s[2]);
            double[][] want = model(s[0], s[1], s[2], s[3], s[4]);
            for (int t = 0; t < s[2]; t++) {
                for (int p = 0; p < s[0] * s[1]; p++) {
                    assertThat(c.data().get(p, t)).as("size %dx%d, frame %d, pixel %d", s[0], s[1], t, p)
                            .isCloseTo(want[t][p], within(1e-12));
                }
            }
        }
    }

    @Test
    void theObjectsMoveOverAStaticBackgroundAndBounceOffTheBorders() {
        int h = 12;
        int w = 10;
        int frames = 60;
        Clip c = SyntheticClip.generate(h, w, frames, 2, 7);
        Clip still = SyntheticClip.generate(h, w, frames, 0, 7);
        int covered = 0;
        boolean[] touched = new boolean[4];
        for (int t = 0; t < frames; t++) {
            for (int p = 0; p < h * w; p++) {
                double v = c.data().get(p, t);
                double b = still.data().get(p, 0);
                assertThat(still.data().get(p, t)).isEqualTo(b); // rank one without objects
                assertThat(b).isBetween(0.2, 0.8);
                if (v != b) {
                    assertThat(v).isIn(0.05, 0.95);
                    covered++;
                    int y = p / w;
                    int x = p % w;
                    touched[0] |= y == 0;
                    touched[1] |= y == h - 1;
                    touched[2] |= x == 0;
                    touched[3] |= x == w - 1;
                }
            }
        }
        // the discs cover a small part of the clip and, bouncing, reach every border over 60 frames
        assertThat(covered).isPositive().isLessThan(h * w * frames / 4);
        assertThat(touched).containsOnly(true);
        // seeded
        assertThat(SyntheticClip.generate(h, w, frames, 2, 7).data().data).isEqualTo(c.data().data);
        assertThat(SyntheticClip.generate(h, w, frames, 2, 8).data().data).isNotEqualTo(c.data().data);
    }

    @Test
    void sizesBelowTheMinimumAreRefused() {
        assertThat(SyntheticClip.generate(4, 4, 1, 0, 1).pixels()).isEqualTo(16);
        int[][] bad = {{3, 4, 1, 0}, {4, 3, 1, 0}, {4, 4, 0, 0}, {4, 4, 1, -1}};
        for (int[] b : bad) {
            assertThatThrownBy(() -> SyntheticClip.generate(b[0], b[1], b[2], b[3], 1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("need at least 4 x 4 pixels, 1 frame and 0 objects");
        }
    }
}
