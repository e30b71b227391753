package org.bilevel4j.apps.market;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.bilevel4j.problem.BlockIterate;
import org.bilevel4j.solver.Result;
import org.bilevel4j.solver.SolverOptions;
import org.bilevel4j.solver.composite.TikhonovContinuation;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * Tikhonov's stage test on a nearly flat face (the emissions preference with a small delta). Three
 * coal blocks tied at 20 $/MWh (capacities 210, 124, 93, one rate) and a nuclear block at 5 $/MWh
 * (100 MW); one load of 400 MW; rho = 100, mu = 1, delta = 1e-5. The price is 20 and the cleared
 * quantity 400 - 20/100 = 399.8, so the coal blocks share 299.8 MW, and with equal rates only the
 * term delta/2 ||X||^2 decides: equal levels, clipped at the capacity, (103.4, 103.4, 93, 100).
 * Along that split Psi2 + eps Psi1 has curvature eps mu delta against the coupling's
 * rho (blocks + loads) = 500: the gradient-mapping step is below 1e-11 long before the split is
 * reached, and only the upper-progress test keeps the stages running.
 */
class TikhonovStageTest {

    static MarketModel model() {
        MarketData data = new MarketData(List.of(new Offer(0, 1, Fuel.COAL, 20.0, 210.0),
                new Offer(1, 1, Fuel.COAL, 20.0, 124.0), new Offer(2, 1, Fuel.COAL, 20.0, 93.0),
                new Offer(3, 1, Fuel.NUCLEAR, 5.0, 100.0)), new int[] {1}, new double[] {400.0},
                new double[] {1000.0}, new double[] {1.0});
        return MarketModel.build(data, Preference.EMISSIONS, new MarketModel.Weights(100.0, 1.0, Double.NaN, 1e-5),
                new double[] {0.95, 0.95, 0.95, 0.0}, new DMatrixRMaj(4, 1));
    }

    static double distance(MarketModel m, TikhonovContinuation solver) {
        Result<BlockIterate> r = solver.solve(m.problem(), m.problem().uniformStart(0),
                SolverOptions.builder().maxIterations(2_000_000).build());
        return MarketMetrics.of(m, MarketReference.solve(m), r.solution().x(), r.solution().y()).distance();
    }

    @Test
    void theReferenceIsTheEqualLevelSplit() {
        DMatrixRMaj x = MarketReference.solve(model()).x();
        double level = (399.8 - 100 - 93) / 2;
        assertThat(x.get(0, 0)).isCloseTo(level, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(x.get(1, 0)).isCloseTo(level, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(x.get(2, 0)).isEqualTo(93.0);
        assertThat(x.get(3, 0)).isEqualTo(100.0);
    }

    @Test
    void theUpperProgressTestReachesTheSplit() {
        assertThat(distance(model(), TikhonovContinuation.defaults())).isLessThan(1e-6);
    }

    /** The same continuation with the gradient-mapping test alone (any Psi1 change counts as a stall). */
    @Test
    void theGradientMappingTestAloneStopsShort() {
        TikhonovContinuation d = TikhonovContinuation.defaults();
        TikhonovContinuation residualOnly = new TikhonovContinuation(d.eps0(), d.factor(), d.epsMin(),
                d.maxStageIterations(), d.stageTolerance(), 1, Double.MAX_VALUE);
        assertThat(distance(model(), residualOnly)).isGreaterThan(1e-4);
    }
}
