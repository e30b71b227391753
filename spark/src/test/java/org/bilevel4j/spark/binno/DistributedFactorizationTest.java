package org.bilevel4j.spark.binno;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.bilevel4j.function.NormL1;
import org.bilevel4j.function.NuclearNorm;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/** The checks of {@link DistributedFactorization#of} on its row blocks. */
class DistributedFactorizationTest {

    private static DistributedFactorization of(List<RowBlock> blocks, int rank) {
        JavaSparkContext sc = SparkBinnoTest.sc();
        return DistributedFactorization.of(sc.parallelize(blocks, blocks.size()), rank, 0.1, new NormL1(0.1), 0.1,
                new NuclearNorm(0.1));
    }

    private static DMatrixRMaj filled(int rows, int cols, double v) {
        DMatrixRMaj a = new DMatrixRMaj(rows, cols);
        java.util.Arrays.fill(a.data, v);
        return a;
    }

    @Test
    void acceptsTilingBlocksAndSumsTheSquares() {
        DistributedFactorization p = of(List.of(new RowBlock(0, filled(2, 3, 1.0)), new RowBlock(2, filled(4, 3, 2.0))),
                2);
        assertThat(p.rows()).isEqualTo(6);
        assertThat(p.cols()).isEqualTo(3);
        assertThat(p.partitions()).isEqualTo(2);
        assertThat(p.normSqData()).isEqualTo(2 * 3 * 1.0 + 4 * 3 * 4.0);
        assertThat(p.exactValues()).isTrue();
    }

    @Test
    void rejectsGapsColumnMismatchNonFiniteEntriesAndBadRanks() {
        assertThatThrownBy(() -> of(List.of(new RowBlock(0, filled(2, 3, 1)), new RowBlock(3, filled(2, 3, 1))), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("starts at row 3, expected 2");
        assertThatThrownBy(() -> of(List.of(new RowBlock(0, filled(2, 3, 1)), new RowBlock(2, filled(2, 4, 1))), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has 4 columns, the others 3");
        DMatrixRMaj bad = filled(2, 3, 1);
        bad.set(1, 2, Double.NaN);
        assertThatThrownBy(() -> of(List.of(new RowBlock(0, filled(2, 3, 1)), new RowBlock(2, bad)), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-finite entry in row 4");
        assertThatThrownBy(() -> of(List.of(new RowBlock(0, filled(2, 3, 1)), new RowBlock(2, filled(2, 3, 1))), 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 1 and min(m, n) = 3");
    }
}
