package org.bilevel4j.apps.video;

import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.ejml.data.DMatrixRMaj;

/**
 * A small clip generated in code, so that the video experiment runs on a fresh machine: a static
 * textured background (a few seeded sinusoidal gratings plus fixed fine-grained noise, in
 * [0.2, 0.8]) with {@code objects} moving discs (constant velocity, bouncing off the borders, gray
 * level 0.05 or 0.95). The background is rank one across frames, the discs are sparse: the ideal
 * input of a low-rank plus sparse separation.
 */
public final class SyntheticClip {

    private SyntheticClip() {
    }

    /**
     * @param height the frame height in pixels
     * @param width the frame width in pixels
     * @param frames the number of frames
     * @param objects the number of moving objects
     * @param seed the seed of the random generator
     * @return a clip named "synthetic" with the given size, seeded (L64X128MixRandom)
     */
    public static Clip generate(int height, int width, int frames, int objects, long seed) {
        if (height < 4 || width < 4 || frames < 1 || objects < 0) {
            throw new IllegalArgumentException("need at least 4 x 4 pixels, 1 frame and 0 objects");
        }
        RandomGenerator rnd = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
        double[] bg = new double[height * width];
        int gratings = 3;
        double[][] g = new double[gratings][4];
        for (double[] gi : g) {
            gi[0] = rnd.nextDouble(0.5, 3.0) * 2 * Math.PI / width;
            gi[1] = rnd.nextDouble(0.5, 3.0) * 2 * Math.PI / height;
            gi[2] = rnd.nextDouble(0, 2 * Math.PI);
            gi[3] = rnd.nextDouble(0.05, 0.1);
        }
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double v = 0.5;
                for (double[] gi : g) {
                    v += gi[3] * Math.sin(gi[0] * x + gi[1] * y + gi[2]);
                }
                v += 0.03 * (rnd.nextDouble() - 0.5);
                bg[y * width + x] = Math.min(0.8, Math.max(0.2, v));
            }
        }
        double[][] obj = new double[objects][6];
        for (double[] o : obj) {
            o[0] = rnd.nextDouble(0, height);
            o[1] = rnd.nextDouble(0, width);
            o[2] = rnd.nextDouble(-1.5, 1.5);
            o[3] = rnd.nextDouble(0.8, 2.0) * (rnd.nextBoolean() ? 1 : -1);
            o[4] = Math.max(1.5, Math.min(height, width) * rnd.nextDouble(0.06, 0.12));
            o[5] = rnd.nextBoolean() ? 0.95 : 0.05;
        }
        DMatrixRMaj d = new DMatrixRMaj(height * width, frames);
        for (int t = 0; t < frames; t++) {
            for (int p = 0; p < height * width; p++) {
                d.data[p * frames + t] = bg[p];
            }
            for (double[] o : obj) {
                int r = (int) Math.ceil(o[4]);
                for (int y = Math.max(0, (int) o[0] - r); y <= Math.min(height - 1, (int) o[0] + r); y++) {
                    for (int x = Math.max(0, (int) o[1] - r); x <= Math.min(width - 1, (int) o[1] + r); x++) {
                        double dy = y - o[0];
                        double dx = x - o[1];
                        if (dy * dy + dx * dx <= o[4] * o[4]) {
                            d.data[(y * width + x) * frames + t] = o[5];
                        }
                    }
                }
                o[0] += o[2];
                o[1] += o[3];
                if (o[0] < 0 || o[0] >= height) {
                    o[2] = -o[2];
                    o[0] = Math.min(height - 1, Math.max(0, o[0]));
                }
                if (o[1] < 0 || o[1] >= width) {
                    o[3] = -o[3];
                    o[1] = Math.min(width - 1, Math.max(0, o[1]));
                }
            }
        }
        return new Clip("synthetic", d, height, width);
    }
}
