package org.bilevel4j.apps.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.bilevel4j.apps.io.MatrixIOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link MatpowerReader} against the text it was given: the rows and their line numbers, comments,
 * and every refusal with its exact one-line message (file, line, table, column, value).
 */
class MatpowerReaderTest {

    @TempDir
    Path tmp;

    /** 14 lines: bus rows on 3 and 5, gen rows on 8 and 9, gencost rows on 12 and 13. */
    static String text(String bus1, String gen1, String cost0, String cost1) {
        return String.join("\n",
                "function mpc = c",                       // 1
                "mpc.bus = [",                            // 2
                bus1,                                     // 3
                "% a comment line inside the table",      // 4
                "  2 1 0 0;",                             // 5
                "];",                                     // 6
                "mpc.gen = [",                            // 7
                gen1,                                     // 8
                "  2 0 0 0 0 1 100 1 80 0;",              // 9
                "];",                                     // 10
                "mpc.gencost = [",                        // 11
                cost0,                                    // 12
                cost1,                                    // 13
                "];",                                     // 14
                "");
    }

    static final String BUS = "  1 3 100 0;";
    static final String GEN = "  1 0 0 0 0 1 100 1 100 20;";
    static final String COST0 = "  1 0 0 2 0 0 100 1000;";
    static final String COST1 = "  2 0 0 3 0.01 5 7;";

    private Path file(String text) throws Exception {
        Path f = tmp.resolve("c.m");
        Files.writeString(f, text);
        return f;
    }

    private MatpowerCase read(String text) throws Exception {
        return MatpowerReader.read(file(text));
    }

    private void fails(String text, String message) throws Exception {
        Path f = file(text);
        assertThatThrownBy(() -> MatpowerReader.read(f)).isInstanceOf(MatrixIOException.class)
                .hasMessage(f + ": " + message);
    }

    @Test
    void readsTheRowsAndTheirLines() throws Exception {
        MatpowerCase c = read(text(BUS, GEN, COST0, COST1));
        assertThat(c.bus()).hasSize(2);
        assertThat(c.bus().get(0)).containsExactly(1, 3, 100, 0);
        assertThat(c.gen().get(1)).containsExactly(2, 0, 0, 0, 0, 1, 100, 1, 80, 0);
        assertThat(c.gencost().get(1)).containsExactly(2, 0, 0, 3, 0.01, 5, 7);
        assertThat(c.genLines()).containsExactly(8, 9);
        assertThat(c.gencostLines()).containsExactly(12, 13);
    }

    @Test
    void commentsAndInfinityTokens() throws Exception {
        // a commented-out table before the real one, a row split by ';' on one line, and "inf" read
        // as a number (an infinite Qmax is accepted: the market does not use it)
        String t = "% mpc.bus = [ 9 9 9 ];\n" + text(BUS, "  1 0 0 Inf -inf 1 100 1 100 20;", COST0, COST1)
                .replace("  2 1 0 0;", "  2 1 0 0; 3 1 5 0;");
        MatpowerCase c = read(t);
        assertThat(c.bus()).hasSize(3);
        assertThat(c.bus().get(2)).containsExactly(3, 1, 5, 0);
        assertThat(c.gen().get(0)[3]).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(c.gen().get(0)[4]).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(c.genLines()).containsExactly(9, 10);
    }

    @Test
    void aConstantPolynomialCostIsAllowed() throws Exception {
        // model 2 with n = 1: C(P) = 7, four columns plus one coefficient
        MatpowerCase c = read(text(BUS, GEN, COST0, "  2 0 0 1 7;"));
        assertThat(c.gencost().get(1)).containsExactly(2, 0, 0, 1, 7);
        MarketData d = MarketData.fromCase(c, MarketData.Options.defaults(), MarketData.flatProfile(1));
        // a constant cost is a free offer of the whole Pmax
        assertThat(d.offers().get(1).price()).isZero();
        assertThat(d.offers().get(1).capacity()).isEqualTo(80.0);
        assertThat(d.offers().get(1).fuel()).isEqualTo(Fuel.HYDRO);
    }

