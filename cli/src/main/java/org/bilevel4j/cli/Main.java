package org.bilevel4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import org.bilevel4j.apps.io.MatrixIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code bilevel4j} command: one picocli subcommand per job.
 *
 * <p>Exit codes: 0 success, 2 bad usage or input (unknown options, bad values, unusable files;
 * {@link InputException}, {@link IllegalArgumentException}, {@link MatrixIOException}), 1 any other
 * failure. Every error is one line on stderr, {@code bilevel4j: error: ...}; {@code --debug} adds
 * the stack trace.
 */
@Command(name = "bilevel4j", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "First-order bilevel optimization: BINNO, MEHA, DBGD, penalty minimax and their baselines.",
        synopsisSubcommandLabel = "COMMAND",
        footer = {"", "Spark commands (sweep, factorize-spark, bench-spark; video --spark MASTER)",
            "run from the Spark jar, which ./bilevel4j builds and uses: see docs/spark.md.",
            "", "Exit codes: 0 success, 2 bad usage or input (one line on stderr naming the option or file),",
            "1 internal failure.",
            "", "Reports: every command writes its --out folder all at once (staged beside it, then moved in)",
            "or not at all; an earlier report there is replaced as a whole, any other non-empty folder is",
            "refused unless --force, which replaces that whole folder. See README.md, 'Reliability'.",
            "Run 'bilevel4j COMMAND --help' for the options of a command."})
public final class Main implements Callable<Integer> {

    /** The prefix of every error line. */
    public static final String ERROR_PREFIX = "bilevel4j: error: ";

    @Spec
    CommandSpec spec;

    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "Print the stack trace of an error (errors are otherwise one line).")
    boolean debug;

    /**
     * The subcommands, in the order that {@code --help} lists them. To add a command, write a
     * picocli {@code @Command} class in this package and add an instance here; {@code help} is
     * added after these. Modules outside the default jar add theirs through {@link CommandProvider}.
     */
    static List<Object> commands() {
        List<Object> all = new ArrayList<>(List.of(new DemoCommand(), new FactorizeCommand(), new VideoCommand(),
                new MehaCommand(), new CleanCommand(), new SimpleCommand(), new MinimaxCommand(), new RobustCommand(),
                new MarketCommand(), new BenchCommand(), new InfoCommand()));
        ServiceLoader.load(CommandProvider.class).stream().map(ServiceLoader.Provider::get)
                .sorted(Comparator.comparingInt(CommandProvider::order).thenComparing(p -> p.getClass().getName()))
                .forEach(p -> all.addAll(p.commands()));
        return all;
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing command: give one of "
                + String.join(", ", spec.subcommands().keySet()));
    }

    /**
     * Builds the command line with its subcommands, writers and error handling; tests call
     * {@link CommandLine#execute} on it.
     *
     * @param out where results go (tables, help, version)
     * @param err where errors go
     */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        System.setProperty("java.awt.headless", "true");
        CommandLine cl = new CommandLine(new Main());
        for (Object c : commands()) {
            cl.addSubcommand(c);
        }
        cl.addSubcommand("help", new CommandLine.HelpCommand());
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler(Main::handleParameterException);
        cl.setExecutionExceptionHandler(Main::handleExecutionException);
        return cl;
    }

    /** Runs the command line and exits with its exit code. */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code;
        try {
            code = commandLine(out, err).execute(args);
        } catch (OutOfMemoryError e) {
            err.println(ERROR_PREFIX + "out of memory (max heap " + (Runtime.getRuntime().maxMemory() >> 20)
                    + " MiB; raise it with BILEVEL4J_JAVA_OPTS=-Xmx8g, for example)");
            code = 1;
        }
        out.flush();
        err.flush();
        System.exit(code);
    }

    private static int handleParameterException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        String name = cmd.getCommandSpec().qualifiedName();
        err.println(ERROR_PREFIX + oneLine(ex.getMessage()) + " (see '" + name + " --help')");
        if (debugRequested(args)) {
            ex.printStackTrace(err);
        }
        err.flush();
        return 2;
    }

    private static int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        int code = exitCode(ex);
        String message;
        if (code == 2 || ex instanceof IOException || ex instanceof UncheckedIOException) {
            message = ex.getMessage();
        } else {
            message = "internal failure: " + ex.getClass().getName()
                    + (ex.getMessage() == null ? "" : ": " + ex.getMessage());
        }
        boolean debug = debugRequested(parseResult.originalArgs().toArray(new String[0]));
        if (code == 1 && !debug) {
            message += " (run with --debug for the stack trace)";
        }
        err.println(ERROR_PREFIX + oneLine(message));
        if (debug) {
            ex.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    /** @return 2 for bad input, 1 otherwise */
    static int exitCode(Throwable ex) {
        if (ex instanceof InputException || ex instanceof IllegalArgumentException
                || ex instanceof MatrixIOException || ex instanceof ParameterException) {
            return 2;
        }
        if (ex instanceof UncheckedIOException u && u.getCause() instanceof MatrixIOException) {
            return 2;
        }
        return 1;
    }

    private static boolean debugRequested(String[] args) {
        for (String a : args) {
            if (a.equals("--")) {
                return false;
            }
            if (a.equals("--debug")) {
                return true;
            }
        }
        return false;
    }

    /** @return the text on one line: line breaks and the spaces around them become one space */
    static String oneLine(String s) {
        return s == null ? "(no message)" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
