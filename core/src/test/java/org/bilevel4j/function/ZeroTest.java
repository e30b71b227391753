package org.bilevel4j.function;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.bilevel4j.testing.ProxContract;
import org.bilevel4j.testing.SmoothContract;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class ZeroTest implements ProxContract<Zero>, SmoothContract<Zero> {

    @Override
    public List<Zero> functions() {
        return List.of(new Zero());
    }

    @Test
    void proxIsTheIdentityAndTheGradientIsZero() {
        DMatrixRMaj x = new DMatrixRMaj(new double[][] {{1.5, -2.0, 0.0}});
        assertThat(new Zero().prox(x, 123.0).data).containsExactly(x.data);
        DMatrixRMaj g = new DMatrixRMaj(new double[][] {{9.0, 9.0, 9.0}});
        assertThat(new Zero().valueAndGradient(x, g)).isEqualTo(0.0);
        assertThat(g.data).containsExactly(0.0, 0.0, 0.0);
        assertThat(new Zero().lipschitzConstant().getAsDouble()).isEqualTo(0.0);
        assertThat(new Zero().lipschitzConstant(4, 5).getAsDouble()).isEqualTo(0.0);
        // its prox acts entry by entry (the identity), and it is convex and smooth
        assertThat(new Zero().isSeparable()).isTrue();
        assertThat(new Zero().isConvex()).isTrue();
        assertThat(new Zero().isSmooth()).isTrue();
    }
}
