package org.bilevel4j.spark.sweep;

import java.io.Serial;
import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One point of a sweep: named numeric values, in the order they were given (the order of the
 * table's columns). Values the setting does not name take the job's defaults
 * ({@link SweepJob#defaults()}).
 *
 * @param values name to value, in order; copied
 */
public record Setting(Map<String, Double> values) implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    /** Copies and checks the names (non-blank) and values (not null). */
    public Setting {
        Objects.requireNonNull(values, "values");
        LinkedHashMap<String, Double> copy = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (k == null || k.isBlank()) {
                throw new IllegalArgumentException("a setting's names must not be blank");
            }
            copy.put(k, Objects.requireNonNull(v, () -> "setting '" + k + "' has no value"));
        });
        values = Collections.unmodifiableMap(copy);
    }

    /** @return the setting with these names and values (pairs: name, value, name, value, ...) */
    public static Setting of(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("need name, value pairs");
        }
        LinkedHashMap<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            m.put((String) namesAndValues[i], ((Number) namesAndValues[i + 1]).doubleValue());
        }
        return new Setting(m);
    }

    /** @return the names, in order */
    public List<String> names() {
        return List.copyOf(values.keySet());
    }

    /** @return whether the setting names this parameter */
    public boolean has(String name) {
        return values.containsKey(name);
    }

    /**
     * @return the value of {@code name}
     * @throws IllegalArgumentException if the setting does not name it
     */
    public double get(String name) {
        Double v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("the setting " + this + " has no '" + name + "'");
        }
        return v;
    }

    /** @return the value of {@code name}, or {@code fallback} when the setting does not name it */
    public double get(String name, double fallback) {
        Double v = values.get(name);
        return v == null ? fallback : v;
    }

    /**
     * @return the value of {@code name} (or {@code fallback}) as an int
     * @throws IllegalArgumentException if it is not a whole number in the int range
     */
    public int getInt(String name, int fallback) {
        double v = get(name, fallback);
        if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " must be a whole number, got " + format(v));
        }
        return (int) v;
    }

    /** @return this setting with {@code defaults} filled in for the names it does not give, its own order first */
    public Setting withDefaults(Map<String, Double> defaults) {
        LinkedHashMap<String, Double> m = new LinkedHashMap<>(values);
        defaults.forEach(m::putIfAbsent);
        return new Setting(m);
    }

    /** @return {@code name=value, ...} with values in their shortest exact form */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        values.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append('=').append(format(v)));
        return sb.toString();
    }

    /** @return a value as the shortest decimal that reads back to it; whole numbers without ".0" */
    public static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v).toLowerCase(Locale.ROOT);
    }
}
