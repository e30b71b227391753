package org.bilevel4j.apps.video;

/**
 * A range of frames {@code [start, end)}, 0-based, end exclusive, as in Python slicing: "0:51" is
 * the first 51 frames, "10:" frame 10 to the last, ":20" the first 20, "all" every frame.
 *
 * @param start first frame, at least 0
 * @param end one past the last frame; {@link #OPEN} means the end of the clip
 */
public record FrameRange(int start, int end) {

    /** End value meaning "to the end of the clip". */
    public static final int OPEN = Integer.MAX_VALUE;

    /**
     * Validates.
     *
     * @param start first frame, at least 0
     * @param end one past the last frame; {@link #OPEN} means the end of the clip
     */
    public FrameRange {
        if (start < 0) {
            throw new IllegalArgumentException("frame range start must be at least 0, got " + start);
        }
        if (end <= start) {
            throw new IllegalArgumentException("frame range " + start + ":" + end + " is empty");
        }
    }

    /** @return every frame */
    public static FrameRange all() {
        return new FrameRange(0, OPEN);
    }

    /**
     * Parses "a:b", "a:", ":b" or "all".
     *
     * @throws IllegalArgumentException on any other text
     * @param text the text
     * @return the range
     */
    public static FrameRange parse(String text) {
        String t = text.trim();
        if (t.equals("all") || t.equals(":")) {
            return all();
        }
        int c = t.indexOf(':');
        if (c < 0) {
            throw new IllegalArgumentException("frame range must look like a:b (0-based, end exclusive), got '"
                    + text + "'");
        }
        try {
            int a = c == 0 ? 0 : Integer.parseInt(t.substring(0, c).trim());
            int b = c == t.length() - 1 ? OPEN : Integer.parseInt(t.substring(c + 1).trim());
            return new FrameRange(a, b);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("frame range must look like a:b (0-based, end exclusive), got '"
                    + text + "'", e);
        }
    }

    /**
     * @param total the frames in the clip
     * @return the number of frames this range selects
     * @throws IllegalArgumentException if the range reaches outside the clip
     */
    public int count(int total) {
        int e = end == OPEN ? total : end;
        if (start >= total || e > total) {
            throw new IllegalArgumentException("frame range " + this + " is outside the clip's " + total
                    + " frames (0:" + total + ")");
        }
        return e - start;
    }

    @Override
    public String toString() {
        return start + ":" + (end == OPEN ? "" : Integer.toString(end));
    }
}