    @Test
    void structuralErrorsNameTheLine() throws Exception {
        fails(text(BUS, GEN, COST0, "  2 0 0 3 0.01 5;"),
                "line 13: gencost row has 6 columns but its model 2 with n = 3 needs 7");
        fails(text(BUS, GEN, "  1 0 0 2 0 0 100;", COST1),
                "line 12: gencost row has 7 columns but its model 1 with n = 2 needs 8");
        fails(text(BUS, GEN, COST0, "  2 0 0 0;"), "line 13: gencost row has 4 columns but its model 2 with n = 0"
                + " needs 4");
        fails(text(BUS, GEN, COST0, "  3 0 0 1 7;"),
                "line 13: gencost model must be 1 (piecewise linear) or 2 (polynomial), got 3.0");
        fails(text(BUS, GEN, COST0, ""), "line 12: mpc.gencost has 1 rows but mpc.gen has 2 (one cost row per"
                + " generator expected)");
        String noCost = text(BUS, GEN, "", "");
        fails(noCost, "line 14: mpc.gencost has 0 rows but mpc.gen has 2 (one cost row per generator expected)");
        fails(text("  1 3;", GEN, COST0, COST1), "line 3: mpc.bus row has 2 columns, at least 3 needed");
        fails(text(BUS, "  1 0 0 0 0 1 100 1 100;", COST0, COST1), "line 8: mpc.gen row has 9 columns, at least 10"
                + " needed");
        fails(text("  1 3 100 0 7;", GEN, COST0, COST1), "line 5: mpc.bus row has 4 columns but the first row has 5");
        fails(text(BUS, GEN, COST0, COST1).replace("mpc.gen = [", "mpc.gen = 5;"),
                "line 7: mpc.gen is not a matrix ('[' expected)");
        fails(text(BUS, GEN, COST0, COST1).replace("mpc.gencost = [", "mpc.gencostx = ["),
                "end of file (line 14): table mpc.gencost not found");
        fails(text(BUS, GEN, COST0, COST1).replace("  2 1 0 0;\n];", "  2 1 0 0;\n"),
                "line 7: mpc.bus entry 'mpc.gen' is not a number");
        String open = "mpc.bus = [\n 1 3 100 0;\n";
        fails(open, "end of file (line 2): table mpc.bus opened on line 1 is not closed with ']'");
    }

    @Test
    void aFolderIsNotACaseFile() throws Exception {
        Path d = Files.createDirectory(tmp.resolve("case.m"));
        assertThatThrownBy(() -> MatpowerReader.read(d)).isInstanceOf(MatrixIOException.class)
                .hasMessage(d + ": is not a regular file");
        Path missing = tmp.resolve("none.m");
        assertThatThrownBy(() -> MatpowerReader.read(missing)).isInstanceOf(MatrixIOException.class)
                .hasMessageStartingWith(missing + ": cannot read the case file (NoSuchFileException");
    }

