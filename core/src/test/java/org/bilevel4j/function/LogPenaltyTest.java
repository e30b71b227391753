package org.bilevel4j.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.util.List;
import java.util.random.RandomGenerator;
import org.bilevel4j.testing.GradientCheck;
import org.bilevel4j.testing.SmoothContract;
import org.bilevel4j.testing.TestMatrices;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class LogPenaltyTest implements SmoothContract<LogPenalty> {

    @Override
    public List<LogPenalty> functions() {
        return List.of(new LogPenalty(0.1), new LogPenalty(1.0), new LogPenalty(30.0));
    }

    @Test
    void valueAndGradientAtKnownPoints() {
        LogPenalty f = new LogPenalty(2.0);
        DMatrixRMaj x = new DMatrixRMaj(new double[][] {{2.0, 0.0, -6.0}});
        DMatrixRMaj g = new DMatrixRMaj(1, 3);
        // log(1 + 1) + 0 + log(1 + 9); gradients 2x / (4 + x^2)
        assertThat(f.valueAndGradient(x, g)).isCloseTo(Math.log(2) + Math.log(10), offset(1e-15));
        assertThat(g.data).containsExactly(new double[] {0.5, 0.0, -0.3}, offset(1e-16));
        assertThat(f.isConvex()).isFalse();
        assertThat(f.isSeparable()).isTrue();
        assertThat(f).hasToString("LogPenalty(2.0)");
        assertThat(f.delta()).isEqualTo(2.0);
    }

    @Test
    void constantsAreAttained() {
        LogPenalty f = new LogPenalty(0.5);
        assertThat(f.lipschitzConstant().getAsDouble()).isEqualTo(8.0);
        // f'' = 2/delta^2 at 0
        double ratio = GradientCheck.assertLipschitz(f, new DMatrixRMaj(new double[][] {{1e-8}}),
                new DMatrixRMaj(new double[][] {{-1e-8}}));
        assertThat(ratio).isCloseTo(8.0, offset(1e-6));
        // |f'| peaks at 1/delta at |x| = delta: the function's own Lipschitz constant
        assertThat(f.lipschitzConstant(1, 4).getAsDouble()).isEqualTo(4.0);
        DMatrixRMaj g = new DMatrixRMaj(1, 1);
        f.valueAndGradient(new DMatrixRMaj(new double[][] {{0.5}}), g);
        assertThat(g.get(0, 0)).isEqualTo(2.0);
        RandomGenerator rng = TestMatrices.rng(4);
        for (int i = 0; i < 100; i++) {
            DMatrixRMaj x = TestMatrices.gaussian(2, 2, 2.0, rng);
            DMatrixRMaj y = TestMatrices.gaussian(2, 2, 2.0, rng);
            assertThat(Math.abs(f.value(x) - f.value(y))).isLessThanOrEqualTo(4.0 * TestMatrices.distance(x, y));
        }
    }

    @Test
    void valueAndGradientAvoidOverflow() {
        LogPenalty f = new LogPenalty(1e-100);
        DMatrixRMaj x = new DMatrixRMaj(new double[][] {{1e200}});
        DMatrixRMaj g = new DMatrixRMaj(1, 1);
        assertThat(f.valueAndGradient(x, g)).isCloseTo(2 * Math.log(1e300), offset(1e-12));
        assertThat(g.get(0, 0)).isCloseTo(2e-200, offset(1e-214));
    }

    @Test
    void rejectsNonPositiveDelta() {
        assertThatThrownBy(() -> new LogPenalty(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("delta must be finite and positive, got -1.0");
        assertThatThrownBy(() -> new LogPenalty(0.0)).hasMessage("delta must be finite and positive, got 0.0");
        assertThatThrownBy(() -> new LogPenalty(Double.POSITIVE_INFINITY))
                .hasMessage("delta must be finite and positive, got Infinity");
    }
}
