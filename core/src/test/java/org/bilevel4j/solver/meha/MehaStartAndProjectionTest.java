package org.bilevel4j.solver.meha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.bilevel4j.function.IndBox;
import org.bilevel4j.function.LeastSquares;
import org.bilevel4j.function.Quadratic;
import org.bilevel4j.problem.BilevelProblem;
import org.bilevel4j.problem.BilevelProblemBuilder;
import org.bilevel4j.problem.PairIterate;
import org.bilevel4j.problem.QuadraticBilevel;
import org.bilevel4j.solver.SolverOptions;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

/** MEHA's state holds the start's values before any step; the implicit hypergradient's x step is projected. */
class MehaStartAndProjectionTest {

    @Test
    void mehasStateHoldsTheValuesOfTheStartBeforeAnyStep() {
        QuadraticBilevel p = new QuadraticBilevel(4, 6, 0.1, 0, 0, 3);
        PairIterate start = PairIterate.constant(p, 0.5, 0.2);
        MehaState s = new Meha(MehaOptions.builder().build()).init(p, start, SolverOptions.defaults());
        double f = p.upperValue(start.x(), start.y());
        assertThat(f).isNotZero();
        assertThat(s.upperValue()).isEqualTo(f);
        assertThat(s.lowerValue()).isEqualTo(p.lowerValue(start.x(), start.y()));
        // theta starts at y: the envelope estimate is phi(x, y) itself, the gap 0
        assertThat(s.gap()).isZero();
    }

    /**
     * F = 1/2 (x - 5)^2 + 1/2 ||y||^2, f = 1/2 ||y - (x, x)||^2: y*(x) = (x, x), the hypergradient
     * 3x - 5, so from x = 0 a step of 1 goes to x = 5 (to the inner and CG tolerances), and with x in
     * [-1, 1] to the projection 1.
     */
    private static BilevelProblemBuilder builder() {
        DMatrixRMaj q = new DMatrixRMaj(new double[][] {{2, -1, -1}, {-1, 1, 0}, {-1, 0, 1}});
        return BilevelProblem.builder(1, 2)
                .upper(new LeastSquares(CommonOps_DDRM.identity(3), new DMatrixRMaj(3, 1, true, 5, 0, 0)))
                .lowerSmooth(new Quadratic(q, new DMatrixRMaj(3, 1)));
    }

    @Test
    void theImplicitHypergradientStepIsProjectedOntoTheSetOfX() {
        ImplicitHypergradientOptions o = new ImplicitHypergradientOptions(1.0, 0.5, 10_000, 1e-13, 10, 1e-13);
        PairIterate start = new PairIterate(new DMatrixRMaj(1, 1), new DMatrixRMaj(2, 1));
        BilevelProblem free = builder().build();
        ImplicitHypergradient ih = new ImplicitHypergradient(o);
        ImplicitHypergradientState a = ih.init(free, start, SolverOptions.defaults());
        ih.step(free, a);
        assertThat(a.x.data[0]).isCloseTo(5.0, within(1e-9));
        BilevelProblem boxed = builder().setX(new IndBox(-1, 1)).build();
        ImplicitHypergradientState b = ih.init(boxed, start, SolverOptions.defaults());
        ih.step(boxed, b);
        assertThat(b.x.data[0]).isEqualTo(1.0);
    }
}
