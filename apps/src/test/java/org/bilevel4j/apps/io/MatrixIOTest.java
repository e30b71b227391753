package org.bilevel4j.apps.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reading files written by NumPy and SciPy (fixtures made by make_fixtures.py beside them), and
 * every failure mode with its one-line message.
 */
class MatrixIOTest {

    private static final double[][] REAL = {{1.0, -2.5, 3.0}, {0.004, 5.0, -6.0}};
    private static final double[][] INTS = {{1, -2, 3}, {4, 5, -6}};
    private static final double[][] UINTS = {{1, 2, 3}, {4, 250, 6}};

    @TempDir
    Path tmp;

    static Path fixture(String name) {
        try {
            return Path.of(MatrixIOTest.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
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

    // ---------- reading NumPy / SciPy files ----------

    @ParameterizedTest
    @ValueSource(strings = {"f8_c.npy", "f8_fortran.npy", "f8_big.npy", "plain.csv", "header.csv", "coordinate.mtx",
        "array.mtx"})
    void readsDoublesExactly(String name) throws IOException {
        assertMatrix(MatrixIO.read(fixture(name)), REAL);
    }

    @ParameterizedTest
    @ValueSource(strings = {"f4.npy", "f4_big_fortran.npy"})
    void readsFloats(String name) throws IOException {
        DMatrixRMaj a = MatrixIO.read(fixture(name));
        assertThat(a.numRows).isEqualTo(2);
        assertThat(a.numCols).isEqualTo(3);
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                assertThat(a.get(i, j)).isEqualTo((double) (float) REAL[i][j]);
            }
        }
        assertThat(a.get(1, 0)).isCloseTo(0.004, within(1e-9)).isNotEqualTo(0.004);
    }

    @ParameterizedTest
    @ValueSource(strings = {"i1.npy", "i2.npy", "i4.npy", "i4_big.npy", "i8.npy", "i8_big.npy", "integer.mtx"})
    void readsSignedIntegers(String name) throws IOException {
        assertMatrix(MatrixIO.read(fixture(name)), INTS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"u1.npy", "u8.npy"})
    void readsUnsignedIntegers(String name) throws IOException {
        assertMatrix(MatrixIO.read(fixture(name)), UINTS);
    }

    @Test
    void readsBoolAsZeroOne() throws IOException {
        assertMatrix(MatrixIO.read(fixture("bool.npy")), new double[][] {{1, 0, 1}, {1, 1, 0}});
    }

    @Test
    void readsOneDimensionalArrayAsColumn() throws IOException {
        assertMatrix(MatrixIO.read(fixture("vector.npy")), new double[][] {{1.5}, {-2.0}, {3.25}});
    }

    @ParameterizedTest
    @ValueSource(strings = {"symmetric.mtx", "symmetric_array.mtx"})
    void readsSymmetricMatrixMarket(String name) throws IOException {
        assertMatrix(MatrixIO.read(fixture(name)), new double[][] {{2, -1, 0}, {-1, 2, 0.5}, {0, 0.5, 3}});
    }

    @Test
    void readsSkewSymmetricMatrixMarket() throws IOException {
        assertMatrix(MatrixIO.read(fixture("skew.mtx")), new double[][] {{0, 1, -2}, {-1, 0, 4}, {2, -4, 0}});
    }

    @Test
    void sumsRepeatedCoordinateEntries() throws IOException {
        Path f = write("dup.mtx", "%%MatrixMarket matrix coordinate real general\n2 2 3\n1 1 1.5\n2 2 1\n1 1 2\n");
        assertMatrix(MatrixIO.read(f), new double[][] {{3.5, 0}, {0, 1}});
    }

    @Test
    void csvToleratesSpacesQuotesCommentsBlankLinesCrLfAndBom() throws IOException {
        Path f = write("messy.csv", "\uFEFF\"x\", \"y\"\r\n# a comment\r\n 1 , \"2\"\r\n\r\n3,4e-1\r\n");
        assertMatrix(MatrixIO.read(f), new double[][] {{1, 2}, {3, 0.4}});
    }

    @Test
    void csvWithPandasIndexHeader() throws IOException {
        Path f = write("pandas.csv", ",a,b\n0,1.5,2\n1,3,4\n");
        assertMatrix(MatrixIO.read(f), new double[][] {{0, 1.5, 2}, {1, 3, 4}});
    }

    @Test
    void npyWrittenHereHasTheNumpyHeaderLayout() throws IOException {
        Path f = tmp.resolve("a.npy");
        MatrixIO.write(f, new DMatrixRMaj(REAL));
        byte[] b = Files.readAllBytes(f);
        int headerLen = (b[8] & 0xff) | (b[9] & 0xff) << 8;
        assertThat((10 + headerLen) % 64).isZero();
        String header = new String(b, 10, headerLen, StandardCharsets.ISO_8859_1);
        assertThat(header).startsWith("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }").endsWith("\n");
        assertThat(b.length).isEqualTo(10 + headerLen + 6 * 8);
        // the same bytes as numpy.save writes for the same array
        assertThat(b).isEqualTo(Files.readAllBytes(fixture("f8_c.npy")));
    }

    // ---------- failure modes: one line naming the file and the problem ----------

    private Path write(String name, String content) throws IOException {
        Path f = tmp.resolve(name);
        Files.writeString(f, content, StandardCharsets.UTF_8);
        return f;
    }

    private Path writeBytes(String name, byte[] content) throws IOException {
        Path f = tmp.resolve(name);
        Files.write(f, content);
        return f;
    }

    private static void assertFails(Path f, String... fragments) {
        assertThatThrownBy(() -> MatrixIO.read(f))
                .isInstanceOf(MatrixIOException.class)
                .satisfies(e -> {
                    String m = e.getMessage();
                    assertThat(m).startsWith(f + ": ").doesNotContain("\n").doesNotContain("\r");
                    assertThat(m).contains(fragments);
                    assertThat(((MatrixIOException) e).file()).isEqualTo(f);
                });
    }

    @Test
    void missingFile() {
        assertFails(tmp.resolve("nope.csv"), "no such file");
        assertFails(tmp.resolve("nope.npy"), "no such file");
        assertFails(tmp.resolve("nope.mtx"), "no such file");
    }

    @Test
    void folderInsteadOfFile() throws IOException {
        Path d = Files.createDirectory(tmp.resolve("folder.csv"));
        assertFails(d, "is a folder");
    }

    @Test
    void unreadableFile() throws IOException {
        Path f = write("secret.csv", "1,2\n");
        try {
            Files.setPosixFilePermissions(f, java.util.Set.of());
        } catch (UnsupportedOperationException e) {
            org.junit.jupiter.api.Assumptions.abort("no POSIX permissions here");
        }
        // root reads any file: then there is nothing to test
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.isReadable(f), "this user can read a mode 000 file");
        assertFails(f, "permission denied");
    }