    @Test
    void valuesTheMarketCannotUseAreRefused() throws Exception {
        fails(text("  Inf 3 100 0;", GEN, COST0, COST1),
                "line 3: mpc.bus bus number (column 1) is Infinity (a finite number is needed)");
        fails(text("  1 3 -inf 0;", GEN, COST0, COST1),
                "line 3: mpc.bus load Pd (column 3) is -Infinity (a finite number is needed)");
        fails(text("  1 3 -5 0;", GEN, COST0, COST1), "line 3: mpc.bus load Pd (column 3) is negative, -5.0 (a load"
                + " must be at least 0: injections as negative loads are not modeled)");
        String[][] gen = {
            {"  inf 0 0 0 0 1 100 1 100 20;", "bus number (column 1) is Infinity"},
            {"  1 0 0 0 0 1 100 NaN 100 20;", "status (column 8) is NaN"},
            {"  1 0 0 0 0 1 100 1 +inf 20;", "limit Pmax (column 9) is Infinity"},
            {"  1 0 0 0 0 1 100 1 100 -Inf;", "limit Pmin (column 10) is -Infinity"},
        };
        for (String[] g : gen) {
            fails(text(BUS, g[0], COST0, COST1), "line 8: mpc.gen " + g[1] + " (a finite number is needed)");
        }
        fails(text(BUS, "  1 0 0 0 0 1 100 1 -100 0;", COST0, COST1),
                "line 8: mpc.gen limit Pmax (column 9) is negative, -100.0 (limits must be at least 0)");
        fails(text(BUS, "  1 0 0 0 0 1 100 1 100 -1;", COST0, COST1),
                "line 8: mpc.gen limit Pmin (column 10) is negative, -1.0 (limits must be at least 0)");
        // a limit of 0 is allowed; with Pmax 0 a negative Pmin is the one named
        assertThat(read(text(BUS, "  1 0 0 0 0 1 100 1 0 0;", COST0, COST1)).gen().get(0)[8]).isZero();
        fails(text(BUS, "  1 0 0 0 0 1 100 1 0 -1;", COST0, COST1),
                "line 8: mpc.gen limit Pmin (column 10) is negative, -1.0 (limits must be at least 0)");
        fails(text(BUS, "  1 0 0 0 0 1 100 1 100 120;", COST0, COST1),
                "line 8: mpc.gen Pmin (column 10) 120.0 is above Pmax (column 9) 100.0");
        // the last coefficient each model uses: column 4 + 2n (piecewise linear), 4 + n (polynomial)
        fails(text(BUS, GEN, "  1 0 0 2 0 0 100 inf;", COST1),
                "line 12: mpc.gencost entry in column 8 is Infinity (a finite number is needed)");
        fails(text(BUS, GEN, COST0, "  2 0 0 3 0.01 5 -inf;"),
                "line 13: mpc.gencost entry in column 7 is -Infinity (a finite number is needed)");
        fails(text(BUS, GEN, "  1 inf 0 2 0 0 100 1000;", COST1),
                "line 12: mpc.gencost entry in column 2 is Infinity (a finite number is needed)");
        fails(text(BUS, "  1 0 0 0 0 1 100 1 100 20;", COST0, "  2 0 0 3 0.01 5 7;").replace("  2 1 0 0;",
                "  inf 1 0 0;"), "line 5: mpc.bus bus number (column 1) is Infinity (a finite number is needed)");
        fails(text(BUS, GEN, COST0, COST1).replace("  2 0 0 0 0 1 100 1 80 0;", "  2 0 0 0 0 1 100 1 80 NaN;"),
                "line 9: mpc.gen limit Pmin (column 10) is NaN (a finite number is needed)");
        fails(text(BUS, GEN, COST0, "  2 0 0 3 0.01 5 7;\n  2 0 0 1 inf;").replace("  1 0 0 0 0 1 100 1 100 20;",
                "  1 0 0 0 0 1 100 1 100 20;\n  3 0 0 0 0 1 100 1 80 0;"),
                "line 15: mpc.gencost entry in column 5 is Infinity (a finite number is needed)");
    }

    @Test
    void columnsBeyondWhatTheModelUsesAreNotChecked() throws Exception {
        // an infinite entry after the used coefficients (column 9 of a piecewise-linear row with n = 2,
        // column 8 of a polynomial row with n = 3) is not read by the market
        MatpowerCase c = read(text(BUS, GEN, "  1 0 0 2 0 0 100 1000 inf;", "  2 0 0 3 0.01 5 7 inf;"));
        assertThat(c.gencost().get(0)).hasSize(9);
        assertThat(c.gencost().get(1)).hasSize(8);
    }
}
