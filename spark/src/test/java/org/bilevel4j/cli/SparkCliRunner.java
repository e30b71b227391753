package org.bilevel4j.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the bilevel4j command line (with the spark module's commands) in this process, output captured. */
final class SparkCliRunner {

    private SparkCliRunner() {
    }

    /**
     * @param code the exit code
     * @param out what went to stdout
     * @param err what went to stderr
     */
    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }
}
