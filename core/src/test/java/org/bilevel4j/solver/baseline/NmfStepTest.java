package org.bilevel4j.solver.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.random.RandomGeneratorFactory;
import org.bilevel4j.problem.BlockIterate;
import org.bilevel4j.solver.Result;
import org.bilevel4j.solver.SolverOptions;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The multiplicative updates of Lee and Seung (2001) for {@code 1/2 ||M - W H||_F^2}, written out:
 * <pre>
 *   H_kj &lt;- H_kj (W^T M)_kj / ((W^T W H)_kj + eps),   then   W_ik &lt;- W_ik (M H^T)_ik / ((W H H^T)_ik + eps)
 * </pre>
 * with the new H in the W update.
 */
class NmfStepTest {

    /** One Lee-Seung iteration by plain loops, in place. */
    static void leeSeung(double[][] m, double[][] w, double[][] h) {
        int rows = m.length;
        int cols = m[0].length;
        int r = h.length;
        double[][] hNew = new double[r][cols];
        for (int k = 0; k < r; k++) {
            for (int j = 0; j < cols; j++) {
                double num = 0;
                double den = 0;
                for (int i = 0; i < rows; i++) {
                    num += w[i][k] * m[i][j];
                    double wh = 0;
                    for (int q = 0; q < r; q++) {
                        wh += w[i][q] * h[q][j];
                    }
                    den += w[i][k] * wh;
                }
                hNew[k][j] = h[k][j] * num / (den + Nmf.EPS);
            }
        }
        for (int k = 0; k < r; k++) {
            h[k] = hNew[k];
        }
        double[][] wNew = new double[rows][r];
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < r; k++) {
                double num = 0;
                double den = 0;
                for (int j = 0; j < cols; j++) {
                    num += m[i][j] * h[k][j];
                    double wh = 0;
                    for (int q = 0; q < r; q++) {
                        wh += w[i][q] * h[q][j];
                    }
                    den += wh * h[k][j];
                }
                wNew[i][k] = w[i][k] * num / (den + Nmf.EPS);
            }
        }
        for (int i = 0; i < rows; i++) {
            w[i] = wNew[i];
        }
    }

    static double loss(double[][] m, double[][] w, double[][] h) {
        double s = 0;
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < m[0].length; j++) {
                double wh = 0;
                for (int q = 0; q < h.length; q++) {
                    wh += w[i][q] * h[q][j];
                }
                s += (m[i][j] - wh) * (m[i][j] - wh);
            }
        }
        return 0.5 * s;
    }

    private static double[][] array(DMatrixRMaj x) {
        double[][] a = new double[x.numRows][x.numCols];
        for (int i = 0; i < x.numRows; i++) {
            for (int j = 0; j < x.numCols; j++) {
                a[i][j] = x.get(i, j);
            }
        }
        return a;
    }

    private static void assertEqual(DMatrixRMaj x, double[][] expected, double tol) {
        assertThat(x.numRows).isEqualTo(expected.length);
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < expected[0].length; j++) {
                assertThat(x.get(i, j)).as("(%d, %d)", i, j).isCloseTo(expected[i][j], within(tol));
            }
        }
    }

    @Test
    void oneUpdateOnTwoByTwoByHand() {
        // M = [1 2; 3 4], W = (1, 1)^T, H = (1, 1): W^T M = (4, 6), W^T W H = (2, 2), so H = (2, 3);
        // M H^T = (8, 18), W H H^T = 13 (1, 1), so W = (8/13, 18/13)^T.
        // Loss before: 1/2 ||[0 1; 2 3]||^2 = 7; after: M - W H = [-3 2; 3 -2]/13, 1/2 * 26/169 = 1/13
        DMatrixRMaj m = new DMatrixRMaj(new double[][] {{1, 2}, {3, 4}});
        BlockIterate start = new BlockIterate(new DMatrixRMaj(new double[][] {{1}, {1}}),
                new DMatrixRMaj(new double[][] {{1, 1}}));
        Nmf nmf = new Nmf();
        NmfState s = nmf.init(m, start, SolverOptions.defaults());
        assertThat(s.loss()).isCloseTo(7, within(1e-14));
        assertThat(s.iteration()).isZero();
        nmf.step(m, s);
        assertThat(s.solution().y().data).containsExactly(new double[] {2, 3}, within(1e-14));
        assertThat(s.solution().x().data).containsExactly(new double[] {8.0 / 13, 18.0 / 13}, within(1e-14));
        assertThat(s.loss()).isCloseTo(1.0 / 13, within(1e-14));
        assertThat(s.objectives()).containsExactly(s.loss());
        double[] row = new double[1];
        s.traceValues(row);
        assertThat(row[0]).isEqualTo(s.loss());
        assertThat(s.iteration()).isEqualTo(1);
        assertThat(s.traceColumns()).containsExactly(NmfState.LOSS);
        assertThat(s.isFinite()).isTrue();
        assertThat(s.clippedEntries()).isZero();
    }

    @Test
    void theGuardIsAddedToTheDenominators() {
        // at the scale 1e-8 the guard eps = 1e-16 dominates the denominators: M = W = H = 1e-8 (1 x 1),
        // H1 = 1e-8 * 1e-16 / (1e-24 + 1e-16) = 1e-8 / (1 + 1e-8) (without the guard it would be 1),
        // W1 = 1e-8 * (1e-8 H1) / (1e-8 H1^2 + 1e-16)
        double v = 1e-8;
        DMatrixRMaj m = new DMatrixRMaj(new double[][] {{v}});
        BlockIterate start = new BlockIterate(m, m);
        NmfState s = new Nmf().init(m, start, SolverOptions.defaults());
        new Nmf().step(m, s);
        double h1 = v * (v * v) / (v * v * v + Nmf.EPS);
        double w1 = v * (v * h1) / (v * h1 * h1 + Nmf.EPS);
        assertThat(h1).isCloseTo(v / (1 + 1e-8), within(1e-15 * v));
        assertThat(s.solution().y().get(0, 0)).isCloseTo(h1, within(1e-12 * v));
        assertThat(s.solution().x().get(0, 0)).isCloseTo(w1, within(1e-12 * v));
    }

    @Test
    void anOverflowingLossIsNotAFiniteStart() {
        DMatrixRMaj m = Reference.uniform(3, 3, 0, 1, 3);
        m.set(1, 1, 1e200);
        BlockIterate start = Nmf.uniformStart(3, 3, 1, 1);
        NmfState s = new Nmf().init(m, start, SolverOptions.defaults());
        assertThat(s.loss()).isInfinite();
        assertThat(s.isFinite()).isFalse();
        assertThatThrownBy(() -> new Nmf().solve(m, start, SolverOptions.defaults()))
                .hasMessageContaining("non-finite");
    }

    @Test
    void iterationsFollowTheUpdatesWrittenOut() {
        // rank 2 on 5 x 4 data with a zero row and a zero column: the eps keeps 0/0 away
        DMatrixRMaj m = Reference.uniform(5, 4, 0, 3, 21);
        for (int j = 0; j < 4; j++) {
            m.set(2, j, 0);
        }
        for (int i = 0; i < 5; i++) {
            m.set(i, 3, 0);
        }
        BlockIterate start = Nmf.uniformStart(5, 4, 2, 9);
        double[][] md = array(m);
        double[][] w = array(start.x());
        double[][] h = array(start.y());
        Result<BlockIterate> r = new Nmf().solve(m, start, SolverOptions.builder().maxIterations(30).build());
        double[] traced = r.trace().column(NmfState.LOSS);
        for (int k = 0; k < 30; k++) {
            leeSeung(md, w, h);
            // reached: about 1e-15 relative (the loss from the Gram matrices, not from the residual)
            assertThat(traced[k]).as("iteration %d", k + 1).isCloseTo(loss(md, w, h), within(1e-12));
        }
        assertEqual(r.solution().x(), w, 1e-12);
        assertEqual(r.solution().y(), h, 1e-12);
        // the zero row of M zeroes the row of W, the zero column the column of H, without NaN
        assertThat(r.solution().x().get(2, 0)).isLessThan(1e-10);
        assertThat(r.solution().y().get(1, 3)).isLessThan(1e-10);
    }

    @Test
    void negativeEntriesAreClippedInACopy() {
        DMatrixRMaj m = Reference.uniform(4, 3, -1, 2, 8);
        DMatrixRMaj before = m.copy();
        long negative = 0;
        double[][] clipped = array(m);
        for (double[] row : clipped) {
            for (int j = 0; j < row.length; j++) {
                if (row[j] < 0) {
                    negative++;
                    row[j] = 0;
                }
            }
        }
        assertThat(negative).isGreaterThan(0);
        assertThat(Nmf.countNegative(m)).isEqualTo(negative);
        BlockIterate start = Nmf.uniformStart(4, 3, 2, 1);
        NmfState s = new Nmf().init(m, start, SolverOptions.defaults());
        assertThat(s.clippedEntries()).isEqualTo(negative);
        double[][] w = array(start.x());
        double[][] h = array(start.y());
        assertThat(s.loss()).isCloseTo(loss(clipped, w, h), within(1e-13));
        for (int k = 0; k < 3; k++) {
            new Nmf().step(m, s);
            leeSeung(clipped, w, h);
        }
        assertEqual(s.solution().x(), w, 1e-13);
        assertThat(s.loss()).isCloseTo(loss(clipped, w, h), within(1e-13));
        assertThat(m.data).isEqualTo(before.data);
        assertThat(Nmf.countNegative(new DMatrixRMaj(new double[][] {{0, -0.0, 1}}))).isZero();
    }

    @Test
    void rollbackReturnsToTheCommittedFactorsAndContinuesFromThem() {
        DMatrixRMaj m = Reference.uniform(6, 5, 0, 1, 2);
        Nmf nmf = new Nmf();
        NmfState s = nmf.init(m, Nmf.uniformStart(6, 5, 2, 3), SolverOptions.defaults());
        nmf.step(m, s);
        s.commit();
        BlockIterate committed = s.solution();
        double[][] w = array(committed.x());
        double[][] h = array(committed.y());
        nmf.step(m, s);
        nmf.step(m, s);
        s.rollback();
        assertThat(s.solution().x().data).isEqualTo(committed.x().data);
        assertThat(s.solution().y().data).isEqualTo(committed.y().data);
        // the next step starts from the committed factors (with their own W^T W)
        nmf.step(m, s);
        leeSeung(array(m), w, h);
        assertEqual(s.solution().x(), w, 1e-13);
        assertEqual(s.solution().y(), h, 1e-13);
    }

    @Test
    void theUniformStartIsTheSeededSequenceWRowByRowThenH() {
        BlockIterate a = Nmf.uniformStart(3, 4, 2, 77);
        var rnd = RandomGeneratorFactory.of("L64X128MixRandom").create(77);
        assertThat(a.x().numRows).isEqualTo(3);
        assertThat(a.x().numCols).isEqualTo(2);
        assertThat(a.y().numRows).isEqualTo(2);
        assertThat(a.y().numCols).isEqualTo(4);
        for (double v : a.x().data) {
            assertThat(v).isEqualTo(rnd.nextDouble());
        }
        for (double v : a.y().data) {
            assertThat(v).isEqualTo(rnd.nextDouble());
        }
        assertThat(Nmf.uniformStart(3, 4, 1, 77).x().numCols).isEqualTo(1);
        assertThatThrownBy(() -> Nmf.uniformStart(3, 4, 0, 1)).hasMessageContaining("rank");
    }

    @Test
    void initRejectsWhatDoesNotFit() {
        DMatrixRMaj m = Reference.uniform(4, 3, 0, 1, 1);
        Nmf nmf = new Nmf();
        for (BlockIterate bad : new BlockIterate[] {Nmf.uniformStart(5, 3, 2, 1), Nmf.uniformStart(4, 2, 2, 1),
            new BlockIterate(new DMatrixRMaj(4, 2), new DMatrixRMaj(3, 3))}) {
            assertThatThrownBy(() -> nmf.init(m, bad, SolverOptions.defaults()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("do not factor a 4x3");
        }
        DMatrixRMaj nan = m.copy();
        nan.set(1, 1, Double.NaN);
        assertThatThrownBy(() -> nmf.init(nan, Nmf.uniformStart(4, 3, 2, 1), SolverOptions.defaults()))
                .hasMessageContaining("non-finite");
        BlockIterate good = Nmf.uniformStart(4, 3, 2, 1);
        DMatrixRMaj wNan = good.x().copy();
        wNan.set(0, 0, Double.NaN);
        assertThatThrownBy(() -> nmf.init(m, new BlockIterate(wNan, good.y()), SolverOptions.defaults()))
                .hasMessageContaining("start W");
        DMatrixRMaj hNeg = good.y().copy();
        hNeg.set(1, 2, -1e-300);
        assertThatThrownBy(() -> nmf.init(m, new BlockIterate(good.x(), hNeg), SolverOptions.defaults()))
                .hasMessageContaining("start H");
        DMatrixRMaj hNan = good.y().copy();
        hNan.set(0, 0, Double.NaN);
        assertThatThrownBy(() -> nmf.init(m, new BlockIterate(good.x(), hNan), SolverOptions.defaults()))
                .hasMessageContaining("start H");
        // zeros are allowed
        assertThat(nmf.init(m, new BlockIterate(new DMatrixRMaj(4, 2), new DMatrixRMaj(2, 3)),
                SolverOptions.defaults()).loss()).isCloseTo(0.5 * Math.pow(Reference.frobenius(m), 2), within(1e-14));
        assertThat(nmf.name()).isEqualTo("NMF(Lee-Seung)");
    }

    /**
     * Whether M is kept by columns moves no bit: 30 iterations from one state that keeps the copy and one that does
     * not, at a shape where the default rule drops it when the Vector API's padded kernel runs (1100 x 1000, r = 10).
     */
    @Test
    void keepingMByColumnsOrNotGivesTheSameIterationsBitForBit() {
        DMatrixRMaj m = Reference.uniform(1100, 1000, 0, 1, 43);
        BlockIterate start = Nmf.uniformStart(1100, 1000, 10, 44);
        NmfState kept = new NmfState(m, 0, start.x(), start.y(), true);
        NmfState dropped = new NmfState(m, 0, start.x(), start.y(), false);
        for (int it = 0; it < 30; it++) {
            kept.step();
            dropped.step();
            assertThat(dropped.loss()).as("loss, iteration %d", it).isEqualTo(kept.loss());
        }
        assertThat(dropped.solution().x().data).isEqualTo(kept.solution().x().data);
        assertThat(dropped.solution().y().data).isEqualTo(kept.solution().y().data);
    }
}
