package org.bilevel4j.function;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.bilevel4j.testing.ProxContract;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class IndNonnegativeTest implements ProxContract<IndNonnegative> {

    @Override
    public List<IndNonnegative> functions() {
        return List.of(new IndNonnegative());
    }

    @Test
    void clipsNegativeEntriesAndKeepsTheOthers() {
        DMatrixRMaj x = new DMatrixRMaj(new double[][] {{-1.0, 0.0, 2.5}});
        assertThat(new IndNonnegative().prox(x, 3.0).data).containsExactly(0.0, 0.0, 2.5);
    }

    @Test
    void valueIsInfiniteOutsideAndForNaN() {
        IndNonnegative f = new IndNonnegative();
        assertThat(f.value(new DMatrixRMaj(new double[][] {{1.0, -1e-300}}))).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(f.value(new DMatrixRMaj(new double[][] {{1.0, Double.NaN}}))).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(f.value(new DMatrixRMaj(new double[][] {{1.0, 0.0}}))).isEqualTo(0.0);
    }
}
