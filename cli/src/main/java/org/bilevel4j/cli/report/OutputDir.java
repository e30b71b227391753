package org.bilevel4j.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bilevel4j.apps.io.AtomicFiles;
import org.bilevel4j.cli.InputException;

/**
 * The report folder of one run ({@code --out}), built so that a failed run leaves no partial report.
 *
 * <p>Files are written into a hidden staging folder beside {@code --out} (in the same parent, so
 * the final move is a rename), created only when the first file is asked for, after the inputs
 * have been validated. {@link #commit()} then puts them in place:
 * <ul>
 *   <li>{@code --out} missing or empty: the staging folder is renamed to {@code --out} in one
 *       atomic move.</li>
 *   <li>{@code --out} holds an earlier report and nothing else (its {@code report.json} says
 *       {@code "tool": "bilevel4j"} and lists every other entry in {@code files}): the old folder is renamed aside, the new one renamed into place, and
 *       the old one deleted. So re-running a command with the same {@code --out} works.</li>
 *   <li>{@code --out} holds anything else: refused before any work with an
 *       {@link InputException}, unless {@code force}; then it is replaced as a whole, like an
 *       earlier report (the user's files in it go with it: that is what {@code --force} asks).</li>
 * </ul>
 * Any failure of the swap leaves the earlier folder in place, whole. {@code --out} may not be the
 * working directory, the home folder or a folder above either (they are never replaced).
 * {@link #close()} without a commit deletes the staging folder; a shutdown hook does the same
 * when the process is interrupted. Staging folders of runs that were killed (hidden siblings
 * {@code .NAME.partial-*}, and {@code .NAME.old-*} beside an existing {@code --out}) older than
 * {@link #STALE_AFTER} are removed by the next run into the same {@code --out}.
 */
public final class OutputDir implements AutoCloseable {

    /** The name of the report file whose {@code files} list marks a folder as an earlier report. */
    public static final String REPORT_JSON = "report.json";

    /** The value of the {@code tool} field of every report this program writes. */
    public static final String TOOL = "bilevel4j";

    /** The age after which a staging folder left by a killed run is removed. */
    public static final Duration STALE_AFTER = Duration.ofDays(1);

    private final Path out;
    private final Path target;
    private final boolean force;
    private final Set<String> files = new LinkedHashSet<>();
    private Path staging;
    /** The earlier folder while it is renamed aside during the swap, else null. */
    private volatile Path aside;
    private Thread cleanup;
    private boolean committed;
    /** Runs between the two renames of the swap (a seam for tests of an interrupted swap). */
    Runnable betweenRenames = () -> { };

    private OutputDir(Path out, boolean force) {
        this.out = out;
        this.target = out.toAbsolutePath().normalize();
        this.force = force;
    }

