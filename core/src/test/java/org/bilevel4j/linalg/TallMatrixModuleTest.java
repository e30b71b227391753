package org.bilevel4j.linalg;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * TallMatrix and the thin QR with and without the Vector API module: a JVM started without
 * {@code --add-modules jdk.incubator.vector} must never load the Vector API kernels and must still
 * compute, with the streaming kernels and the scalar dot products; with the module it uses the
 * register-blocked ones and {@link VectorDots}, and {@code -Dbilevel4j.vector=false} switches them off.
 */
class TallMatrixModuleTest {

    private static List<String> probe(String... jvmOptions) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "-Xmx256m"));
        cmd.addAll(List.of(jvmOptions));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), TallMatrixProbe.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out.lines().filter(l -> !l.startsWith("WARNING: Using incubator modules")).toList();
    }

    @Test
    void withoutTheModuleTheStreamingKernelsRun() throws Exception {
        assertThat(probe()).containsExactly("streaming kernels, double precision: exact",
                "streaming kernels, single precision: exact", "thin QR dot products scalar: close",
                "m x r by r x r products as dot products: same bits", "passes over M scalar: same bits",
                "M Y^T from long rows as dot products: same bits");
    }

    @Test
    void withTheModuleTheRegisterBlockedKernelsRunUnlessSwitchedOff() throws Exception {
        assertThat(probe("--add-modules", "jdk.incubator.vector")).containsExactly(
                "Vector API register-blocked kernels, double precision: exact",
                "Vector API register-blocked kernels, single precision: exact",
                "thin QR dot products on the Vector API: close", "m x r by r x r products "
                        + (JavaGemm.FMA ? "on the Vector API" : "as dot products") + ": same bits",
                "passes over M " + (JavaGemm.FMA ? "on the Vector API" : "scalar") + ": same bits",
                "M Y^T from long rows " + (JavaGemm.FMA ? "on the Vector API" : "as dot products") + ": same bits");
        assertThat(probe("--add-modules", "jdk.incubator.vector", "-Dbilevel4j.vector=false")).containsExactly(
                "streaming kernels, double precision: exact", "streaming kernels, single precision: exact",
                "thin QR dot products scalar: close", "m x r by r x r products as dot products: same bits",
                "passes over M scalar: same bits", "M Y^T from long rows as dot products: same bits");
    }
}
