package org.bilevel4j.problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The Lagrangian dual template on two constraints: fb = 1/2 ||z||^2 + x z_1, gb = (x - z_1, z_1 + z_2 - 3).
 */
class ConstrainedLowerLevelTest {

    static final ConstrainedLowerLevel.Objective FB = new ConstrainedLowerLevel.Objective() {
        @Override
        public double value(DMatrixRMaj x, DMatrixRMaj z) {
            return 0.5 * (z.data[0] * z.data[0] + z.data[1] * z.data[1]) + x.data[0] * z.data[0];
        }

        @Override
        public double valueAndGradient(DMatrixRMaj x, DMatrixRMaj z, DMatrixRMaj gx, DMatrixRMaj gz) {
            gx.data[0] = z.data[0];
            gz.data[0] = z.data[0] + x.data[0];
            gz.data[1] = z.data[1];
            return value(x, z);
        }
    };

    static final ConstrainedLowerLevel.Constraints GB = new ConstrainedLowerLevel.Constraints() {
        @Override
        public int count() {
            return 2;
        }

        @Override
        public void values(DMatrixRMaj x, DMatrixRMaj z, DMatrixRMaj out) {
            out.data[0] = x.data[0] - z.data[0];
            out.data[1] = z.data[0] + z.data[1] - 3;
        }

        @Override
        public void addWeightedGradient(DMatrixRMaj x, DMatrixRMaj z, DMatrixRMaj lam, DMatrixRMaj gx,
                DMatrixRMaj gz) {
            gx.data[0] += lam.data[0];
            gz.data[0] += -lam.data[0] + lam.data[1];
            gz.data[1] += lam.data[1];
        }
    };

    static final UpperLevel UPPER = new UpperLevel() {
        @Override
        public Box x2Domain() {
            return Box.cube(1, -2, 2);
        }

        @Override
        public double value(DMatrixRMaj x1, DMatrixRMaj x2, DMatrixRMaj y) {
            return x1.data[0] * y.data[1] + x2.data[0] * y.data[0] - 0.5 * x2.data[0] * x2.data[0];
        }

        @Override
        public double valueAndGradient(DMatrixRMaj x1, DMatrixRMaj x2, DMatrixRMaj y, DMatrixRMaj gx1,
                DMatrixRMaj gx2, DMatrixRMaj gy) {
            gx1.data[0] = y.data[1];
            gx2.data[0] = y.data[0] - x2.data[0];
            gy.data[0] = x2.data[0];
            gy.data[1] = x1.data[0];
            return value(x1, x2, y);
        }
    };

    static final Box X = Box.of(new double[] {-1}, new double[] {0.5});
    static final Box Z = Box.cube(2, -4, 4);

    @Test
    void slaterBoundIsComputedOverTheVerticesAndReported() {
        // z_s = (1, 1): gb = (x - 1, -1), margin min over x in [-1, 0.5] of min(1 - x, 1) = 0.5 at x = 0.5;
        // fb(x, z_s) = 1 + x, largest 1.5; with fb >= -8 supplied and the linearization
        // fb + min over Z of <(1 + x, 1), z - z_s>, the bound is max_x (fb(x, z_s) - lower(x)) / G(x).
        ConstrainedLowerLevel lower = ConstrainedLowerLevel.builder(X, Z, FB, GB).slaterPoint(1, 1)
                .objectiveLowerBound(-8).build();
        MultiplierBound b = lower.multiplierBound();
        assertThat(b.margin()).isCloseTo(0.5, within(1e-12));
        assertThat(b.objectiveAtSlater()).isCloseTo(1.5, within(1e-12));
        assertThat(b.vertices()).isTrue();
        // at x = 0.5: linearization lower bound 1.5 + (1.5)(-5) + (1)(-5) = -11 < -8, so -8 counts:
        // (1.5 + 8) / 0.5 = 19; at x = -1: lin = 0 + 0 + (-5) = -5 > -8: (0 + 5) / 1 = 5
        assertThat(b.bound()).isCloseTo(19, within(1e-9));
        assertThat(b.cap()).isCloseTo(1.25 * 19, within(1e-9));
        assertThat(lower.multiplierDomain()).isEqualTo(Box.cube(2, 0, 1.25 * 19));
        assertThat(b.toString()).contains("||lambda*||_1 <= 19").doesNotContain("\n");
        // the true multipliers respect the bound: at x = 0.5 the solution is z = (0.5, 0) with lambda_1 = 1
    }