    /**
     * Checks that {@code --out} can receive a report, without creating anything.
     *
     * @param out the folder as the user gave it
     * @param force whether a non-empty folder that is not an earlier report may be written into
     * @throws InputException if {@code out} is a file, is not empty (without force), or cannot be
     *     created
     */
    public static OutputDir prepare(Path out, boolean force) {
        OutputDir d = new OutputDir(out, force);
        Path t = d.target;
        if (t.getParent() == null) {
            throw new InputException("--out " + out + " cannot be the root folder");
        }
        if (Files.exists(t) && !Files.isDirectory(t)) {
            throw new InputException("--out " + out + " is a file, not a folder");
        }
        if (Files.isDirectory(t) && !isEmpty(t)) {
            refuseProtected(out, t);
            if (!isEarlierReport(t) && !force) {
                throw new InputException("--out " + out + " is not empty and holds no earlier bilevel4j report"
                        + " (use --force to replace the whole folder, or choose another --out)");
            }
            if (!Files.isWritable(t)) {
                throw new InputException("--out " + out + " is not writable");
            }
        }
        Path existing = t.getParent();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing)) {
            throw new InputException("--out " + out + " cannot be created: " + existing + " is not a folder");
        }
        if (!Files.isWritable(existing)) {
            throw new InputException("--out " + out + " cannot be " + (existing.equals(t.getParent())
                    && Files.exists(t) ? "replaced: its folder " : "created: ") + existing + " is not writable");
        }
        removeStale(t);
        return d;
    }

    /** @return the folder as the user gave it */
    public Path out() {
        return out;
    }

    /**
     * Reserves a file of the report and returns where to write it (in the staging folder), creating
     * the staging folder on first use.
     *
     * @param name a plain file name, no folders
     * @throws IllegalArgumentException for a name with a folder part or a name used twice
     * @throws UncheckedIOException if the staging folder cannot be created
     */
    public Path file(String name) {
        if (committed) {
            throw new IllegalStateException("the report has been committed");
        }
        if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.equals(".") || name.equals("..")
                || name.startsWith(".")) {
            throw new IllegalArgumentException("not a plain file name: '" + name + "'");
        }
        if (!files.add(name)) {
            throw new IllegalArgumentException("file '" + name + "' is already part of the report");
        }
        return staging().resolve(name);
    }

    /** @return the names reserved so far, in order */
    public List<String> files() {
        return Collections.unmodifiableList(new ArrayList<>(files));
    }

    private Path staging() {
        if (staging == null) {
            try {
                Files.createDirectories(target.getParent());
                Path s = AtomicFiles.temporarySibling(target, "partial");
                Files.createDirectory(s);
                staging = s;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a folder beside --out " + out + ": " + e, e);
            }
            cleanup = new Thread(this::onShutdown, "bilevel4j-cleanup");
            Runtime.getRuntime().addShutdownHook(cleanup);
        }
        return staging;
    }

    /**
     * Puts the report in place (see the class comment).
     *
     * @return the report folder as the user gave it
     * @throws IOException if a move fails; the staging folder is then deleted by {@link #close()}
     */
    public Path commit() throws IOException {
        if (committed) {
            return out;
        }
        Path s = staging();
        if (!Files.exists(target)) {
            Files.move(s, target, StandardCopyOption.ATOMIC_MOVE);
        } else if (isEmpty(target)) {
            Files.delete(target);
            Files.move(s, target, StandardCopyOption.ATOMIC_MOVE);
        } else if (isEarlierReport(target) || force) {
            Path old = AtomicFiles.temporarySibling(target, "old");
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            aside = old; // a shutdown now moves it back (see the cleanup hook)
            betweenRenames.run();
            try {
                Files.move(s, target, StandardCopyOption.ATOMIC_MOVE);
                aside = null;
            } catch (IOException | RuntimeException e) {
                aside = null;
                try {
                    Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException back) {
                    e.addSuppressed(back);
                    throw new IOException("cannot move the new report into --out " + out + " (" + e.getMessage()
                            + "), and the earlier one could not be moved back from " + old, e);
                }
                throw e;
            }
            deleteQuietly(old);
        } else {
            throw new InputException("--out " + out + " was filled by someone else during the run; the report"
                    + " was not written");
        }
        committed = true;
        removeHook();
        return out;
    }

    /**
     * The shutdown hook (Ctrl-C, SIGTERM): puts an earlier folder that the swap had renamed aside
     * back in place if the new one is not there yet, and deletes the staging folder.
     */
    void onShutdown() {
        Path old = aside;
        if (old != null && !Files.exists(target)) {
            try {
                Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                // the earlier report stays whole in its hidden folder beside --out
            }
        }
        deleteQuietly(staging);
    }

    /** Deletes the staging folder unless the report was committed. */
    @Override
    public void close() {
        if (!committed && staging != null) {
            deleteQuietly(staging);
        }
        removeHook();
    }

    private void removeHook() {
        if (cleanup != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException e) {
                // shutting down: the hook runs anyway
            }
            cleanup = null;
        }
    }

    /**
     * Refuses to replace the working directory, the home folder or a folder above either.
     *
     * @throws InputException if {@code t} is one of them
     */
    private static void refuseProtected(Path out, Path t) {
        for (String prop : new String[] {"user.dir", "user.home"}) {
            String v = System.getProperty(prop);
            if (v == null) {
                continue;
            }
            Path p = Path.of(v).toAbsolutePath().normalize();
            if (p.startsWith(t)) {
                throw new InputException("--out " + out + " is " + (p.equals(t) ? "" : "above ")
                        + (prop.equals("user.dir") ? "the working directory" : "the home folder")
                        + "; give a folder of its own for the report");
            }
        }
    }

    /**
     * Removes the staging folders that killed runs into {@code target} left beside it: hidden
     * {@code .NAME.partial-*} folders older than {@link #STALE_AFTER}, and {@code .NAME.old-*}
     * folders of that age when {@code target} exists (the swap finished; otherwise the old folder
     * is the only copy of the earlier report and is kept).
     *
     * @return the number of folders removed
     */
    static int removeStale(Path target) {
        Path parent = target.getParent();
        if (parent == null || target.getFileName() == null || !Files.isDirectory(parent)) {
            return 0;
        }
        String name = "." + target.getFileName();
        Instant cutoff = Instant.now().minus(STALE_AFTER);
        int removed = 0;
        try (DirectoryStream<Path> st = Files.newDirectoryStream(parent, p -> {
            String n = p.getFileName().toString();
            return n.startsWith(name + ".partial-") || (n.startsWith(name + ".old-") && Files.isDirectory(target));
        })) {
            for (Path p : st) {
                try {
                    if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                            && Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)) {
                        deleteQuietly(p);
                        removed++;
                    }
                } catch (IOException e) {
                    // best effort: the next run tries again
                }
            }
        } catch (IOException e) {
            // best effort
        }
        return removed;
    }

    static boolean isEmpty(Path dir) {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            return !s.iterator().hasNext();
        } catch (IOException e) {
            throw new InputException("--out " + dir + " cannot be listed: " + e.getMessage(), e);
        }
    }

    /**
     * @return whether {@code dir} holds a {@code report.json} whose {@code files} list names every
     *     other entry of the folder (so replacing the folder loses nothing but an earlier report)
     */
    static boolean isEarlierReport(Path dir) {
        Path json = dir.resolve(REPORT_JSON);
        if (!Files.isRegularFile(json)) {
            return false;
        }
        Set<String> listed = new HashSet<>();
        try {
            JsonNode root = new ObjectMapper().readTree(json.toFile());
            if (root == null || !TOOL.equals(root.path("tool").asText())) {
                return false;
            }
            JsonNode list = root.get("files");
            if (list == null || !list.isArray()) {
                return false;
            }
            list.forEach(n -> listed.add(n.asText()));
            listed.add(REPORT_JSON);
            try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
                for (Path p : s) {
                    if (!listed.contains(p.getFileName().toString()) || !Files.isRegularFile(p)) {
                        return false;
                    }
                }
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    static void deleteQuietly(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // best effort: a leftover hidden folder is harmless
        }
    }
}
