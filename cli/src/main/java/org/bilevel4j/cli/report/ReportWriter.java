package org.bilevel4j.cli.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import org.bilevel4j.apps.io.MatrixIO;
import org.bilevel4j.apps.io.MatrixIOException;
import org.bilevel4j.cli.Version;
import org.bilevel4j.linalg.Gemm;
import org.bilevel4j.solver.Result;
import org.bilevel4j.solver.Trace;
import org.ejml.data.DMatrixRMaj;
import org.knowm.xchart.XYChart;

/**
 * Builds the report folder of one command run: {@code report.json} (Jackson) plus the files the
 * command adds (traces, matrices, pictures), all through an {@link OutputDir}, so a failed run
 * leaves nothing behind.
 *
 * <p>{@code report.json} holds, in this order: {@code tool}, {@code command}, {@code arguments},
 * {@code started} (UTC), {@code seed}, {@code options}, {@code inputs} (file path, shape,
 * SHA-256, or the generator), {@code runs} (one per solver run: solver, stop reason, message,
 * iterations, seconds, metrics, its files), {@code pictures} (how matrix entries map to
 * pixels), {@code timings} (seconds per phase and in total), {@code versions} (bilevel4j, Java,
 * OS, BLAS backend, Vector API, the heap's pages ({@link HeapPages}), threads) and {@code files} (every file of the
 * report).
 */
public final class ReportWriter {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final OutputDir dir;
    private final long startNanos = System.nanoTime();
    private final ObjectNode root = JSON.createObjectNode();
    private final ObjectNode options;
    private final ArrayNode inputs;
    private final ArrayNode runs;
    private final ObjectNode pictures;
    private final ObjectNode timings;

