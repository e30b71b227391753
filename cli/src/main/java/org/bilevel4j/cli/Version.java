package org.bilevel4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The version of bilevel4j, from the resource that Maven filters when it builds the cli module. */
public final class Version implements IVersionProvider {

    private static final String RESOURCE = "/org/bilevel4j/cli/version.properties";
    private static final String VERSION = load();

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "unknown").strip();
            return v.contains("${") ? "unknown (unfiltered build)" : v;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the version, for example {@code 0.1.0-SNAPSHOT} */
    public static String get() {
        return VERSION;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"bilevel4j " + VERSION,
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
    }
}
