package org.bilevel4j.cli;

import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A command's own defaults for the shared options of {@link RunOptions} (a picocli default value
 * provider: it takes precedence over the mixin's annotated default, and {@code ${DEFAULT-VALUE}} in
 * the help shows it). Subclasses pass pairs of option name and default.
 */
abstract class OptionDefaults implements IDefaultValueProvider {

    private final Map<String, String> defaults = new HashMap<>();

    /** @param pairs option name, default, option name, default, ... */
    OptionDefaults(String... pairs) {
        if (pairs.length % 2 != 0) {
            throw new IllegalArgumentException("pairs of option name and default expected");
        }
        for (int i = 0; i < pairs.length; i += 2) {
            defaults.put(pairs[i], pairs[i + 1]);
        }
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        return arg instanceof OptionSpec o ? defaults.get(o.longestName()) : null;
    }
}