    @Test
    void unknownExtension() throws IOException {
        assertFails(write("m.txt", "1,2\n"), "unknown matrix format", ".csv, .mtx or .npy");
    }

    @Test
    void raggedCsvNamesTheLineAndTheCounts() throws IOException {
        assertFails(write("r.csv", "1,2,3\n4,5,6\n7,8\n"), "ragged rows", "line 3 has 2 values", "line 1 has 3");
        assertFails(write("h.csv", "a,b\n1,2,3\n"), "ragged rows", "header on line 1 has 2 fields", "line 2 has 3");
    }

    @Test
    void csvNonNumbersAndEmptyFields() throws IOException {
        assertFails(write("x.csv", "1,2\n3,abc\n"), "line 2, column 2", "'abc' is not a number");
        assertFails(write("e.csv", "1,2\n3,\n"), "line 2, column 2", "an empty field is not a number");
        assertFails(write("d.csv", "1,2\n3,1d\n"), "'1d' is not a number");
    }

    @Test
    void csvEmptyOrHeaderOnly() throws IOException {
        assertFails(write("empty.csv", ""), "no data");
        assertFails(write("hdr.csv", "a,b\n\n"), "no data rows after the header on line 1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nan", "NaN", "-nan", "inf", "-Inf", "Infinity", "1e999"})
    void csvNonFiniteEntryNamesRowAndColumn(String token) throws IOException {
        assertFails(write("nf.csv", "a,b\n1,2\n3," + token + "\n"), "non-finite entry", "at row 2, column 2",
                "(line 3)");
    }

