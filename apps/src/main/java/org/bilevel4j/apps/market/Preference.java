package org.bilevel4j.apps.market;

import java.util.Locale;

/** The policy the upper level expresses among the market's equilibria. */
public enum Preference {
    /** {@code mu/2 ||X||^2}: spread output among tied blocks */
    FAIR,
    /** {@code mu/2 ||X - X_pref||^2}: stay close to a preferred schedule */
    SCHEDULE,
    /** {@code <e, X> + delta/2 ||X||^2}: fewest emissions, ties spread */
    EMISSIONS;

    /** @return the lower-case name used on the command line */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
