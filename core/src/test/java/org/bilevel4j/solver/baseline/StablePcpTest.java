package org.bilevel4j.solver.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import org.bilevel4j.solver.Result;
import org.bilevel4j.solver.SolverOptions;
import org.bilevel4j.solver.StopReason;
import org.junit.jupiter.api.Test;

class StablePcpTest {

    @Test
    void recoversLowRankPlusSparseWithoutNoise() {
        LowRankPlusSparse d = new LowRankPlusSparse(120, 100, 5, 0.05, 10.0, 0.0, 7);
        Result<LowRankSparse> r = new StablePcp().solve(d.m, LowRankSparse.zeros(120, 100),
                SolverOptions.builder().maxIterations(3000).build());
        assertThat(r.stopReason()).isEqualTo(StopReason.CONVERGED);
        assertThat(LowRankPlusSparse.mse(r.solution().low(), d.l0)).isLessThan(1e-6);
        double[] obj = r.trace().column("objective");
        assertThat(obj[obj.length - 1]).isLessThan(obj[0]);
    }

    @Test
    void withNoiseTheErrorIsOfTheNoiseLevel() {
        double sigma = 0.01;
        LowRankPlusSparse d = new LowRankPlusSparse(120, 100, 5, 0.05, 10.0, sigma, 8);
        Result<LowRankSparse> r = new StablePcp(StablePcp.Options.forNoiseLevel(sigma, 120, 100).withTolerance(1e-5))
                .solve(d.m, LowRankSparse.zeros(120, 100), SolverOptions.builder().maxIterations(3000).build());
        assertThat(r.stopReason()).as(r.message()).isEqualTo(StopReason.CONVERGED);
        // the noise alone has mean square sigma^2 = 1e-4; the estimate must be closer than the data
        double mseData = LowRankPlusSparse.mse(d.m, d.l0);
        double mse = LowRankPlusSparse.mse(r.solution().low(), d.l0);
        assertThat(mse).isLessThan(sigma * sigma).isLessThan(mseData);
    }

    @Test
    void agreesWithRobustPcaOnTheNoiselessProblem() {
        LowRankPlusSparse d = new LowRankPlusSparse(80, 60, 3, 0.05, 5.0, 0.0, 9);
        var pcp = new StablePcp().solve(d.m, LowRankSparse.zeros(80, 60), SolverOptions.builder().maxIterations(3000)
                .build());
        var rpca = new RobustPca().solve(d.m, LowRankSparse.zeros(80, 60), SolverOptions.defaults());
        assertThat(LowRankPlusSparse.mse(pcp.solution().low(), rpca.solution().low())).isLessThan(1e-6);
    }
}
