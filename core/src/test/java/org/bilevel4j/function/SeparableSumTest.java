package org.bilevel4j.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import org.bilevel4j.testing.BruteForceProx;
import org.bilevel4j.testing.ProxContract;
import org.bilevel4j.testing.TestMatrices;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

class SeparableSumTest implements ProxContract<SeparableSum> {

    @Override
    public List<SeparableSum> functions() {
        return List.of(
                new SeparableSum(List.of(new NormL1(0.5), new SqrNormL2(1.0)), 2, 1),
                new SeparableSum(List.of(new NuclearNorm(0.7), new NormL1(0.2)), 2, 1),
                new SeparableSum(List.of(new IndBox(-1, 1), new IndNonnegative()), 1, 2),
                new SeparableSum(List.of(new Scaled(2.0, new NuclearNorm(0.3)), new IndBox(0, 2), new Zero()), 2, 1, 1));
    }

    @Override
    public List<int[]> shapes(SeparableSum f) {
        return List.of(new int[] {f.totalRows(), 1}, new int[] {f.totalRows(), 2});
    }

    /**
     * Block by block: the brute force of each part on its block (the grid search for separable parts,
     * Nelder–Mead from the block of x otherwise), stacked. Only the parts' values are used.
     */
    @Override
    public DMatrixRMaj referenceProx(SeparableSum f, DMatrixRMaj x, double t, DMatrixRMaj candidate) {
        DMatrixRMaj ref = new DMatrixRMaj(x.numRows, x.numCols);
        int row = 0;
        for (int i = 0; i < f.blockCount(); i++) {
            int rows = f.blockRows(i);
            DMatrixRMaj xb = CommonOps_DDRM.extract(x, row, row + rows, 0, x.numCols);
            DMatrixRMaj cb = CommonOps_DDRM.extract(candidate, row, row + rows, 0, x.numCols);
            ProxFunction part = f.part(i);
            DMatrixRMaj rb;
            if (part.isSeparable()) {
                DMatrixRMaj base = part.value(cb) < Double.POSITIVE_INFINITY ? cb : xb;
                rb = BruteForceProx.separable(part, xb, t, base, 2 * TestMatrices.maxAbsDifference(xb, cb) + 1);
            } else {
                rb = BruteForceProx.nelderMead(part, xb, t, xb, 0.2 * (1 + TestMatrices.maxAbs(xb)));
            }
            CommonOps_DDRM.insert(rb, ref, row, 0);
            row += rows;
        }
        return ref;
    }

    @Test
    void proxStacksThePartsProxes() {
        RandomGenerator rng = TestMatrices.rng(41);
        for (SeparableSum f : functions()) {
            for (int trial = 0; trial < 10; trial++) {
                DMatrixRMaj x = randomPoint(f, rng);
                double t = randomStep(rng);
                DMatrixRMaj p = new DMatrixRMaj(x.numRows, x.numCols);
                double value = f.prox(x, t, p);
                double sum = 0;
                int row = 0;
                for (int i = 0; i < f.blockCount(); i++) {
                    DMatrixRMaj xb = CommonOps_DDRM.extract(x, row, row + f.blockRows(i), 0, x.numCols);
                    DMatrixRMaj pb = new DMatrixRMaj(xb.numRows, xb.numCols);
                    sum += f.part(i).prox(xb, t, pb);
                    assertThat(CommonOps_DDRM.extract(p, row, row + f.blockRows(i), 0, x.numCols).data)
                            .as("block %d of %s", i, f).containsExactly(pb.data);
                    row += f.blockRows(i);
                }
                assertThat(value).isEqualTo(sum);
            }
        }
    }

