package org.bilevel4j.apps.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bilevel4j.apps.io.MatrixIOException;
import org.junit.jupiter.api.Test;

/**
 * The offer blocks of {@link MarketData#fromCase} against the rules of its Javadoc, one generator at
 * a time: piecewise-linear segments cut at Pmax or extended to it, polynomial costs in equal blocks
 * whose last one ends exactly at Pmax, the fuel of free and priced units, the loads and their VOLL.
 */
class MarketDataOffersTest {

    private static final Path FILE = Path.of("case.m");

    /** A case with one load of 100 MW at bus 4 (and a bus without load) and the given generators. */
    static MatpowerCase single(double[][] gens, double[][] costs) {
        List<double[]> gen = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        for (int g = 0; g < gens.length; g++) {
            // bus, Pg, Qg, Qmax, Qmin, Vg, mBase, status, Pmax, Pmin
            gen.add(new double[] {g + 1, 0, 0, 0, 0, 1, 100, gens[g][0], gens[g][1], 0});
            lines.add(20 + g);
        }
        List<Integer> costLines = new ArrayList<>();
        for (int g = 0; g < costs.length; g++) {
            costLines.add(30 + g);
        }
        return new MatpowerCase(FILE, List.of(new double[] {4, 1, 100, 0}, new double[] {5, 1, 0, 0}), gen,
                List.of(costs), lines, costLines);
    }

    static MarketData offers(double status, double pmax, double[] cost, int polyBlocks) throws MatrixIOException {
        return MarketData.fromCase(single(new double[][] {{status, pmax}}, new double[][] {cost}),
                new MarketData.Options(polyBlocks, 0, false, 1000), MarketData.flatProfile(1));
    }

    @Test
    void piecewiseLinearSegmentsAreCutAtPmax() throws Exception {
        // points (0, 0), (30, 300), (60, 900), (100, 2000) with Pmax 50: slopes 10 on [0, 30] and 20 on [30, 50]
        MarketData d = offers(1, 50, new double[] {1, 0, 0, 4, 0, 0, 30, 300, 60, 900, 100, 2000}, 4);
        assertThat(d.offers()).extracting(Offer::price).containsExactly(10.0, 20.0);
        assertThat(d.offers()).extracting(Offer::capacity).containsExactly(30.0, 20.0);
        assertThat(d.totalCapacity()).isEqualTo(50.0);
    }

    @Test
    void theLastSegmentIsExtendedToPmax() throws Exception {
        // points (0, 0), (30, 300), (60, 900) with Pmax 80: the last slope, 20, covers [30, 80]
        MarketData d = offers(1, 80, new double[] {1, 0, 0, 3, 0, 0, 30, 300, 60, 900}, 4);
        assertThat(d.offers()).extracting(Offer::price).containsExactly(10.0, 20.0);
        assertThat(d.offers()).extracting(Offer::capacity).containsExactly(30.0, 50.0);
    }

    @Test
    void segmentsBelowZeroMegawattsAreDropped() throws Exception {
        // points (-10, 0), (0, 100), (50, 100): the first segment lies below 0 MW and offers nothing; the
        // unit is free on [0, 50] and, in service, hydro
        MarketData d = offers(1, 50, new double[] {1, 0, 0, 3, -10, 0, 0, 100, 50, 100}, 4);
        assertThat(d.blocks()).isEqualTo(1);
        assertThat(d.offers().get(0).price()).isZero();
        assertThat(d.offers().get(0).capacity()).isEqualTo(50.0);
        assertThat(d.offers().get(0).fuel()).isEqualTo(Fuel.HYDRO);
    }

    @Test
    void badPiecewiseLinearCostsNameTheLine() {
        assertThatThrownBy(() -> offers(1, 50, new double[] {1, 0, 0, 3, 0, 0, 30, 300, 30, 400}, 4))
                .isInstanceOf(MatrixIOException.class)
                .hasMessage("case.m: line 30: piecewise-linear break-points must increase, got x = 30.0 then 30.0");
        assertThatThrownBy(() -> offers(1, 50, new double[] {1, 0, 0, 1, 0, 0}, 4))
                .isInstanceOf(MatrixIOException.class)
                .hasMessage("case.m: line 30: a piecewise-linear cost needs at least 2 points, got 1");
    }

    @Test
    void polynomialBlocksAreEqualAndTheLastEndsAtPmax() throws Exception {
        // C = 2 P^2 + 3 P + 1 on [0, 1.8] in three blocks: ends w, 2w and Pmax with w = 1.8 / 3 (3 w is
        // not exactly 1.8 in doubles), each at its average marginal cost 2 (a + b) + 3
        double pmax = 1.8;
        double w = pmax / 3;
        MarketData d = offers(1, pmax, new double[] {2, 0, 0, 3, 2, 3, 1}, 3);
        assertThat(d.blocks()).isEqualTo(3);
        double[] lo = {0, w, 2 * w};
        double[] hi = {w, 2 * w, pmax};
        for (int k = 0; k < 3; k++) {
            assertThat(d.offers().get(k).capacity()).as("block %d", k).isEqualTo(hi[k] - lo[k]);
            assertThat(d.offers().get(k).price()).as("block %d", k).isCloseTo(2 * (lo[k] + hi[k]) + 3, within(1e-12));
        }
    }

