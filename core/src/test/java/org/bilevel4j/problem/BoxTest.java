package org.bilevel4j.problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class BoxTest {

    @Test
    void projectionClipsEachCoordinateAndMayAlias() {
        Box b = Box.of(new double[] {-1, 0, 2}, new double[] {1, 0, 5});
        DMatrixRMaj x = DMatrixRMaj.wrap(3, 1, new double[] {3, -2, 4});
        DMatrixRMaj out = new DMatrixRMaj(3, 1);
        b.project(x, out);
        assertThat(out.data).containsExactly(1, 0, 4);
        assertThat(x.data).containsExactly(3, -2, 4); // not modified
        b.project(x, x);
        assertThat(x.data).containsExactly(1, 0, 4);
        assertThat(b.contains(x)).isTrue();
        assertThat(b.contains(DMatrixRMaj.wrap(3, 1, new double[] {0, 0.1, 3}))).isFalse();
    }

    @Test
    void diameterCenterConcatAndEmptyDimension() {
        Box b = Box.cube(2, -3, 1);
        assertThat(b.diameter()).isCloseTo(Math.sqrt(32), within(1e-15));
        assertThat(b.center().data).containsExactly(-1, -1);
        Box c = Box.concat(b, Box.none(), Box.of(new double[] {5}, new double[] {6}));
        assertThat(c.dimension()).isEqualTo(3);
        assertThat(c.lower(2)).isEqualTo(5);
        assertThat(c.upper(1)).isEqualTo(1);
        assertThat(Box.none().dimension()).isZero();
        assertThat(Box.none().diameter()).isZero();
        assertThat(Box.of(new double[] {2}, new double[] {2}).diameter()).isZero(); // a point is allowed
    }

    @Test
    void invertedEmptyOrUnboundedBoxesAreRejectedWithOneLine() {
        assertThatThrownBy(() -> Box.of(new double[] {0, 3}, new double[] {1, 1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("box is empty: lower bound 3.0 > upper bound 1.0 in coordinate 1");
        assertThatThrownBy(() -> Box.cube(1, 1, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> Box.of(new double[] {0}, new double[] {Double.POSITIVE_INFINITY}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("compact");
        assertThatThrownBy(() -> Box.of(new double[] {Double.NaN}, new double[] {1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("finite");
        assertThatThrownBy(() -> Box.of(new double[] {0}, new double[] {1, 2}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Box.cube(2, 0, 1).project(new DMatrixRMaj(3, 1), new DMatrixRMaj(3, 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