    @Test
    void npyNonFiniteEntries() {
        assertFails(fixture("nan.npy"), "non-finite entry NaN at row 2, column 3");
        assertFails(fixture("inf.npy"), "non-finite entry -Inf at row 1, column 2");
    }

    @Test
    void npyTruncatedData() throws IOException {
        byte[] full = Files.readAllBytes(fixture("f8_c.npy"));
        assertFails(writeBytes("t.npy", Arrays.copyOf(full, full.length - 3)), "truncated",
                "promises 48 bytes of data, found 45");
    }

    @Test
    void npyTruncatedHeader() throws IOException {
        byte[] full = Files.readAllBytes(fixture("f8_c.npy"));
        assertFails(writeBytes("h.npy", Arrays.copyOf(full, 40)), "truncated", "header needs 118 bytes");
        assertFails(writeBytes("s.npy", Arrays.copyOf(full, 7)), "truncated", "7 bytes");
        assertFails(writeBytes("z.npy", new byte[0]), "truncated", "0 bytes");
    }

    @Test
    void npyTrailingBytes() throws IOException {
        byte[] full = Files.readAllBytes(fixture("f8_c.npy"));
        assertFails(writeBytes("x.npy", Arrays.copyOf(full, full.length + 5)), "5 bytes after the 48");
    }

