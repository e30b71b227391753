package org.bilevel4j.apps.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bilevel4j.apps.io.MatrixIOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link EmissionRates}: the file's entries as written, every refusal with its line, and the lookup order. */
class EmissionRatesTest {

    @TempDir
    Path tmp;

    private Path file(String text) throws Exception {
        Path f = tmp.resolve("rates.txt");
        Files.writeString(f, text);
        return f;
    }

    private void fails(String text, String message) throws Exception {
        Path f = file(text);
        assertThatThrownBy(() -> EmissionRates.read(f)).isInstanceOf(MatrixIOException.class)
                .hasMessage(f + ": " + message);
    }

    @Test
    void readsFuelsAndGeneratorsWithCommentsCommasAndAnyCase() throws Exception {
        EmissionRates r = EmissionRates.read(file(String.join("\n",
                "# t CO2 / MWh",
                "",
                "  Coal    1.02",
                "gas,0.45   # after a comment sign",
                "GEN 7   0.30",
                "gen 1, 0",
                "   ",
                "hydro 0.0")));
        assertThat(r.byFuel()).isEqualTo(Map.of(Fuel.COAL, 1.02, Fuel.GAS, 0.45, Fuel.HYDRO, 0.0));
        // generators counted from 1 in the file, stored from 0
        assertThat(r.byGenerator()).isEqualTo(Map.of(6, 0.30, 0, 0.0));
        assertThat(r.generatorLine()).isEqualTo(Map.of(6, 5, 0, 6));
        assertThat(r.file()).isEqualTo(tmp.resolve("rates.txt"));
    }

    @Test
    void anEmptyFileGivesNoRates() throws Exception {
        EmissionRates r = EmissionRates.read(file("# nothing\n\n"));
        assertThat(r.byFuel()).isEmpty();
        assertThat(r.byGenerator()).isEmpty();
    }

    @Test
    void badEntriesNameTheLine() throws Exception {
        fails("coal 1\ngas\n", "line 2: expected 'FUEL RATE' or 'gen N RATE', got 'gas'");
        fails("gen 3\n", "line 1: expected 'FUEL RATE' or 'gen N RATE', got 'gen 3'");
        fails("coal 1 2 # three\n", "line 1: expected 'FUEL RATE' or 'gen N RATE', got 'coal 1 2'");
        fails("# x\ncoal -0.5\n", "line 2: rate '-0.5' is not a finite nonnegative number");
        fails("coal Infinity\n", "line 1: rate 'Infinity' is not a finite nonnegative number");
        fails("coal NaN\n", "line 1: rate 'NaN' is not a finite nonnegative number");
        fails("coal lots\n", "line 1: rate 'lots' is not a finite nonnegative number");
        fails("gen x 1\n", "line 1: generator 'x' is not a row number of mpc.gen (1, 2, ...)");
        fails("gen 0 1\n", "line 1: generator '0' is not a row number of mpc.gen (1, 2, ...)");
        fails("peat 1.1\n", "line 1: unknown fuel 'peat', expected one of coal, oil, gas, nuclear, hydro, renewable,"
                + " other or 'gen N'");
        fails("coal 1\n\nCOAL 2\n", "line 3: 'coal' is given twice (first on line 1)");
        fails("gen 7 1\ngen 07 2\n", "line 2: 'gen 7' is given twice (first on line 1)");
    }

    @Test
    void aMissingFileIsAnError() {
        Path f = tmp.resolve("none.txt");
        assertThatThrownBy(() -> EmissionRates.read(f)).isInstanceOf(MatrixIOException.class)
                .hasMessageStartingWith(f + ": cannot read the emission rates (");
    }

    @Test
    void aBlockTakesItsGeneratorsRateThenItsFuelsThenTheDefault() throws Exception {
        // generator 0 (coal) has its own entry, generator 1 (coal) the coal entry, generator 2 (gas) the
        // default of gas
        MarketData d = new MarketData(List.of(new Offer(0, 1, Fuel.COAL, 20, 76), new Offer(0, 1, Fuel.COAL, 25, 10),
                new Offer(1, 1, Fuel.COAL, 20, 76), new Offer(2, 1, Fuel.GAS, 40, 55)), new int[] {1},
                new double[] {100}, new double[] {1000}, new double[] {1});
        EmissionRates r = EmissionRates.read(file("gen 1 0.25\ncoal 1.1\n"));
        assertThat(r.blockRates(d, 3)).containsExactly(0.25, 0.25, 1.1, Fuel.GAS.emissionRate());
    }

    @Test
    void aGeneratorBeyondTheCaseIsAnError() throws Exception {
        MarketData d = new MarketData(List.of(new Offer(0, 1, Fuel.COAL, 20, 76)), new int[] {1},
                new double[] {100}, new double[] {1000}, new double[] {1});
        EmissionRates r = EmissionRates.read(file("coal 1\ngen 3 0.5\n"));
        // three rows of mpc.gen hold generator 3
        assertThat(r.blockRates(d, 3)).containsExactly(1.0);
        assertThatThrownBy(() -> r.blockRates(d, 2)).isInstanceOf(MatrixIOException.class)
                .hasMessage(r.file() + ": line 2: generator 3 is not in the case (mpc.gen has 2 rows)");
    }
}
