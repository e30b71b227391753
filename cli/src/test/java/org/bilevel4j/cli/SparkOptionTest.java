package org.bilevel4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without the spark module on the class path, {@code --spark} is one line and exit code 2. */
class SparkOptionTest {

    @TempDir
    Path dir;

    @Test
    void sparkWithoutTheSparkJarSaysToUseTheLauncher() throws Exception {
        Path clip = dir.resolve("missing-is-fine.npy");
        Files.writeString(clip, "not read");
        CliRunner.Run r = CliRunner.run("video", "--input", clip.toString(), "--spark", "local[2]", "--out",
                dir.resolve("out").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.errLines().get(0)).startsWith("bilevel4j: error: --spark needs the Spark jar")
                .contains("./bilevel4j launcher");
        assertThat(dir.resolve("out")).doesNotExist();
    }
}
