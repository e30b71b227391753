package org.bilevel4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * Issue 16: every command that writes a report offers --out, --force and --quiet with one help
 * wording (the {@link ReportOptions} mixin), and the shared options keep each command's defaults;
 * every command that runs something speaks the shared options.
 */
class OptionVocabularyTest {

    private static String help(String command) {
        String[] args = (command + " --help").split(" ");
        CliRunner.Run r = CliRunner.run(args);
        assertThat(r.code()).as(r.err()).isZero();
        return r.out().replaceAll("\\s+", " ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"factorize", "demo", "video", "market", "clean", "meha toy", "simple toy", "simple mf", "robust",
        "minimax", "bench binno", "bench rpca", "bench meha"})
    void reportCommandsShareTheReportOptions(String command) {
        String h = help(command);
        assertThat(h).contains("--out", "--force", "--quiet",
                ReportOptions.FORCE_HELP.substring(0, 60), ReportOptions.QUIET_HELP.substring(0, 40));
    }

    @Test
    void sharedOptionsKeepEachCommandsDefaults() {
        String mf = help("simple mf");
        assertThat(mf).contains("--max-iter=N Iteration limit of every solver run (at least 1). Default: 20000.")
                .contains("the same seed gives the same result. Default: 0.");
        assertThat(help("factorize")).contains("Default: 1000.");
        assertThat(help("video")).contains("Default: 5000.");
    }

    /**
     * One surface: every command that runs something speaks --out, --force, --quiet, --max-iter and --threads, and
     * --seed where the run makes random choices (the two toys' problems and starts are fixed); only info and help
     * (which run nothing) and the parent commands (which only list their subcommands) are exempt.
     */
    @Test
    void everyCommandThatRunsSomethingSpeaksTheSharedOptions() {
        assertThat(checkSharedOptionsOfEveryCommand()).contains("bilevel4j demo", "bilevel4j factorize",
                "bilevel4j video", "bilevel4j clean", "bilevel4j bench binno", "bilevel4j bench rpca",
                "bilevel4j bench meha", "bilevel4j meha toy", "bilevel4j simple toy", "bilevel4j simple mf",
                "bilevel4j minimax", "bilevel4j robust", "bilevel4j market");
    }

    /**
     * Walks every command {@link Main} knows (its own and those of the {@link CommandProvider}s on the class path, so
     * the Spark module's tests check theirs with it) and asserts the shared options of each one that runs something.
     *
     * @return the commands checked, by qualified name
     */
    static List<String> checkSharedOptionsOfEveryCommand() {
        Set<String> exempt = Set.of("bilevel4j", "bilevel4j info", "bilevel4j help");
        Set<String> noRandomness = Set.of("bilevel4j meha toy", "bilevel4j simple toy");
        List<String> leaves = new ArrayList<>();
        ArrayDeque<CommandLine> todo = new ArrayDeque<>();
        todo.add(Main.commandLine(new PrintWriter(Writer.nullWriter()), new PrintWriter(Writer.nullWriter())));
        while (!todo.isEmpty()) {
            CommandLine c = todo.poll();
            todo.addAll(c.getSubcommands().values());
            String name = c.getCommandSpec().qualifiedName();
            if (!c.getSubcommands().isEmpty() || exempt.contains(name)) {
                continue;
            }
            leaves.add(name);
            List<String> shared = new ArrayList<>(List.of("--out", "--force", "--quiet", "--max-iter", "--threads"));
            if (!noRandomness.contains(name)) {
                shared.add("--seed");
            }
            for (String option : shared) {
                assertThat(c.getCommandSpec().findOption(option)).as("%s %s", name, option).isNotNull();
            }
        }
        return leaves;
    }
}
