package org.bilevel4j.apps.io;

/**
 * The check every reader makes before it allocates what a file's header claims: the bytes must
 * fit in the Java heap that is still free ({@link Runtime#maxMemory()} less what is in use, after
 * one garbage collection if needed). Readers also check the claim against the file's length
 * first; this check catches claims that the file can back but the heap cannot hold (a sparse
 * Matrix Market file of a huge dense matrix, a compressed element).
 */
public final class MemoryBudget {

    private MemoryBudget() {
    }

    /**
     * @param bytes what the reader is about to allocate
     * @param what what it is for, for the message (for example "the 30000x30000 matrix")
     * @return null when {@code bytes} fit in the free heap; otherwise the problem, one line,
     *     without the file name (readers prefix it)
     */
    public static String shortfall(long bytes, String what) {
        if (bytes <= free()) {
            return null;
        }
        System.gc();
        long free = free();
        if (bytes <= free) {
            return null;
        }
        return what + " needs " + mib(bytes) + " MiB, more than the " + mib(free) + " MiB free in the Java heap (max"
                + " heap " + mib(Runtime.getRuntime().maxMemory()) + " MiB; raise it with BILEVEL4J_JAVA_OPTS=-Xmx8g,"
                + " for example)";
    }

    /** @return the bytes of heap not in use now */
    static long free() {
        Runtime rt = Runtime.getRuntime();
        return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    }

    private static String mib(long bytes) {
        return bytes < 10L << 20 ? String.format(java.util.Locale.ROOT, "%.1f", bytes / 1048576.0)
                : Long.toString(bytes >> 20);
    }
}
