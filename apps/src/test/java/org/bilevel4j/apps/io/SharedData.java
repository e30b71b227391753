package org.bilevel4j.apps.io;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A file of shared/data for a real-data test, found as the commands find it ({@link DataPaths}:
 * BILEVEL4J_DATA, else ../shared/data beside the checkout); the test is skipped with a message
 * saying what is missing when it is absent, as on a fresh machine without the data.
 */
public final class SharedData {

    private SharedData() {
    }

    /**
     * @param relative the file's path under the data folder
     * @return the file
     */
    public static Path require(String relative) {
        Optional<Path> p = DataPaths.find(null).map(r -> r.root().resolve(relative)).filter(Files::exists);
        assumeTrue(p.isPresent(), "shared data not found (set BILEVEL4J_DATA or put shared/data beside the"
                + " checkout): skipping the test that reads " + relative);
        return p.get();
    }
}
