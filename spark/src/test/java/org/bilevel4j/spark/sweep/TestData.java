package org.bilevel4j.spark.sweep;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.bilevel4j.spark.SparkSessions;

/** The one Spark session of the test JVM, and reading result tables back in a fixed order. */
final class TestData {

    private TestData() {
    }

    /** @return the session every Spark test of this JVM shares (local[2]) */
    static SparkSession spark() {
        return SparkSessions.open("local[2]", "bilevel4j-test");
    }

    /**
     * @return the rows sorted by the {@code run} column, sorted here rather than by Spark (an
     *     orderBy is a shuffle over spark.sql.shuffle.partitions tasks, slow for a few rows)
     */
    static List<Row> byRun(Dataset<Row> d) {
        List<Row> rows = new ArrayList<>(d.collectAsList());
        rows.sort(Comparator.comparingInt(r -> r.<Integer>getAs("run")));
        return rows;
    }
}
