package org.bilevel4j.cli.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.bilevel4j.cli.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The all-or-nothing report folder. */
class OutputDirTest {

    @TempDir
    Path tmp;

    private List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void writeReport(OutputDir d, String... files) throws IOException {
        for (String f : files) {
            Files.writeString(d.file(f), f);
        }
        StringBuilder json = new StringBuilder("{\"tool\": \"bilevel4j\", \"files\": [");
        for (int i = 0; i < files.length; i++) {
            json.append(i > 0 ? ", " : "").append('"').append(files[i]).append('"');
        }
        json.append(", \"report.json\"]}");
        Files.writeString(d.file("report.json"), json);
    }

    @Test
    void nothingIsCreatedBeforeTheFirstFile() throws IOException {
        try (OutputDir d = OutputDir.prepare(tmp.resolve("a/b/out"), false)) {
            assertThat(d.files()).isEmpty();
        }
        assertThat(names(tmp)).isEmpty();
    }

    @Test
    void closeWithoutCommitRemovesEverything() throws IOException {
        Path out = tmp.resolve("out");
        try (OutputDir d = OutputDir.prepare(out, false)) {
            Files.writeString(d.file("a.txt"), "x");
            assertThat(names(tmp)).singleElement().asString().startsWith(".out.partial-");
        }
        assertThat(names(tmp)).isEmpty();
    }

    @Test
    void commitMovesTheFolderIntoPlace() throws IOException {
        Path out = tmp.resolve("out");
        try (OutputDir d = OutputDir.prepare(out, false)) {
            writeReport(d, "a.txt", "b.png");
            assertThat(d.commit()).isEqualTo(out);
        }
        assertThat(names(tmp)).containsExactly("out");
        assertThat(names(out)).containsExactly("a.txt", "b.png", "report.json");
    }

    @Test
    void anEmptyFolderIsReplaced() throws IOException {
        Path out = Files.createDirectory(tmp.resolve("out"));
        try (OutputDir d = OutputDir.prepare(out, false)) {
            writeReport(d, "a.txt");
            d.commit();
        }
        assertThat(names(out)).containsExactly("a.txt", "report.json");
    }

    @Test
    void anEarlierReportIsReplacedAsAWhole() throws IOException {
        Path out = tmp.resolve("out");
        try (OutputDir d = OutputDir.prepare(out, false)) {
            writeReport(d, "old.txt", "same.txt");
            d.commit();
        }
        try (OutputDir d = OutputDir.prepare(out, false)) {
            writeReport(d, "same.txt", "new.txt");
            d.commit();
        }
        assertThat(names(out)).containsExactly("new.txt", "report.json", "same.txt");
        assertThat(names(tmp)).containsExactly("out");
    }

    @Test
    void aReportFolderWithAnExtraFileIsNotAnEarlierReport() throws IOException {
        Path out = tmp.resolve("out");
        try (OutputDir d = OutputDir.prepare(out, false)) {
            writeReport(d, "a.txt");
            d.commit();
        }
        Files.writeString(out.resolve("my-notes.txt"), "mine");
        assertThat(OutputDir.isEarlierReport(out)).isFalse();
        assertThatThrownBy(() -> OutputDir.prepare(out, false)).isInstanceOf(InputException.class)
                .hasMessageContaining("is not empty");
    }

    @Test
    void aForeignReportJsonDoesNotCount() throws IOException {
        Path out = Files.createDirectory(tmp.resolve("out"));
        Files.writeString(out.resolve("report.json"), "{\"files\": []}");
        assertThat(OutputDir.isEarlierReport(out)).isFalse();
        Files.writeString(out.resolve("report.json"), "not json");
        assertThat(OutputDir.isEarlierReport(out)).isFalse();
    }

