package org.bilevel4j.solver.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import org.bilevel4j.solver.Result;
import org.bilevel4j.solver.SolverOptions;
import org.bilevel4j.solver.StopReason;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

/**
 * Stable PCP keeps the state of a tall M with at most 64 columns transposed (its SVT then works on
 * the wide orientation); transposition commutes with every step, so solving M and solving M^T give
 * the same iterates to rounding.
 */
class StablePcpOrientationTest {

    private static double maxAbs(DMatrixRMaj a) {
        double m = 0;
        for (int i = 0; i < a.getNumElements(); i++) {
            m = Math.max(m, Math.abs(a.data[i]));
        }
        return m;
    }

    @Test
    void tallAndWideRunsAgreeToRounding() {
        LowRankPlusSparse d = new LowRankPlusSparse(300, 40, 4, 0.05, 5.0, 0.01, 21);
        DMatrixRMaj mt = CommonOps_DDRM.transpose(d.m, null);
        SolverOptions opts = SolverOptions.builder().maxIterations(400).traceEvery(1).build();
        Result<LowRankSparse> tall = new StablePcp().solve(d.m, LowRankSparse.zeros(300, 40), opts);
        Result<LowRankSparse> wide = new StablePcp().solve(mt, LowRankSparse.zeros(40, 300), opts);
        assertThat(tall.iterations()).isEqualTo(wide.iterations());
        assertThat(tall.stopReason()).isEqualTo(wide.stopReason()).isIn(StopReason.CONVERGED,
                StopReason.MAX_ITERATIONS);
        DMatrixRMaj lowT = CommonOps_DDRM.transpose(wide.solution().low(), null);
        DMatrixRMaj sparseT = CommonOps_DDRM.transpose(wide.solution().sparse(), null);
        double scale = maxAbs(d.m);
        DMatrixRMaj dl = new DMatrixRMaj(300, 40);
        CommonOps_DDRM.subtract(tall.solution().low(), lowT, dl);
        DMatrixRMaj ds = new DMatrixRMaj(300, 40);
        CommonOps_DDRM.subtract(tall.solution().sparse(), sparseT, ds);
        assertThat(maxAbs(dl)).isLessThan(1e-9 * scale);
        assertThat(maxAbs(ds)).isLessThan(1e-9 * scale);
        double[] rankT = tall.trace().column("rank");
        double[] rankW = wide.trace().column("rank");
        assertThat(rankT).isEqualTo(rankW);
        // the solution is in the orientation of M, and a separation of it
        assertThat(tall.solution().low().numRows).isEqualTo(300);
        assertThat(LowRankPlusSparse.mse(tall.solution().low(), d.l0)).isLessThan(1e-3);
    }
}
