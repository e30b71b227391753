package org.bilevel4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MarketCommandTest {

    @TempDir
    Path tmp;

    private static final String GOOD = String.join("\n",
            "function mpc = tiny",
            "mpc.version = '2';",
            "mpc.baseMVA = 100;",
            "%% bus data",
            "mpc.bus = [",
            "\t1\t3\t150\t0\t0\t0\t1\t1\t0\t135\t1\t1.05\t0.95;",
            "];",
            "mpc.gen = [",
            "\t1\t0\t0\t0\t0\t1\t100\t1\t100\t0;",
            "\t1\t0\t0\t0\t0\t1\t100\t1\t100\t0;",
            "\t1\t0\t0\t0\t0\t1\t100\t1\t100\t0;",
            "];",
            "mpc.gencost = [",
            "\t2\t0\t0\t2\t10\t0;",
            "\t2\t0\t0\t2\t10\t0;",
            "\t2\t0\t0\t2\t10\t0;",
            "];",
            "");

    private Path write(String name, String text) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void threeIdenticalBlocksFromACaseFile() throws IOException {
        Path f = write("tiny.m", GOOD);
        CliRunner.Run r = CliRunner.run("market", "--case", f.toString(), "--periods", "1", "--rho", "100", "--mu",
                "1", "--methods", "tikhonov,binno-midpoint", "--max-iter", "50000");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("3 offer blocks, 1 loads, 1 periods").contains("prices 10.00..10.00");
        assertThat(r.out()).containsPattern("tikhonov .* [0-9.e-]+ +CONVERGED");
        assertThat(r.out()).contains("not applicable: MIDPOINT weights need");
    }

    @Test
    void missingTableNamesTheFileAndTheEnd() throws IOException {
        Path f = write("nocost.m", GOOD.substring(0, GOOD.indexOf("mpc.gencost")));
        CliRunner.Run r = CliRunner.run("market", "--case", f.toString(), "--periods", "1");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).doesNotContain("\n").contains(f.toString()).contains("end of file")
                .contains("mpc.gencost not found");
    }

    @Test
    void wrongColumnCountNamesTheFileAndLine() throws IOException {
        Path f = write("short.m", GOOD.replace("\t1\t0\t0\t0\t0\t1\t100\t1\t100\t0;\n\t1\t0\t0\t0\t0\t1\t100\t1\t100\t0;\n",
                "\t1\t0\t0\t0\t0\t1\t100\t1\t100\t0;\n\t1\t0\t0\t0\t0\t1\t100\t1\t100;\n"));
        CliRunner.Run r = CliRunner.run("market", "--case", f.toString(), "--periods", "1");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).doesNotContain("\n").contains(f.toString()).contains("line 10")
                .contains("9 columns");
    }

    @Test
    void badPreferenceIsRejected() throws IOException {
        Path f = write("tiny.m", GOOD);
        CliRunner.Run r = CliRunner.run("market", "--case", f.toString(), "--preference", "cheap");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--preference must be fair, schedule or emissions");
    }
}
