package org.bilevel4j.apps.cleaning;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the tests find shared/data: BILEVEL4J_DATA, else ../shared/data from the working directory
 * (the checkout root), else ../../shared/data (surefire runs in the module folder).
 */
final class TestData {

    private TestData() {
    }

    static Optional<Path> folder(String name) {
        String env = System.getenv("BILEVEL4J_DATA");
        Path[] roots = env != null && !env.isBlank()
                ? new Path[] {Path.of(env)}
                : new Path[] {Path.of("..", "shared", "data"), Path.of("..", "..", "shared", "data")};
        for (Path r : roots) {
            Path p = r.resolve(name);
            if (Files.isRegularFile(p.resolve("t10k-images-idx3-ubyte.gz"))) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
