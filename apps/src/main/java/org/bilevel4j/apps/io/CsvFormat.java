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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ejml.data.DMatrixRMaj;

/** Comma-separated values; see {@link MatrixIO} for the rules. */
final class CsvFormat {

    /** The UTF-8 byte order mark as it reads in ISO-8859-1. */
    private static final String BOM_LATIN1 = "\u00ef\u00bb\u00bf";

    private CsvFormat() {
    }

    static DMatrixRMaj read(Path file, InputStream in) throws IOException {
        // ISO-8859-1 maps every byte to a char: numbers are ASCII, and a binary file gets a clear
        // "not a number" message instead of a charset error
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1), 1 << 16);
        double[] data = new double[1024];
        int size = 0;
        int cols = -1;
        int firstDataLine = -1;
        int rows = 0;
        List<String> header = null;
        int headerLine = -1;
        boolean headerDecided = false;
        List<String> fields = new ArrayList<>();
        String line;
        int lineNo = 0;
        while ((line = r.readLine()) != null) {
            lineNo++;
            if (lineNo == 1 && line.startsWith(BOM_LATIN1)) {
                line = line.substring(BOM_LATIN1.length());
            }
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            split(line, fields);
            if (!headerDecided) {
                headerDecided = true;
                if (isHeader(fields)) {
                    header = new ArrayList<>(fields);
                    headerLine = lineNo;
                    continue;
                }
            }
            if (cols < 0) {
                cols = fields.size();
                firstDataLine = lineNo;
                if (header != null && header.size() != cols) {
                    throw new MatrixIOException(file, "ragged rows: the header on line " + headerLine + " has "
                            + header.size() + " fields but line " + lineNo + " has " + cols + " values");
                }
            } else if (fields.size() != cols) {
                throw new MatrixIOException(file, "ragged rows: line " + lineNo + " has " + fields.size()
                        + " values, but line " + firstDataLine + " has " + cols);
            }
            if ((long) size + cols > Integer.MAX_VALUE - 8) {
                throw new MatrixIOException(file, "the matrix is too large for one Java array (more than "
                        + rows + " rows of " + cols + ")");
            }
            if (size + cols > data.length) {
                int grown = (int) Math.min(Integer.MAX_VALUE - 8L, Math.max(2L * data.length, (long) size + cols));
                MatrixIO.requireMemory(file, 8L * grown + 8L * size, "the matrix read so far (" + rows + " rows of "
                        + cols + ")");
                data = Arrays.copyOf(data, grown);
            }
            for (int j = 0; j < cols; j++) {
                String f = fields.get(j);
                double v = parse(f);
                if (Double.isNaN(v) && !isNanToken(f)) {
                    String shown = f.strip().isEmpty() ? "an empty field" : "'" + abbreviate(f.strip()) + "'";
                    throw new MatrixIOException(file, "line " + lineNo + ", column " + (j + 1) + ": " + shown
                            + " is not a number");
                }
                if (!Double.isFinite(v)) {
                    throw new MatrixIOException(file, MatrixIO.nonFinite(v, rows, j) + " (line " + lineNo + ")");
                }
                data[size++] = v;
            }
            rows++;
        }
        if (rows == 0) {
            throw new MatrixIOException(file, header == null ? "no data (the file is empty)"
                    : "no data rows after the header on line " + headerLine);
        }
        MatrixIO.elementCount(file, rows, cols);
        DMatrixRMaj a = new DMatrixRMaj(rows, cols);
        System.arraycopy(data, 0, a.data, 0, size);
        return a;
    }

    /**
     * A first row is a header when none of its fields is a number (nan and inf count as numbers)
     * and at least one is not empty: a row with a number in it is data, so a malformed number in
     * the first row is reported, never taken for a header.
     */
    private static boolean isHeader(List<String> fields) {
        boolean text = false;
        for (String f : fields) {
            String s = unquote(f);
            if (s.isEmpty()) {
                continue;
            }
            if (!Double.isNaN(parse(f)) || isNanToken(f)) {
                return false;
            }
            text = true;
        }
        return text;
    }

    private static void split(String line, List<String> out) {
        out.clear();
        int start = 0;
        while (true) {
            int c = line.indexOf(',', start);
            if (c < 0) {
                out.add(line.substring(start));
                return;
            }
            out.add(line.substring(start, c));
            start = c + 1;
        }
    }

    private static String unquote(String f) {
        String s = f.strip();
        if (s.length() >= 2 && s.charAt(0) == '"' && s.charAt(s.length() - 1) == '"') {
            s = s.substring(1, s.length() - 1).strip();
        }
        return s;
    }

    private static boolean isNanToken(String f) {
        String s = unquote(f).toLowerCase(java.util.Locale.ROOT);
        return s.equals("nan") || s.equals("+nan") || s.equals("-nan");
    }

    /**
     * @return the value of a field: decimal numbers, and {@code nan}, {@code inf}, {@code infinity}
     *     with an optional sign in any case; NaN for anything else (tell the two apart with
     *     {@link #isNanToken})
     */
    static double parse(String field) {
        String s = unquote(field);
        if (s.isEmpty()) {
            return Double.NaN;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E';
            if (!ok) {
                String low = s.toLowerCase(java.util.Locale.ROOT);
                String body = low.startsWith("-") || low.startsWith("+") ? low.substring(1) : low;
                if (body.equals("inf") || body.equals("infinity")) {
                    return low.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
                }
                return Double.NaN;
            }
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    static void write(DMatrixRMaj a, OutputStream out) throws IOException {
        Writer w = new OutputStreamWriter(out, StandardCharsets.US_ASCII);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < a.numRows; i++) {
            sb.setLength(0);
            int o = i * a.numCols;
            for (int j = 0; j < a.numCols; j++) {
                if (j > 0) {
                    sb.append(',');
                }
                sb.append(a.data[o + j]);
            }
            sb.append('\n');
            w.write(sb.toString());
        }
        w.flush();
    }
}
