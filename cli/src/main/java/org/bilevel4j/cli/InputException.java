package org.bilevel4j.cli;

/**
 * Bad input from the user: a file that cannot be used, an option value out of range, an output
 * folder that cannot be written. {@link Main} prints the message as one line and exits with
 * code 2. Messages name the option or file concerned.
 */
public final class InputException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message one line that names the option or file and the problem */
    public InputException(String message) {
        super(message);
    }

    /**
     * @param message one line that names the option or file and the problem
     * @param cause the underlying exception
     */
    public InputException(String message, Throwable cause) {
        super(message, cause);
    }
}
