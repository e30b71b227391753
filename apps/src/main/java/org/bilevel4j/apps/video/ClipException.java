package org.bilevel4j.apps.video;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A clip could not be read. The message is one line that names the file and the problem
 * ("demo.avi: truncated: chunk '00db' at byte 1234 needs 6912 bytes, 100 left").
 */
public final class ClipException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * @param file the file or folder at fault
     *
     * @param problem the problem
     */
    public ClipException(Path file, String problem) {
        super(file + ": " + problem);
    }

    /**
     * @param file the file or folder at fault
     *
     * @param problem the problem
     * @param cause the underlying exception
     */
    public ClipException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
