package org.bilevel4j.apps.market;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bilevel4j.apps.io.MatrixIOException;

/**
 * Emission rates given by the user, per fuel type or per generator, overriding the defaults of
 * {@link Fuel}. The file has one entry per line, {@code KEY RATE} (separated by a comma or blanks);
 * blank lines and text after {@code #} are ignored:
 * <pre>
 *   # t CO2 / MWh
 *   coal    1.02
 *   gas     0.45
 *   gen 7   0.30      # the 7th row of mpc.gen (counted from 1, as in the case file)
 * </pre>
 * KEY is a fuel ({@code coal, oil, gas, nuclear, hydro, renewable, other}, any case) or
 * {@code gen N}; RATE is a finite nonnegative number. The rate of an offer block is its
 * generator's entry if there is one, else its fuel's entry, else the fuel's default. A key given
 * twice, an unknown key, a bad rate or a generator not in the case is an error naming the file and
 * the line.
 *
 * @param file the file read
 * @param byFuel the rates given per fuel
 * @param byGenerator the rates given per generator (0-based row of mpc.gen)
 * @param generatorLine the line of each generator entry (for errors found against a case)
 */
public record EmissionRates(Path file, Map<Fuel, Double> byFuel, Map<Integer, Double> byGenerator,
        Map<Integer, Integer> generatorLine) {

    /**
     * Reads a rates file.
     *
     * @param file the file
     * @return the rates
     * @throws MatrixIOException naming the file (and the line) when it cannot be read or an entry is bad
     */
    public static EmissionRates read(Path file) throws MatrixIOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new MatrixIOException(file, "cannot read the emission rates (" + e.getMessage() + ")", e);
        }
        Map<Fuel, Double> byFuel = new EnumMap<>(Fuel.class);
        Map<Integer, Double> byGen = new HashMap<>();
        Map<Integer, Integer> genLine = new HashMap<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            int lineNo = i + 1;
            String line = lines.get(i);
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            String[] tok = line.strip().isEmpty() ? new String[0] : line.strip().split("[,\\s]+");
            if (tok.length == 0) {
                continue;
            }
            String key;
            String rateText;
            boolean gen = tok[0].equalsIgnoreCase("gen");
            if (gen ? tok.length != 3 : tok.length != 2) {
                throw new MatrixIOException(file, "line " + lineNo + ": expected 'FUEL RATE' or 'gen N RATE', got '"
                        + line.strip() + "'");
            }
            key = gen ? "gen " + tok[1] : tok[0].toLowerCase(Locale.ROOT);
            rateText = tok[tok.length - 1];
            double rate;
            try {
                rate = Double.parseDouble(rateText);
            } catch (NumberFormatException e) {
                rate = Double.NaN;
            }
            if (!(rate >= 0) || Double.isInfinite(rate)) {
                throw new MatrixIOException(file, "line " + lineNo + ": rate '" + rateText
                        + "' is not a finite nonnegative number");
            }
            if (gen) {
                int n;
                try {
                    n = Integer.parseInt(tok[1]);
                } catch (NumberFormatException e) {
                    n = 0;
                }
                if (n < 1) {
                    throw new MatrixIOException(file, "line " + lineNo + ": generator '" + tok[1]
                            + "' is not a row number of mpc.gen (1, 2, ...)");
                }
                key = "gen " + n;
                checkDuplicate(file, seen, key, lineNo);
                byGen.put(n - 1, rate);
                genLine.put(n - 1, lineNo);
            } else {
                Fuel fuel = fuel(key);
                if (fuel == null) {
                    throw new MatrixIOException(file, "line " + lineNo + ": unknown fuel '" + tok[0]
                            + "', expected one of coal, oil, gas, nuclear, hydro, renewable, other or 'gen N'");
                }
                checkDuplicate(file, seen, key, lineNo);
                byFuel.put(fuel, rate);
            }
        }
        return new EmissionRates(file, Map.copyOf(byFuel), Map.copyOf(byGen), Map.copyOf(genLine));
    }

    private static void checkDuplicate(Path file, Map<String, Integer> seen, String key, int lineNo)
            throws MatrixIOException {
        Integer first = seen.putIfAbsent(key, lineNo);
        if (first != null) {
            throw new MatrixIOException(file, "line " + lineNo + ": '" + key + "' is given twice (first on line "
                    + first + ")");
        }
    }

    private static Fuel fuel(String name) {
        for (Fuel f : Fuel.values()) {
            if (f.label().equals(name)) {
                return f;
            }
        }
        return null;
    }

    /**
     * @param data the market (its offers name their generators)
     * @param generators the number of rows of the case's mpc.gen
     * @return the rate of each offer block, t/MWh
     * @throws MatrixIOException naming the file and line of a generator entry beyond the case
     */
    public double[] blockRates(MarketData data, int generators) throws MatrixIOException {
        for (Map.Entry<Integer, Integer> e : generatorLine.entrySet()) {
            if (e.getKey() >= generators) {
                throw new MatrixIOException(file, "line " + e.getValue() + ": generator " + (e.getKey() + 1)
                        + " is not in the case (mpc.gen has " + generators + " rows)");
            }
        }
        double[] r = new double[data.blocks()];
        for (int b = 0; b < r.length; b++) {
            Offer o = data.offers().get(b);
            Double g = byGenerator.get(o.generator());
            r[b] = g != null ? g : byFuel.getOrDefault(o.fuel(), o.fuel().emissionRate());
        }
        return r;
    }
}
