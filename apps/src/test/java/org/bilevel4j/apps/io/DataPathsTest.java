package org.bilevel4j.apps.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The order explicit path, BILEVEL4J_DATA, ../shared/data, on a folder tree made for the test. */
class DataPathsTest {

    @TempDir
    Path tmp;

    @Test
    void explicitPathComesFirst() throws IOException {
        Path explicit = Files.createDirectories(tmp.resolve("mine"));
        Path env = Files.createDirectories(tmp.resolve("env"));
        var r = DataPaths.find(explicit, env.toString(), tmp).orElseThrow();
        assertThat(r.root()).isEqualTo(explicit.toAbsolutePath().normalize());
        assertThat(r.source()).isEqualTo(DataPaths.Source.EXPLICIT);
    }

    @Test
    void environmentComesBeforeSharedData() throws IOException {
        Path env = Files.createDirectories(tmp.resolve("env"));
        Path checkout = Files.createDirectories(tmp.resolve("repo"));
        Files.createDirectories(tmp.resolve("shared/data"));
        var r = DataPaths.find(null, env.toString(), checkout).orElseThrow();
        assertThat(r.root()).isEqualTo(env.toAbsolutePath().normalize());
        assertThat(r.source()).isEqualTo(DataPaths.Source.ENVIRONMENT);
    }

    @Test
    void sharedDataBesideTheCheckoutOrOneOfItsParents() throws IOException {
        Path shared = Files.createDirectories(tmp.resolve("shared/data"));
        Path checkout = Files.createDirectories(tmp.resolve("repo"));
        Path module = Files.createDirectories(tmp.resolve("repo/apps"));
        Path worktree = Files.createDirectories(tmp.resolve("wt/cli/apps"));
        for (Path wd : new Path[] {checkout, module, worktree}) {
            var r = DataPaths.find(null, "  ", wd).orElseThrow();
            assertThat(r.root()).as("from %s", wd).isEqualTo(shared.normalize());
            assertThat(r.source()).isEqualTo(DataPaths.Source.BESIDE_CHECKOUT);
        }
    }

    @Test
    void nothingConfiguredAndNoSharedData() throws IOException {
        Path lonely = Files.createDirectories(tmp.resolve("a/b"));
        // the temp folder may itself sit beside a shared/data on some machine; only assert when not
        if (DataPaths.find(null, null, tmp).isEmpty()) {
            assertThat(DataPaths.find(null, null, lonely)).isEmpty();
        }
    }

    @Test
    void aConfiguredPlaceThatDoesNotExistIsAnError() {
        assertThatThrownBy(() -> DataPaths.find(tmp.resolve("missing"), null, tmp))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing")
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> DataPaths.find(null, tmp.resolve("typo").toString(), tmp))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("BILEVEL4J_DATA=")
                .hasMessageContaining("typo");
    }
}
