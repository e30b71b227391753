package org.bilevel4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
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

    @Option(names = "--iterations", defaultValue = "20", paramLabel = "N",
            description = "MEHA iterations per round. Default: ${DEFAULT-VALUE}.")
    int iterations;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "Seed of the split.")
    long seed;

    @Option(names = "--precision", defaultValue = "double,single", split = ",", paramLabel = "double|single",
            description = {"Format(s) of the products, measured one after the other (see clean --precision)."
                + " Default: ${DEFAULT-VALUE}."})
    List<String> precisions;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter o = spec.commandLine().getOut();
        CleaningDataset data;
        List<Precision> formats = new ArrayList<>();
        try {
            for (String p : precisions) {
                formats.add(Precision.parse(p));
            }
            if (warmup < 1 || rounds < 1 || iterations < 1) {
                throw new IllegalArgumentException("--warmup, --rounds and --iterations must be at least 1");
            }
            if (dataset.equalsIgnoreCase("synthetic")) {
                data = CleaningDataset.synthetic(784, 5000, 5000, 10, 0.5, 0.5, seed);
            } else {
                Path folder = CleaningDataset.resolve(dataset, dataRoot);
                data = CleaningDataset.load(folder, new CleaningDataset.Protocol(5000,
                        CleaningDataset.defaultValidation(folder), 0, 0.5, seed));
            }
        } catch (IllegalArgumentException | IdxFormatException | NoSuchFileException e) {
            err.println("bilevel4j: error: " + e.getMessage());
            err.flush();
            return 2;
        } catch (IOException e) {
            err.println("bilevel4j: error: cannot read the data: " + e.getMessage());
            err.flush();
            return 2;
        }
        for (Precision precision : formats) {
            MehaBench.Report r = MehaBench.run(data, HyperCleaning.mehaDefaults(), warmup, rounds, iterations,
                    precision);
            for (String line : MehaBench.describe(r)) {
                o.println(line);
            }
            double macs = r.multiplyAddsPerIteration(data.trainDesign().numRows, data.valDesign().numRows,
                    data.trainDesign().numCols);
            o.println(String.format(Locale.ROOT, "  products: %.0f M multiply-adds per iteration, %.2f GFLOP/s at the"
                    + " floor, %.2f GFLOP/s overall", macs / 1e6, 2 * macs / r.floorSecondsPerIteration() / 1e9,
                    2 * macs / r.secondsPerIteration() / 1e9));
            o.println(String.format(Locale.ROOT, "  %d processors; machine load average %.2f",
                    Runtime.getRuntime().availableProcessors(),
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
            o.flush();
        }
        return 0;
    }
}
