package org.bilevel4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Issue 16: every command that writes a report offers --out, --force and --quiet with one help
 * wording (the {@link ReportOptions} mixin), and the shared options keep each command's defaults.
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
        "minimax"})
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
}
