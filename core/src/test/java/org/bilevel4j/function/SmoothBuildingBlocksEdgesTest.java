package org.bilevel4j.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The edges of {@link Quadratic}, {@link LeastSquares} and {@link SmoothFunction#of}: row-vector
 * points, shapes, the symmetry and convexity thresholds relative to {@code ||Q||}, the accessors and
 * names; and the traits that the sums and wrappers report. Values by hand.
 */
class SmoothBuildingBlocksEdgesTest {

    private static DMatrixRMaj row(double... v) {
        return new DMatrixRMaj(1, v.length, true, v);
    }

    private static DMatrixRMaj col(double... v) {
        return new DMatrixRMaj(v.length, 1, true, v);
    }

    /** f(x) = x^T Q x / 2 + c^T x with Q = [[2, 1], [1, 2]] (eigenvalues 1 and 3), c = (1, -1). */
    @Test
    void quadraticAcceptsRowVectorsAndReportsItsDimensionAndName() {
        Quadratic f = Quadratic.of(new double[][] {{2, 1}, {1, 2}}, new double[] {1, -1});
        assertThat(f.dimension()).isEqualTo(2);
        assertThat(f.minEigenvalue()).isCloseTo(1.0, within(1e-14));
        // x = (1, 2): Q x + c = (4 + 1, 5 - 1) = (5, 4); f = (1*4 + 2*5) / 2 ... = x^T Q x / 2 + c^T x = 7 - 1 = 6
        DMatrixRMaj g = new DMatrixRMaj(1, 2);
        assertThat(f.valueAndGradient(row(1, 2), g)).isCloseTo(6.0, within(1e-15));
        assertThat(g.data).containsExactly(5.0, 4.0);
        assertThat(f.value(row(1, 2))).isCloseTo(6.0, within(1e-15));
        assertThatThrownBy(() -> f.valueAndGradient(row(1, 2), new DMatrixRMaj(2, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("shape mismatch: 1x2 vs 2x1");
        assertThatThrownBy(() -> f.value(col(1, 2, 3))).hasMessage("x is 3x1, Quadratic expects 2x1");
        assertThatThrownBy(() -> f.value(new DMatrixRMaj(2, 2))).hasMessage("x is 2x2, Quadratic expects 2x1");
        assertThat(f.toString()).startsWith("Quadratic[n=2, L=").contains("lambda_min=");
        assertThatThrownBy(() -> new Quadratic(new DMatrixRMaj(2, 3), col(0, 0)))
                .hasMessage("Q must be square, got 2x3");
    }

    /** Symmetry is checked relative to max |Q_ij| (1e-12), and a zero Q is symmetric: f is linear. */
    @Test
    void quadraticSymmetryToleranceIsRelativeAndAZeroMatrixIsAllowed() {
        // max |Q| = 1e6: an asymmetry of 1e-7 is 1e-13 relative (accepted and averaged), 1e-5 is 1e-11 (rejected)
        Quadratic f = Quadratic.of(new double[][] {{1e6, 1 + 1e-7}, {1, 1e6}}, new double[] {0, 0});
        DMatrixRMaj g = new DMatrixRMaj(2, 1);
        f.valueAndGradient(col(0, 1), g);
        assertThat(g.data[0]).isEqualTo(0.5 * ((1 + 1e-7) + 1)); // Q_12 averaged with Q_21
        assertThatThrownBy(() -> Quadratic.of(new double[][] {{1e6, 1 + 1e-5}, {1, 1e6}}, new double[] {0, 0}))
                .hasMessageStartingWith("Q must be symmetric");
        Quadratic linear = Quadratic.of(new double[][] {{0, 0}, {0, 0}}, new double[] {3, -2});
        assertThat(linear.value(col(1, 1))).isEqualTo(1.0);
        assertThat(linear.lipschitzConstant().getAsDouble()).isEqualTo(0.0);
        // lambda_min = 0 = 1e-12 ||Q||: convex (>=), not strongly convex (>)
        assertThat(linear.isConvex()).isTrue();
        assertThat(linear.isStronglyConvex()).isFalse();
    }

    /** Convexity up to rounding: lambda_min is compared with 1e-12 ||Q||_2, not with 1e-12 alone. */
    @Test
    void quadraticConvexityThresholdsScaleWithTheNorm() {
        // ||Q|| = 1e6, lambda_min = -1e-7 >= -1e-6: convex up to rounding
        Quadratic nearlyConvex = Quadratic.of(new double[][] {{1e6, 0}, {0, -1e-7}}, new double[] {0, 0});
        assertThat(nearlyConvex.isConvex()).isTrue();
        assertThat(nearlyConvex.isStronglyConvex()).isFalse();
        // lambda_min = 1e-7 <= 1e-6: positive, but not strongly convex at that scale
        Quadratic flat = Quadratic.of(new double[][] {{1e6, 0}, {0, 1e-7}}, new double[] {0, 0});
        assertThat(flat.isConvex()).isTrue();
        assertThat(flat.isStronglyConvex()).isFalse();
        // lambda_min = 1e-5 > 1e-6: strongly convex; lambda_min = -1e-5 < -1e-6: not convex
        assertThat(Quadratic.of(new double[][] {{1e6, 0}, {0, 1e-5}}, new double[] {0, 0}).isStronglyConvex()).isTrue();
        assertThat(Quadratic.of(new double[][] {{1e6, 0}, {0, -1e-5}}, new double[] {0, 0}).isConvex()).isFalse();
    }

    /** f(x) = ||A x - b||^2 / 2 with A = [[1, 0], [0, 2], [1, 1]], b = (1, 2, 3). */
    @Test
    void leastSquaresAcceptsRowVectorsAndReturnsCopiesOfItsData() {
        LeastSquares f = LeastSquares.of(new double[][] {{1, 0}, {0, 2}, {1, 1}}, new double[] {1, 2, 3});
        assertThat(f.dimension()).isEqualTo(2);
        // x = (2, 1): A x - b = (1, 0, 0); f = 1/2; A^T r = (1, 0)
        DMatrixRMaj g = new DMatrixRMaj(1, 2);
        assertThat(f.valueAndGradient(row(2, 1), g)).isEqualTo(0.5);
        assertThat(g.data).containsExactly(1.0, 0.0);
        assertThatThrownBy(() -> f.valueAndGradient(row(2, 1), new DMatrixRMaj(2, 1)))
                .hasMessage("shape mismatch: 1x2 vs 2x1");
        assertThatThrownBy(() -> f.value(new DMatrixRMaj(2, 2)))
                .hasMessage("x is 2x2, LeastSquares expects 2x1 (A is 3x2)");
        DMatrixRMaj a = f.matrix();
        assertThat(a.numRows).isEqualTo(3);
        assertThat(a.data).containsExactly(1, 0, 0, 2, 1, 1);
        a.set(0, 0, 100);
        assertThat(f.matrix().get(0, 0)).isEqualTo(1.0);
        DMatrixRMaj b = f.rhs();
        assertThat(b.numCols).isEqualTo(1);
        assertThat(b.data).containsExactly(1, 2, 3);
        b.data[0] = 100;
        assertThat(f.rhs().data[0]).isEqualTo(1.0);
        assertThat(f.toString()).startsWith("LeastSquares[A 3x2, L=");
        // b given as a row (1 x 3) is the same vector; a 2 x 2 b with a 4-row A is not a vector
        LeastSquares rowB = new LeastSquares(new DMatrixRMaj(new double[][] {{1, 0}, {0, 2}, {1, 1}}), row(1, 2, 3));
        assertThat(rowB.value(col(2, 1))).isEqualTo(0.5);
        assertThatThrownBy(() -> new LeastSquares(new DMatrixRMaj(4, 2), new DMatrixRMaj(2, 2)))
                .hasMessage("b must be a vector with one entry per row of A (4), got 2x2");
    }

    @Test
    void smoothOfNamesItsConstantAndRejectsANegativeOne() {
        SmoothFunction f = SmoothFunction.of(x -> 0.5 * x.data[0] * x.data[0], (x, g) -> g.data[0] = x.data[0], 1.0);
        assertThat(f).hasToString("SmoothFunction.of(..., L=1.0)");
        SmoothFunction h = SmoothFunction.of(x -> 0.0, (x, g) -> g.zero());
        assertThat(h).hasToString("SmoothFunction.of(...)");
        assertThat(h.lipschitzConstant()).isEmpty();
        SmoothFunction zeroL = SmoothFunction.of(x -> 1.0, (x, g) -> g.zero(), 0.0);
        assertThat(zeroL.lipschitzConstant().getAsDouble()).isEqualTo(0.0);
        assertThatThrownBy(() -> SmoothFunction.of(x -> 0.0, (x, g) -> g.zero(), -1e-300))
                .hasMessage("the Lipschitz constant must be nonnegative and finite, got -1.0E-300");
    }

    /** Traits by their definitions: Zero is the indicator of the whole space; wrappers report their inner function's. */
    @Test
    void traitsOfZeroSimplexSmoothL1AndWrappers() {
        assertThat(new Zero().isSetIndicator()).isTrue();
        assertThat(new IndSimplex(1.0).isSetIndicator()).isTrue();
        assertThat(new SmoothL1(1.0).isSeparable()).isTrue();
        Scaled scaledL1 = new Scaled(2.0, new NormL1(1.0));
        assertThat(scaledL1.isSmooth()).isFalse();
        assertThat(scaledL1.isStronglyConvex()).isFalse();
        assertThat(scaledL1.isConvex()).isTrue();
        assertThat(new Scaled(2.0, new SqrNormL2(1.0)).isStronglyConvex()).isTrue();
        SeparableSum convex = new SeparableSum(List.of(new NormL1(1), new IndBox(0, 1)), 1, 2);
        assertThat(convex.isConvex()).isTrue();
    }

    /** The simplex {x >= 0, sum x = r} accepts a sum off by at most SUM_TOLERANCE r = 1e-9 r (here r = 4). */
    @Test
    void simplexSumToleranceIsRelativeToTheRadius() {
        IndSimplex f = new IndSimplex(4.0);
        assertThat(f.value(col(2, 2 + 2e-9))).isEqualTo(0.0);
        assertThat(f.value(col(2, 2 - 3.9e-9))).isEqualTo(0.0);
        assertThat(f.value(col(2, 2 + 8e-9))).isEqualTo(Double.POSITIVE_INFINITY);
    }
}
