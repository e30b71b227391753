package org.bilevel4j.cli.report;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Which pages the Java heap lies on, for the benchmarks' and {@code info}'s reports: the JVM's
 * {@code -XX:+UseTransparentHugePages} and the Linux kernel's transparent-huge-page mode. The passes that stream a
 * large M run measurably faster on huge pages (one translation entry for 2 MiB instead of 4 KiB: BINNO at 76800 x
 * 500 about a fifth faster on a two-core virtual machine), so a timing is read together with this line. The
 * launcher {@code bilevel4j} adds the flag where the kernel offers huge pages.
 */
public final class HeapPages {

    /** Where Linux states its transparent-huge-page mode, the chosen one in brackets. */
    static final Path KERNEL_MODE = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");

    private HeapPages() {
    }

    /** @return one line on the heap's pages in this JVM, for example "transparent huge pages (...)" */
    public static String describe() {
        return describe(flag(), kernelMode(KERNEL_MODE));
    }

    /** @return whether the JVM was started with {@code -XX:+UseTransparentHugePages} (empty where it cannot tell) */
    public static Optional<Boolean> flag() {
        try {
            HotSpotDiagnosticMXBean hs = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return hs == null ? Optional.empty()
                    : Optional.of(Boolean.parseBoolean(hs.getVMOption("UseTransparentHugePages").getValue()));
        } catch (IllegalArgumentException | LinkageError | SecurityException e) {
            return Optional.empty(); // not HotSpot, or a JVM without the option
        }
    }

    /**
     * @param file the kernel's mode file ({@link #KERNEL_MODE})
     * @return the word in brackets ("always", "madvise", "never"), or "none" where the file is missing, unreadable
     *     or has no bracketed word
     */
    static String kernelMode(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | SecurityException e) {
            return "none";
        }
        int open = text.indexOf('[');
        int close = text.indexOf(']', open + 1);
        return open < 0 || close < 0 || close == open + 1 ? "none" : text.substring(open + 1, close);
    }

    /**
     * @param flag the JVM's {@code UseTransparentHugePages}, empty where unknown
     * @param mode the kernel's mode ({@link #kernelMode})
     * @return the line {@link #describe()} prints
     */
    static String describe(Optional<Boolean> flag, String mode) {
        boolean offered = mode.equals("madvise") || mode.equals("always");
        if (flag.isEmpty()) {
            return "unknown (not a HotSpot JVM; kernel transparent huge pages: " + mode + ")";
        }
        if (flag.get() && offered) {
            return "transparent huge pages (-XX:+UseTransparentHugePages, kernel: " + mode + ")";
        }
        if (flag.get()) {
            return "regular pages (-XX:+UseTransparentHugePages given, but the kernel offers none: " + mode + ")";
        }
        if (mode.equals("always")) {
            return "transparent huge pages where the kernel forms them (kernel: always;"
                    + " -XX:+UseTransparentHugePages not given)";
        }
        return "regular pages (-XX:+UseTransparentHugePages not given; kernel transparent huge pages: " + mode + ")";
    }
}
