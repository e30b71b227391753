package org.bilevel4j.cli.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table with one row per quantity and one column per method, right-aligned values:
 * <pre>
 *                               BINNO(midpoint)  BINNO(linesearch)
 *   iterations                             1000               1000
 * </pre>
 */
public final class SummaryTable {

    private final List<String> columns;
    private final List<String[]> rows = new ArrayList<>();

    /** @param columns the column headers (methods) */
    public SummaryTable(List<String> columns) {
        this.columns = List.copyOf(columns);
    }

    /**
     * Adds a row.
     *
     * @param label the quantity
     * @param cells one value per column
     */
    public SummaryTable row(String label, String... cells) {
        if (cells.length != columns.size()) {
            throw new IllegalArgumentException("row '" + label + "' has " + cells.length + " cells, the table has "
                    + columns.size() + " columns");
        }
        String[] r = new String[cells.length + 1];
        r[0] = label;
        System.arraycopy(cells, 0, r, 1, cells.length);
        rows.add(r);
        return this;
    }

    /** @return the table, lines ending in a newline */
    public String render() {
        int[] w = new int[columns.size() + 1];
        for (int j = 0; j < columns.size(); j++) {
            w[j + 1] = columns.get(j).length();
        }
        for (String[] r : rows) {
            for (int j = 0; j < r.length; j++) {
                w[j] = Math.max(w[j], r[j].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append(" ".repeat(w[0]));
        for (int j = 0; j < columns.size(); j++) {
            sb.append("  ").append(pad(columns.get(j), w[j + 1]));
        }
        sb.append('\n');
        for (String[] r : rows) {
            sb.append(r[0]).append(" ".repeat(w[0] - r[0].length()));
            for (int j = 1; j < r.length; j++) {
                sb.append("  ").append(pad(r[j], w[j]));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String pad(String s, int width) {
        return " ".repeat(width - s.length()) + s;
    }

    /** @return {@code v} in scientific notation with 4 significant digits, for example {@code 2.127e+00} */
    public static String sci(double v) {
        return Double.isFinite(v) ? String.format(java.util.Locale.ROOT, "%.3e", v) : Double.toString(v);
    }

    /** @return {@code v} with a fixed number of decimals */
    public static String fixed(double v, int decimals) {
        return String.format(java.util.Locale.ROOT, "%." + decimals + "f", v);
    }

    /** @return a fraction as a percentage with one decimal, for example {@code 65.6%} */
    public static String percent(double fraction) {
        return String.format(java.util.Locale.ROOT, "%.1f%%", 100 * fraction);
    }
}
