package org.bilevel4j.apps.video;

import java.io.IOException;

/** Frames of one opened clip file, at full resolution, read one at a time. */
interface FrameSource {

    /** @return the number of frames in the file */
    int frames();

    /** @return frame height */
    int height();

    /** @return frame width */
    int width();

    /**
     * Reads frame t, grayscale in [0, 1], row-major: {@code out[y * width + x]}.
     *
     * @throws ClipException if the frame cannot be read
     */
    void read(int t, double[] out) throws IOException;
}