    @Test
    void lipschitzConstantIsTheRootSumOfSquares() {
        SeparableSum f = new SeparableSum(List.of(new NormL1(0.5), new NuclearNorm(1.0)), 2, 1);
        // 0.5 sqrt(2 * 4) and 1 * sqrt(min(1, 4))
        assertThat(f.lipschitzConstant(3, 4).getAsDouble()).isCloseTo(Math.sqrt(2 + 1),
                offset(1e-15));
        assertThat(new SeparableSum(List.of(new NormL1(0.5), new IndNonnegative()), 2, 1).lipschitzConstant(3, 4))
                .isEmpty();
        assertThatThrownBy(() -> f.lipschitzConstant(4, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("SeparableSum has 3 rows, asked for 4");
    }

    @Test
    void traitsAreThoseOfEveryPart() {
        SeparableSum quad = new SeparableSum(List.of(new SqrNormL2(1.0), new SqrNormL2(2.0)), 1, 1);
        assertThat(quad.isStronglyConvex()).isTrue();
        assertThat(quad.isSmooth()).isTrue();
        assertThat(quad.isSeparable()).isTrue();
        SeparableSum mixed = new SeparableSum(List.of(new SqrNormL2(1.0), new NormL1(1.0)), 1, 1);
        assertThat(mixed.isStronglyConvex()).isFalse();
        assertThat(mixed.isSmooth()).isFalse();
        assertThat(mixed.isConvex()).isTrue();
        SeparableSum sets = new SeparableSum(List.of(new IndBox(0, 1), new IndBallL2(1.0)), 1, 1);
        assertThat(sets.isSetIndicator()).isTrue();
        assertThat(sets.isSeparable()).isFalse();
        assertThat(sets).hasToString("SeparableSum(IndBox(0.0, 1.0) on 1 rows, IndBallL2(1.0) on 1 rows)");
    }

    @Test
    void checksTheRowCount() {
        SeparableSum f = new SeparableSum(List.of(new NormL1(0.5), new SqrNormL2(1.0)), 2, 1);
        assertThatThrownBy(() -> f.prox(new DMatrixRMaj(4, 2), 1.0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("SeparableSum expects 3 rows (blocks of [2, 1]), got 4x2");
        assertThatThrownBy(() -> f.value(new DMatrixRMaj(2, 2)))
                .hasMessage("SeparableSum expects 3 rows (blocks of [2, 1]), got 2x2");
    }

    @Test
    void rejectsInvalidBlocks() {
        assertThatThrownBy(() -> new SeparableSum(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a separable sum needs at least one function");
        assertThatThrownBy(() -> new SeparableSum(List.of(new Zero()), 1, 2))
                .hasMessage("got 1 functions but 2 block row counts");
        assertThatThrownBy(() -> new SeparableSum(List.of(new Zero(), new Zero()), 1, 0))
                .hasMessage("block 1 must have a positive row count, got 0");
        assertThatThrownBy(() -> new SeparableSum(Arrays.asList(new Zero(), null), 1, 1))
                .isInstanceOf(NullPointerException.class).hasMessage("function 1");
    }

    @Test
    void blockRowsAreCopied() {
        int[] rows = {1, 1};
        SeparableSum f = new SeparableSum(List.of(new Zero(), new Zero()), rows);
        rows[0] = 5;
        assertThat(f.totalRows()).isEqualTo(2);
    }

    /** The l0 "norm" (number of nonzero entries) with its prox, hard thresholding at sqrt(2t): not convex. */
    private static final class CountNonzeros implements ProxFunction {
        @Override
        public double value(DMatrixRMaj x) {
            double n = 0;
            for (double v : x.data) {
                n += v != 0 ? 1 : 0;
            }
            return n;
        }

        @Override
        public double prox(DMatrixRMaj x, double t, DMatrixRMaj out) {
            double cut = Math.sqrt(2 * t);
            for (int i = 0; i < x.getNumElements(); i++) {
                out.data[i] = Math.abs(x.data[i]) > cut ? x.data[i] : 0.0;
            }
            return value(out);
        }
    }

    @Test
    void aSumIsConvexOnlyWhenEveryPartIs() {
        assertThat(new CountNonzeros().isConvex()).isFalse();
        assertThat(new SeparableSum(List.of(new NormL1(0.5), new SqrNormL2(1.0)), 2, 1).isConvex()).isTrue();
        assertThat(new SeparableSum(List.of(new NormL1(0.5), new CountNonzeros()), 2, 1).isConvex()).isFalse();
        assertThat(new SeparableSum(List.of(new CountNonzeros(), new NormL1(0.5)), 2, 1).isConvex()).isFalse();
    }
}
