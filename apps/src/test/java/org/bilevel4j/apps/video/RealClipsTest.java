package org.bilevel4j.apps.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import org.bilevel4j.apps.io.SharedData;
import org.junit.jupiter.api.Test;

/**
 * The real clips of shared/data (found by {@link SharedData}); each test skips with a message when the
 * data folder is absent.
 */
class RealClipsTest {

    @Test
    void trafficAviEqualsItsFrameDump() throws Exception {
        Clip avi = ClipReader.read(SharedData.require("lrslibrary_video/demo.avi"));
        Clip npy = ClipReader.read(SharedData.require("lrslibrary_video/frames_y8/demo_avi_gray.npy"));
        assertThat(avi.pixels()).isEqualTo(2304);
        assertThat(avi.frames()).isEqualTo(51);
        assertThat(avi.height()).isEqualTo(48);
        assertThat(npy.frames()).isEqualTo(51);
        for (int i = 0; i < avi.data().data.length; i++) {
            assertThat(avi.data().data[i]).isCloseTo(npy.data().data[i], within(1e-12));
        }
        // values checked with numpy: frame 0, (0, 0) = 23, (10, 20) = 144
        assertThat(npy.data().get(0, 0) * 255).isCloseTo(23, within(1e-9));
        assertThat(npy.data().get(10 * 48 + 20, 0) * 255).isCloseTo(144, within(1e-9));
    }

    @Test
    void escalatorMatIsA130By160ClipOf200Frames() throws Exception {
        Clip c = ClipReader.read(SharedData.require("escalator_tfocs/escalator_data.mat"));
        assertThat(c.height()).isEqualTo(130);
        assertThat(c.width()).isEqualTo(160);
        assertThat(c.frames()).isEqualTo(200);
        // values checked with scipy: X[y + 130 x, 0] at (10, 20) = 8, (129, 159) = 15; column sums
        assertThat(c.data().get(10 * 160 + 20, 0) * 255).isCloseTo(8, within(1e-9));
        assertThat(c.data().get(129 * 160 + 159, 0) * 255).isCloseTo(15, within(1e-9));
        double s0 = 0;
        double s199 = 0;
        for (int p = 0; p < c.pixels(); p++) {
            s0 += c.data().get(p, 0) * 255;
            s199 += c.data().get(p, 199) * 255;
        }
        assertThat(s0).isCloseTo(2651015, within(1e-6));
        assertThat(s199).isCloseTo(2225390, within(1e-6));
    }

    @Test
    void compressedEscalatorAviIsRejected() {
        Path p = SharedData.require("lrslibrary_video/escalator.avi");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ClipReader.read(p))
                .hasMessageContaining("fourcc 'XVID'");
    }

    @Test
    void frameDumpsWithRangeAndDownscale() throws Exception {
        Clip c = ClipReader.read(SharedData.require("lrslibrary_video/frames_y8/highway_mpg_Y.npy"), FrameRange.parse("10:30"),
                4);
        assertThat(c.height()).isEqualTo(60);
        assertThat(c.width()).isEqualTo(80);
        assertThat(c.frames()).isEqualTo(20);
    }
}
