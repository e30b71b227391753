package org.bilevel4j.solver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Per-iteration metrics of a run: a table whose first two columns are {@code iteration} and
 * {@code seconds}, followed by the solver's own columns. Yes/no columns hold 1 or 0.
 */
public final class Trace {

    private final List<String> columns;
    private final List<double[]> rows = new ArrayList<>();

    /** @param solverColumns the solver's columns (iteration and seconds are prepended) */
    public Trace(List<String> solverColumns) {
        List<String> c = new ArrayList<>();
        c.add("iteration");
        c.add("seconds");
        c.addAll(solverColumns);
        if (c.stream().distinct().count() != c.size()) {
            throw new IllegalArgumentException("duplicate trace columns: " + c);
        }
        this.columns = Collections.unmodifiableList(c);
    }

    /** @return all column names, iteration and seconds first */
    public List<String> columns() {
        return columns;
    }

    /** @return the number of rows */
    public int size() {
        return rows.size();
    }

    /**
     * Appends one row (copied); it must have one value per column.
     *
     * @param row one value per column
     */
    public void add(double[] row) {
        if (row.length != columns.size()) {
            throw new IllegalArgumentException("row has " + row.length + " values, trace has " + columns.size()
                    + " columns");
        }
        rows.add(row.clone());
    }

    /**
     * @param i the row, from 0
     * @return a copy of row i
     */
    public double[] row(int i) {
        return rows.get(i).clone();
    }

    /** @return the last row (copy) */
    public double[] last() {
        if (rows.isEmpty()) {
            throw new IllegalStateException("trace is empty");
        }
        return rows.get(rows.size() - 1).clone();
    }

    /**
     * @param column the column name
     * @return the index of a column
     */
    public int indexOf(String column) {
        int i = columns.indexOf(column);
        if (i < 0) {
            throw new IllegalArgumentException("no column '" + column + "' in " + columns);
        }
        return i;
    }

    /**
     * @param column the column name
     * @return every value of a column, in row order
     */
    public double[] column(String column) {
        int j = indexOf(column);
        double[] out = new double[rows.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = rows.get(i)[j];
        }
        return out;
    }

    /**
     * @param column the column name
     * @return the value of a column in the last row
     */
    public double lastValue(String column) {
        return rows.get(rows.size() - 1)[indexOf(column)];
    }

    /**
     * Writes the trace as CSV with a header line.
     *
     * @param w receives the CSV text
     * @throws IOException if the writer fails
     */
    public void writeCsv(Writer w) throws IOException {
        w.write(String.join(",", columns));
        w.write('\n');
        StringBuilder sb = new StringBuilder();
        for (double[] r : rows) {
            sb.setLength(0);
            for (int j = 0; j < r.length; j++) {
                if (j > 0) {
                    sb.append(',');
                }
                if (j == 0) {
                    sb.append((long) r[j]); // the iteration number
                } else {
                    sb.append(r[j]); // shortest decimal that reads back to the same double
                }
            }
            sb.append('\n');
            w.write(sb.toString());
        }
    }

    /**
     * Writes the trace as CSV to {@code path}, through a temporary file in the same folder that is
     * moved into place, so a reader never sees half a file.
     *
     * @param path the path
     */
    public void writeCsv(Path path) {
        Path dir = path.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
            // a sibling name, created with the default permissions (createTempFile would make it 0600)
            Path tmp = dir.resolve("." + path.getFileName() + "." + Long.toHexString(System.nanoTime()) + ".tmp");
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                writeCsv(w);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(tmp);
                throw e;
            }
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write trace to " + path + ": " + e.getMessage(), e);
        }
    }
}
