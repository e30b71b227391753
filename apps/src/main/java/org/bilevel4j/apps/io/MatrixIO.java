package org.bilevel4j.apps.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import org.ejml.data.DMatrixRMaj;

/**
 * Reads and writes dense matrices, choosing the format by the file's extension
 * (case-insensitive):
 * <ul>
 *   <li>{@code .csv}: comma-separated rows, one matrix row per line. A first row none of whose
 *       fields is a number is a header and is skipped (a first row with a number in it is data, so
 *       a malformed number there is an error, never a header); blank lines and lines starting
 *       with {@code #} are skipped. Fields may be quoted and padded with spaces. {@code nan},
 *       {@code inf}, {@code -inf} (any case) are recognized and rejected as non-finite. Written
 *       without a header, with {@link Double#toString(double)} (which reads back exactly).</li>
 *   <li>{@code .mtx}: Matrix Market, read in the {@code coordinate} and {@code array} formats with
 *       field {@code real}, {@code double}, {@code integer} or {@code pattern} (coordinate only,
 *       entries 1) and symmetry {@code general}, {@code symmetric} or {@code skew-symmetric};
 *       repeated coordinate entries are summed. The entries must agree with the header: integers
 *       for {@code integer}, no value for {@code pattern}, only the lower triangle for the
 *       symmetric kinds (strictly lower, no diagonal, for {@code skew-symmetric}).
 *       Written as {@code array real general}.</li>
 *   <li>{@code .npy}: NumPy, read in versions 1.0 to 3.0 with dtypes {@code f8, f4, i1, i2, i4,
 *       i8, u1, u2, u4, u8, b1} in either byte order and C or Fortran order; a 1-D array becomes
 *       a column. Written as {@code '<f8'}, C order, version 1.0, the header padded so the data
 *       start at a multiple of 64 bytes.</li>
 * </ul>
 *
 * <p>No reader trusts a header: the sizes it claims are checked against the file's length (each
 * value needs at least its bytes in the file) and against the free heap ({@link MemoryBudget})
 * before anything of that size is allocated.
 *
 * <p>Matrices hold data: every entry must be finite and a matrix must have at least one row and
 * one column, both when reading and when writing.
 *
 * <p>Every failure is a {@link MatrixIOException} whose message is one line naming the file and the
 * problem; rows and columns in messages are counted from 1. Writes are atomic
 * ({@link AtomicFiles}): a failed write leaves the target as it was.
 */
public final class MatrixIO {

    private MatrixIO() {
    }

    /** The supported file formats. */
    public enum Format {
        /** Comma-separated values, {@code .csv}. */
        CSV("csv"),
        /** Matrix Market exchange format, {@code .mtx}. */
        MATRIX_MARKET("mtx"),
        /** NumPy array file, {@code .npy}. */
        NPY("npy");

        private final String extension;

        Format(String extension) {
            this.extension = extension;
        }

        /** @return the file extension, without the dot */
        public String extension() {
            return extension;
        }

        /**
         * @param file the file; only its name's (case-insensitive) extension is read
         * @return the format of a file, by its extension
         * @throws MatrixIOException for an extension that is not {@code .csv}, {@code .mtx} or
         *     {@code .npy}
         */
        public static Format of(Path file) throws MatrixIOException {
            Path name = file.getFileName();
            String s = name == null ? "" : name.toString().toLowerCase(Locale.ROOT);
            for (Format f : values()) {
                if (s.endsWith("." + f.extension)) {
                    return f;
                }
            }
            throw new MatrixIOException(file, "unknown matrix format (the name must end in .csv, .mtx or .npy)");
        }
    }

    /**
     * Reads a matrix.
     *
     * @param file a {@code .csv}, {@code .mtx} or {@code .npy} file
     * @return a new matrix
     * @throws MatrixIOException with a one-line message if the file is missing, unreadable,
     *     truncated or malformed, or holds a non-finite entry
     */
    public static DMatrixRMaj read(Path file) throws MatrixIOException {
        Format format = Format.of(file);
        if (Files.isDirectory(file)) {
            throw new MatrixIOException(file, "is a folder, not a file");
        }
        if (!Files.exists(file)) {
            throw new MatrixIOException(file, "no such file");
        }
        if (!Files.isReadable(file)) {
            throw new MatrixIOException(file, "cannot read the file (permission denied)");
        }
        if (!Files.isRegularFile(file)) {
            throw new MatrixIOException(file, "is not a regular file (a device or a pipe has no length to check)");
        }
        try (InputStream in = Files.newInputStream(file)) {
            long length = Files.size(file);
            return switch (format) {
                case CSV -> CsvFormat.read(file, in);
                case MATRIX_MARKET -> MatrixMarketFormat.read(file, in, length);
                case NPY -> NpyFormat.read(file, in, length);
            };
        } catch (MatrixIOException e) {
            throw e;
        } catch (NoSuchFileException e) {
            throw new MatrixIOException(file, "no such file", e);
        } catch (AccessDeniedException e) {
            throw new MatrixIOException(file, "cannot read the file (permission denied)", e);
        } catch (IOException e) {
            throw new MatrixIOException(file, "cannot read the file (" + describe(e) + ")", e);
        }
    }