    @Test
    void npyBadHeaders() throws IOException {
        assertFails(write("csv-in-disguise.npy", "1,2,3\n4,5,6\n"), "bad header", "not a NumPy .npy file");
        byte[] full = Files.readAllBytes(fixture("f8_c.npy"));
        byte[] v9 = full.clone();
        v9[6] = 9;
        assertFails(writeBytes("v9.npy", v9), "bad header", "version 9.0 is not supported");
        assertFails(writeBytes("noshape.npy", npy("{'descr': '<f8', 'fortran_order': False, }", new byte[0])),
                "bad header", "no 'shape'");
        assertFails(writeBytes("struct.npy", npy("{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (1,), }",
                new byte[8])), "bad header", "structured");
        assertFails(writeBytes("shape.npy", npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2, x), }",
                new byte[16])), "bad header", "shape (2, x)");
    }

    @Test
    void npyUnsupportedDtypeAndDimensions() throws IOException {
        assertFails(fixture("complex.npy"), "dtype '<c16' is not supported");
        assertFails(fixture("cube.npy"), "3-D array", "only 1-D and 2-D");
        assertFails(writeBytes("scalar.npy", npy("{'descr': '<f8', 'fortran_order': False, 'shape': (), }",
                new byte[8])), "0-D array");
        assertFails(writeBytes("empty.npy", npy("{'descr': '<f8', 'fortran_order': False, 'shape': (0, 3), }",
                new byte[0])), "empty (0x3)");
    }

    @Test
    void npyVersion2HeaderAndNativeOrderDescr() throws IOException {
        String dict = "{'descr': '=i4', 'fortran_order': True, 'shape': (2, 2), }";
        ByteBuffer data = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
        data.putInt(1).putInt(2).putInt(3).putInt(4); // column-major: [[1, 3], [2, 4]]
        byte[] h = (dict + "\n").getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(12 + h.length + 16).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0}).putInt(h.length).put(h).put(data.array());
        assertMatrix(MatrixIO.read(writeBytes("v2.npy", b.array())), new double[][] {{1, 3}, {2, 4}});
    }

    /** A version 1.0 .npy file with the given header dictionary and data bytes. */
    static byte[] npy(String dict, byte[] data) {
        byte[] h = (dict + "\n").getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(10 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) h.length).put(h).put(data);
        return b.array();
    }

    @Test
    void matrixMarketBadHeaders() throws IOException {
        assertFails(write("a.mtx", "1 2 3\n"), "bad header", "'%%MatrixMarket matrix'");
        assertFails(write("b.mtx", "%%MatrixMarket matrix coordinate complex general\n1 1 1\n1 1 1 0\n"),
                "bad header", "field 'complex' is not supported");
        assertFails(write("c.mtx", "%%MatrixMarket matrix coordinate real hermitian\n1 1 1\n1 1 1\n"),
                "symmetry 'hermitian'");
        assertFails(write("d.mtx", "%%MatrixMarket vector coordinate real general\n1 1 1\n"), "object 'vector'");
        assertFails(write("e.mtx", "%%MatrixMarket matrix coordinate real symmetric\n2 3 1\n1 1 1\n"),
                "must be square", "2x3");
        assertFails(write("f.mtx", "%%MatrixMarket matrix coordinate real general\n% only comments\n"),
                "truncated", "no size line");
        assertFails(write("g.mtx", ""), "bad header", "empty");
    }

    @Test
    void matrixMarketEntries() throws IOException {
        String head = "%%MatrixMarket matrix coordinate real general\n2 2 2\n";
        assertFails(write("a.mtx", head + "1 1 1\n"), "truncated", "declares 2 entries, found 1");
        assertFails(write("b.mtx", head + "1 1 1\n3 1 2\n"), "line 4", "row index 3 is outside 1..2");
        assertFails(write("c.mtx", head + "1 1 1\n1 1 nan\n"), "non-finite entry NaN at row 1, column 1 (line 4)");
        assertFails(write("d.mtx", head + "1 1 1\n1 2 x\n"), "line 4", "'x' is not a number");
        assertFails(write("e.mtx", head + "1 1 1\n1 2 3\n2 2 4\n"), "line 5", "more entries than the 2");
        assertFails(write("f.mtx", head + "1 1 1\n1 2\n"), "line 4", "expected 'row column value'");
        assertFails(write("g.mtx", head + "1 1 1e308\n1 1 1e308\n"), "non-finite entry +Inf at row 1, column 1");
    }

    @Test
    void matrixMarketArrays() throws IOException {
        String head = "%%MatrixMarket matrix array real general\n2 2\n";
        assertFails(write("a.mtx", head + "1\n2\n3\n"), "truncated", "needs 4 values, found 3");
        assertFails(write("b.mtx", head + "1\n2\n3\n4\n5\n"), "more values than the 4");
        assertFails(write("c.mtx", head + "1\n2\ninf\n4\n"), "non-finite entry +Inf at row 1, column 2");
    }

    @Test
    void writeRejectsNonFiniteAndEmptyMatricesAndLeavesNothing() {
        DMatrixRMaj a = new DMatrixRMaj(REAL);
        a.set(1, 1, Double.NaN);
        Path f = tmp.resolve("out.npy");
        assertThatThrownBy(() -> MatrixIO.write(f, a)).isInstanceOf(MatrixIOException.class)
                .hasMessage(f + ": cannot write a non-finite entry NaN at row 2, column 2");
        assertThatThrownBy(() -> MatrixIO.write(f, new DMatrixRMaj(0, 3))).isInstanceOf(MatrixIOException.class)
                .hasMessageContaining("empty matrix (0x3)");
        assertThat(tmp.toFile().list()).isEmpty();
    }

    @Test
    void writeIntoAFileAsFolderFailsWithOneLine() throws IOException {
        Path blocker = write("blocker", "x");
        Path f = blocker.resolve("a.csv");
        assertThatThrownBy(() -> MatrixIO.write(f, new DMatrixRMaj(REAL))).isInstanceOf(MatrixIOException.class)
                .hasMessageStartingWith(f + ": cannot write the file")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void failedAtomicWriteKeepsTheOldFileAndLeavesNoTemporary() throws IOException {
        Path f = write("keep.csv", "1,2\n");
        assertThatThrownBy(() -> AtomicFiles.write(f, out -> {
            out.write("3,4\n5,".getBytes(StandardCharsets.US_ASCII));
            throw new IOException("disk full");
        })).isInstanceOf(IOException.class).hasMessage("disk full");
        assertThat(Files.readString(f)).isEqualTo("1,2\n");
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("keep.csv");
        }
    }

    @Test
    void writeReplacesAnExistingFile() throws IOException {
        Path f = write("m.csv", "9,9,9\n");
        MatrixIO.write(f, new DMatrixRMaj(REAL));
        assertMatrix(MatrixIO.read(f), REAL);
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.count()).isEqualTo(1);
        }
    }

    @Test
    void writeCreatesMissingFolders() throws IOException {
        Path f = tmp.resolve("a/b/m.mtx");
        MatrixIO.write(f, new DMatrixRMaj(REAL));
        assertMatrix(MatrixIO.read(f), REAL);
    }
}
