package org.bilevel4j.problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.random.RandomGenerator;
import org.bilevel4j.function.GradientCheck;
import org.bilevel4j.function.IndBox;
import org.bilevel4j.function.IndNonnegative;
import org.bilevel4j.function.LeastSquares;
import org.bilevel4j.function.NormL1;
import org.bilevel4j.function.Quadratic;
import org.bilevel4j.function.SmoothFunction;
import org.bilevel4j.testing.TestMatrices;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

/** The problem builders: partial gradients by central differences, proxes and sets by definition. */
class BuildersTest {

    private final RandomGenerator rng = TestMatrices.rng(1515);

    private static DMatrixRMaj vec(double... v) {
        return new DMatrixRMaj(v.length, 1, true, v);
    }

    @Test
    void bilevelBuilderSplitsTheStackedGradients() {
        // F(x, y) = 1/2 ||A [x; y] - b||^2 on the stacked vector, f(x, y) = 1/2 [x; y]^T Q [x; y] + c^T [x; y]
        DMatrixRMaj a = TestMatrices.gaussian(6, 5, 1.0, rng);
        DMatrixRMaj m = TestMatrices.gaussian(5, 5, 1.0, rng);
        DMatrixRMaj q = new DMatrixRMaj(5, 5);
        CommonOps_DDRM.multTransA(m, m, q);
        BilevelProblem p = BilevelProblem.builder(2, 3)
                .upper(new LeastSquares(a, TestMatrices.gaussian(6, 1, 1.0, rng)))
                .lowerSmooth(new Quadratic(q, TestMatrices.gaussian(5, 1, 1.0, rng)))
                .build();
        DMatrixRMaj x = TestMatrices.gaussian(2, 1, 1.0, rng);
        DMatrixRMaj y = TestMatrices.gaussian(3, 1, 1.0, rng);
        var reports = GradientCheck.check(p, x, y);
        assertThat(reports).hasSize(4);
        assertThat(GradientCheck.worst(reports)).isLessThan(1e-8);
        assertThat(p.hasNonsmoothLower()).isFalse();
        assertThat(p.constrainedX()).isFalse();
    }

