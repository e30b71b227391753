package org.bilevel4j.apps.cleaning;

import java.io.IOException;
import java.nio.file.Path;

/** A malformed, truncated or corrupted IDX file. The message is one line and names the file. */
public final class IdxFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * @param file the file
     * @param problem what is wrong with it
     */
    public IdxFormatException(Path file, String problem) {
        super(file + ": " + problem);
    }

    /**
     * @param file the file
     * @param problem what is wrong with it
     * @param cause the underlying error
     */
    public IdxFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
