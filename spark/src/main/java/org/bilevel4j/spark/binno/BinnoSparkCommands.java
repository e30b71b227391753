package org.bilevel4j.spark.binno;

import java.util.List;
import org.bilevel4j.cli.CommandProvider;

/** Adds {@code factorize-spark} and {@code bench-spark} to the {@code bilevel4j} command line when the spark jar is present. */
public final class BinnoSparkCommands implements CommandProvider {

    @Override
    public List<Object> commands() {
        return List.of(new FactorizeSparkCommand(), new BenchSparkCommand());
    }
}
