package org.bilevel4j.linalg;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;
import org.bilevel4j.testing.TestMatrices;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * {@link Scratch}: areas of at least the shape asked for, kept per slot and thread and grown to the union of
 * the shapes, not kept above {@link Scratch#MAX_DOUBLES}; and the kernels that use them read nothing a caller
 * before them left there (results with an area full of NaN equal the results with a fresh one).
 */
class ScratchTest {

    @Test
    void anAreaIsKeptPerSlotAndThreadAndGrowsToTheUnionOfTheShapes() {
        onFreshThread(() -> { // the areas of a thread that no other test has used
            double[][] a = Scratch.rows(Scratch.SWEEP_P, 3, 50);
            assertThat(a.length).isGreaterThanOrEqualTo(3);
            assertThat(a[0].length).isGreaterThanOrEqualTo(50);
            assertThat(Scratch.rows(Scratch.SWEEP_P, 2, 40)).isSameAs(a);
            double[][] b = Scratch.rows(Scratch.SWEEP_P, 5, 20); // more rows, shorter: the union, 5 x 50
            assertThat(b).isNotSameAs(a);
            assertThat(b.length).isGreaterThanOrEqualTo(5);
            for (double[] row : b) {
                assertThat(row.length).isGreaterThanOrEqualTo(50);
            }
            assertThat(Scratch.rows(Scratch.SWEEP_P, 3, 50)).isSameAs(b);
            assertThat(Scratch.rows(Scratch.SWEEP_X, 3, 50)).isNotSameAs(b); // another slot
            AtomicReference<double[][]> other = new AtomicReference<>();
            onFreshThread(() -> other.set(Scratch.rows(Scratch.SWEEP_P, 3, 50)));
            assertThat(other.get()).isNotNull().isNotSameAs(b); // another thread
        });
    }

    @Test
    void largeAreasAndEmptyOnesAreNotKept() {
        int cols = Scratch.MAX_DOUBLES / 4 + 1;
        double[][] big = Scratch.rows(Scratch.QR_COLUMNS, 4, cols);
        assertThat(big.length).isEqualTo(4);
        assertThat(big[0].length).isEqualTo(cols);
        assertThat(Scratch.rows(Scratch.QR_COLUMNS, 4, cols)).isNotSameAs(big);
        assertThat(Scratch.rows(Scratch.QR_COLUMNS, 0, 10)).isEmpty();
        double[][] small = Scratch.rows(Scratch.QR_COLUMNS, 2, 8);
        assertThat(Scratch.rows(Scratch.QR_COLUMNS, 2, 8)).isSameAs(small);
    }

    @Test
    void anAreaOfExactlyTheLimitIsKeptAndAUnionAboveItIsNot() {
        onFreshThread(() -> {
            int half = Scratch.MAX_DOUBLES / 2;
            double[][] limit = Scratch.rows(Scratch.SWEEP_X, 2, half); // exactly MAX_DOUBLES: kept
            assertThat(Scratch.rows(Scratch.SWEEP_X, 2, half)).isSameAs(limit);
            // 4 x 8 after 2 x half: the union, 4 x half, is above the limit, so the area becomes 4 x 8
            double[][] narrow = Scratch.rows(Scratch.SWEEP_X, 4, 8);
            assertThat(narrow.length).isEqualTo(4);
            assertThat(narrow[0].length).isEqualTo(8);
            assertThat(Scratch.rows(Scratch.SWEEP_X, 4, 8)).isSameAs(narrow);
            // 1 x half after 2 x 8: the union, 2 x half, is exactly the limit and kept
            Scratch.rows(Scratch.SWEEP_P, 2, 8);
            double[][] union = Scratch.rows(Scratch.SWEEP_P, 1, half);
            assertThat(union.length).isEqualTo(2);
            assertThat(union[0].length).isEqualTo(half);
            assertThat(Scratch.rows(Scratch.SWEEP_P, 2, 8)).isSameAs(union);
        });
    }

    @Test
    void theThinQrAndTheSweepReadNothingThatWasLeftInTheirAreas() {
        RandomGenerator rng = TestMatrices.rng(77);
        for (int[] shape : new int[][] {{300, 7}, {7, 300}, {2304, 9}, {50, 50}, {1500, 20}}) {
            DMatrixRMaj a = TestMatrices.gaussian(shape[0], shape[1], 1, rng);
            double[] fresh = ThinFactorSvd.singularValues(a);
            poison(Scratch.QR_COLUMNS, 64, 4096);
            assertThat(ThinFactorSvd.singularValues(a)).as("%d x %d", shape[0], shape[1]).containsExactly(fresh);
        }
        DMatrixRMaj m = TestMatrices.gaussian(2500, 30, 1, rng);
        DMatrixRMaj x = TestMatrices.gaussian(2500, 4, 1, rng);
        DMatrixRMaj y = TestMatrices.gaussian(4, 30, 1, rng);
        TransposedMatrix columns = new TransposedMatrix(m);
        DMatrixRMaj p = new DMatrixRMaj(2500, 4);
        double residual = columns.multTransBAndResidual(x, y, p);
        double[] pFresh = p.data.clone();
        poison(Scratch.SWEEP_P, 8, 2048);
        poison(Scratch.SWEEP_X, 8, 2048);
        Arrays.fill(p.data, Double.NaN);
        assertThat(columns.multTransBAndResidual(x, y, p)).isEqualTo(residual);
        assertThat(p.data).containsExactly(pFresh);
    }

    /** Fills this thread's area of the slot (grown to at least rows x cols) with NaN. */
    private static void poison(int slot, int rows, int cols) {
        for (double[] row : Scratch.rows(slot, rows, cols)) {
            Arrays.fill(row, Double.NaN);
        }
    }

    /** Runs body on a new thread and rethrows what it threw there. */
    private static void onFreshThread(Runnable body) {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.start();
        try {
            t.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assertThat(t.isAlive()).as("the thread ended").isFalse();
        if (failure.get() instanceof Error e) {
            throw e;
        }
        assertThat(failure.get()).isNull();
    }
}
