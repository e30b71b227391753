package org.bilevel4j.apps.market;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bilevel4j.apps.io.MatrixIOException;

/**
 * The offers and loads of a copper-plate market built from a MATPOWER case.
 *
 * <p>Offers: each in-service generator with positive Pmax (out-of-service ones too with
 * {@code includeOutOfService}, which is how RTS-GMLC's wind and solar units enter, at their zero
 * cost) becomes blocks:
 * <ul>
 *   <li>piecewise-linear cost (model 1, break-points {@code (x_k, y_k)}): one block per segment, of
 *       width {@code x_{k+1} - x_k} at the slope {@code (y_{k+1} - y_k)/(x_{k+1} - x_k)};</li>
 *   <li>polynomial cost {@code C(P)} (model 2): {@code polyBlocks} blocks of equal width on
 *       [0, Pmax], each at its average marginal cost {@code (C(b) - C(a))/(b - a)} (one block for a
 *       linear cost).</li>
 * </ul>
 * The first block extends down to 0 MW: minimum output is relaxed (no unit commitment) and the
 * no-load cost {@code C(0)} or {@code y_1} is dropped. Blocks never exceed Pmax in total.
 * Consecutive blocks of one generator with equal price are merged, so that they do not tie with
 * each other. With a price band {@code w > 0} every price is first rounded up to a multiple of w
 * (a market rule that creates ties across units and fuels).
 *
 * <p>Loads: every bus with positive Pd, with a value of lost load (VOLL) per bus; the demand of
 * period t is {@code Pd * profile[t]}.
 *
 * @param offers the blocks, in generator order
 * @param loadBus the bus number of each load
 * @param loadMw the Pd of each load, MW
 * @param voll the value of lost load of each load, $/MWh
 * @param profile the load factor of each period
 */
public record MarketData(List<Offer> offers, int[] loadBus, double[] loadMw, double[] voll, double[] profile) {

    /**
     * Copies.
     *
     * @param offers the blocks, in generator order
     * @param loadBus the bus number of each load
     * @param loadMw the Pd of each load, MW
     * @param voll the value of lost load of each load, $/MWh
     * @param profile the load factor of each period
     */
    public MarketData {
        offers = List.copyOf(offers);
        loadBus = loadBus.clone();
        loadMw = loadMw.clone();
        voll = voll.clone();
        profile = profile.clone();
        if (offers.isEmpty() || loadMw.length == 0 || profile.length == 0) {
            throw new IllegalArgumentException("a market needs at least one offer, one load and one period, got "
                    + offers.size() + ", " + loadMw.length + ", " + profile.length);
        }
    }

    /**
     * How to form offers.
     *
     * @param polyBlocks blocks per polynomial cost curve, at least 1
     * @param priceBand the band width for rounding prices up, 0 for none
     * @param includeOutOfService whether out-of-service units offer too
     * @param voll the value of lost load for every load, $/MWh, positive
     */
    public record Options(int polyBlocks, double priceBand, boolean includeOutOfService, double voll) {
        /**
         * Validates.
         *
         * @param polyBlocks blocks per polynomial cost curve, at least 1
         * @param priceBand the band width for rounding prices up, 0 for none
         * @param includeOutOfService whether out-of-service units offer too
         * @param voll the value of lost load of each load, $/MWh
         */
        public Options {
            if (polyBlocks < 1) {
                throw new IllegalArgumentException("polyBlocks must be at least 1, got " + polyBlocks);
            }
            if (!(priceBand >= 0) || Double.isInfinite(priceBand)) {
                throw new IllegalArgumentException("priceBand must be finite and nonnegative, got " + priceBand);
            }
            if (!(voll > 0) || Double.isInfinite(voll)) {
                throw new IllegalArgumentException("voll must be positive and finite, got " + voll);
            }
        }

        /**
         * 4 blocks per polynomial, no band, in-service units only, VOLL 1000 $/MWh.
         *
         * @return the options
         */
        public static Options defaults() {
            return new Options(4, 0.0, false, 1000.0);
        }
    }

    /**
     * @param c the case
     * @param options how to form offers
     * @param profile the load factor per period
     * @return the market
     * @throws MatrixIOException naming the file and line of a cost the market cannot use
     */
    public static MarketData fromCase(MatpowerCase c, Options options, double[] profile) throws MatrixIOException {
        List<Offer> offers = new ArrayList<>();
        for (int g = 0; g < c.gen().size(); g++) {
            double[] gen = c.gen().get(g);
            boolean inService = gen[7] > 0;
            double pmax = gen[8];
            if ((!inService && !options.includeOutOfService()) || !(pmax > 0)) {
                continue;
            }
            double[] cost = c.gencost().get(g);
            List<double[]> blocks = blocks(c, g, cost, pmax, options.polyBlocks());
            boolean free = blocks.stream().allMatch(b -> b[0] == 0.0);
            Fuel fuel = Fuel.infer(pmax, free, inService);
            double[] prev = null;
            List<double[]> merged = new ArrayList<>();
            for (double[] b : blocks) {
                double price = band(b[0], options.priceBand());
                if (prev != null && prev[0] == price) {
                    prev[1] += b[1];
                } else {
                    prev = new double[] {price, b[1]};
                    merged.add(prev);
                }
            }
            for (double[] b : merged) {
                if (b[1] > 0) {
                    offers.add(new Offer(g, (int) gen[0], fuel, b[0], b[1]));
                }
            }
        }
        List<Integer> buses = new ArrayList<>();
        List<Double> pd = new ArrayList<>();
        for (double[] row : c.bus()) {
            if (row[2] > 0) {
                buses.add((int) row[0]);
                pd.add(row[2]);
            }
        }
        if (offers.isEmpty()) {
            throw new MatrixIOException(c.file(), "no generator with positive Pmax is in service");
        }
        if (pd.isEmpty()) {
            throw new MatrixIOException(c.file(), "no bus has a positive load Pd");
        }
        double[] v = new double[pd.size()];
        Arrays.fill(v, options.voll());
        return new MarketData(offers, buses.stream().mapToInt(Integer::intValue).toArray(),
                pd.stream().mapToDouble(Double::doubleValue).toArray(), v, profile);
    }

