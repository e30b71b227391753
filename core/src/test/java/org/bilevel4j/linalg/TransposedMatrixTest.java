package org.bilevel4j.linalg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.random.RandomGenerator;
import org.bilevel4j.testing.TestMatrices;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * {@link TransposedMatrix} against EJML's products and the residual summed from its definition, and
 * its {@code M Y^T} bit for bit against the running sum that it documents and that {@link JavaGemm}'s
 * tall-A kernel (the solvers' product without the copy) sums too.
 */
class TransposedMatrixTest {

    /** {@code P[i, k]} as one running sum of fused multiply-adds over the columns in increasing order. */
    private static DMatrixRMaj runningSums(DMatrixRMaj m, DMatrixRMaj y) {
        DMatrixRMaj p = new DMatrixRMaj(m.numRows, y.numRows);
        for (int i = 0; i < m.numRows; i++) {
            for (int k = 0; k < y.numRows; k++) {
                double s = 0;
                for (int j = 0; j < m.numCols; j++) {
                    s = JavaGemm.fma(m.get(i, j), y.get(k, j), s);
                }
                p.set(i, k, s);
            }
        }
        return p;
    }

    /**
     * Any shape: rows not a multiple of the kernels' 4 (the one-row kernels), r from 1 to 20 (the 4 x 4,
     * 4 x 2 and 4 x 1 register blocks), columns past {@link JavaGemm#THIN_KB} (the kernel's blocks of the
     * inner dimension) and not a multiple of 4 (the copy's single-column updates); both on one and on
     * several threads.
     */
    @Property(tries = 60, seed = "152")
    void productWithAndWithoutTheCopyIsTheSameRunningSum(@ForAll @IntRange(min = 1, max = 70) int rows,
            @ForAll @IntRange(min = 1, max = 1300) int cols, @ForAll @IntRange(min = 1, max = 20) int r) {
        RandomGenerator rng = TestMatrices.rng(rows * 100_003L + cols * 31L + r);
        DMatrixRMaj m = TestMatrices.gaussian(rows, cols, 1, rng);
        DMatrixRMaj y = TestMatrices.gaussian(r, cols, 1, rng);
        DMatrixRMaj expected = runningSums(m, y);
        DMatrixRMaj byCopy = new DMatrixRMaj(rows, r);
        new TransposedMatrix(m).multTransB(y, byCopy);
        assertThat(byCopy.data).as("copy by columns").containsExactly(expected.data);
        for (boolean parallel : new boolean[] {false, true}) {
            DMatrixRMaj byRows = new DMatrixRMaj(rows, r);
            JavaGemm.rowDots(1.0, m.data, rows, cols, y.data, r, 0.0, byRows.data, parallel);
            assertThat(byRows.data).as("tall-A kernel, parallel %s", parallel).containsExactly(expected.data);
        }
    }

    @Test
    void productAtSolverSizesIsTheSameWithAndWithoutTheCopy() {
        // several blocks and tasks of the copy, several tasks of the tall-A kernel, through Gemm's dispatch
        // when it runs the pure-Java kernels (a native BLAS sums in its own order)
        RandomGenerator rng = TestMatrices.rng(153);
        DMatrixRMaj m = TestMatrices.gaussian(5003, 1100, 1, rng);
        for (int r : new int[] {9, 10}) {
            DMatrixRMaj y = TestMatrices.gaussian(r, 1100, 1, rng);
            DMatrixRMaj byCopy = new DMatrixRMaj(5003, r);
            new TransposedMatrix(m).multTransB(y, byCopy);
            DMatrixRMaj byRows = new DMatrixRMaj(5003, r);
            JavaGemm.gemm(false, true, 1.0, m, y, 0.0, byRows);
            assertThat(byRows.data).as("r = %d", r).containsExactly(byCopy.data);
        }
    }

    @Test
    void smallMatricesAreAlwaysKeptAndOnesBeyondTheHeapNever() {
        assertThat(TransposedMatrix.worthKeeping(1 << 12, 1 << 12)).isTrue();
        assertThat(TransposedMatrix.worthKeeping(1, 1)).isTrue();
        long heap = Runtime.getRuntime().maxMemory();
        int rows = (int) Math.min(Integer.MAX_VALUE, heap / 8 / 1000 + 1);
        assertThat(TransposedMatrix.worthKeeping(rows, 1000)).as("a copy larger than the heap").isFalse();
        // just above the always-kept size, a copy of 128 MiB: kept only with at least 256 MiB of free heap
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - rt.totalMemory() + rt.freeMemory();
        if (free > (1L << 30)) {
            assertThat(TransposedMatrix.worthKeeping((1 << 12) + 1, 1 << 12)).isTrue();
        }
    }

    /**
     * The rule with the rank: the copy dropped exactly where the padded kernel forms M Y^T with at least 8 columns
     * (whatever the padding: 10 columns are 12 on four lanes, 16 on eight), never for a native BLAS or where the
     * kernel does not run (the small-inner kernel, small work, no module), and below 8 columns the old rule.
     */
    @Test
    void withTheRankTheCopyIsDroppedWhereThePaddedKernelFormsTheProduct() {
        boolean padded = JavaGemm.VECTOR_ROWS && !Gemm.nativeAvailable();
        for (int r : new int[] {8, 9, 10, 11, 12, 13, 16, 17, 20}) {
            assertThat(JavaGemm.paddedRowsAsFastAsCopy(76800, 500, r)).as("r = %d", r).isEqualTo(JavaGemm.VECTOR_ROWS);
            assertThat(TransposedMatrix.worthKeeping(1100, 1000, r)).as("1100 x 1000 by %d", r).isEqualTo(!padded);
            assertThat(TransposedMatrix.worthKeeping(76800, 500, r)).as("76800 x 500 by %d", r)
                    .isEqualTo(!padded && TransposedMatrix.worthKeeping(76800, 500));
        }
        for (int r : new int[] {1, 5, 7}) {
            assertThat(JavaGemm.paddedRowsAsFastAsCopy(76800, 500, r)).as("r = %d: fewer than 8 columns", r).isFalse();
            assertThat(TransposedMatrix.worthKeeping(20800, 198, r)).as("r = %d", r).isTrue();
        }
        assertThat(TransposedMatrix.worthKeeping(20800, 198, 8)).as("8 columns").isEqualTo(!padded);
        assertThat(TransposedMatrix.worthKeeping(20800, 198, 9)).as("9 columns, the escalator clip").isEqualTo(!padded);
        assertThat(TransposedMatrix.worthKeeping(2304, 51, 9)).as("51 columns: the small-inner kernel").isTrue();
        assertThat(TransposedMatrix.worthKeeping(2304, 100, 9)).as("2 million multiply-adds").isTrue();
        assertThat(TransposedMatrix.worthKeeping(20800, 198, 0)).isTrue();
        // where the padded kernel does not serve, the old rule: a copy larger than the heap is not kept
        long heap = Runtime.getRuntime().maxMemory();
        int rows = (int) Math.min(Integer.MAX_VALUE, heap / 8 / 1000 + 1);
        assertThat(TransposedMatrix.worthKeeping(rows, 1000, 5)).as("r = 5, a copy larger than the heap").isFalse();
    }

    @Test
    void productAndResidualMatchTheirDefinitions() {
        RandomGenerator rng = TestMatrices.rng(151);
        // one chunk, several chunks with a remainder, columns not a multiple of 4, odd and even r
        // (2047 rows: one short of two blocks)
        int[][] shapes = {{100, 80, 5}, {9000, 13, 9}, {4096, 7, 2}, {5000, 4, 1}, {3, 50, 3}, {2047, 5, 3}};
        for (int[] sh : shapes) {
            DMatrixRMaj m = TestMatrices.gaussian(sh[0], sh[1], 1, rng);
            DMatrixRMaj x = TestMatrices.gaussian(sh[0], sh[2], 1, rng);
            DMatrixRMaj y = TestMatrices.gaussian(sh[2], sh[1], 1, rng);
            TransposedMatrix t = new TransposedMatrix(m);
            assertThat(t.rows()).isEqualTo(sh[0]);
            assertThat(t.columns()).isEqualTo(sh[1]);
            DMatrixRMaj expected = new DMatrixRMaj(sh[0], sh[2]);
            CommonOps_DDRM.multTransB(m, y, expected);
            DMatrixRMaj p = new DMatrixRMaj(sh[0], sh[2]);
            t.multTransB(y, p);
            double tol = 1e-12 * (1 + sh[1]);
            assertThat(TestMatrices.maxAbsDifference(p, expected)).as("M Y^T, %dx%d r=%d", sh[0], sh[1], sh[2])
                    .isLessThan(tol);
            DMatrixRMaj p2 = new DMatrixRMaj(sh[0], sh[2]);
            double ss = t.multTransBAndResidual(x, y, p2);
            assertThat(p2.data).as("the same P with the residual").containsExactly(p.data);
            DMatrixRMaj xy = new DMatrixRMaj(sh[0], sh[1]);
            CommonOps_DDRM.mult(x, y, xy);
            double ref = 0;
            for (int i = 0; i < xy.data.length; i++) {
                double d = m.data[i] - xy.data[i];
                ref += d * d;
            }
            assertThat(ss).as("||M - XY||^2").isCloseTo(ref, org.assertj.core.api.Assertions.within(1e-12 * ref));
        }
    }

    @Test
    void shapesAreChecked() {
        TransposedMatrix t = new TransposedMatrix(new DMatrixRMaj(10, 6));
        assertThatThrownBy(() -> t.multTransB(new DMatrixRMaj(2, 5), new DMatrixRMaj(10, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shapes do not match");
        assertThatThrownBy(() -> t.multTransBAndResidual(new DMatrixRMaj(9, 2), new DMatrixRMaj(2, 6),
                new DMatrixRMaj(10, 2))).isInstanceOf(IllegalArgumentException.class);
    }
}
