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

    /**
     * Three identical blocks of one price and fuel: rates per generator (0.9, 0.4, 0) make the
     * emissions preference choose (0, R - 100, 100), R = 150 - 10/100 = 149.9, as in ThreeBlocksTest;
     * a fuel entry gives the rate of every block of that fuel.
     */
    @Test
    void emissionRatesPerGeneratorDecideAmongTiedBlocks() throws IOException {
        Path f = write("tiny.m", GOOD);
        Path rates = write("rates.txt", "# t/MWh\noil 0.7\ngen 1 0.9\ngen 2, 0.4  # second unit\ngen 3 0\n");
        CliRunner.Run r = CliRunner.run("market", "--case", f.toString(), "--periods", "1", "--rho", "100", "--mu",
                "1", "--preference", "emissions", "--emission-rates", rates.toString(), "--methods", "tikhonov");
        assertThat(r.code()).as(r.err()).isZero();
        // preferred: 49.9 MW at 0.4 t/MWh and 100 MW at 0; the arbitrary fill (file order) 100 MW at 0.9, 49.9 at 0.4
        assertThat(r.out()).contains("emission rates from " + rates).contains("preferred equilibrium: cost 1499.00, emissions"
                + " 19.9600 t").contains("arbitrary equilibrium (ties in file order): distance").contains(
                "emissions 109.960 t");
        Path fuel = write("fuel.txt", "OIL 0.25\n");
        CliRunner.Run byFuel = CliRunner.run("market", "--case", f.toString(), "--periods", "1", "--rho", "100",
                "--mu", "1", "--preference", "emissions", "--emission-rates", fuel.toString(), "--methods", "tikhonov");
        assertThat(byFuel.code()).as(byFuel.err()).isZero();
        assertThat(byFuel.out()).contains("emissions 37.4750 t");
    }

    @Test
    void badEmissionRatesNameTheFileAndLine() throws IOException {
        Path f = write("tiny.m", GOOD);
        String[][] cases = {
            {"coal 0.9\nlignite 1.1\n", "line 2", "unknown fuel 'lignite'"},
            {"coal -1\n", "line 1", "rate '-1' is not a finite nonnegative number"},
            {"\ngen 7 0.5\n", "line 2", "generator 7 is not in the case (mpc.gen has 3 rows)"},
            {"gas 0.5\ngas 0.4\n", "line 2", "'gas' is given twice (first on line 1)"},
            {"gen 0.5\n", "line 1", "expected 'FUEL RATE' or 'gen N RATE'"},
        };
        for (String[] c : cases) {
            Path rates = write("rates.txt", c[0]);
            CliRunner.Run r = CliRunner.run("market", "--case", f.toString(), "--periods", "1", "--preference",
                    "emissions", "--emission-rates", rates.toString(), "--methods", "tikhonov");
            assertThat(r.code()).as(c[2]).isEqualTo(2);
            assertThat(r.err().strip()).doesNotContain("\n").contains(rates.toString() + ": " + c[1]).contains(c[2]);
        }
        CliRunner.Run missing = CliRunner.run("market", "--case", f.toString(), "--emission-rates",
                tmp.resolve("none.txt").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("none.txt").contains("cannot read the emission rates");
    }
}
