package org.bilevel4j.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.bilevel4j.testing.ProxContract;
import org.bilevel4j.testing.SmoothContract;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class SqrNormL2Test implements ProxContract<SqrNormL2>, SmoothContract<SqrNormL2> {

    @Override
    public List<SqrNormL2> functions() {
        return List.of(new SqrNormL2(0.0), new SqrNormL2(), new SqrNormL2(0.25), new SqrNormL2(7.0));
    }

    @Test
    void proxDividesByOnePlusTLambda() {
        DMatrixRMaj x = new DMatrixRMaj(new double[][] {{3.0}, {-6.0}});
        // lambda = 2, t = 0.25: 1 + t lambda = 1.5
        DMatrixRMaj out = new DMatrixRMaj(2, 1);
        double v = new SqrNormL2(2.0).prox(x, 0.25, out);
        assertThat(out.data).containsExactly(2.0, -4.0);
        assertThat(v).isEqualTo(0.5 * 2.0 * (4.0 + 16.0));
    }

    @Test
    void gradientIsLambdaXAndConstantsAreAsDocumented() {
        DMatrixRMaj x = new DMatrixRMaj(new double[][] {{1.0, -2.0}});
        DMatrixRMaj g = new DMatrixRMaj(1, 2);
        assertThat(new SqrNormL2(3.0).valueAndGradient(x, g)).isEqualTo(7.5);
        assertThat(g.data).containsExactly(3.0, -6.0);
        assertThat(new SqrNormL2(3.0).lipschitzConstant().getAsDouble()).isEqualTo(3.0);
        assertThat(new SqrNormL2(3.0).lipschitzConstant(2, 2)).isEmpty();
        assertThat(new SqrNormL2(0.0).lipschitzConstant(2, 2).getAsDouble()).isEqualTo(0.0);
        assertThat(new SqrNormL2(3.0).isStronglyConvex()).isTrue();
        assertThat(new SqrNormL2(0.0).isStronglyConvex()).isFalse();
        assertThat(new SqrNormL2(3.0).lambda()).isEqualTo(3.0);
        assertThat(new SqrNormL2().lambda()).isEqualTo(1.0);
        assertThat(new SqrNormL2(3.0)).hasToString("SqrNormL2(3.0)");
    }

    @Test
    void rejectsNegativeAndNaNWeights() {
        assertThatThrownBy(() -> new SqrNormL2(-2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("lambda must be finite and nonnegative, got -2.0");
        assertThatThrownBy(() -> new SqrNormL2(Double.NaN)).hasMessage("lambda must be finite and nonnegative, got NaN");
    }
}