    private static double band(double price, double w) {
        return w > 0 ? Math.ceil(price / w - 1e-12) * w : price;
    }

    /** @return {price, width} per block before merging, first block from 0 MW, total at most pmax */
    private static List<double[]> blocks(MatpowerCase c, int g, double[] cost, double pmax, int polyBlocks)
            throws MatrixIOException {
        List<double[]> out = new ArrayList<>();
        int model = (int) cost[0];
        int n = (int) cost[3];
        if (model == 1) {
            if (n < 2) {
                throw new MatrixIOException(c.file(), "line " + c.gencostLines().get(g)
                        + ": a piecewise-linear cost needs at least 2 points, got " + n);
            }
            double lo = 0;
            for (int k = 0; k + 1 < n && lo < pmax; k++) {
                double x0 = cost[4 + 2 * k];
                double y0 = cost[5 + 2 * k];
                double x1 = cost[6 + 2 * k];
                double y1 = cost[7 + 2 * k];
                if (!(x1 > x0)) {
                    throw new MatrixIOException(c.file(), "line " + c.gencostLines().get(g)
                            + ": piecewise-linear break-points must increase, got x = " + x0 + " then " + x1);
                }
                double hi = Math.min(x1, pmax);
                if (k + 2 == n) {
                    hi = pmax;
                }
                if (hi > lo) {
                    out.add(new double[] {(y1 - y0) / (x1 - x0), hi - lo});
                }
                lo = hi;
            }
        } else {
            double w = pmax / polyBlocks;
            int nb = n <= 2 ? 1 : polyBlocks;
            if (nb == 1) {
                w = pmax;
            }
            for (int k = 0; k < nb; k++) {
                double a = k * w;
                double b = k + 1 == nb ? pmax : (k + 1) * w;
                out.add(new double[] {(poly(cost, n, b) - poly(cost, n, a)) / (b - a), b - a});
            }
        }
        return out;
    }

    /** C(P) = c_{n-1} P^{n-1} + ... + c0, coefficients from column 4 on */
    private static double poly(double[] cost, int n, double p) {
        double v = 0;
        for (int k = 0; k < n; k++) {
            v = v * p + cost[4 + k];
        }
        return v;
    }

    /** @return the number of offer blocks */
    public int blocks() {
        return offers.size();
    }

    /** @return the number of loads */
    public int loads() {
        return loadMw.length;
    }

    /** @return the number of periods */
    public int periods() {
        return profile.length;
    }

    /**
     * @param j the column index
     * @param t the period, from 0
     * @return the demand of load j in period t, MW
     */
    public double demand(int j, int t) {
        return loadMw[j] * profile[t];
    }

    /**
     * @param t the period, from 0
     * @return the total demand of period t, MW
     */
    public double totalDemand(int t) {
        double s = 0;
        for (double v : loadMw) {
            s += v;
        }
        return s * profile[t];
    }

    /** @return the highest offer price, $/MWh */
    public double highestPrice() {
        double m = 0;
        for (Offer o : offers) {
            m = Math.max(m, o.price());
        }
        return m;
    }

    /** @return the total offered capacity, MW */
    public double totalCapacity() {
        double s = 0;
        for (Offer o : offers) {
            s += o.capacity();
        }
        return s;
    }

    /**
     * @param periods the number of periods
     * @return a flat profile of the given length (every factor 1)
     */
    public static double[] flatProfile(int periods) {
        double[] p = new double[periods];
        Arrays.fill(p, 1.0);
        return p;
    }

    /**
     * The hourly load of a winter weekday in the IEEE Reliability Test System (IEEE RTS Task Force,
     * "IEEE Reliability Test System", IEEE Trans. PAS-98(6), 1979, Table 4), as a fraction of the
     * daily peak, repeated or cut to the given length.
     *
     * @param periods the number of periods, at most 24
     * @return the load factors of the periods
     */
    public static double[] rtsWinterWeekday(int periods) {
        double[] pct = {67, 63, 60, 59, 59, 60, 74, 86, 95, 96, 96, 95, 95, 95, 93, 94, 99, 100, 100, 96, 91, 83, 73,
            63};
        double[] p = new double[periods];
        for (int t = 0; t < periods; t++) {
            p[t] = pct[t % 24] / 100.0;
        }
        return p;
    }
}
