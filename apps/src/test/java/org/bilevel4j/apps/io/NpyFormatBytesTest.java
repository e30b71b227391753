package org.bilevel4j.apps.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code .npy} reader against bytes built here by the format's definition: header lengths on
 * two bytes (above 255) and on four (exactly at and just above the 16 MiB limit), the version 3
 * header in UTF-8, Python 2 shapes, unsigned values above the signed range, data longer than one
 * read chunk, the stream form {@link MatrixIO#readNpy} (no file length to check against), and the
 * exact figures of each truncation message.
 */
class NpyFormatBytesTest {

    @TempDir
    Path tmp;

    private static final double[][] REAL = {{1.0, -2.5, 3.0}, {0.004, 5.0, -6.0}};

    private Path bytes(String name, byte[] b) throws IOException {
        Path f = tmp.resolve(name);
        Files.write(f, b);
        return f;
    }

    /** A .npy file of the given version (1, 2 or 3) with the header's bytes as given. */
    static byte[] npy(int version, byte[] header, byte[] data) {
        int lenBytes = version == 1 ? 2 : 4;
        ByteBuffer b = ByteBuffer.allocate(8 + lenBytes + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) version, 0});
        if (version == 1) {
            b.putShort((short) header.length);
        } else {
            b.putInt(header.length);
        }
        return b.put(header).put(data).array();
    }

    static byte[] doubles(ByteOrder order, double... v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(order);
        for (double x : v) {
            b.putDouble(x);
        }
        return b.array();
    }

    private static void assertFails(Path f, String problem) {
        assertThatThrownBy(() -> MatrixIO.read(f)).isInstanceOf(MatrixIOException.class).hasMessage(f + ": " + problem);
    }

    private static DMatrixRMaj stream(byte[] b) throws IOException {
        return MatrixIO.readNpy(Path.of("s.npy"), new ByteArrayInputStream(b));
    }

    private static void assertStreamFails(byte[] b, String problem) {
        assertThatThrownBy(() -> stream(b)).isInstanceOf(MatrixIOException.class).hasMessage("s.npy: " + problem);
    }

    @Test
    void aDescrWithoutByteOrderIsNative() throws IOException {
        byte[] h = "{'descr': 'f8', 'fortran_order': False, 'shape': (2,), }\n".getBytes(StandardCharsets.ISO_8859_1);
        DMatrixRMaj a = MatrixIO.read(bytes("n.npy", npy(1, h, doubles(ByteOrder.nativeOrder(), 1.5, -2))));
        assertThat(a.numRows).isEqualTo(2);
        assertThat(a.numCols).isEqualTo(1);
        assertThat(a.data).containsExactly(1.5, -2.0);
    }

    @Test
    void aVersion1HeaderLongerThan255Bytes() throws IOException {
        // the length's high byte counts: 300 bytes of header
        String dict = "{'descr': '>f8', 'fortran_order': False, 'shape': (1, 2), }";
        byte[] h = (dict + " ".repeat(300 - dict.length() - 1) + "\n").getBytes(StandardCharsets.ISO_8859_1);
        assertThat(h).hasSize(300);
        DMatrixRMaj a = MatrixIO.read(bytes("long.npy", npy(1, h, doubles(ByteOrder.BIG_ENDIAN, 7.25, -1e-300))));
        assertThat(a.data).containsExactly(7.25, -1e-300);
    }

    @Test
    void pythonTwoShapesWithLongSuffixes() throws IOException {
        byte[] h = "{'descr': '<f8', 'fortran_order': False, 'shape': (2L, 3L), }\n".getBytes(StandardCharsets.ISO_8859_1);
        DMatrixRMaj a = MatrixIO.read(bytes("py2.npy", npy(1, h,
                doubles(ByteOrder.LITTLE_ENDIAN, 1.0, -2.5, 3.0, 0.004, 5.0, -6.0))));
        assertThat(a.numRows).isEqualTo(2);
        assertThat(a.data).containsExactly(1.0, -2.5, 3.0, 0.004, 5.0, -6.0);
    }

    @Test
    void unsignedValuesAboveTheSignedRange() throws IOException {
        ByteBuffer u2 = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 65535)
                .putShort((short) 40000);
        byte[] h2 = "{'descr': '<u2', 'fortran_order': False, 'shape': (2,), }\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(MatrixIO.read(bytes("u2.npy", npy(1, h2, u2.array()))).data).containsExactly(65535, 40000);
        ByteBuffer u4 = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putInt((int) 4294967295L)
                .putInt((int) 3000000000L);
        byte[] h4 = "{'descr': '>u4', 'fortran_order': False, 'shape': (2,), }\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(MatrixIO.read(bytes("u4.npy", npy(1, h4, u4.array()))).data)
                .containsExactly(4294967295.0, 3000000000.0);
    }

    @Test
    void theVersion3HeaderIsUtf8AndTheOthersLatin1() throws IOException {
        byte[] h = "{'descr': '<f\u00e9', 'fortran_order': False, 'shape': (1,), }\n".getBytes(StandardCharsets.UTF_8);
        String unsupported = "' is not supported (use float64, float32, an integer type or bool)";
        assertFails(bytes("v3.npy", npy(3, h, new byte[8])), "dtype '<f\u00e9" + unsupported);
        assertFails(bytes("v2.npy", npy(2, h, new byte[8])), "dtype '<f\u00c3\u00a9" + unsupported);
    }

    @Test
    void headerLengthsAtAndAboveTheLimit() throws IOException {
        // 2^24 bytes is allowed (then missing from this file); one more is refused as such
        byte[] at = npy(2, new byte[20], new byte[0]);
        ByteBuffer.wrap(at).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 1 << 24);
        assertFails(bytes("at24.npy", at), "truncated: the header needs 16777216 bytes, found 20");
        ByteBuffer.wrap(at).order(ByteOrder.LITTLE_ENDIAN).putInt(8, (1 << 24) + 1);
        assertFails(bytes("above24.npy", at), "bad header: the header claims 16777217 bytes");
    }

    @Test
    void truncationMessagesGiveTheFigures() throws IOException {
        byte[] full = Files.readAllBytes(MatrixIOTest.fixture("f8_c.npy"));
        // the header of f8_c.npy is 118 bytes after the 10-byte prefix; its data are 48 bytes
        assertFails(bytes("h.npy", Arrays.copyOf(full, 40)), "truncated: the header needs 118 bytes, found 30");
        assertFails(bytes("d.npy", Arrays.copyOf(full, full.length - 3)),
                "truncated: the header promises 48 bytes of data, found 45 (a 2x3 array of 8-byte values)");
        // the header alone, exactly: no data at all
        assertFails(bytes("e.npy", Arrays.copyOf(full, 128)),
                "truncated: the header promises 48 bytes of data, found 0 (a 2x3 array of 8-byte values)");
    }

    @Test
    void aStreamIsReadWithoutKnowingItsLength() throws IOException {
        byte[] full = Files.readAllBytes(MatrixIOTest.fixture("f8_c.npy"));
        DMatrixRMaj a = stream(full);
        assertThat(a.numRows).isEqualTo(2);
        assertThat(a.numCols).isEqualTo(3);
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                assertThat(a.get(i, j)).isEqualTo(REAL[i][j]);
            }
        }
        // without a length, the shortfalls are found while reading
        assertStreamFails(Arrays.copyOf(full, 40), "truncated: the header needs 118 bytes, found 30");
        assertStreamFails(Arrays.copyOf(full, full.length - 3), "truncated: the header promises 48 bytes of data,"
                + " found 45");
        assertStreamFails(Arrays.copyOf(full, full.length + 5), "bad data: 5 bytes after the 48 that the header"
                + " promises");
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("boom");
            }
        };
        assertThatThrownBy(() -> MatrixIO.readNpy(Path.of("s.npy"), broken)).isInstanceOf(MatrixIOException.class)
                .hasMessage("s.npy: cannot read the file (IOException: boom)");
    }

    @Test
    void dataLongerThanOneReadChunk() throws IOException {
        // 100 x 100 doubles are 80000 bytes, more than the 65528 read (and 65536 written) at once
        DMatrixRMaj a = new DMatrixRMaj(100, 100);
        for (int i = 0; i < a.getNumElements(); i++) {
            a.data[i] = i * 0.5 - 17;
        }
        Path f = tmp.resolve("big.npy");
        MatrixIO.write(f, a);
        assertThat(Files.size(f)).isEqualTo(128 + 80000);
        assertThat(MatrixIO.read(f).data).containsExactly(a.data);
        assertThat(stream(Files.readAllBytes(f)).data).containsExactly(a.data);
        // and as float32 in Fortran order, the transpose copied back
        ByteBuffer f4 = ByteBuffer.allocate(4 * 10000).order(ByteOrder.LITTLE_ENDIAN);
        for (int j = 0; j < 100; j++) {
            for (int i = 0; i < 100; i++) {
                f4.putFloat((float) a.get(i, j));
            }
        }
        byte[] h = "{'descr': '<f4', 'fortran_order': True, 'shape': (100, 100), }\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(MatrixIO.read(bytes("f4.npy", npy(1, h, f4.array()))).data).containsExactly(a.data);
    }
}
