package org.bilevel4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.bilevel4j.apps.factorization.FactorizationMetrics;
import org.bilevel4j.apps.video.Clip;
import org.bilevel4j.apps.video.ClipException;
import org.bilevel4j.apps.video.ClipReader;
import org.bilevel4j.apps.video.Corruption;
import org.bilevel4j.apps.video.FrameRange;
import org.bilevel4j.apps.video.Montage;
import org.bilevel4j.apps.video.VideoExperiment;
import org.bilevel4j.apps.video.VideoExperiment.Method;
import org.bilevel4j.apps.video.VideoExperiment.Row;
import org.bilevel4j.cli.report.Csv;
import org.bilevel4j.cli.report.HeapPages;
import org.bilevel4j.cli.report.OutputDir;
import org.bilevel4j.cli.report.Plots;
import org.bilevel4j.linalg.Gemm;
import org.bilevel4j.solver.IterationInfo;
import org.bilevel4j.solver.IterationListener;
import org.bilevel4j.solver.SolverOptions;
import org.bilevel4j.solver.StopReason;
import org.bilevel4j.solver.Trace;
import org.ejml.data.DMatrixRMaj;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bilevel4j video}: background/foreground separation of a clip with BINNO and the NMF,
 * robust PCA and stable PCP baselines, following the BINNO paper's protocol (rank-9 truncation
 * corrupted on 5% of the entries; BINNO r = 9, 5000 iterations, lambda = 0.05, gamma = 0.01).
 *
 * <p>Prints a table (method, seconds, iterations, rank of L, relative error, MSE, PSNR) and writes
 * into {@code --out}: {@code table.csv}, {@code report.json}, {@code frames.png} (clip, L0, observed),
 * {@code montage_<method>.png} (observed, L, |S| for six frames), {@code convergence_<method>.png} and
 * {@code trace_<method>.csv}, and {@code report.html} with every picture embedded. The input is read
 * and checked before anything is written: a bad input is one line on stderr and exit code 2. The
 * files go into a staging folder beside {@code --out} that is moved into place when the whole report
 * is written ({@link OutputDir}): a run that fails at any point leaves no output.
 *
 * <p>The methods run at once on {@code --threads} threads (default: all processors), each one's
 * pictures drawn on its thread as it ends; the files are written afterwards in the order of a
 * sequential run, so the report is the same for any thread count but for the seconds
 * ({@link VideoExperiment#runAll(List, Corruption.Observation, int[], java.util.function.Function, int,
 * java.util.function.Function)}).
 */
@Command(name = "video", mixinStandardHelpOptions = true,
        description = "Separate a clip into low-rank background and sparse foreground: BINNO vs NMF, robust PCA,"
                + " stable PCP.")