    @Test
    void forceReplacesTheWholeFolder() throws IOException {
        Path out = Files.createDirectory(tmp.resolve("out"));
        Files.writeString(out.resolve("keep.txt"), "keep");
        Files.writeString(out.resolve("a.txt"), "old");
        Files.createDirectory(out.resolve("report.json"));
        try (OutputDir d = OutputDir.prepare(out, true)) {
            writeReport(d, "a.txt");
            d.commit();
        }
        assertThat(names(out)).containsExactly("a.txt", "report.json");
        assertThat(Files.readString(out.resolve("a.txt"))).isEqualTo("a.txt");
        assertThat(names(tmp)).containsExactly("out");
    }

    @Test
    void aFailedSwapLeavesTheEarlierFolderWhole() throws IOException {
        Path out = Files.createDirectory(tmp.resolve("out"));
        Files.writeString(out.resolve("mine.txt"), "mine");
        try (OutputDir d = OutputDir.prepare(out, true)) {
            writeReport(d, "a.txt");
            // the staging folder vanishes before the swap: the move into place fails
            Path staging;
            try (var s = Files.list(tmp)) {
                staging = s.filter(p -> p.getFileName().toString().startsWith(".out.partial-")).findFirst()
                        .orElseThrow();
            }
            OutputDir.deleteQuietly(staging);
            assertThatThrownBy(d::commit).isInstanceOf(IOException.class);
        }
        assertThat(names(out)).containsExactly("mine.txt");
        assertThat(names(tmp)).containsExactly("out");
    }

    @Test
    void aShutdownDuringTheSwapPutsTheEarlierReportBack() throws IOException {
        Path out = tmp.resolve("out");
        try (OutputDir d = OutputDir.prepare(out, false)) {
            writeReport(d, "a.txt");
            d.commit();
        }
        String before = Files.readString(out.resolve("report.json"));
        try (OutputDir d = OutputDir.prepare(out, false)) {
            writeReport(d, "b.txt");
            // SIGTERM after the earlier report was renamed aside, before the new one is renamed in
            d.betweenRenames = d::onShutdown;
            assertThatThrownBy(d::commit).isInstanceOf(IOException.class);
        }
        assertThat(names(out)).containsExactly("a.txt", "report.json");
        assertThat(Files.readString(out.resolve("report.json"))).isEqualTo(before);
        assertThat(names(tmp)).containsExactly("out");
    }

    @Test
    void staleStagingFoldersAreRemovedByTheNextRun() throws IOException {
        Path out = Files.createDirectory(tmp.resolve("out"));
        Path stale = Files.createDirectory(tmp.resolve(".out.partial-abc"));
        Files.writeString(stale.resolve("X.npy"), "x");
        Path fresh = Files.createDirectory(tmp.resolve(".out.partial-def"));
        Path other = Files.createDirectory(tmp.resolve(".other.partial-abc"));
        java.nio.file.attribute.FileTime old = java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minus(java.time.Duration.ofDays(2)));
        Files.setLastModifiedTime(stale, old);
        Files.setLastModifiedTime(other, old);
        OutputDir.prepare(out, false).close();
        assertThat(stale).doesNotExist();
        assertThat(fresh).isDirectory();
        assertThat(other).isDirectory();
    }

    @Test
    void neverReplacesTheWorkingDirectory() {
        Path cwd = Path.of(System.getProperty("user.dir"));
        assertThatThrownBy(() -> OutputDir.prepare(cwd, true)).isInstanceOf(InputException.class)
                .hasMessageContaining("the working directory");
    }

    @Test
    void refusesFilesAndOddNames() throws IOException {
        Path file = Files.writeString(tmp.resolve("f"), "x");
        assertThatThrownBy(() -> OutputDir.prepare(file, true)).isInstanceOf(InputException.class)
                .hasMessage("--out " + file + " is a file, not a folder");
        assertThatThrownBy(() -> OutputDir.prepare(file.resolve("sub"), false)).isInstanceOf(InputException.class)
                .hasMessageContaining("is not a folder");
        try (OutputDir d = OutputDir.prepare(tmp.resolve("o"), false)) {
            assertThatThrownBy(() -> d.file("../x")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> d.file(".hidden")).isInstanceOf(IllegalArgumentException.class);
            d.file("a");
            assertThatThrownBy(() -> d.file("a")).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
