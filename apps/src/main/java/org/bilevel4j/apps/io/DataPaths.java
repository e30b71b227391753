package org.bilevel4j.apps.io;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the folder of real data sets (the one described by {@code ../shared/data/README.md}),
 * in this order:
 * <ol>
 *   <li>an explicit path (a command-line option), which must then exist;</li>
 *   <li>the environment variable {@value #ENV}, which must then name an existing folder;</li>
 *   <li>{@code ../shared/data} beside the working directory, or beside one of its parent
 *       folders (so that a module folder or a second checkout beside the first finds it too).</li>
 * </ol>
 * A configured place that does not exist is an error, not a reason to look further: a typo
 * should not silently pick another data set.
 */
public final class DataPaths {

    /** The environment variable that names the data folder. */
    public static final String ENV = "BILEVEL4J_DATA";

    private DataPaths() {
    }

    /** Where a data folder came from. */
    public enum Source {
        /** An explicit path given by the caller. */
        EXPLICIT,
        /** The environment variable {@value DataPaths#ENV}. */
        ENVIRONMENT,
        /** {@code ../shared/data} beside the working directory or one of its parents. */
        BESIDE_CHECKOUT
    }

    /**
     * A found data folder.
     *
     * @param root the folder (absolute, normalized)
     * @param source where it came from
     */
    public record Resolution(Path root, Source source) {
    }

    /**
     * Finds the data folder from the environment and the working directory of this process.
     *
     * @param explicit a path the user gave, or null
     * @return the folder, or empty when nothing is configured and no {@code ../shared/data} exists
     * @throws IllegalArgumentException when the explicit path or {@value #ENV} names no folder
     */
    public static Optional<Resolution> find(Path explicit) {
        return find(explicit, System.getenv(ENV), Path.of("").toAbsolutePath());
    }

    /**
     * Finds the data folder from given settings (for tests and embedding).
     *
     * @param explicit a path the user gave, or null
     * @param envValue the value of {@value #ENV}, or null (blank counts as unset)
     * @param workingDir the folder to start the {@code ../shared/data} search from
     * @return the folder and where it came from (the explicit path, else the variable, else the first
     *     {@code ../shared/data} found walking up from workingDir), or empty when there is none
     * @throws IllegalArgumentException when the explicit path or the variable names no folder
     */
    public static Optional<Resolution> find(Path explicit, String envValue, Path workingDir) {
        if (explicit != null) {
            if (!Files.isDirectory(explicit)) {
                throw new IllegalArgumentException("data folder " + explicit + " does not exist or is not a folder");
            }
            return Optional.of(new Resolution(explicit.toAbsolutePath().normalize(), Source.EXPLICIT));
        }
        if (envValue != null && !envValue.isBlank()) {
            Path p = Path.of(envValue.strip());
            if (!Files.isDirectory(p)) {
                throw new IllegalArgumentException(ENV + "=" + envValue.strip()
                        + " does not exist or is not a folder");
            }
            return Optional.of(new Resolution(p.toAbsolutePath().normalize(), Source.ENVIRONMENT));
        }
        for (Path d = workingDir.toAbsolutePath().normalize(); d != null; d = d.getParent()) {
            Path parent = d.getParent();
            if (parent == null) {
                break;
            }
            Path candidate = parent.resolve("shared").resolve("data");
            if (Files.isDirectory(candidate)) {
                return Optional.of(new Resolution(candidate.normalize(), Source.BESIDE_CHECKOUT));
            }
        }
        return Optional.empty();
    }

    /**
     * Like {@link #find(Path)}, for code that cannot run without data.
     *
     * @param explicit a path the user gave, or null
     * @return the data folder (absolute, normalized)
     * @throws IllegalArgumentException with a message that says where it looked
     */
    public static Path require(Path explicit) {
        return find(explicit).map(Resolution::root).orElseThrow(() -> new IllegalArgumentException(
                "no data folder: give its path, set " + ENV + ", or put the data in ../shared/data beside the"
                        + " checkout"));
    }
}
