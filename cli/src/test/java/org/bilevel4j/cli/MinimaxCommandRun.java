package org.bilevel4j.cli;

import picocli.CommandLine;

/**
 * Runs {@code bilevel4j minimax} before the main entry point registers it, with the error mapping of
 * the CLI (an IllegalArgumentException is one line on stderr and exit code 2):
 * {@code java -cp ... org.bilevel4j.cli.MinimaxCommandRun --problem all --out out}.
 */
public final class MinimaxCommandRun {

    private MinimaxCommandRun() {
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** @return the command with the CLI's mapping of bad input to exit code 2 */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new MinimaxCommand());
        cl.setExecutionExceptionHandler((ex, cmd, parse) -> {
            if (ex instanceof IllegalArgumentException) {
                cmd.getErr().println("error: " + ex.getMessage());
                return 2;
            }
            throw ex;
        });
        return cl;
    }

    static int run(String... args) {
        return commandLine().execute(args);
    }
}
