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

    @Test
    void smoothPartValueGradientAndConstantsByHand() {
        DMatrixRMaj x = m(0.5, -1, 2, 1, 0.1, -0.5);
        // sum (a/2 x^2 + b x) + c with QUAD's a = (1, 2, 0.5, 0, 3, 1), b = (-1, 0.5, 0, 2, -3, 0), c = 0
        double want = (0.125 - 0.5) + (1 - 0.5) + (1 + 0) + (0 + 2) + (0.015 - 0.3) + (0.125 + 0);
        assertThat(QUAD.smoothValue(x)).isCloseTo(want, org.assertj.core.data.Offset.offset(1e-15));
        DMatrixRMaj g = new DMatrixRMaj(2, 3);
        QUAD.smoothGradient(x, g);
        assertThat(g.data).containsExactly(-0.5, -1.5, 1.0, 2.0, -2.7, -0.5);
        assertThat(QUAD.smoothLipschitz()).isEqualTo(3.0);
        assertThat(QUAD.smoothStrongConvexity()).isEqualTo(0.0);
        assertThat(LINEAR.smoothLipschitz()).isEqualTo(0.0);
        // with the constant c = 2 of LINEAR: 2 + sum b x
        assertThat(LINEAR.smoothValue(x)).isCloseTo(2 + 0.5 + 2 + 1 + 3 + 0 + 0.5,
                org.assertj.core.data.Offset.offset(1e-15));
        assertThat(QUAD.rows()).isEqualTo(2);
        assertThat(QUAD.cols()).isEqualTo(3);
        assertThat(QUAD.toString()).isEqualTo("BoxedQuadratic(2x3)");
        assertThat(QUAD.isConvex()).isTrue();
        assertThat(QUAD.isSeparable()).isTrue();
    }

    @Test
    void theBoxHasARelativeSlackOnlyInTheValue() {
        // QUAD's box: lo = (-1, -2, 0, -3, 0, -1), hi = (1, 2, 3, 0, 0.25, 5)
        DMatrixRMaj inside = m(1, 2, 3, 0, 0.25, 5);
        assertThat(QUAD.inBox(inside)).isTrue();
        assertThat(QUAD.value(inside)).isEqualTo(QUAD.smoothValue(inside));
        // the slack is 1e-12 max(1, |bound|): 5 + 4e-12 is inside, 5 + 6e-12 is not
        DMatrixRMaj near = m(1, 2, 3, 0, 0.25, 5 + 4e-12);
        assertThat(QUAD.inBox(near)).isTrue();
        DMatrixRMaj out = m(1, 2, 3, 0, 0.25, 5 + 6e-12);
        assertThat(QUAD.inBox(out)).isFalse();
        assertThat(QUAD.value(out)).isEqualTo(Double.POSITIVE_INFINITY);
        // a bound below 1 in size gets the absolute slack 1e-12
        assertThat(QUAD.inBox(m(1, 2, 3, 0, 0.25 + 0.9e-12, 5))).isTrue();
        assertThat(QUAD.inBox(m(1, 2, 3, 0, 0.25 + 1.1e-12, 5))).isFalse();
        assertThat(QUAD.inBox(m(-1 - 0.9e-12, 2, 3, 0, 0.25, 5))).isTrue();
        assertThat(QUAD.inBox(m(-1 - 1.1e-12, 2, 3, 0, 0.25, 5))).isFalse();
        assertThat(QUAD.inBox(m(1, 2, 3, -3 - 2.9e-12, 0.25, 5))).isTrue();
        assertThat(QUAD.inBox(m(1, 2, 3, -3 - 3.1e-12, 0.25, 5))).isFalse();
        assertThat(QUAD.inBox(m(Double.NaN, 2, 3, 0, 0.25, 5))).isFalse();
        // the prox lands exactly in the box and returns the value there
        DMatrixRMaj p = new DMatrixRMaj(2, 3);
        double v = QUAD.prox(m(9, 9, 9, 9, 9, 9), 0.5, p);
        assertThat(p.data).containsExactly(1, 2, 3, 0, 0.25, 5);
        assertThat(v).isCloseTo(QUAD.smoothValue(p), org.assertj.core.data.Offset.offset(1e-15));
        assertThatThrownBy(() -> QUAD.smoothValue(new DMatrixRMaj(3, 2))).hasMessageContaining("2x3");
    }

    @Test
    void combineWeighsEveryCoefficientAndKeepsTheBox() {
        BoxedQuadratic lin2 = new BoxedQuadratic(m(1, 2, 3, 4, 5, 6), m(1, 1, 1, 1, 1, 1), 4.0,
                m(0, 0, 0, -1, 0, 0), m(1, 2, 3, 1, 0.5, 4));
        BoxedQuadratic s = BoxedQuadratic.combine(0.5, LINEAR, 2, lin2);
        for (int i = 0; i < 6; i++) {
            assertThat(s.curvature(i / 3, i % 3)).isEqualTo(2 * lin2.curvature(i / 3, i % 3));
            assertThat(s.linear(i / 3, i % 3)).isEqualTo(0.5 * LINEAR.linear(i / 3, i % 3) + 2);
            assertThat(s.lower(i / 3, i % 3)).isEqualTo(LINEAR.lower(i / 3, i % 3));
            assertThat(s.upper(i / 3, i % 3)).isEqualTo(LINEAR.upper(i / 3, i % 3));
        }
        assertThat(s.smoothValue(new DMatrixRMaj(2, 3))).isEqualTo(0.5 * 2 + 2 * 4);
        assertThatThrownBy(() -> BoxedQuadratic.combine(-1, LINEAR, 1, lin2)).hasMessageContaining("w1");
        assertThatThrownBy(() -> BoxedQuadratic.combine(1, LINEAR, -1, lin2)).hasMessageContaining("w2");
        BoxedQuadratic otherHi = new BoxedQuadratic(m(0, 0, 0, 0, 0, 0), m(0, 0, 0, 0, 0, 0), 0,
                m(0, 0, 0, -1, 0, 0), m(1, 2, 3, 1, 0.5, 5));
        assertThatThrownBy(() -> BoxedQuadratic.combine(1, LINEAR, 1, otherHi)).hasMessageContaining("same box");
        BoxedQuadratic otherShape = new BoxedQuadratic(new DMatrixRMaj(3, 2), new DMatrixRMaj(3, 2), 0,
                new DMatrixRMaj(3, 2), new DMatrixRMaj(3, 2));
        assertThatThrownBy(() -> BoxedQuadratic.combine(1, LINEAR, 1, otherShape)).hasMessageContaining("same box");
        assertThatThrownBy(() -> new BoxedQuadratic(m(0, 0, 0, 0, 0, 0), new DMatrixRMaj(3, 2), 0,
                m(0, 0, 0, 0, 0, 0), m(1, 1, 1, 1, 1, 1))).hasMessageContaining("shape 2x3");
        assertThatThrownBy(() -> new BoxedQuadratic(m(0, 0, 0, 0, 0, 0), m(0, 0, 0, 0, 0, 0), Double.NaN,
                m(0, 0, 0, 0, 0, 0), m(1, 1, 1, 1, 1, 1))).hasMessageContaining("c must be finite");
        assertThatThrownBy(() -> new BoxedQuadratic(m(0, 0, 0, 0, 0, 0), m(0, Double.NaN, 0, 0, 0, 0), 0,
                m(0, 0, 0, 0, 0, 0), m(1, 1, 1, 1, 1, 1))).hasMessageContaining("b must be finite");
    }

    /** Each bound is widened by BOX_SLACK max(1, |bound|): here 1e-12 around the bounds 0, inclusive. */
    @Test
    void inBoxIncludesTheWidenedBoundsAndChecksTheShape() {
        assertThat(QUAD.inBox(m(0, 0, -1e-12, -1, 0.1, 0))).isTrue();
        assertThat(QUAD.inBox(m(0, 0, 1, 1e-12, 0.1, 0))).isTrue();
        assertThat(QUAD.inBox(m(0, 0, -2e-12, -1, 0.1, 0))).isFalse();
        assertThat(QUAD.inBox(m(0, 0, 1, 2e-12, 0.1, 0))).isFalse();
        assertThatThrownBy(() -> QUAD.inBox(new DMatrixRMaj(2, 2)))
                .hasMessage("BoxedQuadratic is defined on 2x3 matrices, got 2x2");
        assertThatThrownBy(() -> QUAD.smoothGradient(new DMatrixRMaj(3, 2), new DMatrixRMaj(2, 3)))
                .hasMessage("BoxedQuadratic is defined on 2x3 matrices, got 3x2");
        assertThatThrownBy(() -> QUAD.smoothGradient(new DMatrixRMaj(2, 3), new DMatrixRMaj(3, 2)))
                .hasMessage("BoxedQuadratic is defined on 2x3 matrices, got 3x2");
    }
}