    @Test
    void dualTemplateHasTheLagrangianAndItsGradients() {
        ConstrainedLowerLevel lower = ConstrainedLowerLevel.builder(X, Z, FB, GB).slaterPoint(1, 1)
                .objectiveLowerBound(-8).multiplierCap(30).build();
        MinimaxBilevelProblem p = lower.withUpper(UPPER);
        assertThat(p.y2Domain()).isEqualTo(Box.cube(2, 0, 30));
        DMatrixRMaj x = DMatrixRMaj.wrap(1, 1, new double[] {0.3});
        DMatrixRMaj y = DMatrixRMaj.wrap(2, 1, new double[] {0.7, -1.1});
        DMatrixRMaj lam = DMatrixRMaj.wrap(2, 1, new double[] {2.0, 0.4});
        DMatrixRMaj gx = new DMatrixRMaj(1, 1);
        DMatrixRMaj gy = new DMatrixRMaj(2, 1);
        DMatrixRMaj gl = new DMatrixRMaj(2, 1);
        double v = p.lowerValueAndGradient(x, y, lam, gx, gy, gl);
        double expected = 0.5 * (0.49 + 1.21) + 0.3 * 0.7 + 2.0 * (0.3 - 0.7) + 0.4 * (0.7 - 1.1 - 3);
        assertThat(v).isCloseTo(expected, within(1e-14));
        assertThat(p.lowerValue(x, y, lam)).isCloseTo(expected, within(1e-14));
        assertThat(gx.data[0]).isCloseTo(0.7 + 2.0, within(1e-14));
        assertThat(gy.data[0]).isCloseTo(0.7 + 0.3 - 2.0 + 0.4, within(1e-14));
        assertThat(gy.data[1]).isCloseTo(-1.1 + 0.4, within(1e-14));
        assertThat(gl.data).containsExactly(0.3 - 0.7, 0.7 - 1.1 - 3);
        DMatrixRMaj x2 = DMatrixRMaj.wrap(1, 1, new double[] {0.5});
        DMatrixRMaj g1 = new DMatrixRMaj(1, 1);
        DMatrixRMaj g2 = new DMatrixRMaj(1, 1);
        DMatrixRMaj g3 = new DMatrixRMaj(2, 1);
        DMatrixRMaj g4 = DMatrixRMaj.wrap(2, 1, new double[] {9, 9});
        double f = p.upperValueAndGradient(x, x2, y, lam, g1, g2, g3, g4);
        assertThat(f).isCloseTo(0.3 * -1.1 + 0.5 * 0.7 - 0.125, within(1e-14));
        assertThat(g4.data).containsExactly(0, 0); // f does not depend on the multipliers
    }

    @Test
    void noStrictlyFeasiblePointIsOneClearError() {
        // z_s = (0.2, 1) is infeasible at x = 0.5 (x - z_1 = 0.3 > 0)
        assertThatThrownBy(() -> ConstrainedLowerLevel.builder(X, Z, FB, GB).slaterPoint(0.2, 1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("no strictly feasible point: gb_0(x, z_s) = 0.3")
                .hasMessageContaining("x = [0.5]").hasMessageNotContaining("\n");
        // on the boundary is not strictly feasible either
        assertThatThrownBy(() -> ConstrainedLowerLevel.builder(X, Z, FB, GB).slaterPoint(0.5, 1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("no strictly feasible point");
        assertThatThrownBy(() -> ConstrainedLowerLevel.builder(X, Z, FB, GB).slaterPoint(5, 1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside Z");
        assertThatThrownBy(() -> ConstrainedLowerLevel.builder(X, Z, FB, GB).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Slater point");
    }

    @Test
    void suppliedMarginAndCapAreChecked() {
        assertThatThrownBy(() -> ConstrainedLowerLevel.builder(X, Z, FB, GB).slaterPoint(1, 1).margin(0.8).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceeds the measured margin");
        assertThatThrownBy(() -> ConstrainedLowerLevel.builder(X, Z, FB, GB).slaterPoint(1, 1).margin(-1).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConstrainedLowerLevel.builder(X, Z, FB, GB).slaterPoint(1, 1)
                .objectiveLowerBound(-8).multiplierCap(10).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("below the Slater bound");
        ConstrainedLowerLevel smaller = ConstrainedLowerLevel.builder(X, Z, FB, GB).slaterPoint(1, 1)
                .objectiveLowerBound(-8).margin(0.25).build();
        assertThat(smaller.multiplierBound().margin()).isEqualTo(0.25);
        assertThat(smaller.multiplierBound().bound()).isCloseTo((1.5 + 8) / 0.25, within(1e-9));
    }
}
