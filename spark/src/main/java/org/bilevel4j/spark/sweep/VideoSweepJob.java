package org.bilevel4j.spark.sweep;

import java.io.Serial;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bilevel4j.apps.video.Clip;
import org.bilevel4j.apps.video.ClipException;
import org.bilevel4j.apps.video.ClipReader;
import org.bilevel4j.apps.video.Corruption;
import org.bilevel4j.apps.video.FrameRange;
import org.bilevel4j.apps.video.VideoExperiment;
import org.bilevel4j.solver.IterationListener;
import org.ejml.data.DMatrixRMaj;

/**
 * BINNO on a video clip under the traffic-video protocol of the BINNO paper (Selicato, Esposito,
 * Ang, "Binno: A 1st-order method for Bi-level Nonconvex Nonsmooth Optimization for Matrix
 * Factorizations", arXiv 2510.21390): the clip matrix D (pixels x frames) is replaced by its rank-k truncation L0, 5% of the
 * entries are corrupted by {@code 0.33 sign |L0_ij|} ({@link Corruption}), and BINNO separates
 * {@code M_obs ~ X Y} with
 * <pre>
 *   upper:  lambda (||X||_1 + ||Y||_1) + 1/2 ||XY - M_obs||_F^2
 *   lower:  gamma  (||X||_* + ||Y||_*) + 1/2 ||XY - M_obs||_F^2
 * </pre>
 * from X, Y uniform on [0, 1) drawn from the run's seed, as {@code bilevel4j video --methods binno}
 * does ({@link VideoExperiment}). The clip is read and corrupted once, on the driver, with the
 * corruption seed of the job (fixed over the sweep, so every run sees the same M_obs); the run's
 * seed draws the start and the randomized SVDs.
 *
 * <p>Parameters: {@code lambda} (0.05), {@code gamma} (0.01), {@code rank} r (9),
 * {@code max_iter} (5000). Metrics: {@code psnr} {@code = 10 log10(1 / MSE)}, {@code mse}
 * {@code = ||L - L0||_F^2 / (m n)}, {@code rel_error} {@code = ||M_obs - L||_F / ||M_obs||_F},
 * {@code rank} (numerical rank of L = XY) ({@link org.bilevel4j.apps.video.VideoMetrics}), and
 * {@code solver_seconds}.
 *
 * @param input the clip (.npy, .avi, .mat or a folder of frames; see {@link ClipReader})
 * @param frames the frame range ({@code a:b} or {@code all})
 * @param downscale the integer downscale factor
 * @param corruptionRank k of the truncation (the paper's 9; capped at min(pixels, frames))
 * @param fraction the share of corrupted entries (the paper's 0.05)
 * @param amplitude the relative size of the corruption (the paper's 0.33)
 * @param corruptionSeed the seed of the corruption
 */
public record VideoSweepJob(String input, String frames, int downscale, int corruptionRank, double fraction,
        double amplitude, long corruptionSeed) implements SweepJob<VideoSweepJob.Problem> {

    @Serial
    private static final long serialVersionUID = 1L;

    /** Checks the fields that need no file. */
    public VideoSweepJob {
        Objects.requireNonNull(input, "input");
        new Corruption(corruptionRank, fraction, amplitude);
        FrameRange.parse(frames);
        if (downscale < 1) {
            throw new IllegalArgumentException("--downscale must be at least 1, got " + downscale);
        }
    }

    /** @return the job on the whole clip with the paper's corruption, corruption seed 0 */
    public static VideoSweepJob paper(Path input) {
        Corruption c = Corruption.paper();
        return new VideoSweepJob(input.toString(), "all", 1, c.rank(), c.fraction(), c.amplitude(), 0);
    }

    /**
     * The corrupted clip, broadcast to the executors.
     *
     * @param name the clip's name
     * @param height frame height
     * @param width frame width
     * @param observed M_obs (pixels x frames)
     * @param clean L0, the reference of MSE and PSNR
     * @param corrupted the number of corrupted entries
     */
    public record Problem(String name, int height, int width, DMatrixRMaj observed, DMatrixRMaj clean,
            long corrupted) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
    }

    @Override
    public String name() {
        return "video-binno";
    }

    @Override
    public Map<String, Double> defaults() {
        VideoExperiment.Settings p = VideoExperiment.Settings.paper();
        Map<String, Double> d = new LinkedHashMap<>();
        d.put("lambda", p.lambda());
        d.put("gamma", p.gamma());
        d.put("rank", (double) p.rank());
        d.put("max_iter", (double) p.iterations());
        return d;
    }

    @Override
    public List<String> metrics() {
        return List.of("psnr", "mse", "rel_error", "rank_l", "solver_seconds");
    }

    @Override
    public void validate(Setting s) {
        SweepJob.super.validate(s);
        settings(s.withDefaults(defaults()), 0);
    }

    private static VideoExperiment.Settings settings(Setting s, long seed) {
        return new VideoExperiment.Settings(s.getInt("rank", 9), s.getInt("max_iter", 5000), s.get("lambda"),
                s.get("gamma"), seed);
    }

    @Override
    public Problem prepare() {
        Clip clip;
        try {
            clip = ClipReader.read(Path.of(input), FrameRange.parse(frames), downscale);
        } catch (ClipException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        int k = Math.min(corruptionRank, Math.min(clip.pixels(), clip.frames()));
        Corruption.Observation obs = new Corruption(k, fraction, amplitude)
                .apply(clip.data(), corruptionSeed);
        return new Problem(clip.name(), clip.height(), clip.width(), obs.observed(), obs.clean(), obs.corrupted());
    }

    @Override
    public Outcome run(Problem p, Setting s, long seed) {
        VideoExperiment exp = new VideoExperiment(settings(s, seed));
        VideoExperiment.Row r = exp.run(VideoExperiment.Method.BINNO,
                new Corruption.Observation(p.observed(), p.clean(), p.corrupted()), new int[0],
                IterationListener.none());
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("psnr", r.psnr());
        m.put("mse", r.mse());
        m.put("rel_error", r.relativeError());
        m.put("rank_l", (double) r.rank());
        m.put("solver_seconds", r.seconds());
        return new Outcome(m, r.iterations(), r.stopReason().name());
    }
}
