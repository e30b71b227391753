package org.bilevel4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input of {@code bilevel4j robust}: one line, exit code 2, nothing written. The real-data run
 * itself (about a minute per seed) runs from the command line, not from unit tests.
 */
class RobustCommandTest {

    private static CliRunner.Run run(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "robust";
        System.arraycopy(args, 0, all, 1, args.length);
        return CliRunner.run(all);
    }

    @Test
    void rhoBelowTheContinuationStartIsRejected(@TempDir Path dir) {
        CliRunner.Run r = run("--rho", "5", "--out", dir.resolve("o").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--rho must be at least 10");
        assertThat(dir.resolve("o")).doesNotExist();
    }

    @Test
    void seedAndSeedsTogetherAreRejected(@TempDir Path dir) {
        CliRunner.Run r = run("--seed", "1", "--seeds", "0,2", "--out", dir.resolve("o").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("give either --seed or --seeds, not both");
    }

    @Test
    void aDataRootWithoutFashionMnistIsRejectedNamingIt(@TempDir Path dir) {
        CliRunner.Run r = run("--data", dir.toString(), "--out", dir.resolve("o").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("no FashionMNIST data", dir.toString());
        assertThat(dir.resolve("o")).doesNotExist();
    }

    @Test
    void nonPositiveBudgetsAndInnerFactorsAreRejected(@TempDir Path dir) {
        assertThat(run("--max-inner", "0", "--out", dir.resolve("o").toString()).err())
                .contains("--max-inner must be at least 1");
        assertThat(run("--inner-factor", "0", "--out", dir.resolve("o").toString()).err())
                .contains("--inner-factor must be positive");
        assertThat(run("--inner", "newton", "--out", dir.resolve("o").toString()).code())
                .isEqualTo(2);
    }
}
