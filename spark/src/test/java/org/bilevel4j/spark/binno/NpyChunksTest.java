package org.bilevel4j.spark.binno;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.bilevel4j.apps.io.MatrixIO;
import org.bilevel4j.function.NormL1;
import org.bilevel4j.function.NuclearNorm;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Row blocks stored as .npy files, read on the executors. */
class NpyChunksTest {

    @TempDir
    Path dir;

    @Test
    void readsTheBlocksInNameOrderWithTheirOffsets() throws Exception {
        SplittableRandom rnd = new SplittableRandom(3);
        DMatrixRMaj m = new DMatrixRMaj(23, 6);
        for (int i = 0; i < m.getNumElements(); i++) {
            m.data[i] = rnd.nextDouble();
        }
        int[] sizes = {7, 2, 10, 4};
        int off = 0;
        for (int k = 0; k < sizes.length; k++) {
            MatrixIO.write(dir.resolve(String.format("rows-%05d.npy", k)),
                    CommonOps_DDRM.extract(m, off, off + sizes[k], 0, 6));
            off += sizes[k];
        }
        Files.writeString(dir.resolve("README.txt"), "ignored");
        JavaRDD<RowBlock> blocks = NpyChunks.read(SparkBinnoTest.sc(), dir.toString());
        assertThat(blocks.getNumPartitions()).isEqualTo(4);
        DistributedFactorization p = DistributedFactorization.of(blocks, 3, 0.1, new NormL1(0.1), 0.1,
                new NuclearNorm(0.1));
        assertThat(p.rows()).isEqualTo(23);
        assertThat(p.cols()).isEqualTo(6);
        assertThat(p.normSqData()).isCloseTo(org.bilevel4j.linalg.MatOps.normSq(m),
                org.assertj.core.data.Offset.offset(1e-12));
        DMatrixRMaj back = new DMatrixRMaj(23, 6);
        for (RowBlock b : blocks.collect()) {
            CommonOps_DDRM.insert(b.rows(), back, b.offset(), 0);
        }
        assertThat(back.data).containsExactly(m.data);
        blocks.unpersist();
    }

    @Test
    void filesWithDifferentColumnCountsAreRejected() throws Exception {
        MatrixIO.write(dir.resolve("a.npy"), new DMatrixRMaj(3, 4));
        MatrixIO.write(dir.resolve("b.npy"), new DMatrixRMaj(2, 5));
        assertThatThrownBy(() -> NpyChunks.read(SparkBinnoTest.sc(), dir.toString()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("b.npy: 5 columns");
    }
}
