package org.bilevel4j.spark.binno;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/** Row blocks of a matrix held on the driver, parallelized one block a partition. */
public final class RowBlocks {

    private RowBlocks() {
    }

    /**
     * @param m the matrix (copied into the blocks)
     * @param rowsPerBlock the rows of each block, in order, summing to m's rows (each at least 1)
     * @return one block a partition
     */
    public static JavaRDD<RowBlock> split(JavaSparkContext sc, DMatrixRMaj m, int[] rowsPerBlock) {
        long total = 0;
        for (int k : rowsPerBlock) {
            if (k < 1) {
                throw new IllegalArgumentException("every row block needs at least one row, got " + k);
            }
            total += k;
        }
        if (total != m.numRows) {
            throw new IllegalArgumentException("row blocks cover " + total + " rows, the matrix has " + m.numRows);
        }
        List<RowBlock> list = new ArrayList<>();
        int off = 0;
        for (int k : rowsPerBlock) {
            DMatrixRMaj part = new DMatrixRMaj(k, m.numCols);
            CommonOps_DDRM.extract(m, off, off + k, 0, m.numCols, part, 0, 0);
            list.add(new RowBlock(off, part));
            off += k;
        }
        return sc.parallelize(list, list.size());
    }

    /**
     * @param partitions the number of blocks, between 1 and m's rows
     * @return m in {@code partitions} blocks of (nearly) equal size
     */
    public static JavaRDD<RowBlock> even(JavaSparkContext sc, DMatrixRMaj m, int partitions) {
        return split(sc, m, evenSizes(m.numRows, partitions));
    }

    /** @return {@code parts} block sizes as equal as possible, summing to {@code rows} */
    public static int[] evenSizes(int rows, int parts) {
        if (parts < 1 || parts > rows) {
            throw new IllegalArgumentException("need between 1 and " + rows + " blocks, got " + parts);
        }
        int[] s = new int[parts];
        for (int p = 0; p < parts; p++) {
            s[p] = (int) ((long) rows * (p + 1) / parts - (long) rows * p / parts);
        }
        return s;
    }
}
