package org.bilevel4j.solver.composite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.bilevel4j.function.BoxedQuadratic;
import org.bilevel4j.function.NormL1;
import org.bilevel4j.problem.BalanceCoupling;
import org.bilevel4j.problem.BlockCompositeBilevelProblem;
import org.bilevel4j.problem.BlockIterate;
import org.bilevel4j.solver.Result;
import org.bilevel4j.solver.SolverOptions;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * Tikhonov continuation and BiG-SAM on the smallest market: two blocks at prices 1 and 2 (capacity
 * 10 each), one load of 15 with VOLL 100, rho = 1000, fair upper level. The price is 2: the cheap
 * block runs at 10 and the dear one at 5 - 2/1000, whatever the upper level; the minimizer is
 * unique, so both methods must find it.
 */
class CompositeSolversTest {

    static DMatrixRMaj col(double... v) {
        return new DMatrixRMaj(v.length, 1, true, v);
    }

    static BlockCompositeBilevelProblem problem() {
        BoxedQuadratic f2 = new BoxedQuadratic(col(0, 0), col(1, 2), 0, col(0, 0), col(10, 10));
        BoxedQuadratic g2 = new BoxedQuadratic(col(0), col(-100), 1500, col(0), col(15));
        BoxedQuadratic f1 = new BoxedQuadratic(col(1, 1), col(0, 0), 0, col(0, 0), col(10, 10));
        BoxedQuadratic g1 = new BoxedQuadratic(col(1), col(-15), 112.5, col(0), col(15));
        return BlockCompositeBilevelProblem.builder(new BalanceCoupling(2, 1, 1, 1000)).upper(f1, g1).lower(f2, g2)
                .build();
    }

    @Test
    void bothReachTheUniqueMinimizer() {
        BlockCompositeBilevelProblem p = problem();
        BlockIterate start = p.uniformStart(3);
        Result<BlockIterate> t = TikhonovContinuation.defaults().solve(p, start, SolverOptions.builder()
                .maxIterations(100_000).build());
        Result<BlockIterate> b = new BigSam(2, false).solve(p, start, SolverOptions.builder().maxIterations(100_000)
                .build());
        for (Result<BlockIterate> r : java.util.List.of(t, b)) {
            assertThat(r.solution().x().get(0, 0)).as(r.solver()).isCloseTo(10, org.assertj.core.data.Offset.offset(1e-4));
            assertThat(r.solution().x().get(1, 0)).as(r.solver()).isCloseTo(5 - 0.002,
                    org.assertj.core.data.Offset.offset(1e-4));
            assertThat(r.solution().y().get(0, 0)).as(r.solver()).isCloseTo(15, org.assertj.core.data.Offset.offset(1e-4));
        }
        assertThat(t.message()).startsWith("converged");
    }

    @Test
    void sayWhatTheyNeed() {
        BlockCompositeBilevelProblem p = problem();
        BlockCompositeBilevelProblem l1 = new BlockCompositeBilevelProblem(new NormL1(1), p.g1(), p.f2(), p.g2(),
                p.coupling());
        assertThatThrownBy(() -> TikhonovContinuation.defaults().init(l1, p.uniformStart(1), SolverOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("BoxedQuadratic");
        assertThatThrownBy(() -> new BigSam(2, false).init(l1, p.uniformStart(1), SolverOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("smooth strongly convex");
        assertThatThrownBy(() -> new TikhonovContinuation(1, 2, 1e-9, 10, 1e-9)).hasMessageContaining("factor");
        assertThatThrownBy(() -> new BigSam(0, false)).hasMessageContaining("alpha0");
    }
}
