package org.bilevel4j.cli;

import java.util.concurrent.ForkJoinPool;
import org.ejml.concurrency.EjmlConcurrency;
import picocli.CommandLine.Option;

/**
 * Options shared by the commands that run a solver (a picocli mixin). {@code --out} is declared by
 * each command, since its default differs.
 */
public final class RunOptions {

    /** The system property that sizes the common fork-join pool. */
    static final String COMMON_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
            description = "Seed of every random choice: the random start (and the generated data of demo)."
                    + " Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--max-iter", paramLabel = "N", defaultValue = "1000",
            description = "Iteration limit. Default: ${DEFAULT-VALUE}.")
    int maxIter;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads for the pure-Java parallel matrix products (EJML and the common fork-join"
                    + " pool). Default: all processors. Native BLAS reads OPENBLAS_NUM_THREADS instead,"
                    + " which the bilevel4j script sets from this option.")
    Integer threads;

    @Option(names = "--quiet", description = "Print nothing on stdout and show no progress bar.")
    boolean quiet;

    @Option(names = "--force",
            description = "Write into a non-empty --out folder that does not hold an earlier report, replacing"
                    + " files of the same name and keeping the others.")
    boolean force;

    /** @throws InputException for an iteration limit or thread count below 1 */
    void validate() {
        if (maxIter < 1) {
            throw new InputException("--max-iter must be at least 1, got " + maxIter);
        }
        if (threads != null && threads < 1) {
            throw new InputException("--threads must be at least 1, got " + threads);
        }
    }

    /**
     * Applies {@code --threads}: sets the common pool's parallelism property and the
     * {@code bilevel4j.threads} property of the matrix kernels (both read once, when first used, so
     * this runs before any parallel work) and EJML's thread count.
     *
     * @return the parallelism the common pool really has (it was fixed earlier if the pool was already
     *     in use in this process, as in tests)
     */
    int applyThreads() {
        if (threads != null) {
            System.setProperty(COMMON_PARALLELISM, Integer.toString(threads));
            System.setProperty("bilevel4j.threads", Integer.toString(threads));
            EjmlConcurrency.setMaxThreads(threads);
        }
        return ForkJoinPool.getCommonPoolParallelism();
    }
}
