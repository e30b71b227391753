package org.bilevel4j.spark.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The settings of a sweep: the Cartesian product of named value lists (a grid), or an explicit
 * list.
 *
 * <p>For axes {@code a = (a_1..a_p)}, {@code b = (b_1..b_q)}, ... the grid holds the
 * {@code p q ...} settings {@code (a_i, b_j, ...)} with the first axis varying slowest (row-major
 * order, as nested loops in the order the axes were given).
 */
public final class SweepGrid {

    private SweepGrid() {
    }

    /**
     * @param axes parameter name to its values, in the order of the loops (first = outermost)
     * @return every combination, the first axis varying slowest
     * @throws IllegalArgumentException for no axes, an empty axis, a repeated value on an axis or a
     *     non-finite value
     */
    public static List<Setting> grid(Map<String, List<Double>> axes) {
        if (axes.isEmpty()) {
            throw new IllegalArgumentException("a grid needs at least one parameter");
        }
        List<String> names = new ArrayList<>(axes.keySet());
        List<List<Double>> values = new ArrayList<>();
        long count = 1;
        for (String n : names) {
            List<Double> v = axes.get(n);
            if (v == null || v.isEmpty()) {
                throw new IllegalArgumentException("parameter '" + n + "' has no values");
            }
            for (Double d : v) {
                if (d == null || !Double.isFinite(d)) {
                    throw new IllegalArgumentException("parameter '" + n + "' has a non-finite value: " + d);
                }
            }
            if (v.stream().distinct().count() != v.size()) {
                throw new IllegalArgumentException("parameter '" + n + "' repeats a value: " + v);
            }
            values.add(List.copyOf(v));
            count *= v.size();
            if (count > 1_000_000) {
                throw new IllegalArgumentException("the grid has more than a million settings");
            }
        }
        List<Setting> out = new ArrayList<>((int) count);
        int[] idx = new int[names.size()];
        for (long c = 0; c < count; c++) {
            LinkedHashMap<String, Double> m = new LinkedHashMap<>();
            for (int a = 0; a < names.size(); a++) {
                m.put(names.get(a), values.get(a).get(idx[a]));
            }
            out.add(new Setting(m));
            for (int a = names.size() - 1; a >= 0; a--) {
                if (++idx[a] < values.get(a).size()) {
                    break;
                }
                idx[a] = 0;
            }
        }
        return List.copyOf(out);
    }

    /**
     * @param settings an explicit list; every setting must name the same parameters
     * @return the list, checked
     */
    public static List<Setting> list(List<Setting> settings) {
        if (settings.isEmpty()) {
            throw new IllegalArgumentException("the list of settings is empty");
        }
        java.util.Set<String> names = new java.util.HashSet<>(settings.get(0).names());
        for (Setting s : settings) {
            if (!new java.util.HashSet<>(s.names()).equals(names)) {
                throw new IllegalArgumentException("every setting must name the parameters of the first one, "
                        + settings.get(0).names() + ", got " + s);
            }
        }
        return List.copyOf(settings);
    }
}
