package org.bilevel4j.solver.simple;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.bilevel4j.solver.simple.TestFunctions.vec;

import org.bilevel4j.problem.SimpleBilevelProblem;
import org.bilevel4j.solver.SolverOptions;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/** The small parts of the simple bilevel solvers, each against its definition. */
class SimpleSolverPartsTest {

    @Test
    void namesLabelsAndCopies() {
        Dbgd d = Dbgd.of(1, 0.1, Stationarity.of(1e-6));
        assertThat(d.name()).isEqualTo("DBGD");
        assertThat(new Bloop(0.5, StepSize.constant(0.1), 0, Stationarity.of(1e-6)).name()).isEqualTo("BLOOP");
        assertThat(PenaltyMethod.of(10, 0.1, Stationarity.of(1e-6)).name()).isEqualTo("penalty");
        Barrier b = new Barrier.Original(2, 3, 0.5);
        assertThat(d.withBarrier(b).barrier()).isSameAs(b);
        assertThat(d.withBarrier(b).step()).isEqualTo(d.step());
        StepSize s = StepSize.decaying(0.3);
        assertThat(d.withStep(s).step()).isSameAs(s);
        assertThat(d.withStationarity(Stationarity.of(0.5)).stationarity()).isEqualTo(Stationarity.of(0.5));
        assertThat(Barrier.gradientNorm(2).label()).isEqualTo("beta=2.0");
        assertThat(b.label()).isEqualTo("alpha=2.0,beta=3.0,g_hat=0.5");
        assertThat(StepSize.constant(0.25).label()).isEqualTo("eta=0.25");
        assertThat(s.label()).isEqualTo("eta=0.3/k^(1/3)");
    }

    @Test
    void theOriginalBarrierIsTheSmallerOfItsTwoTerms() {
        Barrier b = new Barrier.Original(2, 3, 0.5);
        // min(2 (1.5 - 0.5), 3 * 4) = 2; min(2 (10 - 0.5), 3 * 1) = 3
        assertThat(b.value(1.5, 4)).isEqualTo(2.0);
        assertThat(b.value(10, 1)).isEqualTo(3.0);
        assertThat(Barrier.gradientNorm(2).value(100, 0.25)).isEqualTo(0.5);
    }

    @Test
    void positiveParametersMeanPositive() {
        assertThatThrownBy(() -> StepSize.constant(0)).hasMessageContaining("eta must be positive");
        assertThatThrownBy(() -> StepSize.decaying(0)).hasMessageContaining("eta0 must be positive");
        assertThatThrownBy(() -> Barrier.gradientNorm(0)).hasMessageContaining("beta must be positive");
        assertThatThrownBy(() -> new Barrier.Original(0, 1, 0)).hasMessageContaining("alpha must be positive");
        assertThat(StepSize.constant(Double.MIN_VALUE).at(1)).isEqualTo(Double.MIN_VALUE);
    }

    @Test
    void theStationarityTestIncludesItsBounds() {
        Stationarity s = new Stationarity(0.1, 0.2);
        assertThat(s.holds(0.1, 0.2)).isTrue();
        assertThat(s.holds(Math.nextUp(0.1), 0.2)).isFalse();
        assertThat(s.holds(0.1, Math.nextUp(0.2))).isFalse();
    }

    @Test
    void thePenaltyStepIsScaledOnlyAboveGammaOne() {
        PenaltyMethod scaled = new PenaltyMethod(1, StepSize.constant(0.2), true, Stationarity.of(1e-6));
        assertThat(scaled.stepAt(1)).isEqualTo(0.2);
        PenaltyMethod big = new PenaltyMethod(4, StepSize.constant(0.2), true, Stationarity.of(1e-6));
        assertThat(big.stepAt(1)).isCloseTo(0.05, within(1e-17));
    }

    @Test
    void theStateReportsItsPointAndRollsBack() {
        SimpleBilevelProblem p = SimpleBilevelProblem.of(TestFunctions.halfSqrDistance(vec(1, 3)),
                TestFunctions.halfSqrResidual(vec(1, 1), 2));
        Dbgd dbgd = Dbgd.of(1, 0.25, Stationarity.of(1e-9));
        SimpleBilevelState s = dbgd.init(p, vec(0, 0), SolverOptions.defaults());
        // f = 1/2 ||x - (1, 3)||^2 = 5 at 0; g = 1/2 (x1 + x2 - 2)^2 = 2
        assertThat(s.f()).isEqualTo(5.0);
        assertThat(s.g()).isEqualTo(2.0);
        double d0 = s.dNorm();
        assertThat(s.bestDNorm()).isEqualTo(d0);
        assertThat(s.bestGradGNorm()).isCloseTo(Math.sqrt(8), within(1e-15));
        s.commit();
        DMatrixRMaj x0 = s.x().copy();
        dbgd.step(p, s);
        assertThat(s.bestGradGNorm()).isEqualTo(Math.min(Math.sqrt(8), s.gradGNorm()));
        assertThat(s.bestDNorm()).isEqualTo(Math.min(d0, s.dNorm()));
        assertThat(s.x().data).isNotEqualTo(x0.data);
        s.rollback();
        assertThat(s.x().data).containsExactly(x0.data);
        assertThat(s.f()).isEqualTo(5.0);
        assertThat(s.isFinite()).isTrue();
        s.x().data[0] = Double.NaN;
        assertThat(s.isFinite()).isFalse();
    }
}
