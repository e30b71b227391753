package org.bilevel4j.apps.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.bilevel4j.apps.cleaning.IdxFormatException;
import org.bilevel4j.apps.cleaning.IdxReader;
import org.bilevel4j.apps.io.MatrixIO;
import org.bilevel4j.apps.io.MatrixIOException;
import org.bilevel4j.apps.market.MatpowerCase;
import org.bilevel4j.apps.market.MatpowerReader;
import org.ejml.data.DMatrixRMaj;

/**
 * Issue 16: every reader (npy, csv, Matrix Market, frames .npy, AVI, MAT, PNG and PGM folders,
 * IDX, MATPOWER) given a valid file truncated at a random byte, or with random bytes flipped,
 * either reads it (truncation: the same data, or for the text formats a prefix of it whose last
 * value may be cut) or throws its own input exception ({@link MatrixIOException},
 * {@link ClipException}, {@link IdxFormatException}) with one line that names the file; never
 * another exception type, never an {@link OutOfMemoryError}. Memory: the bytes the reading thread
 * allocates are bounded by the file's length (twice the length, times 8 where uint8 pixels become
 * doubles, plus 4 MiB of fixed buffers), so a header that claims more than the file holds is
 * refused before anything of that size is allocated. The bound is not checked for Matrix Market
 * coordinate files (a sparse file legitimately describes a dense matrix larger than itself; the
 * heap check covers them) nor for gzip IDX files (they inflate).
 */
class ReaderFuzzPropertiesTest {

    private static final long FIXED = 4L << 20;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static Path dir;
    private static byte[] npy;
    private static byte[] csv;
    private static byte[] mtxArray;
    private static byte[] mtxCoordinate;
    private static byte[] framesNpy;
    private static byte[] avi;
    private static byte[] mat;
    private static byte[] matCompressed;
    private static byte[] png;
    private static byte[] pgm;
    private static byte[] idx;
    private static byte[] idxGz;
    private static byte[] matpower;
    private static DMatrixRMaj npyMatrix;
    private static DMatrixRMaj csvMatrix;
    private static DMatrixRMaj mtxMatrix;
    private static Clip clip;
    private static Clip pngClip;

    @BeforeContainer
    static void writeValidFiles() throws Exception {
        dir = Files.createTempDirectory("bilevel4j-fuzz");
        DMatrixRMaj a = new DMatrixRMaj(7, 5);
        for (int i = 0; i < a.data.length; i++) {
            a.data[i] = Math.sin(3.0 * i + 1) * 10;
        }
        npy = write("m.npy", a);
        csv = write("m.csv", a);
        mtxArray = write("m.mtx", a);
        npyMatrix = MatrixIO.read(dir.resolve("m.npy"));
        csvMatrix = MatrixIO.read(dir.resolve("m.csv"));
        mtxMatrix = MatrixIO.read(dir.resolve("m.mtx"));
        mtxCoordinate = ("%%MatrixMarket matrix coordinate real symmetric\n% a comment\n5 5 6\n1 1 2.5\n2 1 -1\n"
                + "3 3 4\n5 2 0.125\n4 4 1e-3\n5 5 7\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[][] frames = TestClips.pattern(6, 8, 10);
        TestClips.writeNpy(dir.resolve("c.npy"), frames, 8, 10);
        framesNpy = Files.readAllBytes(dir.resolve("c.npy"));
        clip = ClipReader.read(dir.resolve("c.npy"));
        TestClips.writeAvi(dir.resolve("c.avi"), frames, 8, 10, null);
        avi = Files.readAllBytes(dir.resolve("c.avi"));
        TestClips.writeMat(dir.resolve("c.mat"), frames, 8, 10, false);
        mat = Files.readAllBytes(dir.resolve("c.mat"));
        TestClips.writeMat(dir.resolve("cz.mat"), frames, 8, 10, true);
        matCompressed = Files.readAllBytes(dir.resolve("cz.mat"));
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(10, 8,
                java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 10; x++) {
                img.getRaster().setSample(x, y, 0, frames[0][y * 10 + x] & 0xff);
            }
        }
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        javax.imageio.ImageIO.write(img, "png", o);
        png = o.toByteArray();
        Path pngDir = Files.createDirectories(dir.resolve("png"));
        Files.write(pngDir.resolve("f1.png"), png);
        Files.write(pngDir.resolve("f2.png"), png);
        pngClip = ClipReader.read(pngDir);
        StringBuilder p = new StringBuilder("P2\n# a comment\n10 8\n255\n");
        for (int i = 0; i < 80; i++) {
            p.append(frames[1][i] & 0xff).append(i % 10 == 9 ? "\n" : " ");
        }
        pgm = p.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        idx = idxImages(12, 4);
        idxGz = gzip(idx);
        matpower = String.join("\n", "function mpc = tiny", "mpc.version = '2';", "mpc.baseMVA = 100;",
                "mpc.bus = [", "\t1\t3\t150\t0\t0\t0\t1\t1\t0\t135\t1\t1.05\t0.95;",
                "\t2\t1\t50\t0\t0\t0\t1\t1\t0\t135\t1\t1.05\t0.95;", "];", "mpc.gen = [",
                "\t1\t0\t0\t0\t0\t1\t100\t1\t100\t0;", "\t2\t0\t0\t0\t0\t1\t100\t1\t80\t10;", "];",
                "mpc.gencost = [", "\t2\t0\t0\t3\t0.01\t10\t0;", "\t1\t0\t0\t2\t0\t0\t80\t1600;", "];", "")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        warmUp();
    }

