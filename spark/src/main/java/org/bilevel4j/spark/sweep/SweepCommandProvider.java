package org.bilevel4j.spark.sweep;

import java.util.List;
import org.bilevel4j.cli.CommandProvider;

/** Contributes {@code bilevel4j sweep} to the command line when the spark module is on the classpath. */
public final class SweepCommandProvider implements CommandProvider {

    @Override
    public List<Object> commands() {
        return List.of(new SweepCommand());
    }
}
