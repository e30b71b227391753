package org.bilevel4j.cli;

import java.util.ServiceLoader;
import org.bilevel4j.apps.video.BinnoRunner;

/**
 * The hook through which {@code --spark MASTER} reaches Apache Spark: the spark module implements
 * it and lists the implementation in {@code META-INF/services/org.bilevel4j.cli.SparkBackend}. The
 * default command-line jar has none, and {@link #binno} then fails with one line that says to use the
 * launcher.
 */
public interface SparkBackend {

    /**
     * @param master a Spark master URL ({@code local[*]}, {@code spark://host:7077}, {@code yarn}) or
     *     {@code submit} for the one spark-submit set
     * @return a runner of the video experiment's BINNO on that master
     */
    BinnoRunner videoBinno(String master);

    /**
     * @return the first backend on the class path's runner for {@code master}
     * @throws InputException (exit code 2) when no backend is on the class path
     */
    static BinnoRunner binno(String master) {
        SparkBackend b = ServiceLoader.load(SparkBackend.class).findFirst().orElseThrow(() -> new InputException(
                "--spark needs the Spark jar: run it through the ./bilevel4j launcher (which uses"
                        + " spark-local/target/bilevel4j-spark-local.jar) or spark-submit with"
                        + " bilevel4j-spark-submit.jar"));
        return b.videoBinno(master);
    }
}
