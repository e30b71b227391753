package org.bilevel4j.apps.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A matrix file that cannot be read or written. The message is one line,
 * {@code "<file>: <problem>"}, fit to show to a user as it is: the file as the caller named it,
 * then what is wrong (missing, unreadable, truncated, bad header, a ragged row, a non-finite entry
 * at row i, column j, with rows and columns counted from 1).
 */
public final class MatrixIOException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    /** What is wrong, without the file name, on one line. */
    private final String problem;

    /**
     * @param file the file concerned
     * @param problem what is wrong, without the file name (line breaks are replaced by spaces)
     */
    public MatrixIOException(Path file, String problem) {
        this(file, problem, null);
    }

    /**
     * @param file the file concerned
     * @param problem what is wrong, without the file name (line breaks are replaced by spaces)
     * @param cause the underlying exception, or null
     */
    public MatrixIOException(Path file, String problem, Throwable cause) {
        super(file + ": " + oneLine(problem), cause);
        this.file = file;
        this.problem = oneLine(problem);
    }

    /** @return the file concerned */
    public Path file() {
        return file;
    }

    /** @return what is wrong, without the file name */
    public String problem() {
        return problem;
    }

    static String oneLine(String s) {
        return s == null ? "unknown problem" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
