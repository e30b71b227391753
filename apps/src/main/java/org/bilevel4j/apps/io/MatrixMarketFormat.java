package org.bilevel4j.apps.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import org.ejml.data.DMatrixRMaj;

/** Matrix Market exchange format; see {@link MatrixIO} for what is supported. */
final class MatrixMarketFormat {

    private MatrixMarketFormat() {
    }

    private enum Symmetry { GENERAL, SYMMETRIC, SKEW_SYMMETRIC }

    /** Reads lines, skipping comments and blank lines, counting line numbers. */
    private static final class Lines {
        private final BufferedReader r;
        int lineNo;

        Lines(BufferedReader r) {
            this.r = r;
        }

        /** @return the next line with content, stripped, or null at the end */
        String next() throws IOException {
            String line;
            while ((line = r.readLine()) != null) {
                lineNo++;
                String t = line.strip();
                if (!t.isEmpty() && !t.startsWith("%")) {
                    return t;
                }
            }
            return null;
        }
    }

    /** The fewest bytes one coordinate entry takes: "1 1 0" and a line break (pattern: "1 1"). */
    private static final int MIN_ENTRY_BYTES = 6;
    private static final int MIN_PATTERN_ENTRY_BYTES = 4;

    /** The fewest bytes one array value takes: a digit and a separator. */
    private static final int MIN_VALUE_BYTES = 2;

