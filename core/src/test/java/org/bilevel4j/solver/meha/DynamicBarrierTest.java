package org.bilevel4j.solver.meha;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

class DynamicBarrierTest {

    /** d = gF + lambda gq satisfies <gq, d> >= eta ||gq||^2, with equality when the barrier is active. */
    @Property(tries = 300, seed = "42")
    void theDirectionDecreasesTheConstraintAtTheBarrierRate(@ForAll @DoubleRange(min = -3, max = 3) double f1,
            @ForAll @DoubleRange(min = -3, max = 3) double f2, @ForAll @DoubleRange(min = -3, max = 3) double q1,
            @ForAll @DoubleRange(min = -3, max = 3) double q2, @ForAll @DoubleRange(min = 0, max = 2) double eta) {
        double nq = q1 * q1 + q2 * q2;
        double lambda = DynamicBarrier.lambda(eta, f1 * q1 + f2 * q2, nq);
        assertThat(lambda).isGreaterThanOrEqualTo(0);
        if (nq > 1e-12) {
            double d1 = f1 + lambda * q1;
            double d2 = f2 + lambda * q2;
            double rate = q1 * d1 + q2 * d2;
            assertThat(rate).isGreaterThanOrEqualTo(eta * nq - 1e-9 * (1 + Math.abs(rate)));
            if (lambda > 0) {
                assertThat(rate).isCloseTo(eta * nq, org.assertj.core.api.Assertions.within(1e-9 * (1 + nq)));
            }
        }
    }

    @Test
    void noConstraintGradientMeansNoBarrier() {
        assertThat(DynamicBarrier.lambda(0.5, 0.0, 0.0)).isZero();
    }
}
