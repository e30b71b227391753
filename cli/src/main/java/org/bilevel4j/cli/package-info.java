/**
 * The {@code bilevel4j} command line: picocli commands that build a problem from the inputs, call a
 * solver of core and write a report. No algorithm lives here; see {@link org.bilevel4j.cli.Main}
 * for the exit codes and how to add a command.
 */
package org.bilevel4j.cli;
