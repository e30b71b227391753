package org.bilevel4j.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.random.RandomGenerator;
import org.bilevel4j.testing.ProxContract;
import org.bilevel4j.testing.TestMatrices;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class ScaledTest implements ProxContract<Scaled> {

    @Override
    public List<Scaled> functions() {
        return List.of(new Scaled(2.0, new NormL1(0.5)), new Scaled(0.3, new NuclearNorm(1.0)),
                new Scaled(5.0, new IndBox(-1, 1)), new Scaled(0.25, new SqrNormL2(2.0)),
                new Scaled(3.0, new Scaled(0.5, new SmoothL1(0.2))));
    }

    @Test
    void proxIsTheInnerProxWithTheScaledStep() {
        RandomGenerator rng = TestMatrices.rng(31);
        for (Scaled f : functions()) {
            for (int trial = 0; trial < 20; trial++) {
                DMatrixRMaj x = randomPoint(f, rng);
                double t = randomStep(rng);
                DMatrixRMaj p = new DMatrixRMaj(x.numRows, x.numCols);
                double value = f.prox(x, t, p);
                DMatrixRMaj q = new DMatrixRMaj(x.numRows, x.numCols);
                double inner = f.inner().prox(x, t * f.scale(), q);
                assertThat(p.data).containsExactly(q.data);
                assertThat(value).isEqualTo(f.scale() * inner);
                assertThat(f.value(x)).isEqualTo(f.scale() * f.inner().value(x));
            }
        }
    }

    @Test
    void lipschitzConstantAndTraitsCarryOver() {
        assertThat(new Scaled(3.0, new NormL1(0.5)).lipschitzConstant(1, 4).getAsDouble()).isEqualTo(3.0);
        assertThat(new Scaled(3.0, new IndBox(0, 1)).lipschitzConstant(1, 4)).isEmpty();
        Scaled box = new Scaled(3.0, new IndBox(0, 1));
        assertThat(box.isSetIndicator()).isTrue();
        assertThat(box.isSeparable()).isTrue();
        assertThat(box.isConvex()).isTrue();
        Scaled quad = new Scaled(3.0, new SqrNormL2(1.0));
        assertThat(quad.isStronglyConvex()).isTrue();
        assertThat(quad.isSmooth()).isTrue();
        assertThat(new Scaled(3.0, new NuclearNorm(1.0)).isSeparable()).isFalse();
        assertThat(quad).hasToString("Scaled(3.0, SqrNormL2(1.0))");
    }

    @Test
    void rejectsBadScalesAndSteps() {
        assertThatThrownBy(() -> new Scaled(0.0, new Zero())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("scale must be finite and positive, got 0.0");
        assertThatThrownBy(() -> new Scaled(Double.NaN, new Zero())).hasMessage("scale must be finite and positive, got NaN");
        assertThatThrownBy(() -> new Scaled(1.0, null)).isInstanceOf(NullPointerException.class)
                .hasMessage("inner function");
        // t a overflows: the inner step is reported
        Scaled f = new Scaled(1e300, new NormL1(1.0));
        assertThatThrownBy(() -> f.prox(new DMatrixRMaj(1, 1), 1e10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("prox step t must be positive and finite, got Infinity");
    }
}