    /** Reads each valid file once, so that class loading and first-use set-up are not counted. */
    private static void warmUp() throws Exception {
        Files.write(dir.resolve("w.m"), matpower);
        MatpowerReader.read(dir.resolve("w.m"));
        Files.write(dir.resolve("w.csv"), csv);
        MatrixIO.read(dir.resolve("w.csv"));
        Files.write(dir.resolve("w.mtx"), mtxCoordinate);
        MatrixIO.read(dir.resolve("w.mtx"));
        Files.write(dir.resolve("images-idx3-ubyte"), idx);
        IdxReader.readImages(dir.resolve("images-idx3-ubyte"));
        ClipReader.read(dir.resolve("c.avi"));
        ClipReader.read(dir.resolve("c.mat"));
        for (String bad : new String[] {"w.csv", "w.m"}) {
            Files.write(dir.resolve(bad), new byte[] {1, 2, 3});
            try {
                if (bad.endsWith(".m")) {
                    MatpowerReader.read(dir.resolve(bad));
                } else {
                    MatrixIO.read(dir.resolve(bad));
                }
            } catch (MatrixIOException expected) {
                // the exception path warmed up too
            }
        }
    }

    @AfterContainer
    static void removeFiles() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }

    private static byte[] write(String name, DMatrixRMaj a) throws Exception {
        MatrixIO.write(dir.resolve(name), a);
        return Files.readAllBytes(dir.resolve(name));
    }

    /** A file of the valid bytes, truncated (odd seeds) or with 1 to 4 bytes flipped (even seeds). */
    private static Mutation mutate(byte[] valid, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        if ((seed & 1) == 1) {
            return new Mutation(Arrays.copyOf(valid, r.nextInt(valid.length)), true);
        }
        byte[] b = valid.clone();
        int flips = 1 + r.nextInt(4);
        for (int k = 0; k < flips; k++) {
            int i = r.nextInt(b.length);
            b[i] = (byte) (r.nextBoolean() ? b[i] ^ (1 << r.nextInt(8)) : r.nextInt(256));
        }
        return new Mutation(b, false);
    }

    private record Mutation(byte[] bytes, boolean truncated) {
    }

    /** A read that may throw. */
    @FunctionalInterface
    private interface Read<T> {
        T read(Path file) throws Exception;
    }

    /**
     * Reads the mutated file, checking the exception type, the one-line message and the memory.
     *
     * @return the value read, or null if the reader refused the file
     */
    private static <T> T check(String name, Mutation m, Class<? extends Exception> refusal, Read<T> read,
            long bytesPerFileByte) throws IOException {
        Path f = dir.resolve(name);
        if (f.getParent() != null) {
            Files.createDirectories(f.getParent());
        }
        Files.write(f, m.bytes());
        T value = null;
        long allocated = Long.MAX_VALUE;
        // read twice and keep the smaller allocation: the first read of a path may load classes
        for (int attempt = 0; attempt < 2; attempt++) {
            long before = THREADS.getCurrentThreadAllocatedBytes();
            try {
                value = read.read(f.getParent().equals(dir) ? f : f.getParent());
            } catch (Throwable e) {
                if (!refusal.isInstance(e)) {
                    fail("%s (%s, %d bytes) threw %s instead of %s", name, m.truncated() ? "truncated" : "flipped",
                            m.bytes().length, e, refusal.getSimpleName());
                }
                assertThat(e.getMessage()).doesNotContain("\n").contains(f.getParent().equals(dir) ? f.toString()
                        : f.getParent().toString());
            }
            allocated = Math.min(allocated, THREADS.getCurrentThreadAllocatedBytes() - before);
        }
        if (bytesPerFileByte > 0) {
            assertThat(allocated).as("bytes allocated reading %d bytes", m.bytes().length)
                    .isLessThanOrEqualTo(2 * bytesPerFileByte * m.bytes().length + FIXED);
        }
        return value;
    }

    /** Text truncated: the same shape or fewer rows, equal in every value but the last one read. */
    private static void assertPrefix(DMatrixRMaj original, DMatrixRMaj read, boolean columnMajor) {
        if (columnMajor || read.numRows > 1) {
            assertThat(read.numCols).isEqualTo(original.numCols);
        } else {
            assertThat(read.numCols).isLessThanOrEqualTo(original.numCols); // cut in the first row
        }
        assertThat(read.numRows).isLessThanOrEqualTo(original.numRows);
        int m = read.numRows;
        int n = read.numCols;
        int count = m * n;
        for (int k = 0; k < count - 1; k++) {
            int i = columnMajor ? k % m : k / n;
            int j = columnMajor ? k / m : k % n;
            assertThat(read.get(i, j)).isEqualTo(original.get(i, j));
        }
    }

    @Property(tries = 80, seed = "20261206", edgeCases = EdgeCasesMode.NONE)
    void npyMatrix(@ForAll long seed) throws IOException {
        Mutation m = mutate(npy, seed);
        DMatrixRMaj a = check("f.npy", m, MatrixIOException.class, MatrixIO::read, 1);
        if (a != null && m.truncated()) {
            fail("a truncated .npy was read as a %dx%d matrix", a.numRows, a.numCols);
        }
    }

    @Property(tries = 80, seed = "20261206", edgeCases = EdgeCasesMode.NONE)
    void csvMatrix(@ForAll long seed) throws IOException {
        Mutation m = mutate(csv, seed);
        DMatrixRMaj a = check("f.csv", m, MatrixIOException.class, MatrixIO::read, 4);
        if (a != null && m.truncated()) {
            assertPrefix(csvMatrix, a, false);
        }
    }

    @Property(tries = 80, seed = "20261206", edgeCases = EdgeCasesMode.NONE)
    void matrixMarketArray(@ForAll long seed) throws IOException {
        Mutation m = mutate(mtxArray, seed);
        DMatrixRMaj a = check("f.mtx", m, MatrixIOException.class, MatrixIO::read, 1);
        if (a != null && m.truncated()) {
            assertThat(a.numRows).isEqualTo(mtxMatrix.numRows);
            assertPrefix(mtxMatrix, a, true);
        }
    }

    @Property(tries = 80, seed = "20261206", edgeCases = EdgeCasesMode.NONE)
    void matrixMarketCoordinate(@ForAll long seed) throws IOException {
        check("g.mtx", mutate(mtxCoordinate, seed), MatrixIOException.class, MatrixIO::read, 0);
    }

    @Property(tries = 60, seed = "20261206", edgeCases = EdgeCasesMode.NONE)
    void framesNpy(@ForAll long seed) throws IOException {
        Mutation m = mutate(framesNpy, seed);
        Clip c = check("f.npy", m, ClipException.class, ClipReader::read, 8);
        if (c != null && m.truncated()) {
            fail("a truncated frames .npy was read");
        }
    }

    @Property(tries = 60, seed = "20261206", edgeCases = EdgeCasesMode.NONE)
    void avi(@ForAll long seed) throws IOException {
        Mutation m = mutate(avi, seed);
        Clip c = check("f.avi", m, ClipException.class, ClipReader::read, 8);
        if (c != null && m.truncated()) {
            assertThat(c.data().data).isEqualTo(clip.data().data);
        }
    }

    @Property(tries = 60, seed = "20261206", edgeCases = EdgeCasesMode.NONE)
    void mat(@ForAll long seed) throws IOException {
        Mutation m = mutate(mat, seed);
        Clip c = check("f.mat", m, ClipException.class, ClipReader::read, 8);
        if (c != null && m.truncated()) {
            assertThat(c.data().data).isEqualTo(clip.data().data);
        }
    }

    @Property(tries = 60, seed = "20261206", edgeCases = EdgeCasesMode.NONE)
    void compressedMat(@ForAll long seed) throws IOException {
        Mutation m = mutate(matCompressed, seed);
        Clip c = check("fz.mat", m, ClipException.class, ClipReader::read, 0);
        if (c != null && m.truncated()) {
            assertThat(c.data().data).isEqualTo(clip.data().data);
        }
    }

    @Property(tries = 60, seed = "20261206", edgeCases = EdgeCasesMode.NONE)
    void pngFolder(@ForAll long seed) throws IOException {
        Path folder = Files.createDirectories(dir.resolve("pngs-" + seed));
        Files.write(folder.resolve("f1.png"), png);
        Mutation m = mutate(png, seed);
        Clip c = check("pngs-" + seed + "/f2.png", m, ClipException.class, ClipReader::read, 0);
        if (c != null && m.truncated()) {
            assertThat(c.data().data).isEqualTo(pngClip.data().data);
        }
    }

    @Property(tries = 60, seed = "20261206", edgeCases = EdgeCasesMode.NONE)
    void pgmFolder(@ForAll long seed) throws IOException {
        Mutation m = mutate(pgm, seed);
        check("pgm-" + seed + "/f1.pgm", m, ClipException.class, ClipReader::read, 8);
    }

    @Property(tries = 60, seed = "20261206", edgeCases = EdgeCasesMode.NONE)
    void idx(@ForAll long seed) throws IOException {
        Mutation m = mutate(idx, seed);
        Object images = check("images-idx3-ubyte", m, IdxFormatException.class, IdxReader::readImages, 1);
        if (images != null && m.truncated()) {
            fail("a truncated IDX file was read");
        }
    }

    @Property(tries = 60, seed = "20261206", edgeCases = EdgeCasesMode.NONE)
    void gzipIdx(@ForAll long seed) throws IOException {
        check("images-idx3-ubyte.gz", mutate(idxGz, seed), IdxFormatException.class, IdxReader::readImages, 0);
    }

    @Property(tries = 80, seed = "20261206", edgeCases = EdgeCasesMode.NONE)
    void matpowerCase(@ForAll long seed) throws IOException {
        Mutation m = mutate(matpower, seed);
        MatpowerCase c = check("case.m", m, MatrixIOException.class, MatpowerReader::read, 8);
        if (c != null && m.truncated()) {
            assertThat(c.bus()).hasSize(2);
            assertThat(c.gen()).hasSize(2);
            assertThat(c.gencost()).hasSize(2);
        }
    }

    /** Headers that claim far more than the file holds are refused before anything of that size is allocated. */
    @Property(tries = 40, seed = "20261206", edgeCases = EdgeCasesMode.NONE)
    void headerClaimsBeyondTheFileAreRefusedWithoutAllocating(@ForAll @net.jqwik.api.constraints.IntRange(min = 100,
            max = 46000) int n) throws IOException {
        String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + n + ", " + n + "), }";
        byte[] head = (dict + " ".repeat(118 - dict.length() - 1) + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] file = new byte[10 + head.length + 2400];
        file[0] = (byte) 0x93;
        System.arraycopy("NUMPY".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, file, 1, 5);
        file[6] = 1;
        file[8] = (byte) head.length;
        System.arraycopy(head, 0, file, 10, head.length);
        check("claim.npy", new Mutation(file, false), MatrixIOException.class, path -> {
            MatrixIO.read(path);
            return fail("a %dx%d claim in %d bytes was read", n, n, file.length);
        }, 1);
        byte[] mtx = ("%%MatrixMarket matrix array real general\n" + n + " " + n + "\n" + "1\n".repeat(1000))
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        check("claim.mtx", new Mutation(mtx, false), MatrixIOException.class, path -> {
            MatrixIO.read(path);
            return fail("a %dx%d claim in %d bytes was read", n, n, mtx.length);
        }, 1);
        byte[] frames = new byte[10 + head.length + 2400];
        System.arraycopy(file, 0, frames, 0, 10);
        String fdict = "{'descr': '|u1', 'fortran_order': False, 'shape': (" + n + ", " + n + ", 10), }";
        byte[] fhead = (fdict + " ".repeat(118 - fdict.length() - 1) + "\n").getBytes(
                java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(fhead, 0, frames, 10, fhead.length);
        check("claim-frames.npy", new Mutation(frames, false), ClipException.class, path -> {
            ClipReader.read(path);
            return fail("a %dx%dx10 clip claim in %d bytes was read", n, n, frames.length);
        }, 1);
    }

    private static byte[] idxImages(int count, int side) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream o = new DataOutputStream(b);
        o.writeInt(0x803);
        o.writeInt(count);
        o.writeInt(side);
        o.writeInt(side);
        for (int i = 0; i < count * side * side; i++) {
            o.writeByte(i * 7);
        }
        return b.toByteArray();
    }

    private static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(b)) {
            g.write(raw);
        }
        return b.toByteArray();
    }
}
