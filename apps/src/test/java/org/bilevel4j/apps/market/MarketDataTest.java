package org.bilevel4j.apps.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import org.bilevel4j.apps.io.MatrixIOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MarketDataTest {

    @TempDir
    Path tmp;

    private static final String CASE = String.join("\n",
            "mpc.bus = [",
            "  1 3 100 0;  % a load of 100 MW",
            "  2 1 0 0;",
            "];",
            "mpc.gen = [",
            "  1 0 0 0 0 1 100 1 100 20;",   // piecewise linear, in service
            "  2 0 0 0 0 1 100 1 80 0;",     // quadratic, in service
            "  2 0 0 0 0 1 100 0 50 0;",     // out of service, free
            "];",
            "mpc.gencost = [",
            "  1 0 0 4 20 100 40 300 70 600 100 900;",  // slopes 10, 10, 10 after the first: merged
            "  2 0 0 3 0.01 5 7;",                      // C = 0.01 P^2 + 5 P + 7
            "  1 0 0 2 0 0 50 0;",
            "];",
            "");

    private MatpowerCase read(String text) throws Exception {
        Path f = tmp.resolve("c.m");
        Files.writeString(f, text);
        return MatpowerReader.read(f);
    }

    @Test
    void piecewiseLinearAndPolynomialOffers() throws Exception {
        MatpowerCase c = read(CASE);
        MarketData d = MarketData.fromCase(c, new MarketData.Options(2, 0, false, 1000), MarketData.flatProfile(2));
        // gen 0: first segment 20..40 at 10 extends down to 0 (40 MW), then 15 and 10 at 10: one merged block
        assertThat(d.offers().get(0).capacity()).isCloseTo(100, within(1e-12));
        assertThat(d.offers().get(0).price()).isCloseTo(10, within(1e-12));
        // gen 1: two blocks of 40 MW at the average marginal cost 0.01 (a + b) + 5
        assertThat(d.offers().get(1).price()).isCloseTo(0.01 * 40 + 5, within(1e-12));
        assertThat(d.offers().get(2).price()).isCloseTo(0.01 * 120 + 5, within(1e-12));
        assertThat(d.blocks()).isEqualTo(3);
        assertThat(d.loads()).isEqualTo(1);
        MarketData all = MarketData.fromCase(c, new MarketData.Options(2, 0, true, 1000), MarketData.flatProfile(2));
        assertThat(all.blocks()).isEqualTo(4);
        assertThat(all.offers().get(3).fuel()).isEqualTo(Fuel.RENEWABLE);
    }

    @Test
    void priceBandsRoundUp() throws Exception {
        MarketData d = MarketData.fromCase(read(CASE), new MarketData.Options(2, 5, false, 1000),
                MarketData.flatProfile(1));
        assertThat(d.offers()).extracting(Offer::price).containsExactly(10.0, 10.0);
        assertThat(d.blocks()).isEqualTo(2); // gen 1's two blocks at 5.4 and 6.2 both round to 10: merged
    }

    @Test
    void errorsNameTheFileAndLine() throws Exception {
        assertThatThrownBy(() -> read(CASE.replace("1 0 0 4 20 100 40 300 70 600 100 900;", "1 0 0 4 20 100 40;")))
                .isInstanceOf(MatrixIOException.class).hasMessageContaining("c.m: line 11:")
                .hasMessageContaining("needs 12");
        assertThatThrownBy(() -> read(CASE.replace("  2 0 0 0 0 1 100 1 80 0;", "  2 0 0 0 0 1 100 1 x 0;")))
                .hasMessageContaining("line 7: mpc.gen entry 'x' is not a number");
        assertThatThrownBy(() -> read(CASE.substring(0, CASE.indexOf("];\nmpc.gencost"))))
                .hasMessageContaining("end of file").hasMessageContaining("not closed");
    }
}
