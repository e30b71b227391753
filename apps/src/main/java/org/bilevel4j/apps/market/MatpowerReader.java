package org.bilevel4j.apps.market;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bilevel4j.apps.io.MatrixIOException;

/**
 * Reads {@code mpc.bus}, {@code mpc.gen} and {@code mpc.gencost} from a MATPOWER case file
 * (plain-text MATLAB, format version 2): for each, the lines from {@code mpc.<name> = [} to
 * {@code ];}, with {@code %} comments and the trailing {@code ;} of each row stripped, split on
 * whitespace and commas. Other matrices and cell arrays are skipped.
 *
 * <p>Errors are {@link MatrixIOException}s with one line naming the file and the line (or "end of
 * file" for a missing table): a missing table, an unterminated table, a non-numeric entry, a row
 * with fewer columns than needed or than the table's first row, a gencost row count that differs
 * from the generator count, or a gencost row shorter than its own {@code n} says.
 */
public final class MatpowerReader {

    private static final int BUS_COLUMNS = 3;
    private static final int GEN_COLUMNS = 10;
    private static final int GENCOST_COLUMNS = 4;

    private MatpowerReader() {
    }

    /**
     * @param file the case file
     * @return the case
     * @throws MatrixIOException naming the file and line of the problem
     */
    public static MatpowerCase read(Path file) throws MatrixIOException {
        List<String> lines;
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new MatrixIOException(file, "is not a regular file");
        }
        try {
            String heap = org.bilevel4j.apps.io.MemoryBudget.shortfall(6 * Files.size(file), "reading the case file");
            if (heap != null) {
                throw new MatrixIOException(file, heap);
            }
            // ISO-8859-1 maps every byte to a char: numbers are ASCII, and stray bytes in comments never fail
            lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new MatrixIOException(file, "cannot read the case file (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ")", e);
        }
        List<Integer> busLines = new ArrayList<>();
        List<Integer> genLines = new ArrayList<>();
        List<Integer> costLines = new ArrayList<>();
        List<double[]> bus = table(file, lines, "bus", BUS_COLUMNS, busLines);
        List<double[]> gen = table(file, lines, "gen", GEN_COLUMNS, genLines);
        List<double[]> cost = table(file, lines, "gencost", GENCOST_COLUMNS, costLines);
        if (cost.size() != gen.size()) {
            int at = costLines.isEmpty() ? lines.size() : costLines.get(costLines.size() - 1);
            throw new MatrixIOException(file, "line " + at + ": mpc.gencost has " + cost.size() + " rows but mpc.gen has "
                    + gen.size() + " (one cost row per generator expected)");
        }
        for (int k = 0; k < cost.size(); k++) {
            double[] row = cost.get(k);
            int model = (int) row[0];
            int n = (int) row[3];
            int need = switch (model) {
                case 1 -> 4 + 2 * n;
                case 2 -> 4 + n;
                default -> throw new MatrixIOException(file, "line " + costLines.get(k) + ": gencost model must be 1"
                        + " (piecewise linear) or 2 (polynomial), got " + row[0]);
            };
            if (n < 1 || row.length < need) {
                throw new MatrixIOException(file, "line " + costLines.get(k) + ": gencost row has " + row.length
                        + " columns but its model " + model + " with n = " + n + " needs " + need);
            }
        }
        checkValues(file, bus, busLines, gen, genLines, cost, costLines);
        return new MatpowerCase(file, bus, gen, cost, genLines, costLines);
    }

    /**
     * Refuses values the market cannot use, with the file and line, instead of dropping the row:
     * a bus number or load Pd that is not finite, a negative load; a generator bus, status, Pmax
     * or Pmin that is not finite, a negative Pmax or Pmin, Pmin above Pmax; a cost entry (model,
     * startup, shutdown, n and the coefficients the model uses) that is not finite.
     */
    private static void checkValues(Path file, List<double[]> bus, List<Integer> busLines, List<double[]> gen,
            List<Integer> genLines, List<double[]> cost, List<Integer> costLines) throws MatrixIOException {
        for (int k = 0; k < bus.size(); k++) {
            double[] r = bus.get(k);
            finite(file, busLines.get(k), "bus", "bus number (column 1)", r[0]);
            finite(file, busLines.get(k), "bus", "load Pd (column 3)", r[2]);
            if (r[2] < 0) {
                throw new MatrixIOException(file, "line " + busLines.get(k) + ": mpc.bus load Pd (column 3) is negative, "
                        + r[2] + " (a load must be at least 0: injections as negative loads are not modeled)");
            }
        }
        for (int k = 0; k < gen.size(); k++) {
            double[] r = gen.get(k);
            int line = genLines.get(k);
            finite(file, line, "gen", "bus number (column 1)", r[0]);
            finite(file, line, "gen", "status (column 8)", r[7]);
            finite(file, line, "gen", "limit Pmax (column 9)", r[8]);
            finite(file, line, "gen", "limit Pmin (column 10)", r[9]);
            if (r[8] < 0 || r[9] < 0) {
                throw new MatrixIOException(file, "line " + line + ": mpc.gen limit " + (r[8] < 0 ? "Pmax (column 9)"
                        : "Pmin (column 10)") + " is negative, " + (r[8] < 0 ? r[8] : r[9])
                        + " (limits must be at least 0)");
            }
            if (r[9] > r[8]) {
                throw new MatrixIOException(file, "line " + line + ": mpc.gen Pmin (column 10) " + r[9]
                        + " is above Pmax (column 9) " + r[8]);
            }
        }
        for (int k = 0; k < cost.size(); k++) {
            double[] r = cost.get(k);
            int n = (int) r[3];
            int used = r[0] == 1 ? 4 + 2 * n : 4 + n;
            for (int j = 0; j < Math.min(used, r.length); j++) {
                finite(file, costLines.get(k), "gencost", "entry in column " + (j + 1), r[j]);
            }
        }
    }

    private static void finite(Path file, int line, String table, String what, double v) throws MatrixIOException {
        if (!Double.isFinite(v)) {
            throw new MatrixIOException(file, "line " + line + ": mpc." + table + " " + what + " is " + v
                    + " (a finite number is needed)");
        }
    }

    private static List<double[]> table(Path file, List<String> lines, String name, int minColumns,
            List<Integer> rowLines) throws MatrixIOException {
        int start = -1;
        for (int i = 0; i < lines.size(); i++) {
            String s = stripComment(lines.get(i)).strip();
            if (s.startsWith("mpc." + name) && s.substring(("mpc." + name).length()).stripLeading().startsWith("=")) {
                start = i;
                break;
            }
        }
        if (start < 0) {
            throw new MatrixIOException(file, "end of file (line " + lines.size() + "): table mpc." + name
                    + " not found");
        }
        String first = stripComment(lines.get(start));
        int open = first.indexOf('[');
        if (open < 0) {
            throw new MatrixIOException(file, "line " + (start + 1) + ": mpc." + name + " is not a matrix ('[' expected)");
        }
        List<double[]> rows = new ArrayList<>();
        int width = -1;
        String rest = first.substring(open + 1);
        for (int i = start; i < lines.size(); i++) {
            String s = i == start ? rest : stripComment(lines.get(i));
            boolean end = false;
            int close = s.indexOf(']');
            if (close >= 0) {
                s = s.substring(0, close);
                end = true;
            }
            for (String part : s.split(";")) {
                String t = part.strip();
                if (t.isEmpty()) {
                    continue;
                }
                String[] tok = t.split("[\\s,]+");
                double[] row = new double[tok.length];
                for (int k = 0; k < tok.length; k++) {
                    row[k] = parse(file, i + 1, name, tok[k]);
                }
                if (row.length < minColumns) {
                    throw new MatrixIOException(file, "line " + (i + 1) + ": mpc." + name + " row has " + row.length
                            + " columns, at least " + minColumns + " needed");
                }
                if (width < 0) {
                    width = row.length;
                } else if (!name.equals("gencost") && row.length != width) {
                    throw new MatrixIOException(file, "line " + (i + 1) + ": mpc." + name + " row has " + row.length
                            + " columns but the first row has " + width);
                }
                rows.add(row);
                rowLines.add(i + 1);
            }
            if (end) {
                return rows;
            }
        }
        throw new MatrixIOException(file, "end of file (line " + lines.size() + "): table mpc." + name + " opened on line "
                + (start + 1) + " is not closed with ']'");
    }

    private static double parse(Path file, int line, String name, String token) throws MatrixIOException {
        String t = token.toLowerCase(java.util.Locale.ROOT);
        if (t.equals("inf") || t.equals("+inf")) {
            return Double.POSITIVE_INFINITY;
        }
        if (t.equals("-inf")) {
            return Double.NEGATIVE_INFINITY;
        }
        try {
            return Double.parseDouble(token);
        } catch (NumberFormatException e) {
            throw new MatrixIOException(file, "line " + line + ": mpc." + name + " entry '" + token
                    + "' is not a number");
        }
    }

    private static String stripComment(String s) {
        int p = s.indexOf('%');
        return p < 0 ? s : s.substring(0, p);
    }
}
