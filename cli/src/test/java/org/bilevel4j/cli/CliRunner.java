package org.bilevel4j.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;

/**
 * Runs the bilevel4j command line in this process with captured stdout and stderr: the command
 * tests go through {@link Main} as a user would. Shared with other modules' tests through this
 * module's test-jar; the commands of {@link CommandProvider}s on the test classpath are included.
 */
public final class CliRunner {

    private CliRunner() {
    }

    /**
     * The outcome of one command line.
     *
     * @param code the exit code
     * @param out what went to stdout
     * @param err what went to stderr
     */
    public record Run(int code, String out, String err) {
        /** @return the non-empty lines of stderr */
        public List<String> errLines() {
            return Arrays.stream(err.split("\\R")).filter(s -> !s.isEmpty()).toList();
        }
    }

    /** @return the outcome of {@code bilevel4j args...} */
    public static Run run(String... args) {
        return run(null, args);
    }

    /** Runs with an extra subcommand registered (for tests of the error handling). */
    public static Run run(Object extraCommand, String... args) {
        return runNamed(null, extraCommand, args);
    }

    /** Runs with an extra subcommand registered under {@code extraName} (a second instance of a real command). */
    public static Run runNamed(String extraName, Object extraCommand, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PrintWriter o = new PrintWriter(out, true);
        PrintWriter e = new PrintWriter(err, true);
        CommandLine cl = Main.commandLine(o, e);
        if (extraCommand != null) {
            if (extraName != null) {
                cl.addSubcommand(extraName, extraCommand);
            } else {
                cl.addSubcommand(extraCommand);
            }
            // settings reach only the subcommands present when they are set: set them again
            cl.setOut(o);
            cl.setErr(e);
            cl.setExecutionExceptionHandler(cl.getExecutionExceptionHandler());
            cl.setParameterExceptionHandler(cl.getParameterExceptionHandler());
        }
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }
}
