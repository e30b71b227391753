package org.bilevel4j.solver.meha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.bilevel4j.linalg.MatOps;
import org.bilevel4j.problem.PairIterate;
import org.bilevel4j.problem.QuadraticBilevel;
import org.bilevel4j.solver.SolverOptions;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/** The shared state of the pair solvers: reference errors, rollback, finiteness, by hand. */
class PairStateTest {

    private static DMatrixRMaj col(double... v) {
        DMatrixRMaj m = new DMatrixRMaj(v.length, 1);
        System.arraycopy(v, 0, m.data, 0, v.length);
        return m;
    }

    @Test
    void relativeErrorIsTheDistanceOverTheNormOfTheReference() {
        // (3, 4) against (0, 8): distance 5, norm 8
        assertThat(PairState.relativeError(col(3, 4), col(0, 8))).isCloseTo(5.0 / 8, within(1e-16));
        // a zero reference: the plain distance
        assertThat(PairState.relativeError(col(3, 4), col(0, 0))).isCloseTo(5.0, within(1e-15));
    }

    @Test
    void theTraceEndsWithTheErrorsAgainstTheReferenceAndRollbackRestores() {
        QuadraticBilevel p = new QuadraticBilevel(4, 6, 0.1, 0, 0, 3);
        PairIterate ref = p.referenceSolution().orElseThrow();
        Meha meha = new Meha(MehaOptions.paper());
        MehaState s = meha.init(p, PairIterate.constant(p, 0.5, 0.25), SolverOptions.defaults());
        double[] out = new double[s.traceColumns().size()];
        s.traceValues(out);
        assertThat(s.traceColumns().subList(out.length - 2, out.length)).containsExactly(PairState.X_REL_ERR,
                PairState.Y_REL_ERR);
        assertThat(out[out.length - 2]).isCloseTo(PairState.relativeError(PairIterate.constant(p, 0.5, 0.25).x(),
                ref.x()), within(1e-15));
        assertThat(out[out.length - 1]).isCloseTo(PairState.relativeError(PairIterate.constant(p, 0.5, 0.25).y(),
                ref.y()), within(1e-15));
        s.commit();
        DMatrixRMaj x0 = s.x().copy();
        DMatrixRMaj y0 = s.y().copy();
        meha.step(p, s);
        assertThat(MatOps.distance(s.x(), x0)).isPositive();
        assertThat(s.iteration()).isEqualTo(1);
        s.rollback();
        assertThat(MatOps.distance(s.x(), x0)).isZero();
        assertThat(MatOps.distance(s.y(), y0)).isZero();
        assertThat(s.solution().x().data).containsExactly(x0.data);
        assertThat(s.isFinite()).isTrue();
        s.y().data[1] = Double.NaN;
        assertThat(s.isFinite()).isFalse();
        s.y().data[1] = 0;
        s.x().data[0] = Double.POSITIVE_INFINITY;
        assertThat(s.isFinite()).isFalse();
    }

    @Test
    void aNonFiniteStartIsRejected() {
        QuadraticBilevel p = new QuadraticBilevel(4, 6, 0.1, 0, 0, 3);
        PairIterate start = PairIterate.constant(p, 0.5, 0.25);
        start.y().data[2] = Double.NaN;
        assertThatThrownBy(() -> new Meha(MehaOptions.paper()).init(p, start, SolverOptions.defaults()))
                .hasMessageContaining("non-finite");
    }

    /** MEHA's state: the envelope estimate phi(x, theta) + ||theta - y||^2 / (2 gamma), the gap, the trace. */
    @Test
    void mehaStateValuesFollowTheEnvelopeFormula() {
        QuadraticBilevel p = new QuadraticBilevel(4, 6, 0.1, 0, 0, 3);
        MehaOptions o = MehaOptions.paper();
        Meha meha = new Meha(o);
        MehaState s = meha.init(p, PairIterate.constant(p, 0.5, 0.25), SolverOptions.defaults());
        meha.step(p, s);
        meha.step(p, s);
        double d = MatOps.distance(s.theta(), s.y());
        assertThat(d).isPositive();
        double envelope = p.lowerValue(s.x(), s.theta()) + d * d / (2 * o.gamma());
        assertThat(s.upperValue()).isCloseTo(p.upperValue(s.x(), s.y()), within(1e-13));
        assertThat(s.lowerValue()).isCloseTo(p.lowerValue(s.x(), s.y()), within(1e-13));
        assertThat(s.gap()).isCloseTo(s.lowerValue() - envelope, within(1e-13));
        assertThat(s.objectives()).containsExactly(s.upperValue(), s.lowerValue());
        double[] out = new double[s.traceColumns().size()];
        s.traceValues(out);
        assertThat(out[0]).isEqualTo(s.upperValue());
        assertThat(out[1]).isEqualTo(s.lowerValue());
        assertThat(out[2]).isEqualTo(s.gap());
        assertThat(out[3]).isCloseTo(d, within(1e-15));
        assertThat(out[4]).isPositive();
        assertThat(out[5]).isCloseTo(0.6 * Math.pow(2, 0.49), within(1e-12));
        // rollback restores theta and the values
        s.commit();
        DMatrixRMaj theta = s.theta().copy();
        double f = s.upperValue();
        meha.step(p, s);
        s.rollback();
        assertThat(MatOps.distance(s.theta(), theta)).isZero();
        assertThat(s.upperValue()).isEqualTo(f);
        assertThat(s.isFinite()).isTrue();
        s.theta().data[0] = Double.NaN;
        assertThat(s.isFinite()).isFalse();
    }
}
