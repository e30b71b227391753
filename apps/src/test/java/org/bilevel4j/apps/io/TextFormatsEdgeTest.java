package org.bilevel4j.apps.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Matrix Market and CSV readers at the edges of their rules (each message checked whole, with
 * its figures), the bytes the Matrix Market writer produces, and the small helpers of the package:
 * {@link MatrixIO#elementCount} at the largest Java array, {@link MemoryBudget} against the heap.
 */
class TextFormatsEdgeTest {

    @TempDir
    Path tmp;

    private Path write(String name, String content) throws IOException {
        Path f = tmp.resolve(name);
        Files.writeString(f, content, StandardCharsets.UTF_8);
        return f;
    }

    private static void assertFails(Path f, String problem) {
        assertThatThrownBy(() -> MatrixIO.read(f)).isInstanceOf(MatrixIOException.class).hasMessage(f + ": " + problem);
    }

    private static void assertMatrix(DMatrixRMaj a, double[][] expected) {
        assertThat(a.numRows).isEqualTo(expected.length);
        assertThat(a.numCols).isEqualTo(expected[0].length);
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < expected[0].length; j++) {
                assertThat(a.get(i, j)).as("entry (%d, %d)", i, j).isEqualTo(expected[i][j]);
            }
        }
    }

    // ---------- Matrix Market ----------

    @Test
    void aCoordinateFileWithNoEntriesIsAZeroMatrix() throws IOException {
        assertMatrix(MatrixIO.read(write("z.mtx", "%%MatrixMarket matrix coordinate real general\n2 3 0\n")),
                new double[][] {{0, 0, 0}, {0, 0, 0}});
        assertFails(write("e.mtx", "%%MatrixMarket matrix array real general\n0 3\n"), "the matrix is empty (0x3)");
        assertFails(write("n.mtx", "%%MatrixMarket matrix array real general\n-1 3\n"),
                "bad header: line 2: '-1' is not a nonnegative integer");
    }

    @Test
    void headerCombinationsThatAreRefused() throws IOException {
        assertFails(write("p.mtx", "%%MatrixMarket matrix array pattern general\n2 2\n"),
                "bad header: field 'pattern' needs the coordinate format, not array");
        assertFails(write("ps.mtx", "%%MatrixMarket matrix coordinate pattern skew-symmetric\n2 2 1\n2 1\n"),
                "bad header: a pattern matrix cannot be skew-symmetric");
        assertFails(write("a3.mtx", "%%MatrixMarket matrix array real general\n2 2 4\n"),
                "bad header: line 2 must hold 'rows columns'");
        assertFails(write("c2.mtx", "%%MatrixMarket matrix coordinate real general\n% c\n2 2\n"),
                "bad header: line 3 must hold 'rows columns entries'");
        assertFails(write("f.mtx", "%%MatrixMarket matrix tensor real general\n2 2\n"),
                "bad header: format 'tensor' is not 'coordinate' or 'array'");
        assertFails(write("h.mtx", "%%MatrixMarket matrix array real\n2 2\n"),
                "bad header: expected '%%MatrixMarket matrix <format> <field> <symmetry>' on line 1");
    }

    @Test
    void sizeClaimsBeyondTheFileNameTheirFigures() throws IOException {
        String[][] cases = {
            // header, size line, values, minimal bytes
            {"array real general", "100 100", "10000 values of a 100x100 array", "20000"},
            {"array real symmetric", "100 100", "5050 values of a 100x100 array", "10100"},
            {"array real skew-symmetric", "100 100", "4950 values of a 100x100 array", "9900"},
            {"coordinate real general", "100 100 1000", "1000 entries", "6000"},
            {"coordinate pattern general", "100 100 1000", "1000 entries", "4000"},
        };
        for (String[] c : cases) {
            String text = "%%MatrixMarket matrix " + c[0] + "\n" + c[1] + "\n1\n";
            Path f = write("claim.mtx", text);
            assertFails(f, "truncated: line 2 claims " + c[2] + ", at least " + c[3] + " bytes, but the file has "
                    + text.length());
        }
        // a claim of exactly the file's length passes the size check (10 entries of 6 bytes in 60 bytes)
        // and fails when the entries run out
        String exact = "%%MatrixMarket matrix coordinate real general\n2 2 10\n1 1 10\n";
        assertThat(exact).hasSize(60);
        assertFails(write("exact.mtx", exact), "truncated: the size line declares 10 entries, found 1");
    }

    @Test
    void aMatrixTooLargeForTheHeapIsRefusedBeforeItIsAllocated() throws IOException {
        // no entries, so the file backs the claim; 30000 x 30000 doubles are 6866 MiB
        assumeTrue(Runtime.getRuntime().maxMemory() < 8L * 30000 * 30000, "the heap holds a 30000 x 30000 matrix");
        Path f = write("huge.mtx", "%%MatrixMarket matrix coordinate real general\n30000 30000 0\n");
        assertThatThrownBy(() -> MatrixIO.read(f)).isInstanceOf(MatrixIOException.class)
                .hasMessageStartingWith(f + ": the 30000x30000 matrix needs 6866 MiB, more than the ")
                .hasMessageContaining(" MiB free in the Java heap (max heap "
                        + (Runtime.getRuntime().maxMemory() >> 20) + " MiB; raise it with BILEVEL4J_JAVA_OPTS=-Xmx8g,"
                        + " for example)");
    }

    @Test
    void theSumOfRepeatedEntriesIsCheckedWhereItIs() throws IOException {
        assertFails(write("s.mtx", "%%MatrixMarket matrix coordinate real general\n2 3 2\n2 1 1e308\n2 1 1e308\n"),
                "non-finite entry +Inf at row 2, column 1 (sum of repeated entries)");
    }

    @Test
    void skewSymmetricArraysAndTriangleRules() throws IOException {
        // the strictly lower triangle by columns: (2,1) = 1, (3,1) = -2, (3,2) = 4
        assertMatrix(MatrixIO.read(write("k.mtx", "%%MatrixMarket matrix array real skew-symmetric\n3 3\n1\n-2\n4\n")),
                new double[][] {{0, -1, 2}, {1, 0, -4}, {-2, 4, 0}});
        assertFails(write("k4.mtx", "%%MatrixMarket matrix array real skew-symmetric\n3 3\n1\n-2\n4\n5\n"),
                "line 6: more values than the 3 the size line declares");
        assertFails(write("d.mtx", "%%MatrixMarket matrix coordinate real skew-symmetric\n2 2 1\n2 2 1\n"),
                "line 3: entry (2, 2) is on the diagonal; a skew-symmetric file holds the strictly lower triangle only");
        assertFails(write("u.mtx", "%%MatrixMarket matrix coordinate real skew-symmetric\n2 2 1\n1 2 1\n"),
                "line 3: entry (1, 2) is above the diagonal; a skew-symmetric file holds the strictly lower triangle"
                        + " only");
        assertFails(write("y.mtx", "%%MatrixMarket matrix coordinate real symmetric\n2 2 1\n1 2 1\n"),
                "line 3: entry (1, 2) is above the diagonal; a symmetric file holds the lower triangle only");
    }

    @Test
    void extraArrayValuesOnTheLastLineOrAfterIt() throws IOException {
        String head = "%%MatrixMarket matrix array real general\n2 2\n";
        assertFails(write("a.mtx", head + "1\n2\n3\n4\n5\n"), "line 7: more values than the 4 the size line declares");
        assertFails(write("b.mtx", head + "1 2\n3 4 5\n"), "line 4: more values than the 4 a 2x2 general array holds");
        assertMatrix(MatrixIO.read(write("c.mtx", head + "1 2\n3 4\n")), new double[][] {{1, 3}, {2, 4}});
    }

    @Test
    void theMatrixMarketWriterWritesColumnsWithAComment() throws IOException {
        Path f = tmp.resolve("w.mtx");
        MatrixIO.write(f, new DMatrixRMaj(new double[][] {{1.0, -2.5, 3.0}, {0.004, 5.0, -6.0}}));
        assertThat(Files.readString(f, StandardCharsets.US_ASCII)).isEqualTo("%%MatrixMarket matrix array real general\n"
                + "% written by bilevel4j\n2 3\n1.0\n0.004\n-2.5\n5.0\n3.0\n-6.0\n");
    }

    // ---------- CSV ----------

    @Test
    void aByteOrderMarkBeforeData() throws IOException {
        assertMatrix(MatrixIO.read(write("bom.csv", "\uFEFF1,2\n3,4\n")), new double[][] {{1, 2}, {3, 4}});
    }

    @Test
    void aFirstRowOfEmptyFieldsIsDataNotAHeader() throws IOException {
        assertFails(write("e.csv", ",\n1,2\n"), "line 1, column 1: an empty field is not a number");
        assertFails(write("q.csv", "\"\",\"\"\n1,2\n"), "line 1, column 1: '\"\"' is not a number");
        // one text field makes it a header
        assertMatrix(MatrixIO.read(write("h.csv", "\"\",b\n1,2\n")), new double[][] {{1, 2}});
    }

    @Test
    void malformedNumbersAndTheirAbbreviation() throws IOException {
        assertFails(write("m.csv", "1,1.2.3\n"), "line 1, column 2: '1.2.3' is not a number");
        assertFails(write("x.csv", "1,2\n1e,2\n"), "line 2, column 1: '1e' is not a number");
        String forty = "a".repeat(40);
        assertFails(write("f.csv", "1,2\n3," + forty + "\n"), "line 2, column 2: '" + forty + "' is not a number");
        String fortyOne = "b".repeat(41);
        assertFails(write("g.csv", "1,2\n3," + fortyOne + "\n"), "line 2, column 2: '" + "b".repeat(37)
                + "...' is not a number");
    }

    @Test
    void aCsvLargerThanTheFirstBuffer() throws IOException {
        // 50 rows of 30 values: more than the 1024 values of the first buffer, grown as rows come
        StringBuilder sb = new StringBuilder();
        double[][] e = new double[50][30];
        for (int i = 0; i < 50; i++) {
            for (int j = 0; j < 30; j++) {
                e[i][j] = i * 30 + j + 0.25;
                sb.append(j == 0 ? "" : ",").append(e[i][j]);
            }
            sb.append('\n');
        }
        assertMatrix(MatrixIO.read(write("big.csv", sb.toString())), e);
    }

    @Test
    void fieldValues() {
        assertThat(CsvFormat.parse(" \" 2.5 \" ")).isEqualTo(2.5);
        assertThat(CsvFormat.parse("+Infinity")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(CsvFormat.parse("-INF")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(CsvFormat.parse("")).isNaN();
        assertThat(CsvFormat.parse("--1")).isNaN();
        assertThat(CsvFormat.parse("\"")).isNaN();
    }

    // ---------- helpers ----------

    @Test
    void elementCountAtTheLargestArray() throws MatrixIOException {
        Path f = Path.of("m.npy");
        assertThat(MatrixIO.elementCount(f, 1, Integer.MAX_VALUE - 8)).isEqualTo(Integer.MAX_VALUE - 8);
        assertThat(MatrixIO.elementCount(f, 3, 5)).isEqualTo(15);
        assertThatThrownBy(() -> MatrixIO.elementCount(f, 1, Integer.MAX_VALUE - 7))
                .hasMessage("m.npy: the matrix is too large for one Java array (1x2147483640)");
        assertThatThrownBy(() -> MatrixIO.elementCount(f, 65536, 65536))
                .hasMessage("m.npy: the matrix is too large for one Java array (65536x65536)");
        assertThatThrownBy(() -> MatrixIO.elementCount(f, 2, 0)).hasMessage("m.npy: the matrix is empty (2x0)");
    }

    @Test
    void messagesAndNames() {
        assertThat(MatrixIO.describe(new IOException())).isEqualTo("IOException");
        assertThat(MatrixIO.describe(new java.nio.file.NoSuchFileException("x"))).isEqualTo("NoSuchFileException: x");
        assertThat(MatrixIO.nonFinite(Double.NEGATIVE_INFINITY, 0, 4)).isEqualTo("non-finite entry -Inf at row 1, column 5");
        assertThat(MatrixIO.Format.NPY.extension()).isEqualTo("npy");
        assertThat(MatrixIO.Format.MATRIX_MARKET.extension()).isEqualTo("mtx");
        MatrixIOException e = new MatrixIOException(Path.of("a.csv"), "two\nlines");
        assertThat(e.problem()).isEqualTo("two lines");
        assertThat(e.getMessage()).isEqualTo("a.csv: two lines");
    }

    @Test
    void theMemoryBudgetAgainstTheHeap() {
        assertThat(MemoryBudget.shortfall(1, "one byte")).isNull();
        Runtime rt = Runtime.getRuntime();
        long free = MemoryBudget.free();
        long totalAfter = rt.totalMemory();
        // free = max - (total - unused): at most max, and at least max - total
        assertThat(free).isLessThanOrEqualTo(rt.maxMemory());
        assertThat(free + (1L << 20)).isGreaterThanOrEqualTo(rt.maxMemory() - totalAfter);
        String s = MemoryBudget.shortfall(Long.MAX_VALUE, "the test");
        assertThat(s).matches("the test needs 8796093022207 MiB, more than the [0-9.]+ MiB free in the Java heap \\(max"
                + " heap " + (rt.maxMemory() >> 20) + " MiB; raise it with BILEVEL4J_JAVA_OPTS=-Xmx8g, for example\\)");
    }

    @Test
    void temporarySiblingsAreHiddenRandomAndBesideTheTarget() {
        Path target = tmp.resolve("a.csv");
        Path t1 = AtomicFiles.temporarySibling(target, "tmp");
        Path t2 = AtomicFiles.temporarySibling(target, "tmp");
        assertThat(t1.getParent()).isEqualTo(tmp.toAbsolutePath());
        assertThat(t1.getFileName().toString()).matches("\\.a\\.csv\\.tmp-[0-9a-f]{12}");
        assertThat(t2).isNotEqualTo(t1);
        assertThat(AtomicFiles.temporarySibling(Path.of("/"), "x").getFileName().toString())
                .matches("\\.root\\.x-[0-9a-f]{12}");
    }
}
