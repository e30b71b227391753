package org.bilevel4j.cli.report;

/**
 * CSV fields as RFC 4180 writes them: a field that holds a comma, a double quote or a line break
 * is enclosed in double quotes, with each double quote inside doubled; any other field is written
 * as it is. Every table the command line writes goes through {@link #field}, so that a solver name
 * or an error message with a comma cannot shift the columns.
 */
public final class Csv {

    private Csv() {
    }

    /** @return {@code s} as one CSV field ({@code null} as an empty field) */
    public static String field(String s) {
        if (s == null) {
            return "";
        }
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }
}
