package org.bilevel4j.spark.binno;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import org.bilevel4j.spark.SparkSessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bilevel4j bench-spark}: seconds per iteration of the distributed BINNO against the
 * single-machine solver in the same run, its scaling with the number of row blocks, the per-block
 * costs and the cluster estimate of {@link SparkBinnoBench}.
 */
@Command(name = "bench-spark", mixinStandardHelpOptions = true,
        description = {"Distributed BINNO (Spark) against the single-machine solver, same run.",
            "Times both on synthetic sparse low-rank data (as 'bench binno' builds it), the distributed one for"
                    + " each number of row blocks, then measures the per-block cost of the two passes at n = 500"
                    + " and n = 6000 and prints estimates of the time per iteration for 2,073,600 x 6,000 on a"
                    + " cluster."})
public final class BenchSparkCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--spark", defaultValue = "local[2]", paramLabel = "MASTER",
            description = "Spark master. Default: ${DEFAULT-VALUE}.")
    String master;

    @Option(names = "--rows", defaultValue = "76800", description = "m. Default: ${DEFAULT-VALUE}.")
    int rows;

    @Option(names = "--cols", defaultValue = "500", description = "n. Default: ${DEFAULT-VALUE}.")
    int cols;

    @Option(names = "--rank", defaultValue = "10", description = "r. Default: ${DEFAULT-VALUE}.")
    int rank;

    @Option(names = "--partitions", split = ",", defaultValue = "2,4,8,16", paramLabel = "P",
            description = "Numbers of row blocks to time. Default: ${DEFAULT-VALUE}.")
    List<Integer> partitions;

    @Option(names = "--warmup", defaultValue = "2", description = "Untimed iterations per timing. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--iterations", defaultValue = "5", description = "Timed iterations per timing. Default: ${DEFAULT-VALUE}.")
    int iterations;

    @Option(names = "--seed", defaultValue = "7", description = "Seed of the data and the start. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--check", description = "Only the agreement check: distributed and single-machine BINNO, 50"
            + " iterations on 600 x 40 (r = 5, five unequal row blocks), midpoint and linesearch; prints the largest"
            + " relative differences of X, Y, Psi1 and Psi2.")
    boolean check;

    @Override
    public Integer call() {
        if (rows < 2 || cols < 1 || rank < 1 || rank > Math.min(rows, cols) || warmup < 0 || iterations < 1) {
            throw new IllegalArgumentException("need rows >= 2, cols >= 1, 1 <= rank <= min(rows, cols), warmup >= 0"
                    + " and iterations >= 1");
        }
        for (int p : partitions) {
            if (p < 1 || p > rows) {
                throw new IllegalArgumentException("--partitions: each count must be between 1 and " + rows + ", got "
                        + p);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(SparkSessions.open(master, "bilevel4j bench-spark")
                .sparkContext());
        if (check) {
            for (org.bilevel4j.solver.binno.BinnoWeights w : List.of(org.bilevel4j.solver.binno.BinnoWeights.MIDPOINT,
                    org.bilevel4j.solver.binno.BinnoWeights.LINESEARCH)) {
                double[] d = SparkBinnoBench.agreement(sc, w, 50);
                out.println(String.format(java.util.Locale.ROOT, "%-10s after 50 iterations: relative differences"
                        + " X %.2e, Y %.2e, Psi1 %.2e, Psi2 %.2e (largest over the trace)", w.label(), d[0], d[1],
                        d[2], d[3]));
            }
            return 0;
        }
        SparkBinnoBench.run(sc, rows, cols, rank, partitions, warmup, iterations, seed, line -> {
            out.println(line);
            out.flush();
        });
        return 0;
    }
}
