package org.bilevel4j.cli;

/**
 * Range checks of option values, done by the command line before any work: each failure is an
 * {@link InputException} whose one-line message names the option, the allowed range and the
 * value given (never an internal field name).
 */
final class Checks {

    private Checks() {
    }

    /** @throws InputException unless {@code v} is finite and positive */
    static double positive(String option, Double v) {
        if (v != null && (!(v > 0) || Double.isInfinite(v))) {
            throw new InputException(option + " must be finite and positive, got " + v);
        }
        return v == null ? Double.NaN : v;
    }

    /** @throws InputException unless {@code v} is finite and nonnegative */
    static double nonnegative(String option, Double v) {
        if (v != null && (!(v >= 0) || Double.isInfinite(v))) {
            throw new InputException(option + " must be finite and nonnegative, got " + v);
        }
        return v == null ? Double.NaN : v;
    }

    /** @throws InputException unless {@code v} lies in [lo, hi] (and is not NaN) */
    static double between(String option, Double v, double lo, double hi) {
        if (v != null && !(v >= lo && v <= hi)) {
            throw new InputException(option + " must be between " + num(lo) + " and " + num(hi) + ", got " + v);
        }
        return v == null ? Double.NaN : v;
    }

    /** @throws InputException unless {@code min <= v <= max} */
    static long atLeast(String option, Number v, long min, long max) {
        if (v == null) {
            return min;
        }
        long x = v.longValue();
        if (x < min) {
            throw new InputException(option + " must be at least " + min + ", got " + x);
        }
        if (x > max) {
            throw new InputException(option + " must be at most " + max + " (" + min + " to " + max + "), got " + x);
        }
        return x;
    }

    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
