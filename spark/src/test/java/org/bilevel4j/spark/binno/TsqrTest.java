package org.bilevel4j.spark.binno;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.bilevel4j.function.NuclearNorm;
import org.bilevel4j.linalg.MatOps;
import org.bilevel4j.linalg.ThinSvd;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

/** TSQR merges and the nuclear-norm prox map against the single-machine decompositions. */
class TsqrTest {

    private static DMatrixRMaj random(int rows, int cols, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        DMatrixRMaj a = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < a.getNumElements(); i++) {
            a.data[i] = rnd.nextDouble(-1, 1);
        }
        return a;
    }

    /** Z = A diag(10^-k) B: condition number about 1e8, so a Gram-matrix method would lose 16 digits. */
    private static DMatrixRMaj illConditioned(int rows, int cols, long seed) {
        DMatrixRMaj q = ThinSvd.of(random(rows, cols, seed)).u();
        DMatrixRMaj v = ThinSvd.of(random(cols, cols, seed + 1)).u();
        DMatrixRMaj s = new DMatrixRMaj(cols, cols);
        for (int i = 0; i < cols; i++) {
            s.set(i, i, Math.pow(10, -8.0 * i / (cols - 1)));
        }
        DMatrixRMaj qs = new DMatrixRMaj(rows, cols);
        CommonOps_DDRM.mult(q, s, qs);
        DMatrixRMaj z = new DMatrixRMaj(rows, cols);
        CommonOps_DDRM.multTransB(qs, v, z);
        return z;
    }

    private static List<DMatrixRMaj> rowBlocks(DMatrixRMaj z, int[] sizes) {
        List<DMatrixRMaj> out = new ArrayList<>();
        int off = 0;
        for (int k : sizes) {
            out.add(CommonOps_DDRM.extract(z, off, off + k, 0, z.numCols));
            off += k;
        }
        return out;
    }

    /** Pairwise tree: merge neighbours level by level. */
    private static DMatrixRMaj tree(List<DMatrixRMaj> blocks) {
        List<DMatrixRMaj> level = new ArrayList<>();
        for (DMatrixRMaj b : blocks) {
            level.add(Tsqr.r(b));
        }
        while (level.size() > 1) {
            List<DMatrixRMaj> next = new ArrayList<>();
            for (int i = 0; i < level.size(); i += 2) {
                next.add(i + 1 < level.size() ? Tsqr.merge(level.get(i), level.get(i + 1)) : level.get(i));
            }
            level = next;
        }
        return level.get(0);
    }

    @Test
    void treeReducedRGivesTheGramMatrixAndTheSingularValuesOfZ() {
        int[] sizes = {40, 3, 1, 77, 19, 60};
        DMatrixRMaj z = illConditioned(200, 6, 3);
        DMatrixRMaj r = tree(rowBlocks(z, sizes));
        assertThat(r.numRows).isEqualTo(6);
        DMatrixRMaj rtr = new DMatrixRMaj(6, 6);
        CommonOps_DDRM.multTransA(r, r, rtr);
        DMatrixRMaj ztz = new DMatrixRMaj(6, 6);
        CommonOps_DDRM.multTransA(z, z, ztz);
        assertThat(MatOps.distance(rtr, ztz)).isLessThan(1e-14 * Math.sqrt(MatOps.normSq(ztz)));
        // R is upper triangular
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < i; j++) {
                assertThat(r.get(i, j)).isEqualTo(0.0);
            }
        }
        double[] want = ThinSvd.singularValues(z);
        double[] got = NuclearProxMap.singularValues(r);
        assertThat(got).hasSize(6);
        for (int i = 0; i < 6; i++) {
            // relative accuracy of each singular value, also the smallest (1e-8 of the largest)
            assertThat(Math.abs(got[i] - want[i]) / want[i]).as("sigma_%d", i).isLessThan(1e-7);
            assertThat(Math.abs(got[i] - want[i])).isLessThan(1e-14 * want[0]);
        }
        assertThat(want[5] / want[0]).isLessThan(2e-8);
    }

    @Test
    void blocksWithFewerRowsThanColumnsGiveTrapezoidalFactorsThatMerge() {
        DMatrixRMaj z = random(7, 5, 9);
        DMatrixRMaj r2 = Tsqr.r(CommonOps_DDRM.extract(z, 0, 2, 0, 5));
        assertThat(r2.numRows).isEqualTo(2);
        assertThat(r2.numCols).isEqualTo(5);
        DMatrixRMaj r = tree(rowBlocks(z, new int[] {2, 1, 4}));
        assertThat(r.numRows).isEqualTo(5);
        DMatrixRMaj rtr = new DMatrixRMaj(5, 5);
        CommonOps_DDRM.multTransA(r, r, rtr);
        DMatrixRMaj ztz = new DMatrixRMaj(5, 5);
        CommonOps_DDRM.multTransA(z, z, ztz);
        assertThat(MatOps.distance(rtr, ztz)).isLessThan(1e-14 * Math.sqrt(MatOps.normSq(ztz)));
        assertThat(Tsqr.merge(null, r2)).isSameAs(r2);
        assertThat(Tsqr.r(new DMatrixRMaj(0, 5))).isNull();
    }

    @Test
    void nonFiniteBlocksGiveNaNThatSpreadsThroughMerges() {
        DMatrixRMaj bad = random(4, 3, 1);
        bad.set(2, 1, Double.NaN);
        DMatrixRMaj r = Tsqr.merge(Tsqr.r(random(5, 3, 2)), Tsqr.r(bad));
        assertThat(Tsqr.finite(r)).isFalse();
    }

    @Test
    void sparkTreeReduceOfUnequalPartitionsMatchesThinSvd() {
        DMatrixRMaj z = illConditioned(300, 5, 21);
        JavaRDD<RowBlock> rdd = RowBlocks.split(SparkBinnoTest.sc(), z, new int[] {100, 2, 150, 4, 44});
        DMatrixRMaj r = rdd.map(b -> Tsqr.r(b.rows())).treeReduce(Tsqr::merge, 2);
        double[] want = ThinSvd.singularValues(z);
        double[] got = NuclearProxMap.singularValues(r);
        for (int i = 0; i < want.length; i++) {
            assertThat(Math.abs(got[i] - want[i])).isLessThan(1e-14 * want[0]);
        }
    }

    @Test
    void blockProxMapEqualsTheNuclearNormProx() {
        DMatrixRMaj z = illConditioned(120, 6, 5);
        CommonOps_DDRM.scale(3.0, z);
        double[] s = ThinSvd.singularValues(z);
        // threshold between the third and fourth singular values: three directions survive
        double t = 0.5;
        double gamma = 0.5 * (s[2] + s[3]) / t;
        DMatrixRMaj want = new NuclearNorm(gamma).prox(z, t);
        DMatrixRMaj w = NuclearProxMap.of(tree(rowBlocks(z, new int[] {50, 4, 66})), t * gamma);
        DMatrixRMaj got = new DMatrixRMaj(120, 6);
        int off = 0;
        for (DMatrixRMaj b : rowBlocks(z, new int[] {50, 4, 66})) {
            DMatrixRMaj part = new DMatrixRMaj(b.numRows, 6);
            CommonOps_DDRM.mult(b, w, part);
            CommonOps_DDRM.insert(part, got, off, 0);
            off += b.numRows;
        }
        assertThat(MatOps.distance(got, want)).isLessThan(1e-13 * Math.sqrt(MatOps.normSq(z)));
        assertThat(ThinSvd.singularValues(got)[3]).isLessThan(1e-13 * s[0]);
        // a threshold above every singular value gives 0, below all gives Z back
        assertThat(MatOps.normSq(NuclearProxMap.of(Tsqr.r(z), 2 * s[0]))).isEqualTo(0.0);
        DMatrixRMaj id = NuclearProxMap.of(Tsqr.r(z), 0.0);
        assertThat(MatOps.distance(id, CommonOps_DDRM.identity(6))).isLessThan(1e-12);
    }
}
