package org.bilevel4j.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.bilevel4j.testing.SmoothContract;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class ScaledSmoothTest implements SmoothContract<ScaledSmooth> {

    @Override
    public List<ScaledSmooth> functions() {
        return List.of(new ScaledSmooth(3.0, new SmoothL1(0.5)), new ScaledSmooth(0.1, new LogPenalty(1.0)),
                new ScaledSmooth(2.0, new SqrNormL2(1.5)));
    }

    @Test
    void scalesValueGradientAndConstant() {
        ScaledSmooth f = new ScaledSmooth(4.0, new SqrNormL2(0.5));
        DMatrixRMaj x = new DMatrixRMaj(new double[][] {{1.0, -2.0}});
        DMatrixRMaj g = new DMatrixRMaj(1, 2);
        assertThat(f.valueAndGradient(x, g)).isEqualTo(4.0 * 0.25 * 5.0);
        assertThat(g.data).containsExactly(2.0, -4.0);
        assertThat(f.lipschitzConstant().getAsDouble()).isEqualTo(2.0);
        assertThat(f.isStronglyConvex()).isTrue();
        assertThat(new ScaledSmooth(4.0, new LogPenalty(1.0)).isConvex()).isFalse();
        assertThat(f).hasToString("ScaledSmooth(4.0, SqrNormL2(0.5))");
        assertThat(f.scale()).isEqualTo(4.0);
        assertThat(f.inner()).isInstanceOf(SqrNormL2.class).hasToString("SqrNormL2(0.5)");
    }

    @Test
    void rejectsBadScales() {
        assertThatThrownBy(() -> new ScaledSmooth(-1.0, new Zero())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("scale must be finite and positive, got -1.0");
        assertThatThrownBy(() -> new ScaledSmooth(1.0, null)).hasMessage("inner function");
        assertThatThrownBy(() -> new ScaledSmooth(0.0, new Zero())).hasMessage("scale must be finite and positive, got 0.0");
    }
}
