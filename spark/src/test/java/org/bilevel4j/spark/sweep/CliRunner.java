package org.bilevel4j.spark.sweep;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import org.bilevel4j.cli.Main;
import picocli.CommandLine;

/** Runs the bilevel4j command line (with the commands of this module) in this process, capturing its output. */
final class CliRunner {

    private CliRunner() {
    }

    /**
     * @param code the exit code
     * @param out what went to stdout
     * @param err what went to stderr
     */
    record Run(int code, String out, String err) {
        /** @return the non-empty lines of stderr */
        List<String> errLines() {
            return Arrays.stream(err.split("\\R")).filter(s -> !s.isEmpty()).toList();
        }
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }
}
