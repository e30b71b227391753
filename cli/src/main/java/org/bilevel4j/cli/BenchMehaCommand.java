package org.bilevel4j.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.bilevel4j.apps.cleaning.CleaningDataset;
import org.bilevel4j.apps.cleaning.HyperCleaning;
import org.bilevel4j.apps.cleaning.IdxFormatException;
import org.bilevel4j.apps.perf.MehaBench;
import org.bilevel4j.linalg.Precision;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bilevel4j bench meha}: seconds per MEHA iteration on data hyper-cleaning and the ratio to
 * the floor of the matrix products it needs, timed alone in the same run.
 */
@Command(name = "meha", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Seconds per MEHA iteration on data hyper-cleaning (5000 x 784 training and validation"
            + " sets, 10 classes) and the ratio to the floor: the matrix products one iteration makes, each timed"
            + " alone on the same matrices in the same run. Rounds alternate the two; medians are reported."},
        footer = {"", "--dataset synthetic needs no files: random data of the same shape (the products cost the"
            + " same)."})
public final class BenchMehaCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--dataset", defaultValue = "fashion-mnist", paramLabel = "fashion-mnist|mnist|DIR|synthetic",
            description = "The data. Default: ${DEFAULT-VALUE}.")
    String dataset;

    @Option(names = "--data", paramLabel = "DIR", description = "The data root.")
    Path dataRoot;

    @Option(names = "--warmup", defaultValue = "20", paramLabel = "N",
            description = "Iterations before measuring. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--rounds", defaultValue = "5", paramLabel = "N",
            description = "Measurement rounds. Default: ${DEFAULT-VALUE}.")
    int rounds;

    @Option(names = {"--max-iter", "--iterations"}, defaultValue = "20", paramLabel = "N",
            description = "MEHA iterations per round (at least 1; --iterations is its older name). Default:"
                    + " ${DEFAULT-VALUE}.")
    int iterations;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "Seed of the split (and of the"
            + " synthetic data); the same seed gives the same matrices. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--precision", defaultValue = "double,single", split = ",", paramLabel = "double|single",
            description = {"Format(s) of the products, measured one after the other (see clean --precision)."
                + " Default: ${DEFAULT-VALUE}."})
    List<String> precisions;

    @Option(names = "--threads", paramLabel = "N", description = RunOptions.THREADS_HELP)
    Integer threads;

    @Mixin
    ReportOptions reportOptions;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out/bench-meha",
            description = "Report folder: report.json and table.txt. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Override
    public Integer call() throws IOException {
        List<Precision> formats = new ArrayList<>();
        for (String p : precisions) {
            formats.add(Precision.parse(p));
        }
        if (warmup < 1 || rounds < 1 || iterations < 1) {
            throw new InputException("--warmup, --rounds and --max-iter (--iterations) must be at least 1, got "
                    + warmup + ", " + rounds + " and " + iterations);
        }
        return BenchCommand.report(spec, reportOptions, out, threads, "bench meha", w -> {
            CleaningDataset d = data();
            w.seed(seed);
            ObjectNode o = w.options();
            o.put("dataset", dataset);
            o.put("warmup", warmup);
            o.put("rounds", rounds);
            o.put("maxIter", iterations);
            ArrayNode ps = o.putArray("precision");
            formats.forEach(p -> ps.add(p.label()));
            o.put("threads", threads);
            List<String> lines = new ArrayList<>();
            for (Precision precision : formats) {
                MehaBench.Report r = MehaBench.run(d, HyperCleaning.mehaDefaults(), warmup, rounds, iterations,
                        precision);
                lines.addAll(MehaBench.describe(r));
                double macs = r.multiplyAddsPerIteration(d.trainDesign().numRows, d.valDesign().numRows,
                        d.trainDesign().numCols);
                lines.add(String.format(Locale.ROOT, "  products: %.0f M multiply-adds per iteration, %.2f GFLOP/s at"
                        + " the floor, %.2f GFLOP/s overall", macs / 1e6, 2 * macs / r.floorSecondsPerIteration() / 1e9,
                        2 * macs / r.secondsPerIteration() / 1e9));
                double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
                lines.add(String.format(Locale.ROOT, "  %d processors; machine load average %.2f",
                        Runtime.getRuntime().availableProcessors(), load));
                ObjectNode n = w.run("meha (" + precision.label() + " precision)");
                n.put("data", r.data());
                n.put("backend", r.backend());
                n.put("rounds", r.rounds());
                n.put("iterationsPerRound", r.iterationsPerRound());
                n.put("secondsPerIteration", r.secondsPerIteration());
                n.put("floorSecondsPerIteration", r.floorSecondsPerIteration());
                n.put("ratio", r.ratio());
                n.put("cpuSecondsPerIteration", r.cpuSecondsPerIteration());
                n.put("multiplyAddsPerIteration", macs);
                n.put("loadAverage", load);
                ArrayNode products = n.putArray("products");
                r.productsPerIteration().forEach((shape, count) -> products.addObject()
                        .put("data", shape.data()).put("transposed", shape.transposed()).put("cols", shape.cols())
                        .put("perIteration", count).put("seconds", r.secondsPerProduct().get(shape)));
            }
            return lines;
        });
    }

    /**
     * Reads the data (after {@code --out} was checked).
     *
     * @throws InputException naming the file when it cannot be read
     */
    private CleaningDataset data() {
        try {
            if (dataset.equalsIgnoreCase("synthetic")) {
                return CleaningDataset.synthetic(784, 5000, 5000, 10, 0.5, 0.5, seed);
            }
            Path folder = CleaningDataset.resolve(dataset, dataRoot);
            return CleaningDataset.load(folder, new CleaningDataset.Protocol(5000,
                    CleaningDataset.defaultValidation(folder), 0, 0.5, seed));
        } catch (IdxFormatException | NoSuchFileException e) {
            throw new InputException(e.getMessage(), e);
        } catch (IOException e) {
            throw new InputException("cannot read the data: " + e.getMessage(), e);
        }
    }
}
