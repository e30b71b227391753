package org.bilevel4j.linalg;

/**
 * Work arrays kept per thread for kernels that need a fresh work area on every call (the thin QR's copy of a
 * factor's columns, the row blocks of {@link TransposedMatrix}'s sweep): the solvers call them thousands of
 * times a run, and a new area each time was most of what they allocated (3.8 of the 7.3 GB that the video
 * command allocated on the traffic clip, which the JVM zeroes before handing it out and collects after). A slot holds
 * one area per thread, grown as needed and never shrunk; areas above {@link #MAX_DOUBLES} doubles are not
 * kept. The contents are whatever the last user left: a caller writes every entry it reads. A caller must
 * give the area back, by not using it any more, before it calls anything that may take the same slot on the
 * same thread. Package-private.
 */
final class Scratch {

    /** The largest area kept, in doubles (4 MiB); larger ones are allocated on each call. */
    static final int MAX_DOUBLES = 1 << 19;

    /** Slot of the thin QR's columns ({@code ThinFactorSvd}). */
    static final int QR_COLUMNS = 0;

    /** Slot of the sweep's block of {@code P^T} ({@link TransposedMatrix}). */
    static final int SWEEP_P = 1;

    /** Slot of the sweep's block of {@code X^T} ({@link TransposedMatrix}). */
    static final int SWEEP_X = 2;

    private static final int SLOTS = 3;

    private static final ThreadLocal<Scratch> LOCAL = ThreadLocal.withInitial(Scratch::new);

    private final double[][][] areas = new double[SLOTS][][];

    private Scratch() {
    }

    /**
     * @param slot which area
     * @param rows at least this many arrays
     * @param cols each of at least this many doubles
     * @return this thread's area of the slot, at least rows x cols (contents undefined)
     */
    static double[][] rows(int slot, int rows, int cols) {
        if (rows == 0 || (long) rows * cols > MAX_DOUBLES) {
            return new double[rows][cols];
        }
        Scratch s = LOCAL.get();
        double[][] a = s.areas[slot];
        if (a == null || a.length < rows || a[0].length < cols) {
            int r = a == null ? rows : Math.max(rows, a.length);
            int c = a == null ? cols : Math.max(cols, a[0].length);
            if ((long) r * c > MAX_DOUBLES) { // the union of the shapes is too large: this shape only
                r = rows;
                c = cols;
            }
            a = new double[r][c];
            s.areas[slot] = a;
        }
        return a;
    }
}
