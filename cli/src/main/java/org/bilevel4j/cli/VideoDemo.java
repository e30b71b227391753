package org.bilevel4j.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bilevel4j.apps.video.Clip;
import org.bilevel4j.apps.video.Corruption;
import org.bilevel4j.apps.video.Montage;
import org.bilevel4j.apps.video.SyntheticClip;
import org.bilevel4j.apps.video.VideoExperiment;
import org.bilevel4j.apps.video.VideoExperiment.Method;
import org.bilevel4j.apps.video.VideoExperiment.Row;
import org.bilevel4j.apps.video.VideoMetrics;
import org.bilevel4j.cli.report.ProgressListener;
import org.bilevel4j.cli.report.ReportWriter;
import org.bilevel4j.solver.IterationListener;

/**
 * The video part of {@code bilevel4j demo}: the traffic-video protocol of the BINNO paper
 * (Selicato, Esposito, Ang, arXiv:2510.21390) on a small clip generated in code
 * ({@link SyntheticClip}: a static textured background with moving discs), so that it runs on a
 * fresh machine. L0 = rank-9 truncation of the clip, 5% of the entries corrupted by
 * {@code 0.33 * sign * |L0|}, M_obs = L0 + S0; BINNO (r = 9, lambda = 0.05, gamma = 0.01, midpoint
 * weights) and robust PCA (inexact ALM, Lin, Chen and Ma 2010) separate M_obs, and the table gives
 * their seconds and PSNR = 10 log10(1 / MSE(L, L0)). Writes {@code video-frames.png} (clip, L0,
 * M_obs) and {@code video-montage-<method>.png} (M_obs, L, |S| for six frames).
 */
final class VideoDemo {

    static final int HEIGHT = 24;
    static final int WIDTH = 32;
    static final int FRAMES = 80;
    static final int OBJECTS = 3;
    static final List<Method> METHODS = List.of(Method.BINNO, Method.RPCA);
    /** BINNO's iterations at most (from the scaled start it is within 0.1 dB of 1000 iterations). */
    static final int MAX_ITERATIONS = 300;

    private VideoDemo() {
    }

    /**
     * Runs the video part and writes its pictures into the report.
     *
     * @param maxIterations {@code --max-iter}: BINNO runs {@code min(maxIterations, 300)} iterations,
     *     robust PCA is capped there
     * @param seed the seed of the clip, the corruption and the start
     * @param quiet no progress bar
     * @return the lines to print (the settings and the table)
     */
    static String run(ReportWriter report, int maxIterations, long seed, boolean quiet) {
        long t0 = System.nanoTime();
        int iterations = Math.min(maxIterations, MAX_ITERATIONS);
        Clip clip = SyntheticClip.generate(HEIGHT, WIDTH, FRAMES, OBJECTS, seed);
        Corruption corruption = Corruption.paper();
        Corruption.Observation obs = corruption.apply(clip.data(), seed);
        VideoExperiment.Settings paper = VideoExperiment.Settings.paper();
        VideoExperiment.Settings settings = new VideoExperiment.Settings(paper.rank(), iterations, paper.lambda(),
                paper.gamma(), seed);
        VideoExperiment exp = new VideoExperiment(settings);
        int[] shown = Montage.evenlySpaced(clip.frames(), 6);
        List<Row> rows = new ArrayList<>();
        for (Method m : METHODS) {
            IterationListener progress = ProgressListener.onStderr(quiet, "video " + m.key(), iterations,
                    List.of());
            rows.add(exp.run(m, obs, shown, progress));
        }
        int zoom = Montage.zoomFor(clip.width());
        BufferedImage frames = Montage.observation(clip.data(), obs, shown, clip.height(), clip.width(), zoom);
        report.write("video-frames.png", out -> out.write(Montage.pngBytes(frames)));
        var obsFrames = Montage.columns(obs.observed(), shown, false);
        for (Row r : rows) {
            BufferedImage img = Montage.separation(obsFrames, r.lowFrames(), r.sparseFrames(), clip.height(),
                    clip.width(), zoom);
            report.write("video-montage-" + r.method().key() + ".png", out -> out.write(Montage.pngBytes(img)));
        }
        report.timing("video", (System.nanoTime() - t0) * 1e-9);

        ObjectNode v = report.root().putObject("video");
        v.put("generator", String.format(Locale.ROOT, "SyntheticClip.generate(height=%d, width=%d, frames=%d,"
                + " objects=%d, seed=%d)", HEIGHT, WIDTH, FRAMES, OBJECTS, seed));
        v.putArray("matrix").add(clip.pixels()).add(clip.frames());
        v.put("corruption", String.format(Locale.ROOT, "rank-%d truncation, %.0f%% of the entries get %.2f * sign *"
                + " |L0|", corruption.rank(), 100 * corruption.fraction(), corruption.amplitude()));
        v.put("corruptedEntries", obs.corrupted());
        double observedPsnr = VideoMetrics.psnr(VideoMetrics.mse(obs.observed(), obs.clean()));
        v.put("observedPsnr", observedPsnr);
        v.put("rank", settings.rank());
        v.put("iterations", iterations);
        v.put("lambda", settings.lambda());
        v.put("gamma", settings.gamma());
        v.putArray("montageFrames").addAll(java.util.Arrays.stream(shown).mapToObj(
                i -> report.root().numberNode(i)).toList());
        ArrayNode results = v.putArray("results");
        for (Row r : rows) {
            ObjectNode n = results.addObject();
            n.put("method", r.method().key());
            n.put("solver", r.solver());
            n.put("seconds", r.seconds());
            n.put("iterations", r.iterations());
            n.put("stopReason", r.stopReason().name());
            n.put("rankOfL", r.rank());
            n.put("relativeError", r.relativeError());
            n.put("mse", r.mse());
            n.put("psnr", r.psnr());
            n.put("montage", "video-montage-" + r.method().key() + ".png");
        }

        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Video: a synthetic clip, %d x %d pixels, %d frames, %d moving discs on a"
                + " textured background (M is %d x %d);%n", HEIGHT, WIDTH, FRAMES, OBJECTS, clip.pixels(),
                clip.frames()));
        sb.append(String.format(Locale.ROOT, "the BINNO paper's corruption (rank-%d L0, %.0f%% of the entries get %.2f"
                + " sign |L0|); BINNO r = %d, lambda = %s, gamma = %s, %d iterations (--max-iter, at most %d); robust"
                + " PCA capped at %d.%n", corruption.rank(), 100 * corruption.fraction(), corruption.amplitude(), settings.rank(),
                settings.lambda(), settings.gamma(), iterations, MAX_ITERATIONS, iterations));
        sb.append(String.format(Locale.ROOT, "%n%-24s %8s %6s %10s%n", "method", "seconds", "iters", "PSNR (dB)"));
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "%-24s %8.2f %6d %10.2f%n", r.solver(), r.seconds(), r.iterations(),
                    r.psnr()));
        }
        sb.append(String.format(Locale.ROOT, "%-24s %8s %6s %10.2f%n", "M_obs itself (L = M_obs)", "-", "-",
                observedPsnr));
        sb.append("PSNR = 10 log10(1 / MSE(L, L0)); pictures: video-frames.png (clip, L0, M_obs),"
                + " video-montage-binno.png and video-montage-rpca.png (M_obs, L, |S|)\n");
        return sb.toString();
    }
}
