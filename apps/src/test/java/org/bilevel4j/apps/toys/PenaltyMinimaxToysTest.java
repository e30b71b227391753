package org.bilevel4j.apps.toys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.bilevel4j.problem.MinimaxBilevelPoint;
import org.bilevel4j.solver.Result;
import org.bilevel4j.solver.SolverOptions;
import org.bilevel4j.solver.StopReason;
import org.bilevel4j.solver.minimax.PenaltyMinimax;
import org.junit.jupiter.api.Test;

/** The checks of issue 7 on T1 to T5 (deterministic penalty method, default c = 0.5, continuation). */
class PenaltyMinimaxToysTest {

    private static final SolverOptions OPTIONS = SolverOptions.builder().maxIterations(2_000_000).traceEvery(100)
            .build();

    static Result<MinimaxBilevelPoint> solve(MinimaxToy t, double rho) {
        Result<MinimaxBilevelPoint> r = PenaltyMinimax.of(rho).solve(t.problem(), t.start(), OPTIONS);
        assertThat(r.stopReason()).as(r.message()).isEqualTo(StopReason.CONVERGED);
        assertThat(r.trace().lastValue("rho")).isEqualTo(rho);
        return r;
    }

    @Test
    void t1AtRho1000IsWithin1e3OfTheSolutionAndFast() {
        T1StronglyConvexConcave t = new T1StronglyConvexConcave();
        Result<MinimaxBilevelPoint> r = solve(t, 1000);
        MinimaxBilevelPoint s = r.solution();
        assertThat(s.x1().data[0]).isCloseTo(2, within(1e-3));
        assertThat(s.y1().data[0]).isCloseTo(1, within(1e-3));
        assertThat(s.y2().data[0]).isCloseTo(1, within(1e-3));
        assertThat(s.x2().data[0]).isCloseTo(-1, within(1e-2));
        assertThat(r.seconds()).isLessThan(20);
        assertThat(r.trace().lastValue("grad_calls")).isLessThan(1e6);
    }

    /**
     * Reached at rho = 1000 (the table of docs/minimax.md): T2 error 1.25e-4, x2 2.1e-11, gap 1.7e-9;
     * T4 error 2.17e-4, x2 0, gap 5.5e-10, multiplier 2.17e-4. Bounds about 2 to 5 times those.
     */
    @Test
    void t2AndT4AreWithin5e4WithALowerGapBelow1e8() {
        for (MinimaxToy t : new MinimaxToy[] {new T2Bilinear(), new T4ConstrainedLower()}) {
            MinimaxBilevelPoint s = solve(t, 1000).solution();
            assertThat(t.error(s)).as(t.name()).isLessThan(5e-4);
            assertThat(t.errorX2(s)).as(t.name()).isLessThan(1e-10);
            assertThat(t.lowerGap(s)).as(t.name()).isBetween(0.0, 1e-8);
        }
        T4ConstrainedLower t4 = new T4ConstrainedLower();
        assertThat(t4.multiplierError(solve(t4, 1000).solution())).isLessThan(5e-4);
    }

    /** Reached: 3.22e-4. */
    @Test
    void t3IsWithin1e3() {
        T3ConvexLower t = new T3ConvexLower();
        assertThat(t.error(solve(t, 1000).solution())).isLessThan(1e-3);
    }

    /** Reached: x1 off by 5.57e-4, error 5.83e-4, gap 9.0e-8. */
    @Test
    void t5MatchesTheGoldenSectionSearchIn1p5e3() {
        T5Ridge t = T5Ridge.instance();
        MinimaxBilevelPoint s = solve(t, 1000).solution();
        assertThat(s.x1().data[0]).isCloseTo(t.solution().x1().data[0], within(1.5e-3));
        assertThat(t.error(s)).isLessThan(1.5e-3);
        assertThat(t.lowerGap(s)).isLessThan(5e-7);
    }

    @Test
    void t1ErrorShrinksAsOneOverRho() {
        T1StronglyConvexConcave t = new T1StronglyConvexConcave();
        double[] rhos = {50, 100, 200, 400, 800};
        double[] lx = new double[rhos.length];
        double[] ly = new double[rhos.length];
        for (int i = 0; i < rhos.length; i++) {
            lx[i] = Math.log(rhos[i]);
            ly[i] = Math.log(t.error(solve(t, rhos[i]).solution()));
            if (i > 0) {
                assertThat(ly[i]).isLessThan(ly[i - 1]);
            }
        }
        double mx = 0;
        double my = 0;
        for (int i = 0; i < lx.length; i++) {
            mx += lx[i] / lx.length;
            my += ly[i] / ly.length;
        }
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < lx.length; i++) {
            sxy += (lx[i] - mx) * (ly[i] - my);
            sxx += (lx[i] - mx) * (lx[i] - mx);
        }
        double slope = sxy / sxx;
        assertThat(slope).isBetween(-1.15, -0.85);
    }
}
