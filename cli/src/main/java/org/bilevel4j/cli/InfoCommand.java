package org.bilevel4j.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinPool;
import org.bilevel4j.apps.io.DataPaths;
import org.bilevel4j.cli.report.HeapPages;
import org.bilevel4j.linalg.Gemm;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code bilevel4j info}: versions, the BLAS backend, processors and threads, the data folder. */
@Command(name = "info", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Print the version, the Java runtime, which BLAS runs the large matrix products, the"
                + " processors and threads, and where real data sets are looked up.")
final class InfoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        Runtime rt = Runtime.getRuntime();
        o.printf("bilevel4j   %s%n", Version.get());
        o.printf("java        %s (%s, %s)%n", System.getProperty("java.version"), System.getProperty("java.vendor"),
                System.getProperty("java.vm.name"));
        o.printf("os          %s %s %s%n", System.getProperty("os.name"), System.getProperty("os.version"),
                System.getProperty("os.arch"));
        o.printf("blas        %s%n", Gemm.backend());
        o.printf("processors  %d%n", rt.availableProcessors());
        o.printf("threads     common fork-join pool parallelism %d%s%n", ForkJoinPool.getCommonPoolParallelism(),
                Gemm.nativeAvailable() ? "; native BLAS threads: OPENBLAS_NUM_THREADS="
                        + envOr("OPENBLAS_NUM_THREADS", "(unset: all processors)") : "");
        o.printf(Locale.ROOT, "memory      %.1f GiB max heap%n", rt.maxMemory() / (double) (1L << 30));
        o.printf("pages       %s%n", HeapPages.describe());
        o.printf("data        %s%n", dataLine());
        o.flush();
        return 0;
    }

    private static String envOr(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    private static String dataLine() {
        try {
            return DataPaths.find(null).map(r -> r.root() + switch (r.source()) {
                case EXPLICIT -> "";
                case ENVIRONMENT -> " (from " + DataPaths.ENV + ")";
                case BESIDE_CHECKOUT -> " (shared/data beside the working directory)";
            }).orElse("not found (set " + DataPaths.ENV + " or put the data in ../shared/data)");
        } catch (IllegalArgumentException e) {
            return "error: " + e.getMessage();
        }
    }
}
