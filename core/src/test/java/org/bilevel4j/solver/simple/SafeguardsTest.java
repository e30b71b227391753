package org.bilevel4j.solver.simple;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.bilevel4j.function.LeastSquares;
import org.bilevel4j.function.SmoothFunction;
import org.bilevel4j.problem.SimpleBilevelProblem;
import org.bilevel4j.solver.Driver;
import org.bilevel4j.solver.Result;
import org.bilevel4j.solver.SolverOptions;
import org.bilevel4j.solver.StopReason;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

/**
 * The misuse cases of issue 15: a step outside the stable range is named in the result's message, a
 * run that grows without bound stops with DIVERGED naming the bound, a start of the wrong shape is
 * refused naming the expected shape.
 */
class SafeguardsTest {

    /** min 1/2 ||x||^2 over argmin 1/2 ||A x - b||^2, A = [1 1 0; 0 1 1], L_g = 3, L_f = 1. */
    private static SimpleBilevelProblem minimumNorm() {
        LeastSquares g = LeastSquares.of(new double[][] {{1, 1, 0}, {0, 1, 1}}, new double[] {1, 2});
        LeastSquares f = new LeastSquares(CommonOps_DDRM.identity(3), new DMatrixRMaj(3, 1));
        return SimpleBilevelProblem.of(f, g);
    }

    private static final SolverOptions OPTIONS = SolverOptions.builder().maxIterations(2000).build();

    @Test
    void dbgdNamesAStepOutsideTheStableRange() {
        SimpleBilevelProblem p = minimumNorm();
        double lg = p.lower().lipschitzConstant().getAsDouble();
        assertThat(lg).isCloseTo(3.0, org.assertj.core.data.Offset.offset(1e-12));
        Result<DMatrixRMaj> bad = Dbgd.of(10, 1 / lg, Stationarity.of(1e-8)).solve(p, new DMatrixRMaj(3, 1), OPTIONS);
        assertThat(bad.message()).contains("warning: beta eta L_g = 10.00 * 0.3333 * 3.000 = 10.00 >= 2 is outside"
                + " the stable range");
        Result<DMatrixRMaj> decaying = Dbgd.of(10, 1 / lg, Stationarity.of(1e-8)).withStep(StepSize.decaying(1 / lg))
                .solve(p, new DMatrixRMaj(3, 1), OPTIONS);
        assertThat(decaying.message()).contains("outside the stable range");
        Result<DMatrixRMaj> longStep = Dbgd.of(0.5, 1.0, Stationarity.of(1e-8)).solve(p, new DMatrixRMaj(3, 1), OPTIONS);
        assertThat(longStep.message()).contains("eta = 1.000 is above 1 / max(L_f, L_g) = 0.3333");
        Result<DMatrixRMaj> good = Dbgd.of(1, 1 / lg, Stationarity.of(1e-8)).solve(p, new DMatrixRMaj(3, 1), OPTIONS);
        assertThat(good.message()).doesNotContain("warning");
    }

    @Test
    void penaltyMethodNamesAStepOutsideTheStableRange() {
        SimpleBilevelProblem p = minimumNorm();
        // s (L_f + gamma L_g) = 0.6 * (1 + 3) = 2.4: the iterates grow by |1 - 2.4| = 1.4 per step along
        // the top eigenvector and pass the divergence bound
        Result<DMatrixRMaj> bad = new PenaltyMethod(1.0, StepSize.constant(0.6), true, Stationarity.of(1e-8))
                .solve(p, new DMatrixRMaj(3, 1), OPTIONS);
        assertThat(bad.message()).contains("warning: step * (L_f + gamma L_g) = 0.6000 * 4.000 = 2.400 >= 2");
        assertThat(bad.stopReason()).isEqualTo(StopReason.DIVERGED);
        Result<DMatrixRMaj> good = PenaltyMethod.of(10, 0.2, Stationarity.of(1e-8))
                .solve(p, new DMatrixRMaj(3, 1), OPTIONS);
        assertThat(good.message()).doesNotContain("warning");
    }

    @Test
    void aGradientOfTheWrongSignStopsWithDivergedNamingTheBound() {
        LeastSquares g = LeastSquares.of(new double[][] {{1, 1, 0}, {0, 1, 1}}, new double[] {1, 2});
        SmoothFunction wrongSign = SmoothFunction.of(g::value, (x, out) -> {
            g.gradient(x, out);
            CommonOps_DDRM.scale(-1, out);
        });
        SimpleBilevelProblem p = SimpleBilevelProblem.of(new LeastSquares(CommonOps_DDRM.identity(3),
                new DMatrixRMaj(3, 1)), wrongSign);
        Result<DMatrixRMaj> r = Dbgd.of(1, 0.3, Stationarity.of(1e-8)).solve(p, new DMatrixRMaj(3, 1),
                SolverOptions.builder().maxIterations(100_000).build());
        assertThat(r.stopReason()).isEqualTo(StopReason.DIVERGED);
        assertThat(r.message()).containsPattern("^(f|g|grad_g_norm|d_norm) = .* at iteration \\d+ is beyond the"
                + " divergence bound .* \\(min\\(1e100, 1e50 max\\(1, \\|start value\\|\\)\\)");
        // the kept iterate is the last one inside the bound, finite
        assertThat(CommonOps_DDRM.elementMaxAbs(r.solution())).isLessThan(Driver.ABSOLUTE_BOUND);
        assertThat(r.iterations()).isLessThan(100_000);
    }

    @Test
    void aStartOfTheWrongShapeIsRefusedNamingTheExpectedShape() {
        Dbgd dbgd = Dbgd.of(1, 0.1, Stationarity.of(1e-8));
        assertThatThrownBy(() -> dbgd.solve(minimumNorm(), new DMatrixRMaj(2, 1), OPTIONS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("start point is 2x1, the problem expects 3x1");
        // functions that do not know their shape: the failure inside them is named as such
        DMatrixRMaj a = new DMatrixRMaj(new double[][] {{1, 1, 0}});
        SmoothFunction user = SmoothFunction.of(x -> {
            DMatrixRMaj r = new DMatrixRMaj(1, 1);
            CommonOps_DDRM.mult(a, x, r);
            return 0.5 * r.get(0) * r.get(0);
        }, (x, out) -> {
            DMatrixRMaj r = new DMatrixRMaj(1, 1);
            CommonOps_DDRM.mult(a, x, r);
            CommonOps_DDRM.multTransA(a, r, out);
        });
        SimpleBilevelProblem p = SimpleBilevelProblem.of(user, user);
        assertThatThrownBy(() -> dbgd.solve(p, new DMatrixRMaj(2, 1), OPTIONS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("evaluating f and g at the start point (2x1) failed: ")
                .hasMessageEndingWith("(is the start of the right shape? SimpleBilevelProblem.withShape(rows, cols)"
                        + " lets the problem check it)");
        assertThatThrownBy(() -> dbgd.solve(p.withShape(3, 1), new DMatrixRMaj(2, 1), OPTIONS))
                .hasMessage("start point is 2x1, the problem expects 3x1");
    }
}
