package org.bilevel4j.cli;

import java.nio.file.Path;
import org.bilevel4j.cli.report.OutputDir;
import picocli.CommandLine.Option;

/**
 * The options of every command that writes a report folder (a picocli mixin): {@code --force} and
 * {@code --quiet}. {@code --out} is declared by each command, since its default differs; it is
 * checked by {@link #prepare(Path)} before any work. {@link RunOptions} adds the solver options.
 *
 * <p>The report contract (README "Reliability"): the report is written into a hidden staging
 * folder beside {@code --out} and moved into place as a whole when the run succeeded; an earlier
 * bilevel4j report in {@code --out} is replaced as a whole; any other non-empty {@code --out} is
 * refused before any work unless {@code --force}, which replaces the whole folder.
 */
public class ReportOptions {

    /** The help of {@code --force}, the same in every command. */
    public static final String FORCE_HELP = "Replace a non-empty --out folder that is not an earlier bilevel4j report:"
            + " the whole folder, with every file in it, is replaced by the new report once the run has succeeded"
            + " (without --force such a folder is refused before any work; an earlier report is always replaced"
            + " as a whole).";

    /** The help of {@code --quiet}, the same in every command. */
    public static final String QUIET_HELP = "Print nothing on stdout and show no progress on stderr (errors and"
            + " warnings still go to stderr).";

    @Option(names = "--force", description = FORCE_HELP)
    boolean force;

    @Option(names = "--quiet", description = QUIET_HELP)
    boolean quiet;

    /**
     * @param spec the command
     * @return the command's stdout, or a writer that drops everything with {@code --quiet}
     */
    java.io.PrintWriter stdout(picocli.CommandLine.Model.CommandSpec spec) {
        return quiet ? new java.io.PrintWriter(java.io.Writer.nullWriter()) : spec.commandLine().getOut();
    }

    /**
     * Checks {@code --out} before any work (see {@link OutputDir#prepare}).
     *
     * @param out the folder as the user gave it
     * @return the report folder, to write into and commit
     * @throws InputException if {@code --out} cannot receive the report
     */
    OutputDir prepare(Path out) {
        return OutputDir.prepare(out, force);
    }
}
