package org.bilevel4j.apps.video;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the shared real-data folder ({@code shared/data} beside the checkout).
 *
 * <p>Order: the environment variable {@code BILEVEL4J_DATA} when set (and a folder); otherwise
 * {@code shared/data} in the working directory or any of its parents, which covers both
 * {@code ../shared/data} from the repository root and {@code ../../shared/data} from a module
 * directory, where Maven's surefire runs the tests.
 */
public final class DataPaths {

    private DataPaths() {
    }

    /** @return the data folder, or empty when none is found */
    public static Optional<Path> dataRoot() {
        String env = System.getenv("BILEVEL4J_DATA");
        if (env != null && !env.isBlank()) {
            Path p = Path.of(env);
            return Files.isDirectory(p) ? Optional.of(p) : Optional.empty();
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path p = dir.resolve("shared").resolve("data");
            if (Files.isDirectory(p)) {
                return Optional.of(p);
            }
            dir = dir.getParent();
        }
        return Optional.empty();
    }

    /** @return {@code dataRoot()/relative} when that exists */
    public static Optional<Path> find(String relative) {
        return dataRoot().map(r -> r.resolve(relative)).filter(Files::exists);
    }
}