    @Test
    void weightedNonsmoothLowerPartIsTheHyperparameterCase() {
        // g(x, y) = x ||y||_1: prox_{t g(x, .)}(v) = soft(v, t x), grad_x g = ||y||_1
        DMatrixRMaj c = vec(1, -2, 0.5);
        BilevelProblem p = BilevelProblem.builder(1, 3)
                .upperOfY(new LeastSquares(CommonOps_DDRM.identity(3), c))
                .lowerSmoothOfY(new LeastSquares(CommonOps_DDRM.identity(3), vec(3, -1, 0.2)))
                .lowerNonsmoothWeightedByX(new NormL1(1.0))
                .setX(new IndNonnegative())
                .build();
        DMatrixRMaj x = vec(0.4);
        DMatrixRMaj y = vec(1.5, -0.3, 0.1);
        assertThat(GradientCheck.worst(GradientCheck.check(p, x, y))).isLessThan(1e-8);
        assertThat(p.lowerNonsmoothValue(x, y)).isCloseTo(0.4 * 1.9, org.assertj.core.data.Offset.offset(1e-15));
        DMatrixRMaj out = new DMatrixRMaj(3, 1);
        double gv = p.lowerProx(x, vec(1.0, -0.1, 0.3), 0.5, out);
        // threshold t x = 0.2
        assertThat(out.data).containsExactly(new double[] {0.8, 0.0, 0.09999999999999998}, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(gv).isCloseTo(0.4 * (0.8 + 0.1), org.assertj.core.data.Offset.offset(1e-14));
        DMatrixRMaj px = new DMatrixRMaj(1, 1);
        p.projectX(vec(-3), px);
        assertThat(px.get(0)).isEqualTo(0.0);
        assertThatThrownBy(() -> p.lowerProx(vec(-1), y, 1.0, out)).hasMessageContaining("needs x >= 0");
        assertThatThrownBy(() -> BilevelProblem.builder(2, 3).lowerNonsmoothWeightedByX(new NormL1(1.0)))
                .hasMessageContaining("needs a scalar x");
        assertThatThrownBy(() -> BilevelProblem.builder(1, 3).upperOfY(new LeastSquares(CommonOps_DDRM.identity(3), c))
                .build()).isInstanceOf(IllegalStateException.class).hasMessageContaining("lower part f is missing");
    }

    @Test
    void simpleBuilderKnowsTheShapeAndRefusesAnotherStart() {
        LeastSquares g = LeastSquares.of(new double[][] {{1, 1, 0}}, new double[] {1});
        SimpleBilevelProblem p = SimpleBilevelProblem.builder()
                .upper(new LeastSquares(CommonOps_DDRM.identity(3), new DMatrixRMaj(3, 1)))
                .lower(g)
                .constraint(new IndBox(-5, 5))
                .build();
        assertThat(p.shape()).get().isEqualTo(new int[] {3, 1});
        assertThatThrownBy(() -> p.checkStart(new DMatrixRMaj(2, 1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("start point is 2x1, the problem expects 3x1");
        assertThatThrownBy(() -> p.checkStart(vec(0, 0, 9))).hasMessageContaining("outside the simple set");
        SmoothFunction unknown = SmoothFunction.of(v -> 0.0, (v, o) -> o.zero());
        assertThat(SimpleBilevelProblem.of(unknown, unknown).shape()).isEmpty();
        assertThat(SimpleBilevelProblem.of(unknown, unknown).withShape(4, 2).shape()).get()
                .isEqualTo(new int[] {4, 2});
        assertThatThrownBy(() -> SimpleBilevelProblem.builder().upper(g).lower(unknown).shape(2, 1).build())
                .hasMessageContaining("takes 3x1 points, but the problem's x is 2x1");
        assertThatThrownBy(() -> SimpleBilevelProblem.builder().upper(g).build())
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void minimaxBuilderSplitsTheStackedGradients() {
        // upper: 1/2 [x1 x2 y1 y2] Q [..] + c^T [..] with any symmetric Q; lower: a quadratic in (x1, y1, y2)
        DMatrixRMaj m = TestMatrices.gaussian(5, 5, 1.0, rng);
        DMatrixRMaj q = new DMatrixRMaj(5, 5);
        CommonOps_DDRM.add(m, CommonOps_DDRM.transpose(m, null), q);
        DMatrixRMaj m2 = TestMatrices.gaussian(4, 4, 1.0, rng);
        DMatrixRMaj q2 = new DMatrixRMaj(4, 4);
        CommonOps_DDRM.add(m2, CommonOps_DDRM.transpose(m2, null), q2);
        MinimaxBilevelProblem p = MinimaxBilevelProblem.builder(Box.cube(2, -1, 1), Box.cube(1, -1, 1),
                        Box.cube(1, -1, 1), Box.cube(1, -1, 1))
                .upper(new Quadratic(q, TestMatrices.gaussian(5, 1, 1.0, rng)))
                .lower(new Quadratic(q2, TestMatrices.gaussian(4, 1, 1.0, rng)))
                .build();
        MinimaxBilevelPoint pt = MinimaxBilevelPoint.of(new double[] {0.3, -0.2}, new double[] {0.5},
                new double[] {-0.7}, new double[] {0.1});
        var reports = GradientCheck.check(p, pt);
        assertThat(reports).hasSize(7);
        assertThat(GradientCheck.worst(reports)).isLessThan(1e-8);
        assertThat(p.outsideDomains(pt)).isEmpty();
        MinimaxBilevelPoint out = MinimaxBilevelPoint.of(new double[] {3, 0}, new double[] {0}, new double[] {0},
                new double[] {0});
        assertThat(p.outsideDomains(out)).singleElement().asString().startsWith("x1 = [3.0, 0.0] lies outside X1");
    }
}