public final class VideoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--input", required = true, description = "Clip: frames .npy (uint8 T x H x W), uncompressed"
            + " .avi, MATLAB v5 .mat (uint8 pixels x frames), or a folder of PNG/PGM frames.")
    Path input;

    @Option(names = "--frames", defaultValue = "all", description = "Frame range a:b, 0-based, end exclusive"
            + " (default: all).")
    String frames;

    @Option(names = "--downscale", defaultValue = "1", description = "Integer downscale factor (k x k averages; default ${DEFAULT-VALUE}).")
    int downscale;

    @Option(names = "--methods", defaultValue = "binno,nmf,rpca,pcp", split = ",",
            description = "Methods to run (default: binno,nmf,rpca,pcp).")
    List<String> methods;

    @Option(names = "--no-corruption", description = "Run on the clip itself (real foreground as S); no MSE/PSNR.")
    boolean noCorruption;

    @Option(names = "--rank", defaultValue = "9", description = "Rank k of L0 and r of BINNO/NMF (default 9).")
    int rank;

    @Option(names = "--max-iter", paramLabel = "N", defaultValue = "5000", description = RunOptions.MAX_ITER_HELP)
    int maxIter;

    @Option(names = "--lambda", defaultValue = "0.05", description = "BINNO l1 weights lambda1 = lambda2 (default ${DEFAULT-VALUE}).")
    double lambda;

    @Option(names = "--gamma", defaultValue = "0.01", description = "BINNO nuclear weights gamma1 = gamma2 (default ${DEFAULT-VALUE}).")
    double gamma;

    @Option(names = "--start", defaultValue = "scaled", description = "BINNO's start: X, Y uniform on [0, 1) scaled"
            + " together so that XY fits M in the least-squares sense (scaled, default), or the raw uniform draw"
            + " (uniform).")
    String start;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = RunOptions.SEED_HELP)
    long seed;

    @Option(names = "--out", required = true, description = "Output folder, written all at once at the end (a failed"
            + " run leaves nothing).")
    Path out;

    @Mixin
    ReportOptions reportOptions;

    @Option(names = "--threads", paramLabel = "N", description = "Methods run at once (each on its own thread, the"
            + " pure-Java products of the larger clips helped by the kernels' threads), 1 to " + RunOptions.MAX_THREADS
            + "; also the threads of the matrix kernels, of EJML and of the common pool, as for every command."
            + " The results are the same for any N, only the seconds differ. Default: all processors.")
    Integer threads;

    @Option(names = "--spark", paramLabel = "MASTER", description = "Run BINNO on Apache Spark (local[*],"
            + " spark://host:7077, yarn, or 'submit' under spark-submit), M split in row blocks; the baselines still"
            + " run locally. Needs the Spark jar (the ./bilevel4j launcher or spark-submit).")
    String spark;

    /** Where BINNO runs when --spark is given; null otherwise. */
    private org.bilevel4j.apps.video.BinnoRunner sparkRunner;

    /** Runs after every file is written and before the report is put in place (a seam for tests). */
    Runnable beforeCommit = () -> { };

    @Override
    public Integer call() {
        PrintWriter outw = reportOptions.stdout(spec);
        PrintWriter err = spec.commandLine().getErr();
        List<Method> chosen = new ArrayList<>();
        FrameRange range;
        VideoExperiment.Settings settings;
        RunOptions.requireMaxIter(maxIter);
        if (rank < 1) {
            throw new InputException("--rank must be at least 1, got " + rank);
        }
        requireWeight("--lambda", lambda);
        requireWeight("--gamma", gamma);
        if (downscale < 1) {
            throw new InputException("--downscale must be at least 1, got " + downscale);
        }
        RunOptions.requireThreads(threads);
        // the matrix kernels' threads, the common pool's and EJML's, as every command with the RunOptions mixin
        RunOptions.applyThreads(threads);
        try {
            for (String m : methods) {
                Method mm = Method.of(m);
                if (!chosen.contains(mm)) {
                    chosen.add(mm);
                }
            }
        } catch (IllegalArgumentException e) {
            throw new InputException("--methods: " + e.getMessage(), e);
        }
        try {
            range = FrameRange.parse(frames);
        } catch (IllegalArgumentException e) {
            throw new InputException("--frames: " + e.getMessage(), e);
        }
        try {
            settings = new VideoExperiment.Settings(rank, maxIter, lambda, gamma, seed,
                    VideoExperiment.Start.of(start));
        } catch (IllegalArgumentException e) {
            throw new InputException("--start: " + e.getMessage(), e);
        }
        if (spark != null && chosen.contains(Method.BINNO)) {
            sparkRunner = SparkBackend.binno(spark);
        }
        try (OutputDir dir = OutputDir.prepare(out, reportOptions.force)) {
            Clip clip;
            try {
                clip = ClipReader.read(input, range, downscale);
            } catch (ClipException e) {
                throw new InputException(e.getMessage());
            }
            int most = Math.min(clip.pixels(), clip.frames());
            if (rank > most) {
                throw new InputException("--rank must be at most min(pixels, frames) = " + most + " for the "
                        + clip.pixels() + " x " + clip.frames() + " clip in " + input + ", got " + rank);
            }
            if (FactorizationMetrics.maxAbs(clip.data()) == 0) {
                throw new InputException("--input " + input + ": every pixel of the clip is 0 (all black), there is"
                        + " no background or foreground to separate");
            }
            // the same data-scale check as factorize's, before any solve (pixels read from 8-bit frames lie in
            // [1/255, 1] when not all zero, so this guards any reader that brings other values)
            FactorizeCommand.requireScale("--input", input, clip.data());
            try {
                run(dir, clip, chosen, settings, range, outw, err);
                beforeCommit.run();
                dir.commit();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the report: " + e.getMessage(), e);
            }
        }
        outw.println("wrote " + out.toAbsolutePath());
        outw.flush();
        return 0;
    }

    /** @throws InputException unless {@code w} is finite and nonnegative */
    static void requireWeight(String option, double w) {
        if (!(w >= 0) || Double.isInfinite(w)) {
            throw new InputException(option + " must be finite and nonnegative, got " + w);
        }
    }

    private void run(OutputDir dir, Clip clip, List<Method> chosen, VideoExperiment.Settings settings, FrameRange range,
            PrintWriter outw, PrintWriter err) throws IOException {
        outw.printf(Locale.ROOT, "clip %s: %d x %d pixels, %d frames (matrix %d x %d), products: %s%n", clip.name(),
                clip.height(), clip.width(), clip.frames(), clip.pixels(), clip.frames(), Gemm.backend());
        outw.flush();
        Corruption.Observation obs = noCorruption ? Corruption.none(clip.data())
                : new Corruption(Math.min(rank, Math.min(clip.pixels(), clip.frames())), 0.05, 0.33)
                        .apply(clip.data(), seed);
        int[] shown = Montage.evenlySpaced(clip.frames(), 6);
        VideoExperiment exp = new VideoExperiment(settings);
        if (sparkRunner != null) {
            exp = exp.withBinnoRunner(sparkRunner);
            outw.println("binno runs on " + sparkRunner.describe() + "; the baselines run in this process");
        }
        int zoom = Montage.zoomFor(clip.width());
        DMatrixRMaj obsFrames = Montage.columns(obs.observed(), shown, false);
        // the methods run at once (--threads); each one's montage and convergence picture are drawn and encoded by
        // the thread that ran it as soon as it is done, while the others still run, frames.png meanwhile on a thread
        // of its own; the files are written below on this thread, in the order of a sequential run
        int workers = RunOptions.threadCount(threads);
        FutureTask<byte[]> framesPicture = new FutureTask<>(() -> Montage.pngBytes(Montage.observation(clip.data(),
                obs, shown, clip.height(), clip.width(), zoom)));
        Thread framesThread = new Thread(framesPicture, "bilevel4j-video-frames");
        framesThread.setDaemon(true);
        framesThread.start();
        Progress.Board board = reportOptions.quiet ? null : new Progress.Board(err);
        List<Written> done;
        try {
            done = exp.runAll(chosen, obs, shown, m -> board == null ? IterationListener.none()
                    : new Progress(m.key(), maxIter, board), workers, r -> draw(r, obsFrames, clip, zoom));
        } finally {
            awaitQuietly(framesThread);
        }
        List<Row> rows = new ArrayList<>();
        for (Written w : done) {
            rows.add(w.row());
        }
        String table = table(rows);
        outw.print(table);
        outw.flush();
        writeCsv(rows, dir.file("table.csv"));
        Map<String, byte[]> pictures = new LinkedHashMap<>();
        try {
            byte[] png = framesPicture.get();
            Files.write(dir.file("frames.png"), png);
            pictures.put("frames.png", png);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing frames.png", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
        for (Written w : done) {
            String key = w.row().method().key();
            String montage = "montage_" + key + ".png";
            Files.write(dir.file(montage), w.montage());
            pictures.put(montage, w.montage());
            w.row().trace().writeCsv(dir.file("trace_" + key + ".csv"));
            if (w.convergence() != null) {
                String conv = "convergence_" + key + ".png";
                Files.write(dir.file(conv), w.convergence());
                pictures.put(conv, w.convergence());
            }
        }
        writeHtml(dir, clip, obs, rows, table, pictures, zoom);
        writeJson(dir, clip, obs, rows, settings, range);
    }

    /** A method's row and its pictures as PNG bytes (convergence null when there is no curve). */
    private record Written(Row row, byte[] montage, byte[] convergence) {
    }

    /** Draws and encodes a method's montage and convergence picture (on the thread that ran it). */
    private static Written draw(Row r, DMatrixRMaj obsFrames, Clip clip, int zoom) {
        BufferedImage img = Montage.separation(obsFrames, r.lowFrames(), r.sparseFrames(), clip.height(),
                clip.width(), zoom);
        return new Written(r, Montage.pngBytes(img), convergence(r));
    }

    /** Waits for t to end (an interrupt is kept for the caller). */
    private static void awaitQuietly(Thread t) {
        boolean interrupted = false;
        while (t.isAlive()) {
            try {
                t.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    static String fmt(double v, String pattern) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, pattern, v);
    }

    static String table(List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-6s %9s %6s %5s %10s %11s %8s  %s%n", "method", "seconds", "iters",
                "rank", "rel.err", "MSE", "PSNR", "stop"));
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "%-6s %9.2f %6d %5d %10.5f %11s %8s  %s%s%n", r.method().key(),
                    r.seconds(), r.iterations(), r.rank(), r.relativeError(), fmt(r.mse(), "%.4e"),
                    fmt(r.psnr(), "%.2f"), r.stopReason().name().toLowerCase(Locale.ROOT),
                    r.note().isEmpty() ? "" : " (" + r.note() + ")"));
        }
        return sb.toString();
    }

    private static void writeCsv(List<Row> rows, Path file) throws IOException {
        StringBuilder sb = new StringBuilder("method,solver,seconds,iterations,stop,rank,rel_error,mse,psnr\n");
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "%s,%s,%.4f,%d,%s,%d,%.8g,%s,%s%n", Csv.field(r.method().key()),
                    Csv.field(r.solver()), r.seconds(), r.iterations(), Csv.field(String.valueOf(r.stopReason())),
                    r.rank(), r.relativeError(),
                    Double.isNaN(r.mse()) ? "" : String.format(Locale.ROOT, "%.8g", r.mse()),
                    Double.isNaN(r.psnr()) ? "" : String.format(Locale.ROOT, "%.4f", r.psnr())));
        }
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    }

    /** Writes report.json, the last file: {@code files} lists every file of the report. */
    private void writeJson(OutputDir dir, Clip clip, Corruption.Observation obs, List<Row> rows, VideoExperiment.Settings s,
            FrameRange range) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("tool", OutputDir.TOOL);
        root.put("command", "video");
        root.put("input", input.toAbsolutePath().toString());
        root.put("clip", Map.of("name", clip.name(), "height", clip.height(), "width", clip.width(), "frames",
                clip.frames(), "frameRange", range.toString(), "downscale", downscale));
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("corruption", !noCorruption);
        if (!noCorruption) {
            model.put("rank", Math.min(rank, Math.min(clip.pixels(), clip.frames())));
            model.put("fraction", 0.05);
            model.put("amplitude", 0.33);
            model.put("corruptedEntries", obs.corrupted());
        }
        root.put("model", model);
        root.put("settings", Map.of("rank", s.rank(), "iterations", s.iterations(), "lambda", s.lambda(), "gamma",
                s.gamma(), "seed", s.seed(), "binnoStart", s.start().key()));
        root.put("products", Gemm.backend());
        root.put("vectorApi", Gemm.vectorApi());
        root.put("heapPages", HeapPages.describe());
        root.put("java", System.getProperty("java.version"));
        List<Map<String, Object>> list = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("method", r.method().key());
            m.put("solver", r.solver());
            m.put("seconds", r.seconds());
            m.put("iterations", r.iterations());
            m.put("stopReason", r.stopReason().name());
            m.put("rank", r.rank());
            m.put("relativeError", r.relativeError());
            m.put("mse", Double.isNaN(r.mse()) ? null : r.mse());
            m.put("psnr", Double.isNaN(r.psnr()) ? null : r.psnr());
            m.put("note", r.note());
            list.add(m);
        }
        root.put("results", list);
        Path file = dir.file(OutputDir.REPORT_JSON);
        List<String> files = new ArrayList<>(dir.files());
        root.put("files", files);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), root);
    }

    /** Semilog curves of the method's objective columns against the iteration. */
    private static byte[] convergence(Row r) {
        Trace t = r.trace();
        if (t.size() < 2) {
            return null;
        }
        String[] cols = switch (r.method()) {
            case BINNO -> new String[] {"psi1", "psi2"};
            case NMF -> new String[] {"loss"};
            case RPCA -> new String[] {"residual", "objective"};
            case PCP -> new String[] {"objective", "residual"};
        };
        XYChart chart = new XYChartBuilder().width(560).height(360).title(r.solver())
                .xAxisTitle("iteration").yAxisTitle("value").build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setMarkerSize(0);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        double[] it = t.column("iteration");
        int series = 0;
        for (String c : cols) {
            double[] v = t.column(c);
            double[][] xy = Plots.thin(it, v, true); // positive finite points, at most Plots.MAX_POINTS
            if (xy[0].length >= 2) {
                chart.addSeries(c, xy[0], xy[1]).setMarker(SeriesMarkers.NONE);
                series++;
            }
        }
        if (series == 0) {
            return null;
        }
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeHtml(OutputDir dir, Clip clip, Corruption.Observation obs, List<Row> rows, String table,
            Map<String, byte[]> pictures, int zoom) throws IOException {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>bilevel4j video: ")
                .append(esc(clip.name())).append("</title><style>body{font-family:sans-serif;max-width:1100px;"
                        + "margin:auto}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;"
                        + "text-align:right}img{image-rendering:pixelated;max-width:100%}</style></head><body>\n");
        h.append("<h1>Video background/foreground: ").append(esc(clip.name())).append("</h1>\n");
        h.append("<p>").append(clip.height()).append(" x ").append(clip.width()).append(" pixels, ")
                .append(clip.frames()).append(" frames; ")
                .append(noCorruption ? "the clip itself (no synthetic corruption; no MSE/PSNR)"
                        : "M_obs = L0 + S0: L0 the rank-" + Math.min(rank, clip.frames()) + " truncation, 5% of the"
                                + " entries corrupted by 0.33 sign |L0| (" + obs.corrupted() + " entries), seed " + seed)
                .append(". Settings: r = ").append(rank).append(", ").append(maxIter).append(" iterations, lambda = ")
                .append(lambda).append(", gamma = ").append(gamma).append(", BINNO start ").append(start).append(".</p>\n");
        h.append("<table><tr><th>method</th><th>solver</th><th>seconds</th><th>iterations</th><th>rank of L</th>"
                + "<th>rel. error</th><th>MSE</th><th>PSNR (dB)</th><th>stop</th></tr>\n");
        for (Row r : rows) {
            h.append("<tr><td>").append(r.method().key()).append("</td><td>").append(esc(r.solver()))
                    .append("</td><td>").append(fmt(r.seconds(), "%.2f")).append("</td><td>").append(r.iterations())
                    .append("</td><td>").append(r.rank()).append("</td><td>").append(fmt(r.relativeError(), "%.5f"))
                    .append("</td><td>").append(fmt(r.mse(), "%.4e")).append("</td><td>")
                    .append(fmt(r.psnr(), "%.2f")).append("</td><td>")
                    .append(r.stopReason() == StopReason.CONVERGED ? "converged" : r.stopReason().name().toLowerCase(
                            Locale.ROOT)).append(r.note().isEmpty() ? "" : "; " + esc(r.note())).append("</td></tr>\n");
        }
        h.append("</table>\n<pre>").append(esc(table)).append("</pre>\n");
        h.append("<h2>Frames</h2><p>Rows: the clip").append(obs.hasReference() ? ", L0 (rank-k truncation), M_obs" : "")
                .append(". Frames ").append(java.util.Arrays.toString(Montage.evenlySpaced(clip.frames(), 6)))
                .append(", zoom ").append(zoom).append(".</p>\n");
        img(h, pictures, "frames.png");
        for (Row r : rows) {
            h.append("<h2>").append(esc(r.solver())).append("</h2><p>Rows: M_obs, L, |S| (white = the largest |S| of"
                    + " the six frames).</p>\n");
            img(h, pictures, "montage_" + r.method().key() + ".png");
            img(h, pictures, "convergence_" + r.method().key() + ".png");
        }
        h.append("</body></html>\n");
        Files.writeString(dir.file("report.html"), h.toString(), StandardCharsets.UTF_8);
    }

    private static void img(StringBuilder h, Map<String, byte[]> pictures, String name) {
        byte[] png = pictures.get(name);
        if (png != null) {
            h.append("<p><img alt=\"").append(name).append("\" src=\"data:image/png;base64,")
                    .append(Base64.getEncoder().encodeToString(png)).append("\"></p>\n");
        }
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /**
     * Progress of one method, drawn on a {@link Board} shared by the methods that run at the same
     * time: one line on stderr, redrawn at most every half second, with a bar and an ETA while one
     * method runs and {@code name k/max} for each method while several do; a method's finish is a
     * line of its own.
     */
    static final class Progress implements IterationListener {
        private final String name;
        private final int max;
        private final Board board;

        Progress(String name, int max, Board board) {
            this.name = name;
            this.max = max;
            this.board = board;
        }

        @Override
        public void onIteration(IterationInfo info) {
            board.update(this, info.iteration(), info.seconds());
        }

        @Override
        public void onFinish(StopReason reason, int iterations, double seconds) {
            board.finish(this, String.format(Locale.ROOT, "%-6s %s after %d iterations, %.1fs", name,
                    reason.name().toLowerCase(Locale.ROOT), iterations, seconds));
        }

        /** The shared line; thread-safe. */
        static final class Board {
            private final PrintWriter err;
            private final Map<Progress, double[]> running = new LinkedHashMap<>();
            private long last;
            private int width;

            Board(PrintWriter err) {
                this.err = err;
            }

            synchronized void update(Progress p, int k, double seconds) {
                running.put(p, new double[] {k, seconds});
                long now = System.nanoTime();
                if (now - last < 500_000_000L) {
                    return;
                }
                last = now;
                StringBuilder line = new StringBuilder();
                if (running.size() == 1) {
                    int filled = (int) (30L * k / p.max);
                    double eta = seconds / k * (p.max - k);
                    line.append(String.format(Locale.ROOT, "%-6s [%s%s] %d/%d  %.0fs  ETA %.0fs", p.name,
                            "#".repeat(filled), " ".repeat(30 - filled), k, p.max, seconds, eta));
                } else {
                    for (Map.Entry<Progress, double[]> e : running.entrySet()) {
                        if (line.length() > 0) {
                            line.append("  |  ");
                        }
                        line.append(String.format(Locale.ROOT, "%s %d/%d %.0fs", e.getKey().name,
                                (int) e.getValue()[0], e.getKey().max, e.getValue()[1]));
                    }
                }
                draw(line.toString());
            }

            synchronized void finish(Progress p, String line) {
                running.remove(p);
                draw(line);
                err.println();
                width = 0;
                last = 0;
                err.flush();
            }

            /** Overwrites the current line with s (padded over what was there). */
            private void draw(String s) {
                err.print("\r" + s + " ".repeat(Math.max(0, width - s.length())));
                width = s.length();
                err.flush();
            }
        }
    }
}