    /**
     * @param dir the report folder
     * @param command the command's name
     * @param arguments the command line as given
     */
    public ReportWriter(OutputDir dir, String command, List<String> arguments) {
        this.dir = dir;
        root.put("tool", OutputDir.TOOL);
        root.put("command", command);
        ArrayNode args = root.putArray("arguments");
        arguments.forEach(args::add);
        root.put("started", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
        root.putNull("seed");
        options = root.putObject("options");
        inputs = root.putArray("inputs");
        runs = root.putArray("runs");
        pictures = root.putObject("pictures");
        timings = root.putObject("timings");
        root.putObject("versions");
        root.putArray("files");
    }

    /** @return the whole report, for fields a command adds itself */
    public ObjectNode root() {
        return root;
    }

    /** @return the options object, for the command to fill */
    public ObjectNode options() {
        return options;
    }

    /** Records the seed of the run. */
    public void seed(long seed) {
        root.put("seed", seed);
    }

    /**
     * Records an input file: the path as given, its absolute path, shape, size and SHA-256.
     *
     * @return the entry, for more fields
     */
    public ObjectNode inputFile(String role, Path file, DMatrixRMaj m) {
        ObjectNode n = inputs.addObject();
        n.put("role", role);
        n.put("path", file.toString());
        n.put("absolutePath", file.toAbsolutePath().normalize().toString());
        n.putArray("shape").add(m.numRows).add(m.numCols);
        try {
            n.put("bytes", Files.size(file));
            n.put("sha256", sha256(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " again to hash it: " + e.getMessage(), e);
        }
        return n;
    }

    /**
     * Records generated input data.
     *
     * @param generator how it was made, for example {@code SyntheticFactorization.paper(seed)}
     * @return the entry, for more fields
     */
    public ObjectNode generatedInput(String role, String generator, DMatrixRMaj m) {
        ObjectNode n = inputs.addObject();
        n.put("role", role);
        n.put("generator", generator);
        n.putArray("shape").add(m.numRows).add(m.numCols);
        return n;
    }

    /**
     * Records a solver run: solver name, stop reason, message, iterations and seconds.
     *
     * @return the entry, for the command's metrics and file names
     */
    public ObjectNode run(Result<?> r) {
        ObjectNode n = runs.addObject();
        n.put("solver", r.solver());
        n.put("stopReason", r.stopReason().name());
        n.put("message", r.message());
        n.put("iterations", r.iterations());
        n.put("seconds", r.seconds());
        timings.put("solve", timings.path("solve").asDouble(0) + r.seconds());
        return n;
    }

    /**
     * Records a run that is not a solver {@link Result} (a protocol with metrics of its own, such as
     * a hyper-cleaning method): its name, under {@code solver}.
     *
     * @return the entry, for the command's fields
     */
    public ObjectNode run(String name) {
        ObjectNode n = runs.addObject();
        n.put("solver", name);
        return n;
    }

    /** Records the seconds a phase took ({@link #run} adds its seconds to {@code solve}). */
    public void timing(String phase, double seconds) {
        timings.put(phase, seconds);
    }

    /** Writes a trace as CSV. */
    public void trace(String name, Trace trace) {
        write(name, out -> {
            Writer w = new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8);
            trace.writeCsv(w);
            w.flush();
        });
    }

    /** Writes a matrix; the format follows the name's extension ({@link MatrixIO}). */
    public void matrix(String name, DMatrixRMaj m) {
        Path p = dir.file(name);
        try {
            MatrixIO.write(p, m);
        } catch (MatrixIOException e) {
            throw new UncheckedIOException("cannot write " + name + " of the report: " + e.problem(), e);
        }
    }

    /** Writes a chart as PNG. */
    public void chart(String name, XYChart chart) {
        write(name, out -> Plots.writePng(chart, out));
    }

    /**
     * Writes the sparsity pattern of a matrix as PNG ({@link Plots#sparsityPattern}) and records its
     * layout and threshold under {@code pictures}.
     *
     * @param tol entries with magnitude at most this count as zero
     */
    public void sparsityPicture(String name, String matrixName, DMatrixRMaj m, double tol) {
        BufferedImage img = Plots.sparsityPattern(m, tol);
        write(name, out -> Plots.writePng(img, out));
        Plots.Layout l = Plots.layout(m.numRows, m.numCols);
        ObjectNode n = pictures.putObject(name);
        n.put("matrix", matrixName);
        n.putArray("shape").add(m.numRows).add(m.numCols);
        n.put("zeroTolerance", tol);
        n.put("rowsPerCell", l.rowsPerCell());
        n.put("colsPerCell", l.colsPerCell());
        n.putArray("pixels").add(l.width()).add(l.height());
    }

    /** The file of a benchmark's printed table in its report folder. */
    public static final String TABLE_FILE = "table.txt";

    /**
     * Writes the lines a benchmark prints into {@value #TABLE_FILE}, one per line (UTF-8).
     *
     * @param lines the lines, without line ends
     */
    public void table(List<String> lines) {
        write(TABLE_FILE, out -> out.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The report's {@code machine} object, made on the first call with the kernels ({@link Gemm#kernels()}) and the
     * processor count; a benchmark adds its measurements of the machine to it.
     *
     * @return the object
     */
    public ObjectNode machine() {
        if (root.get("machine") instanceof ObjectNode m) {
            return m;
        }
        ObjectNode m = root.putObject("machine");
        m.put("kernels", Gemm.kernels());
        m.put("heapPages", HeapPages.describe());
        m.put("processors", Runtime.getRuntime().availableProcessors());
        return m;
    }

    /** Writes a file of the report from a stream writer. */
    public void write(String name, IoConsumer<OutputStream> content) {
        Path p = dir.file(name);
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(p), 1 << 16)) {
            content.accept(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + name + " of the report: " + e.getMessage(), e);
        }
    }

    /** A consumer that may throw IOException. */
    @FunctionalInterface
    public interface IoConsumer<T> {
        /** Consumes t. */
        void accept(T t) throws IOException;
    }

    /**
     * Adds the versions, the file list and the total time, writes {@code report.json} and puts the
     * report folder in place.
     *
     * @return the report folder as the user gave it
     */
    public Path finish() {
        ObjectNode v = (ObjectNode) root.get("versions");
        v.put("bilevel4j", Version.get());
        v.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ", "
                + System.getProperty("java.vm.name") + ")");
        v.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        v.put("blas", Gemm.backend());
        v.put("vectorApi", Gemm.vectorApi());
        v.put("heapPages", HeapPages.describe());
        v.put("processors", Runtime.getRuntime().availableProcessors());
        v.put("commonPoolParallelism", ForkJoinPool.getCommonPoolParallelism());
        ArrayNode files = (ArrayNode) root.get("files");
        dir.files().forEach(files::add);
        files.add(OutputDir.REPORT_JSON);
        timings.put("total", (System.nanoTime() - startNanos) * 1e-9);
        write(OutputDir.REPORT_JSON, out -> JSON.writeValue(new NonClosing(out), root));
        try {
            return dir.commit();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move the report into " + dir.out() + ": " + e.getMessage(), e);
        }
    }

    /** @return the SHA-256 of a file's bytes, lower-case hex */
    public static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** Keeps Jackson from closing the stream that {@link #write} closes. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