    @Test
    void aLinearPolynomialIsOneBlock() throws Exception {
        // C = 3.7 P + 7 (n = 2): one block of the whole Pmax at the slope
        MarketData d = offers(1, 0.9, new double[] {2, 0, 0, 2, 3.7, 7}, 4);
        assertThat(d.blocks()).isEqualTo(1);
        assertThat(d.offers().get(0).capacity()).isEqualTo(0.9);
        assertThat(d.offers().get(0).price()).isCloseTo(3.7, within(1e-12));
        assertThat(d.offers().get(0).fuel()).isEqualTo(Fuel.OTHER);
    }

    @Test
    void fuelsOfPricedAndFreeUnits() throws Exception {
        // 76 MW: coal when priced, even when its first segment is free; hydro when free and in service,
        // renewable when free and out of service (offered only when asked)
        double[] partlyFree = {1, 0, 0, 3, 0, 0, 30, 0, 76, 460};
        assertThat(offers(1, 76, partlyFree, 4).offers()).extracting(Offer::fuel).containsOnly(Fuel.COAL);
        double[] free = {2, 0, 0, 2, 0, 0};
        assertThat(offers(1, 76, free, 4).offers()).extracting(Offer::fuel).containsExactly(Fuel.HYDRO);
        MatpowerCase c = single(new double[][] {{1, 76}, {0, 20}}, new double[][] {partlyFree, free});
        MarketData in = MarketData.fromCase(c, new MarketData.Options(4, 0, false, 1000), MarketData.flatProfile(1));
        assertThat(in.offers()).extracting(Offer::generator).containsOnly(0);
        MarketData all = MarketData.fromCase(c, new MarketData.Options(4, 0, true, 1000), MarketData.flatProfile(1));
        assertThat(all.offers().get(all.blocks() - 1).fuel()).isEqualTo(Fuel.RENEWABLE);
        assertThat(all.offers().get(all.blocks() - 1).generator()).isEqualTo(1);
        assertThat(all.offers().get(all.blocks() - 1).bus()).isEqualTo(2);
    }

    @Test
    void loadsAreTheBusesWithPositivePdAtTheGivenVoll() throws Exception {
        MatpowerCase c = single(new double[][] {{1, 50}}, new double[][] {{2, 0, 0, 2, 10, 0}});
        MarketData d = MarketData.fromCase(c, new MarketData.Options(4, 0, false, 1234.5), new double[] {1, 0.5});
        assertThat(d.loadBus()).containsExactly(4);
        assertThat(d.loadMw()).containsExactly(100.0);
        assertThat(d.voll()).containsExactly(1234.5);
        assertThat(d.profile()).containsExactly(1.0, 0.5);
        assertThat(d.demand(0, 1)).isEqualTo(50.0);
    }

    @Test
    void aMarketNeedsAnOfferAndALoad() {
        MatpowerCase off = single(new double[][] {{0, 50}, {1, 0}}, new double[][] {{2, 0, 0, 2, 10, 0},
            {2, 0, 0, 2, 10, 0}});
        assertThatThrownBy(() -> MarketData.fromCase(off, MarketData.Options.defaults(), MarketData.flatProfile(1)))
                .isInstanceOf(MatrixIOException.class)
                .hasMessage("case.m: no generator with positive Pmax is in service");
        MatpowerCase noLoad = new MatpowerCase(FILE, List.<double[]>of(new double[] {4, 1, 0, 0}),
                List.<double[]>of(new double[] {1, 0, 0, 0, 0, 1, 100, 1, 50, 0}),
                List.<double[]>of(new double[] {2, 0, 0, 2, 10, 0}), List.of(20), List.of(30));
        assertThatThrownBy(() -> MarketData.fromCase(noLoad, MarketData.Options.defaults(), MarketData.flatProfile(1)))
                .isInstanceOf(MatrixIOException.class).hasMessage("case.m: no bus has a positive load Pd");
    }

    @Test
    void profiles() {
        assertThat(MarketData.flatProfile(3)).containsExactly(1.0, 1.0, 1.0);
        double[] p = MarketData.rtsWinterWeekday(26);
        assertThat(p).hasSize(26);
        assertThat(p[0]).isEqualTo(0.67);
        assertThat(p[17]).isEqualTo(1.0);
        assertThat(p[23]).isEqualTo(0.63);
        // repeated after 24 hours
        assertThat(p[24]).isEqualTo(0.67);
        assertThat(p[25]).isEqualTo(0.63);
    }
}
