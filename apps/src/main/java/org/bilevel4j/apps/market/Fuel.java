package org.bilevel4j.apps.market;

import java.util.Locale;

/**
 * Fuel types for the pictures and the emissions preference, with default emission rates in tonnes
 * of CO2 per MWh (round values of the usual range per technology: coal about 0.95, oil steam and
 * combustion turbines about 0.8, gas about 0.5, zero for nuclear, hydro, wind and solar). The rates
 * are ours, stated here so that anyone can change them; they are not part of the case files.
 */
public enum Fuel {
    /** coal steam units */
    COAL(0.95),
    /** oil steam units and oil combustion turbines */
    OIL(0.80),
    /** gas combustion turbines and combined cycles */
    GAS(0.50),
    /** nuclear units */
    NUCLEAR(0.0),
    /** hydro units (zero-cost, in service) */
    HYDRO(0.0),
    /** wind and solar (zero-cost, out of service in RTS-GMLC's file) */
    RENEWABLE(0.0),
    /** units the inference cannot place */
    OTHER(0.6);

    private final double rate;

    Fuel(double rate) {
        this.rate = rate;
    }

    /** @return the default emission rate, t/MWh */
    public double emissionRate() {
        return rate;
    }

    /** @return the lower-case name */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Infers the fuel of a MATPOWER generator, since the files carry no fuel column. A unit whose
     * offer is free at every output is hydro when in service and renewable (wind, solar) when out
     * of service; otherwise the IEEE RTS unit sizes decide (RTS-96 and RTS-GMLC): 12, 20 and 197 MW
     * oil, 100 MW oil, 55 and 355 MW gas, 76, 155 and 350 MW coal, 400 MW nuclear; any other size is
     * {@link #OTHER}.
     *
     * @param pmax the unit's maximum output, MW
     * @param free whether every offer price is 0
     * @param inService the status column
     * @return the inferred fuel
     */
    public static Fuel infer(double pmax, boolean free, boolean inService) {
        if (free) {
            return inService ? HYDRO : RENEWABLE;
        }
        long p = Math.round(pmax);
        if (Math.abs(pmax - p) > 1e-9) {
            return OTHER;
        }
        return switch ((int) p) {
            case 12, 20, 100, 197 -> OIL;
            case 55, 355 -> GAS;
            case 76, 155, 350 -> COAL;
            case 400 -> NUCLEAR;
            default -> OTHER;
        };
    }
}
