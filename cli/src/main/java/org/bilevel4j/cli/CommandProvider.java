package org.bilevel4j.cli;

import java.util.List;

/**
 * Extra subcommands contributed by a module that the default command-line jar does not contain
 * (the {@code spark} module's {@code sweep}, for example), found with {@link java.util.ServiceLoader}:
 * a module lists its implementation in {@code META-INF/services/org.bilevel4j.cli.CommandProvider}.
 * {@link Main} adds them after its own commands, in the order of {@link #order()} then class name;
 * a provided command must not reuse the name of a built-in one.
 */
public interface CommandProvider {

    /** @return picocli {@code @Command} objects, each a new instance */
    List<Object> commands();

    /** @return where this provider's commands go relative to other providers' (smaller first) */
    default int order() {
        return 0;
    }
}
