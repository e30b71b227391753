package org.bilevel4j.solver.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.bilevel4j.linalg.Gemm;
import org.bilevel4j.linalg.MatOps;
import org.bilevel4j.problem.BlockIterate;
import org.bilevel4j.solver.Result;
import org.bilevel4j.solver.SolverOptions;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class NmfTest {

    private static DMatrixRMaj nonnegativeLowRank(int m, int n, int r, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        DMatrixRMaj w = new DMatrixRMaj(m, r);
        DMatrixRMaj h = new DMatrixRMaj(r, n);
        for (int i = 0; i < w.data.length; i++) {
            w.data[i] = rnd.nextDouble();
        }
        for (int i = 0; i < h.data.length; i++) {
            h.data[i] = rnd.nextDouble();
        }
        DMatrixRMaj out = new DMatrixRMaj(m, n);
        Gemm.mult(w, h, out);
        return out;
    }

    @Test
    void lossNeverIncreasesAndMatchesTheDirectFormula() {
        DMatrixRMaj m = nonnegativeLowRank(60, 40, 4, 1);
        Nmf nmf = new Nmf();
        Result<BlockIterate> r = nmf.solve(m, Nmf.uniformStart(60, 40, 4, 5), SolverOptions.builder()
                .maxIterations(300).build());
        double[] loss = r.trace().column("loss");
        for (int i = 1; i < loss.length; i++) {
            assertThat(loss[i]).isLessThanOrEqualTo(loss[i - 1] * (1 + 1e-12) + 1e-14);
        }
        DMatrixRMaj wh = r.solution().product();
        double direct = 0.5 * Math.pow(MatOps.distance(m, wh), 2);
        assertThat(loss[loss.length - 1]).isCloseTo(direct, org.assertj.core.data.Offset.offset(1e-9
                + 1e-8 * direct));
    }

    @Test
    void fitsAnExactNonnegativeLowRankMatrix() {
        DMatrixRMaj m = nonnegativeLowRank(60, 40, 4, 2);
        Result<BlockIterate> r = new Nmf().solve(m, Nmf.uniformStart(60, 40, 4, 6),
                SolverOptions.builder().maxIterations(3000).build());
        double rel = MatOps.distance(m, r.solution().product()) / Math.sqrt(MatOps.normSq(m));
        assertThat(rel).isLessThan(1e-2);
        for (double v : r.solution().x().data) {
            assertThat(v).isGreaterThanOrEqualTo(0);
        }
    }

    @Test
    void negativeEntriesAreCountedAndClipped() {
        DMatrixRMaj m = nonnegativeLowRank(20, 10, 2, 3);
        m.set(0, 0, -0.5);
        m.set(3, 4, -1e-9);
        assertThat(Nmf.countNegative(m)).isEqualTo(2);
        NmfState s = new Nmf().init(m, Nmf.uniformStart(20, 10, 2, 1), SolverOptions.defaults());
        assertThat(s.clippedEntries()).isEqualTo(2);
        assertThat(m.get(0, 0)).isEqualTo(-0.5);
        for (int k = 0; k < 50; k++) {
            new Nmf().step(m, s);
        }
        assertThat(s.isFinite()).isTrue();
    }

    @Test
    void rejectsANegativeStart() {
        DMatrixRMaj m = nonnegativeLowRank(5, 4, 2, 3);
        BlockIterate bad = new BlockIterate(new DMatrixRMaj(new double[][] {{1, -1}, {1, 1}, {1, 1}, {1, 1},
            {1, 1}}), new DMatrixRMaj(2, 4));
        assertThatThrownBy(() -> new Nmf().init(m, bad, SolverOptions.defaults()))
                .hasMessageContaining("nonnegative");
    }
}
