package org.bilevel4j.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.bilevel4j.testing.ProxContract;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class NormL1Test implements ProxContract<NormL1> {

    @Override
    public List<NormL1> functions() {
        return List.of(new NormL1(0.0), new NormL1(0.3), new NormL1(2.5));
    }

    @Test
    void softThresholdsEachEntry() {
        DMatrixRMaj x = new DMatrixRMaj(new double[][] {{3.0, -0.5}, {-2.0, 1.0}});
        DMatrixRMaj out = new DMatrixRMaj(2, 2);
        // t lambda = 0.5 * 2 = 1
        double v = new NormL1(2.0).prox(x, 0.5, out);
        assertThat(out.data).containsExactly(2.0, 0.0, -1.0, 0.0);
        assertThat(v).isEqualTo(2.0 * 3.0);
    }

    @Test
    void lipschitzConstantIsLambdaTimesRootOfTheSize() {
        assertThat(new NormL1(0.5).lipschitzConstant(3, 12).getAsDouble()).isEqualTo(0.5 * 6.0);
        assertThat(new NormL1(0.5).lambda()).isEqualTo(0.5);
        assertThat(new NormL1(0.5)).hasToString("NormL1(0.5)");
    }

    @Test
    void rejectsNegativeAndNonFiniteWeights() {
        assertThatThrownBy(() -> new NormL1(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("lambda must be finite and nonnegative, got -1.0");
        assertThatThrownBy(() -> new NormL1(Double.NaN)).hasMessageContaining("lambda must be finite and nonnegative");
        assertThatThrownBy(() -> new NormL1(Double.POSITIVE_INFINITY))
                .hasMessageContaining("lambda must be finite and nonnegative");
    }
}