    /**
     * @param length the file's length in bytes: the entries the size line claims must fit in it
     */
    static DMatrixRMaj read(Path file, InputStream in, long length) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1), 1 << 16);
        String first = r.readLine();
        if (first == null) {
            throw new MatrixIOException(file, "bad header: the file is empty");
        }
        String[] h = first.strip().split("\\s+");
        if (h.length == 0 || !h[0].equalsIgnoreCase("%%MatrixMarket")) {
            throw new MatrixIOException(file, "bad header: line 1 must start with '%%MatrixMarket matrix'");
        }
        if (h.length != 5) {
            throw new MatrixIOException(file, "bad header: expected '%%MatrixMarket matrix <format> <field>"
                    + " <symmetry>' on line 1");
        }
        String object = h[1].toLowerCase(Locale.ROOT);
        String format = h[2].toLowerCase(Locale.ROOT);
        String field = h[3].toLowerCase(Locale.ROOT);
        String sym = h[4].toLowerCase(Locale.ROOT);
        if (!object.equals("matrix")) {
            throw new MatrixIOException(file, "bad header: object '" + h[1] + "' is not supported (only 'matrix')");
        }
        boolean coordinate;
        if (format.equals("coordinate")) {
            coordinate = true;
        } else if (format.equals("array")) {
            coordinate = false;
        } else {
            throw new MatrixIOException(file, "bad header: format '" + h[2] + "' is not 'coordinate' or 'array'");
        }
        if (!(field.equals("real") || field.equals("double") || field.equals("integer") || field.equals("pattern"))) {
            throw new MatrixIOException(file, "bad header: field '" + h[3]
                    + "' is not supported (only real, double, integer and pattern)");
        }
        boolean integer = field.equals("integer");
        boolean pattern = field.equals("pattern");
        if (pattern && !coordinate) {
            throw new MatrixIOException(file, "bad header: field 'pattern' needs the coordinate format, not array");
        }
        Symmetry symmetry = switch (sym) {
            case "general" -> Symmetry.GENERAL;
            case "symmetric" -> Symmetry.SYMMETRIC;
            case "skew-symmetric" -> Symmetry.SKEW_SYMMETRIC;
            default -> throw new MatrixIOException(file, "bad header: symmetry '" + h[4]
                    + "' is not supported (only general, symmetric and skew-symmetric)");
        };
        Lines lines = new Lines(r);
        lines.lineNo = 1;
        String size = lines.next();
        if (size == null) {
            throw new MatrixIOException(file, "truncated: no size line after the header");
        }
        String[] s = size.split("\\s+");
        int expectedTokens = coordinate ? 3 : 2;
        if (s.length != expectedTokens) {
            throw new MatrixIOException(file, "bad header: line " + lines.lineNo + " must hold "
                    + (coordinate ? "'rows columns entries'" : "'rows columns'"));
        }
        long m = parseCount(file, s[0], lines.lineNo);
        long n = parseCount(file, s[1], lines.lineNo);
        int count = MatrixIO.elementCount(file, m, n);
        if (symmetry != Symmetry.GENERAL && m != n) {
            throw new MatrixIOException(file, "bad header: a " + sym + " matrix must be square, got " + m + "x" + n);
        }
        if (pattern && symmetry == Symmetry.SKEW_SYMMETRIC) {
            throw new MatrixIOException(file, "bad header: a pattern matrix cannot be skew-symmetric");
        }
        long nnz = coordinate ? parseCount(file, s[2], lines.lineNo) : 0;
        long values = coordinate ? nnz : switch (symmetry) {
            case GENERAL -> count;
            case SYMMETRIC -> m * (m + 1) / 2;
            case SKEW_SYMMETRIC -> m * (m - 1) / 2;
        };
        long minBytes = values * (coordinate ? (pattern ? MIN_PATTERN_ENTRY_BYTES : MIN_ENTRY_BYTES) : MIN_VALUE_BYTES);
        if (minBytes > length) {
            throw new MatrixIOException(file, "truncated: line " + lines.lineNo + " claims " + values
                    + (coordinate ? " entries" : " values of a " + m + "x" + n + " array") + ", at least " + minBytes
                    + " bytes, but the file has " + length);
        }
        MatrixIO.requireMemory(file, 8L * count, "the " + m + "x" + n + " matrix");
        DMatrixRMaj a = new DMatrixRMaj((int) m, (int) n);
        if (coordinate) {
            readCoordinate(file, lines, a, nnz, symmetry, integer, pattern);
        } else {
            readArray(file, lines, a, symmetry, count, integer);
        }
        for (int i = 0; i < a.getNumElements(); i++) {
            if (!Double.isFinite(a.data[i])) {
                throw new MatrixIOException(file, MatrixIO.nonFinite(a.data[i], i / a.numCols, i % a.numCols)
                        + " (sum of repeated entries)");
            }
        }
        return a;
    }

    private static void readCoordinate(Path file, Lines lines, DMatrixRMaj a, long nnz, Symmetry symmetry,
            boolean integer, boolean pattern) throws IOException {
        for (long e = 0; e < nnz; e++) {
            String t = lines.next();
            if (t == null) {
                throw new MatrixIOException(file, "truncated: the size line declares " + nnz + " entries, found "
                        + e);
            }
            String[] p = t.split("\\s+");
            if (p.length != (pattern ? 2 : 3)) {
                throw new MatrixIOException(file, "line " + lines.lineNo + ": expected "
                        + (pattern ? "'row column' (field pattern)" : "'row column value'") + ", found " + p.length
                        + " fields");
            }
            long i = parseIndex(file, p[0], lines.lineNo, "row", a.numRows);
            long j = parseIndex(file, p[1], lines.lineNo, "column", a.numCols);
            if (symmetry == Symmetry.SYMMETRIC && i < j) {
                throw new MatrixIOException(file, "line " + lines.lineNo + ": entry (" + i + ", " + j + ") is above the"
                        + " diagonal; a symmetric file holds the lower triangle only");
            }
            if (symmetry == Symmetry.SKEW_SYMMETRIC && i <= j) {
                throw new MatrixIOException(file, "line " + lines.lineNo + ": entry (" + i + ", " + j + ") is "
                        + (i == j ? "on" : "above") + " the diagonal; a skew-symmetric file holds the strictly lower"
                        + " triangle only");
            }
            double v = pattern ? 1.0 : parseValue(file, p[2], lines.lineNo, integer);
            if (!Double.isFinite(v)) {
                throw new MatrixIOException(file, MatrixIO.nonFinite(v, (int) i - 1, (int) j - 1) + " (line "
                        + lines.lineNo + ")");
            }
            int r = (int) i - 1;
            int c = (int) j - 1;
            a.data[r * a.numCols + c] += v;
            if (r != c && symmetry != Symmetry.GENERAL) {
                a.data[c * a.numCols + r] += symmetry == Symmetry.SYMMETRIC ? v : -v;
            }
        }
        String extra = lines.next();
        if (extra != null) {
            throw new MatrixIOException(file, "line " + lines.lineNo + ": more entries than the " + nnz
                    + " declared on the size line");
        }
    }

    private static void readArray(Path file, Lines lines, DMatrixRMaj a, Symmetry symmetry, int count,
            boolean integer) throws IOException {
        int m = a.numRows;
        int n = a.numCols;
        long expected = switch (symmetry) {
            case GENERAL -> count;
            case SYMMETRIC -> (long) n * (n + 1) / 2;
            case SKEW_SYMMETRIC -> (long) n * (n - 1) / 2;
        };
        // column-major; for the symmetric kinds, the lower triangle column by column
        int col = 0;
        int row = symmetry == Symmetry.SKEW_SYMMETRIC ? 1 : 0;
        long seen = 0;
        String t;
        while (seen < expected && (t = lines.next()) != null) {
            for (String tok : t.split("\\s+")) {
                if (seen == expected) {
                    throw new MatrixIOException(file, "line " + lines.lineNo + ": more values than the " + expected
                            + " a " + m + "x" + n + " " + symmetry.name().toLowerCase(Locale.ROOT).replace('_', '-')
                            + " array holds");
                }
                double v = parseValue(file, tok, lines.lineNo, integer);
                if (!Double.isFinite(v)) {
                    throw new MatrixIOException(file, MatrixIO.nonFinite(v, row, col) + " (line " + lines.lineNo
                            + ")");
                }
                a.data[row * n + col] = v;
                if (symmetry == Symmetry.SYMMETRIC) {
                    a.data[col * n + row] = v;
                } else if (symmetry == Symmetry.SKEW_SYMMETRIC) {
                    a.data[col * n + row] = -v;
                }
                seen++;
                row++;
                if (row == m) {
                    col++;
                    row = switch (symmetry) {
                        case GENERAL -> 0;
                        case SYMMETRIC -> col;
                        case SKEW_SYMMETRIC -> col + 1;
                    };
                }
            }
        }
        if (seen < expected) {
            throw new MatrixIOException(file, "truncated: a " + m + "x" + n + " array needs " + expected
                    + " values, found " + seen);
        }
        if (lines.next() != null) {
            throw new MatrixIOException(file, "line " + lines.lineNo + ": more values than the " + expected
                    + " the size line declares");
        }
    }

    private static long parseCount(Path file, String s, int lineNo) throws MatrixIOException {
        try {
            long v = Long.parseLong(s);
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new MatrixIOException(file, "bad header: line " + lineNo + ": '" + s
                    + "' is not a nonnegative integer");
        }
    }

    private static long parseIndex(Path file, String s, int lineNo, String what, int max) throws MatrixIOException {
        long v;
        try {
            v = Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new MatrixIOException(file, "line " + lineNo + ": " + what + " index '" + s + "' is not an integer");
        }
        if (v < 1 || v > max) {
            throw new MatrixIOException(file, "line " + lineNo + ": " + what + " index " + v + " is outside 1.." + max);
        }
        return v;
    }

    private static double parseValue(Path file, String s, int lineNo, boolean integer) throws MatrixIOException {
        if (integer) {
            try {
                return Long.parseLong(s.startsWith("+") ? s.substring(1) : s);
            } catch (NumberFormatException e) {
                throw new MatrixIOException(file, "line " + lineNo + ": '" + s + "' is not an integer (the header"
                        + " says field integer)");
            }
        }
        double v = CsvFormat.parse(s);
        if (Double.isNaN(v) && !s.toLowerCase(Locale.ROOT).replace("+", "").replace("-", "").equals("nan")) {
            throw new MatrixIOException(file, "line " + lineNo + ": '" + s + "' is not a number");
        }
        return v;
    }

    static void write(DMatrixRMaj a, OutputStream out) throws IOException {
        Writer w = new OutputStreamWriter(out, StandardCharsets.US_ASCII);
        w.write("%%MatrixMarket matrix array real general\n");
        w.write("% written by bilevel4j\n");
        w.write(a.numRows + " " + a.numCols + "\n");
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < a.numCols; j++) {
            sb.setLength(0);
            for (int i = 0; i < a.numRows; i++) {
                sb.append(a.data[i * a.numCols + j]).append('\n');
            }
            w.write(sb.toString());
        }
        w.flush();
    }
}
