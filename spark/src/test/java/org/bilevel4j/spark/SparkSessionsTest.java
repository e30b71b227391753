package org.bilevel4j.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class SparkSessionsTest {

    @Test
    void localSessionRunsAJobOnTwoThreads() {
        SparkSession spark = SparkSessions.open("local[2]", "bilevel4j-test");
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        assertThat(sc.master()).isEqualTo("local[2]");
        long sumOfSquares = sc.parallelize(List.of(1L, 2L, 3L, 4L), 2).map(v -> v * v).reduce(Long::sum);
        assertThat(sumOfSquares).isEqualTo(30L);
    }

    @Test
    void blankMasterIsRejectedWithTheAccepted() {
        assertThatThrownBy(() -> SparkSessions.open(" ", "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("local[*]");
    }
}
