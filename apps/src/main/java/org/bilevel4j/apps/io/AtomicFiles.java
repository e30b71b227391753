package org.bilevel4j.apps.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file so that a reader sees either the old content or the whole new content, never half
 * a file: the bytes go to a hidden temporary file in the target's folder, which is flushed to disk
 * and then renamed over the target with {@link StandardCopyOption#ATOMIC_MOVE}. On any failure the
 * temporary file is deleted and the target is left as it was.
 *
 * <p>The temporary file is created with the process's default permissions (not the owner-only
 * permissions of {@link Files#createTempFile}), so the result has the permissions of any other
 * new file.
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    /** Writes the content of a file to a stream. */
    @FunctionalInterface
    public interface Content {
        /**
         * Writes everything to {@code out} (buffered; do not close it).
         *
         * @param out the stream to the temporary file
         * @throws IOException when writing fails; {@link AtomicFiles#write} then leaves the target unchanged
         */
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code target} atomically, creating its folder if needed: the content goes to a temporary
     * sibling ({@link #temporarySibling} with tag {@code tmp}), which is forced to disk and then moved onto
     * the target with {@code ATOMIC_MOVE}; on any failure the temporary file is deleted.
     *
     * @param target the file to write
     * @param content what to write
     * @throws IOException if the folder cannot be created, the content fails, or the move fails;
     *     the target is then unchanged
     */
    public static void write(Path target, Content content) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        Path tmp = temporarySibling(abs, "tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream os = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
                content.writeTo(os);
                os.flush();
                ch.force(true);
            }
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException | Error e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * @param target the file the temporary path stands beside
     * @param tag a word naming the use, put in the name
     * @return a hidden path in the same folder as {@code target}, {@code .<name>.<tag>-<random hex>}
     *     (48 random bits: not yet existing with high probability; not checked here, and
     *     {@link #write} opens it with {@code CREATE_NEW})
     */
    public static Path temporarySibling(Path target, String tag) {
        Path abs = target.toAbsolutePath();
        byte[] r = new byte[6];
        ThreadLocalRandom.current().nextBytes(r);
        String name = abs.getFileName() == null ? "root" : abs.getFileName().toString();
        return abs.resolveSibling("." + name + "." + tag + "-" + HexFormat.of().formatHex(r));
    }
}
