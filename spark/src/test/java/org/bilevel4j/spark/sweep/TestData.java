package org.bilevel4j.spark.sweep;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.bilevel4j.apps.video.Clip;
import org.bilevel4j.spark.SparkSessions;

/** The one Spark session of the test JVM and small inputs. */
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

    /** Writes the clip as a uint8 (frames, height, width) .npy. */
    static void writeNpy(Clip c, Path file) throws Exception {
        String dict = "{'descr': '|u1', 'fortran_order': False, 'shape': (" + c.frames() + ", " + c.height() + ", "
                + c.width() + "), }";
        StringBuilder h = new StringBuilder(dict);
        while ((10 + h.length() + 1) % 64 != 0) {
            h.append(' ');
        }
        h.append('\n');
        byte[] head = h.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] data = new byte[10 + head.length + c.pixels() * c.frames()];
        data[0] = (byte) 0x93;
        System.arraycopy("NUMPY".getBytes(StandardCharsets.US_ASCII), 0, data, 1, 5);
        data[6] = 1;
        data[8] = (byte) (head.length & 0xFF);
        data[9] = (byte) (head.length >> 8);
        System.arraycopy(head, 0, data, 10, head.length);
        int off = 10 + head.length;
        for (int t = 0; t < c.frames(); t++) {
            for (int p = 0; p < c.pixels(); p++) {
                data[off++] = (byte) Math.round(255 * c.data().get(p, t));
            }
        }
        Files.write(file, data);
    }
}
