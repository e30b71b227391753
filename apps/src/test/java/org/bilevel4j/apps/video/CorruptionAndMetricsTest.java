package org.bilevel4j.apps.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.bilevel4j.linalg.ThinSvd;
import org.bilevel4j.solver.IterationListener;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class CorruptionAndMetricsTest {

    private static final Clip CLIP = SyntheticClip.generate(24, 20, 30, 2, 5);

    @Test
    void theModelCorruptsExactlyFivePercentByAThirdOfL0() {
        Corruption.Observation o = Corruption.paper().apply(CLIP.data(), 11);
        DMatrixRMaj l0 = o.clean();
        double[] s = ThinSvd.of(l0).singularValues();
        assertThat(s[9] / s[0]).isLessThan(1e-12);
        assertThat(s[8] / s[0]).isGreaterThan(1e-6);
        long n = CLIP.data().getNumElements();
        assertThat(o.corrupted()).isEqualTo(Math.round(0.05 * n));
        long changed = 0;
        for (int i = 0; i < n; i++) {
            double d = o.observed().data[i] - l0.data[i];
            if (d != 0) {
                changed++;
                assertThat(Math.abs(d)).isCloseTo(0.33 * Math.abs(l0.data[i]), within(1e-12));
            }
        }
        assertThat(changed).isEqualTo(o.corrupted());
        // seeded: the same seed gives the same matrix, another seed another one
        assertThat(Corruption.paper().apply(CLIP.data(), 11).observed().data).isEqualTo(o.observed().data);
        assertThat(Corruption.paper().apply(CLIP.data(), 12).observed().data).isNotEqualTo(o.observed().data);
    }

    @Test
    void metricsFollowTheirDefinitions() {
        DMatrixRMaj a = new DMatrixRMaj(new double[][] {{1, 0}, {0, 1}});
        DMatrixRMaj b = new DMatrixRMaj(new double[][] {{1, 0.1}, {0, 1}});
        assertThat(VideoMetrics.mse(a, b)).isCloseTo(0.0025, within(1e-15));
        assertThat(VideoMetrics.psnr(1e-3)).isCloseTo(30, within(1e-12));
        assertThat(VideoMetrics.relativeError(a, b)).isCloseTo(0.1 / Math.sqrt(2), within(1e-15));
        assertThat(VideoMetrics.numericalRank(a)).isEqualTo(2);
        DMatrixRMaj r1 = new DMatrixRMaj(new double[][] {{1, 2}, {2, 4}, {3, 6}});
        assertThat(VideoMetrics.numericalRank(r1)).isEqualTo(1);
    }

    @Test
    void everyMethodSeparatesTheSyntheticClip() {
        VideoExperiment exp = new VideoExperiment(new VideoExperiment.Settings(3, 300, 0.05, 0.01, 1));
        Corruption.Observation o = new Corruption(3, 0.05, 0.33).apply(CLIP.data(), 2);
        int[] shown = Montage.evenlySpaced(CLIP.frames(), 6);
        List<VideoExperiment.Row> rows = exp.runAll(List.of(VideoExperiment.Method.values()), o, shown,
                m -> IterationListener.none());
        assertThat(rows).hasSize(4);
        for (VideoExperiment.Row r : rows) {
            assertThat(r.psnr()).as(r.solver()).isGreaterThan(25);
            assertThat(r.relativeError()).as(r.solver()).isLessThan(0.1);
            assertThat(r.lowFrames().numCols).isEqualTo(6);
        }
        assertThat(Montage.draw(List.of(new Montage.Row(rows.get(0).lowFrames(), 1.0)), 24, 20, 2).getWidth())
                .isEqualTo(6 * 40 + 7 * 2);
    }

    /**
     * The raw uniform [0, 1) start puts XY near r/4 per entry, far above the pixels; with BINNO's
     * 1/L steps it then needs thousands of iterations on a large clip (the escalator: 35.65 dB at
     * 5000 iterations against 41.45 dB at 1000 from the scaled start). The same lag shows on a small
     * clip after 150 iterations, and the scaled start is the experiment's default.
     */
    @Test
    void scaledBinnoStartIsTheDefaultAndConvergesMuchFaster() {
        Clip clip = SyntheticClip.generate(16, 20, 60, 3, 1);
        Corruption.Observation o = Corruption.paper().apply(clip.data(), 1);
        int[] shown = Montage.evenlySpaced(clip.frames(), 6);
        assertThat(new VideoExperiment.Settings(9, 150, 0.05, 0.01, 1).start())
                .isEqualTo(VideoExperiment.Start.SCALED);
        double observed = VideoMetrics.psnr(VideoMetrics.mse(o.observed(), o.clean()));
        VideoExperiment.Row scaled = new VideoExperiment(new VideoExperiment.Settings(9, 150, 0.05, 0.01, 1,
                VideoExperiment.Start.SCALED)).run(VideoExperiment.Method.BINNO, o, shown, IterationListener.none());
        VideoExperiment.Row uniform = new VideoExperiment(new VideoExperiment.Settings(9, 150, 0.05, 0.01, 1,
                VideoExperiment.Start.UNIFORM)).run(VideoExperiment.Method.BINNO, o, shown, IterationListener.none());
        // scaled: past the corrupted input itself; raw uniform: still below it
        assertThat(scaled.psnr()).isGreaterThan(observed + 5);
        assertThat(uniform.psnr()).isLessThan(observed);
        assertThat(VideoExperiment.Start.of("Uniform")).isEqualTo(VideoExperiment.Start.UNIFORM);
    }
}
