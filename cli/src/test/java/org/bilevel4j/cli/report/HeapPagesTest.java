package org.bilevel4j.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeapPagesTest {

    @TempDir
    Path tmp;

    private Path modeFile(String text) throws IOException {
        Path f = tmp.resolve("enabled");
        Files.writeString(f, text, StandardCharsets.UTF_8);
        return f;
    }

    @Test
    void kernelModeIsTheBracketedWord() throws IOException {
        assertThat(HeapPages.kernelMode(modeFile("always [madvise] never\n"))).isEqualTo("madvise");
        assertThat(HeapPages.kernelMode(modeFile("[always] madvise never\n"))).isEqualTo("always");
        assertThat(HeapPages.kernelMode(modeFile("always madvise [never]\n"))).isEqualTo("never");
    }

    @Test
    void kernelModeIsNoneWithoutFileOrBrackets() throws IOException {
        assertThat(HeapPages.kernelMode(tmp.resolve("missing"))).isEqualTo("none");
        assertThat(HeapPages.kernelMode(modeFile("always madvise never\n"))).isEqualTo("none");
        assertThat(HeapPages.kernelMode(modeFile("[]"))).isEqualTo("none");
        assertThat(HeapPages.kernelMode(modeFile("madvise]"))).isEqualTo("none");
    }

    @Test
    void describeSaysHugePagesOnlyWhereFlagAndKernelAgree() {
        assertThat(HeapPages.describe(Optional.of(true), "madvise"))
                .isEqualTo("transparent huge pages (-XX:+UseTransparentHugePages, kernel: madvise)");
        assertThat(HeapPages.describe(Optional.of(true), "always")).startsWith("transparent huge pages (");
        assertThat(HeapPages.describe(Optional.of(true), "never")).startsWith("regular pages (")
                .contains("given, but the kernel offers none: never");
        assertThat(HeapPages.describe(Optional.of(true), "none")).startsWith("regular pages (");
        assertThat(HeapPages.describe(Optional.of(false), "madvise")).startsWith("regular pages (")
                .contains("not given", "madvise");
        assertThat(HeapPages.describe(Optional.of(false), "always"))
                .startsWith("transparent huge pages where the kernel forms them");
        assertThat(HeapPages.describe(Optional.of(false), "never")).startsWith("regular pages (");
        assertThat(HeapPages.describe(Optional.empty(), "madvise")).startsWith("unknown (");
    }

    @Test
    void flagIsThisJvmsOption() {
        boolean given = ManagementFactory.getRuntimeMXBean().getInputArguments()
                .contains("-XX:+UseTransparentHugePages");
        assertThat(HeapPages.flag()).contains(given);
        assertThat(HeapPages.describe()).isEqualTo(HeapPages.describe(Optional.of(given),
                HeapPages.kernelMode(HeapPages.KERNEL_MODE)));
    }
}
