package org.bilevel4j.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.bilevel4j.testing.ProxContract;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class BoxedQuadraticTest implements ProxContract<BoxedQuadratic> {

    private static DMatrixRMaj m(double... v) {
        return new DMatrixRMaj(2, 3, true, v);
    }

    private static final BoxedQuadratic LINEAR = new BoxedQuadratic(m(0, 0, 0, 0, 0, 0), m(1, -2, 0.5, 3, 0, -1),
            2.0, m(0, 0, 0, -1, 0, 0), m(1, 2, 3, 1, 0.5, 4));
    private static final BoxedQuadratic QUAD = new BoxedQuadratic(m(1, 2, 0.5, 0, 3, 1), m(-1, 0.5, 0, 2, -3, 0),
            0.0, m(-1, -2, 0, -3, 0, -1), m(1, 2, 3, 0, 0.25, 5));

    @Override
    public List<BoxedQuadratic> functions() {
        return List.of(LINEAR, QUAD);
    }

    @Override
    public List<int[]> shapes(BoxedQuadratic f) {
        return List.of(new int[] {2, 3});
    }

    @Test
    void proxIsTheClippedAffineMap() {
        DMatrixRMaj x = m(0.8, 3, -1, 0.5, 2, 2);
        DMatrixRMaj out = new DMatrixRMaj(2, 3);
        double t = 0.5;
        QUAD.prox(x, t, out);
        for (int i = 0; i < 6; i++) {
            double a = QUAD.curvature(i / 3, i % 3);
            double b = QUAD.linear(i / 3, i % 3);
            double v = Math.min(Math.max((x.data[i] - t * b) / (1 + t * a), QUAD.lower(i / 3, i % 3)),
                    QUAD.upper(i / 3, i % 3));
            assertThat(out.data[i]).isEqualTo(v);
        }
    }

    @Test
    void combineAddsCoefficients() {
        BoxedQuadratic lin2 = new BoxedQuadratic(m(1, 1, 1, 1, 1, 1), m(0, 0, 0, 0, 0, 0), 1.0,
                m(0, 0, 0, -1, 0, 0), m(1, 2, 3, 1, 0.5, 4));
        BoxedQuadratic s = BoxedQuadratic.combine(1.0, LINEAR, 0.25, lin2);
        DMatrixRMaj x = m(0.5, 1, 2, 0, 0.1, 3);
        assertThat(s.value(x)).isCloseTo(LINEAR.value(x) + 0.25 * lin2.value(x), org.assertj.core.data.Offset
                .offset(1e-12));
        assertThatThrownBy(() -> BoxedQuadratic.combine(1, LINEAR, 1, QUAD)).isInstanceOf(
                IllegalArgumentException.class).hasMessageContaining("same box");
    }

    @Test
    void rejectsBadCoefficients() {
        assertThatThrownBy(() -> new BoxedQuadratic(m(-1, 0, 0, 0, 0, 0), m(0, 0, 0, 0, 0, 0), 0,
                m(0, 0, 0, 0, 0, 0), m(1, 1, 1, 1, 1, 1))).hasMessageContaining("a must be finite and nonnegative");
        assertThatThrownBy(() -> new BoxedQuadratic(m(0, 0, 0, 0, 0, 0), m(0, 0, 0, 0, 0, 0), 0,
                m(2, 0, 0, 0, 0, 0), m(1, 1, 1, 1, 1, 1))).hasMessageContaining("lo <= hi");
    }
}