    /**
     * Reads a {@code .npy} matrix from a stream, for files that are not on a local file system (the
     * spark module reads row blocks through Hadoop's file systems). Same rules as {@link #read}.
     *
     * @param name the file's name, used in messages only
     * @param in the bytes of the file (not closed)
     * @return the matrix
     * @throws MatrixIOException with a one-line message for a truncated or malformed file or a
     *     non-finite entry
     */
    public static DMatrixRMaj readNpy(Path name, InputStream in) throws MatrixIOException {
        try {
            return NpyFormat.read(name, in, -1);
        } catch (MatrixIOException e) {
            throw e;
        } catch (IOException e) {
            throw new MatrixIOException(name, "cannot read the file (" + describe(e) + ")", e);
        }
    }

    /**
     * Writes a matrix atomically, creating the folder if needed.
     *
     * @param file a {@code .csv}, {@code .mtx} or {@code .npy} file (replaced if it exists)
     * @param a the matrix (not modified): at least 1 x 1, every entry finite
     * @throws MatrixIOException with a one-line message for an unknown extension, an empty matrix,
     *     a non-finite entry, or a failed write (the file is then left as it was)
     */
    public static void write(Path file, DMatrixRMaj a) throws MatrixIOException {
        Format format = Format.of(file);
        if (a.numRows < 1 || a.numCols < 1) {
            throw new MatrixIOException(file, "cannot write an empty matrix (" + a.numRows + "x" + a.numCols + ")");
        }
        for (int i = 0; i < a.getNumElements(); i++) {
            if (!Double.isFinite(a.data[i])) {
                throw new MatrixIOException(file, "cannot write a non-finite entry " + a.data[i] + " at row "
                        + (i / a.numCols + 1) + ", column " + (i % a.numCols + 1));
            }
        }
        try {
            AtomicFiles.write(file, out -> {
                switch (format) {
                    case CSV -> CsvFormat.write(a, out);
                    case MATRIX_MARKET -> MatrixMarketFormat.write(a, out);
                    case NPY -> NpyFormat.write(a, out);
                    default -> throw new AssertionError(format);
                }
            });
        } catch (AccessDeniedException e) {
            throw new MatrixIOException(file, "cannot write the file (permission denied)", e);
        } catch (IOException e) {
            throw new MatrixIOException(file, "cannot write the file (" + describe(e) + ")", e);
        }
    }

    static String describe(IOException e) {
        String m = e.getMessage();
        String kind = e.getClass().getSimpleName();
        return m == null ? kind : kind + ": " + m;
    }

    /** The message for a non-finite entry (row and column from 0, reported from 1). */
    static String nonFinite(double v, int row, int col) {
        String s = Double.isNaN(v) ? "NaN" : (v > 0 ? "+Inf" : "-Inf");
        return "non-finite entry " + s + " at row " + (row + 1) + ", column " + (col + 1);
    }

    /**
     * Checks that {@code bytes} fit in the free heap before a reader allocates them.
     *
     * @throws MatrixIOException naming the file, what needs the memory and how much
     */
    static void requireMemory(Path file, long bytes, String what) throws MatrixIOException {
        String s = MemoryBudget.shortfall(bytes, what);
        if (s != null) {
            throw new MatrixIOException(file, s);
        }
    }

    /**
     * @return {@code rows * cols} as an int
     * @throws MatrixIOException if it does not fit a Java array
     */
    static int elementCount(Path file, long rows, long cols) throws MatrixIOException {
        if (rows < 1 || cols < 1) {
            throw new MatrixIOException(file, "the matrix is empty (" + rows + "x" + cols + ")");
        }
        long n = rows * cols;
        if (rows > Integer.MAX_VALUE || cols > Integer.MAX_VALUE || n > Integer.MAX_VALUE - 8) {
            throw new MatrixIOException(file, "the matrix is too large for one Java array (" + rows + "x" + cols
                    + ")");
        }
        return (int) n;
    }
}
