package org.bilevel4j.solver.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.bilevel4j.linalg.ThinSvd;
import org.bilevel4j.solver.Result;
import org.bilevel4j.solver.SolverOptions;
import org.bilevel4j.solver.StopReason;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class RobustPcaTest {

    private static final LowRankPlusSparse DATA = new LowRankPlusSparse(200, 200, 5, 0.05, 10.0, 0.0, 42);

    private static Result<LowRankSparse> run(SvdPolicy policy) {
        RobustPca rpca = new RobustPca(RobustPca.Options.defaults().withSvd(policy));
        return rpca.solve(DATA.m, LowRankSparse.zeros(200, 200), SolverOptions.builder().maxIterations(500).seed(3)
                .build());
    }

    @Test
    void recoversRank5Plus5PercentSparseWithFullSvd() {
        Result<LowRankSparse> r = run(SvdPolicy.alwaysFull());
        assertThat(r.stopReason()).isEqualTo(StopReason.CONVERGED);
        assertThat(r.iterations()).isLessThan(100);
        assertThat(LowRankPlusSparse.mse(r.solution().low(), DATA.l0)).isLessThan(1e-8);
        assertThat(LowRankPlusSparse.mse(r.solution().sparse(), DATA.s0)).isLessThan(1e-8);
        double[] s = ThinSvd.of(r.solution().low()).singularValues();
        assertThat(s[5] / s[0]).isLessThan(1e-8);
    }

    @Test
    void recoversTheSameWithThePartialSvd() {
        Result<LowRankSparse> r = run(SvdPolicy.preferPartial());
        assertThat(r.stopReason()).isEqualTo(StopReason.CONVERGED);
        assertThat(LowRankPlusSparse.mse(r.solution().low(), DATA.l0)).isLessThan(1e-8);
        double[] svdRank = r.trace().column("svd_rank");
        // after the first iterations only a few leading triplets are computed, never all 200
        assertThat(svdRank[svdRank.length - 1]).isLessThan(40);
        double[] rank = r.trace().column("rank");
        assertThat(rank[rank.length - 1]).isEqualTo(5);
    }

    @Test
    void residualFallsAndTheDataIsNotModified() {
        DMatrixRMaj before = DATA.m.copy();
        Result<LowRankSparse> r = run(SvdPolicy.defaults());
        assertThat(DATA.m.data).isEqualTo(before.data);
        double[] res = r.trace().column("residual");
        assertThat(res[res.length - 1]).isLessThan(1e-7);
        assertThat(res[res.length - 1]).isLessThan(res[0]);
    }

    @Test
    void rejectsBadOptions() {
        assertThatThrownBy(() -> RobustPca.Options.defaults().withLambda(-1)).hasMessageContaining("lambda");
        assertThatThrownBy(() -> new RobustPca.Options(java.util.OptionalDouble.empty(), 1.0, 1.25, 1e7, 1e-7,
                SvdPolicy.defaults())).hasMessageContaining("rho");
    }
}
