package org.bilevel4j.cli;

import java.util.concurrent.ForkJoinPool;
import org.ejml.concurrency.EjmlConcurrency;
import picocli.CommandLine.Option;

/**
 * Options shared by the commands that run a solver (a picocli mixin): {@code --seed},
 * {@code --max-iter}, {@code --threads}, and {@code --force} and {@code --quiet} from
 * {@link ReportOptions}. {@code --out} is declared by each command, since its default differs.
 * A command whose defaults of {@code --seed} or {@code --max-iter} differ from these names them in
 * an {@link OptionDefaults} provider ({@code @Command(defaultValueProvider = ...)}); the help shows
 * the command's own default.
 */
public final class RunOptions extends ReportOptions {

    /** The system property that sizes the common fork-join pool. */
    static final String COMMON_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

    /** The most threads {@code --threads} accepts. */
    static final int MAX_THREADS = 1024;

    /** The help of {@code --max-iter}, the same in every command. */
    static final String MAX_ITER_HELP = "Iteration limit of every solver run (at least 1). Default: ${DEFAULT-VALUE}.";

    /** The help of {@code --seed}, the same in every command. */
    static final String SEED_HELP = "Seed of every random choice of the run (data, corruption, starts); the same"
            + " seed gives the same result. Default: ${DEFAULT-VALUE}.";

    /**
     * The help of {@code --threads} in the commands that declare it themselves (the benchmarks, clean, minimax,
     * market, meha toy, simple toy, and the Spark module's); {@link #requireThreads} and
     * {@link #applyThreads(Integer)} check and apply it.
     */
    public static final String THREADS_HELP = "Threads of the pure-Java matrix kernels, EJML and the common fork-join"
            + " pool (set before any parallel work), 1 to " + MAX_THREADS + "; the bilevel4j script also sets"
            + " OPENBLAS_NUM_THREADS=N for native BLAS unless it is set. Default: all processors.";

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = SEED_HELP)
    long seed;

    @Option(names = "--max-iter", paramLabel = "N", defaultValue = "1000", description = MAX_ITER_HELP)
    int maxIter;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads for the parallel work of the run (pure-Java matrix products through EJML and the"
                    + " common fork-join pool, parallel runs), 1 to " + MAX_THREADS + ". Default: all processors"
                    + " (simple mf: 1, one configuration at a time)."
                    + " Native BLAS reads OPENBLAS_NUM_THREADS instead, which the bilevel4j script sets from this"
                    + " option.")
    Integer threads;

    /** @throws InputException for an iteration limit below 1 or a thread count outside 1..{@value #MAX_THREADS} */
    void validate() {
        requireMaxIter(maxIter);
        requireThreads(threads);
    }

    /** @throws InputException for a {@code --threads} value (null: not given) outside 1..{@value #MAX_THREADS} */
    public static void requireThreads(Integer threads) {
        if (threads != null && threads < 1) {
            throw new InputException("--threads must be at least 1, got " + threads);
        }
        if (threads != null && threads > MAX_THREADS) {
            throw new InputException("--threads must be at most " + MAX_THREADS + " (1 to " + MAX_THREADS + "), got "
                    + threads);
        }
    }

    /** @throws InputException for an iteration limit below 1 */
    static void requireMaxIter(long maxIter) {
        if (maxIter < 1) {
            throw new InputException("--max-iter must be at least 1, got " + maxIter);
        }
    }

    /** @return the thread count to use: {@code --threads}, or all processors */
    int threadCount() {
        return threadCount(threads);
    }

    /**
     * @param threads a {@code --threads} value, null when not given
     * @return it, or all processors
     */
    static int threadCount(Integer threads) {
        return threads != null ? threads : Runtime.getRuntime().availableProcessors();
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
        return applyThreads(threads);
    }

    /**
     * {@link #applyThreads()} for a command that takes {@code --threads} without this mixin.
     *
     * @param threads the option's value, null when not given (nothing is set)
     * @return the parallelism the common pool really has
     */
    public static int applyThreads(Integer threads) {
        if (threads != null) {
            System.setProperty(COMMON_PARALLELISM, Integer.toString(threads));
            System.setProperty("bilevel4j.threads", Integer.toString(threads));
            EjmlConcurrency.setMaxThreads(threads);
        }
        return ForkJoinPool.getCommonPoolParallelism();
    }
}
