package org.bilevel4j.linalg;

/**
 * The floating-point format a data matrix is stored in and its products are summed in.
 *
 * <p>{@link #DOUBLE} is IEEE binary64 throughout (unit roundoff 2^-53). {@link #SINGLE} stores the
 * matrix in binary32 (unit roundoff 2^-24, about 6e-8 relative): half the memory and twice the
 * numbers per vector instruction, so products that stream a large matrix run about twice as fast.
 * A k-term sum then carries an error of about {@code k 2^-24 sum |terms|} instead of
 * {@code k 2^-53 sum |terms|}; for data that are themselves known to a few digits (8-bit pixels
 * scaled to [0, 1] are known to 1/255) the difference is far below the data's own resolution, and it
 * is what reference implementations in float32 (PyTorch's default) compute. Where the exact sums
 * matter, use {@code DOUBLE}.
 */
public enum Precision {
    /** IEEE binary64 storage and sums. */
    DOUBLE,
    /** IEEE binary32 storage and sums within a block; see {@link TallMatrix} for where double is kept. */
    SINGLE;

    /** @return the command-line name: {@code double} or {@code single} */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * @param s {@code double} or {@code single} (any case, surrounding blanks ignored)
     * @return the precision
     * @throws IllegalArgumentException naming the value otherwise
     */
    public static Precision parse(String s) {
        String t = s == null ? "" : s.strip();
        for (Precision p : values()) {
            if (p.label().equalsIgnoreCase(t)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown precision '" + s + "': use double or single");
    }
}
