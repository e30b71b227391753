package org.bilevel4j.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.random.RandomGenerator;
import org.bilevel4j.testing.ProxContract;
import org.bilevel4j.testing.TestMatrices;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class IndBoxTest implements ProxContract<IndBox> {

    private static final double INF = Double.POSITIVE_INFINITY;
    private static final DMatrixRMaj LO = new DMatrixRMaj(new double[][] {{-1, 0, -INF}, {0.5, -2, 1}});
    private static final DMatrixRMaj HI = new DMatrixRMaj(new double[][] {{1, INF, 0}, {0.5, 3, 1.25}});

    @Override
    public List<IndBox> functions() {
        return List.of(new IndBox(-1, 1), new IndBox(0, INF), new IndBox(-INF, 0.5), new IndBox(-INF, INF),
                new IndBox(2, 3), new IndBox(LO, HI));
    }

    @Override
    public List<int[]> shapes(IndBox f) {
        return f.hasMatrixBounds() ? List.of(new int[] {2, 3}) : ProxContract.super.shapes(f);
    }

    @Test
    void clampsEveryEntryToItsBounds() {
        DMatrixRMaj x = new DMatrixRMaj(new double[][] {{-5, -5, 5}, {0, 7, 1.1}});
        DMatrixRMaj p = new IndBox(LO, HI).prox(x, 1.0);
        assertThat(p.data).containsExactly(-1, 0, 0, 0.5, 3, 1.1);
        assertThat(new IndBox(-1, 2).prox(x, 0.1).data).containsExactly(-1, -1, 2, 0, 2, 1.1);
    }

    @Test
    void aDegenerateBoxIsAPoint() {
        DMatrixRMaj x = TestMatrices.gaussian(3, 2, 1, TestMatrices.rng(3));
        IndBox f = new IndBox(0.75, 0.75);
        assertThat(f.prox(x, 2.0).data).containsOnly(0.75);
        assertThat(f.value(f.prox(x, 2.0))).isEqualTo(0.0);
    }

    @Test
    void matrixBoundsFixTheShape() {
        IndBox f = new IndBox(LO, HI);
        DMatrixRMaj wrong = new DMatrixRMaj(3, 2);
        assertThatThrownBy(() -> f.prox(wrong, 1.0, new DMatrixRMaj(3, 2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("IndBox with matrix bounds expects 2x3 input, got 3x2");
        assertThatThrownBy(() -> f.value(wrong)).hasMessage("IndBox with matrix bounds expects 2x3 input, got 3x2");
    }

    @Test
    void matrixBoundsAreCopied() {
        DMatrixRMaj lo = new DMatrixRMaj(new double[][] {{0}});
        DMatrixRMaj hi = new DMatrixRMaj(new double[][] {{1}});
        IndBox f = new IndBox(lo, hi);
        hi.set(0, 0, 100);
        assertThat(f.prox(new DMatrixRMaj(new double[][] {{5}}), 1.0).get(0, 0)).isEqualTo(1.0);
    }

    @Test
    void matrixBoundsAreReadPerEntryAndScalarBoundsEverywhere() {
        IndBox f = new IndBox(LO, HI);
        assertThat(f.hasMatrixBounds()).isTrue();
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                assertThat(f.lower(i, j)).as("lower(%d, %d)", i, j).isEqualTo(LO.get(i, j));
                assertThat(f.upper(i, j)).as("upper(%d, %d)", i, j).isEqualTo(HI.get(i, j));
            }
        }
        IndBox g = new IndBox(-2, 0.5);
        assertThat(g.hasMatrixBounds()).isFalse();
        assertThat(g.lower(7, 3)).isEqualTo(-2.0);
        assertThat(g.upper(0, 11)).isEqualTo(0.5);
    }

    /** With matrix bounds f is Lipschitz (constant 0) only when every bound of every entry is infinite. */
    @Test
    void matrixBoundsAreLipschitzOnlyWhenEveryBoundIsInfinite() {
        DMatrixRMaj open = new DMatrixRMaj(new double[][] {{-INF, -INF}, {-INF, -INF}});
        DMatrixRMaj openHi = new DMatrixRMaj(new double[][] {{INF, INF}, {INF, INF}});
        assertThat(new IndBox(open, openHi).lipschitzConstant(2, 2).getAsDouble()).isEqualTo(0.0);
        assertThat(new IndBox(LO, HI).lipschitzConstant(2, 3)).isEmpty();
        // one finite bound, in the last entry, below or above: the box is no longer the whole space
        DMatrixRMaj lastLo = open.copy();
        lastLo.set(1, 1, -3);
        assertThat(new IndBox(lastLo, openHi).lipschitzConstant(2, 2)).isEmpty();
        DMatrixRMaj lastHi = openHi.copy();
        lastHi.set(1, 1, 3);
        assertThat(new IndBox(open, lastHi).lipschitzConstant(2, 2)).isEmpty();
        assertThat(new IndBox(LO, HI).toString()).isEqualTo("IndBox(2x3 bounds)");
        assertThat(new IndBox(-1, 2.5).toString()).isEqualTo("IndBox(-1.0, 2.5)");
    }

    @Test
    void valueRejectsPointsOutsideAndNaN() {
        IndBox f = new IndBox(-1, 1);
        assertThat(f.value(new DMatrixRMaj(new double[][] {{1.0, -1.0}}))).isEqualTo(0.0);
        assertThat(f.value(new DMatrixRMaj(new double[][] {{1.0 + 1e-15, 0}}))).isEqualTo(INF);
        assertThat(f.value(new DMatrixRMaj(new double[][] {{Double.NaN, 0}}))).isEqualTo(INF);
        assertThat(new IndBox(-INF, INF).lipschitzConstant(2, 2).getAsDouble()).isEqualTo(0.0);
        assertThat(f.lipschitzConstant(2, 2)).isEmpty();
    }

    @Test
    void rejectsInvalidBounds() {
        assertThatThrownBy(() -> new IndBox(2, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("box needs lo <= hi, got lo = 2.0 > hi = 1.0");
        assertThatThrownBy(() -> new IndBox(Double.NaN, 1)).hasMessage("box bounds must not be NaN, got lo = NaN, hi = 1.0");
        assertThatThrownBy(() -> new IndBox(INF, INF)).hasMessage("box is empty: lo = Infinity, hi = Infinity");
        assertThatThrownBy(() -> new IndBox(-INF, -INF)).hasMessage("box is empty: lo = -Infinity, hi = -Infinity");
        DMatrixRMaj badHi = HI.copy();
        badHi.set(1, 2, 0.0);
        assertThatThrownBy(() -> new IndBox(LO, badHi)).hasMessage("box needs lo <= hi at (1, 2), got lo = 1.0 > hi = 0.0");
        assertThatThrownBy(() -> new IndBox(LO, new DMatrixRMaj(3, 2))).hasMessage("lo is 2x3 but hi is 3x2");
    }

    @Override
    public DMatrixRMaj randomPoint(IndBox f, int rows, int cols, RandomGenerator rng) {
        // some points inside the box, some outside
        return TestMatrices.gaussian(rows, cols, rng.nextBoolean() ? 0.5 : 3.0, rng);
    }
}
