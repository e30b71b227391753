package org.bilevel4j.apps.robust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/** {@link ClassLosses}' counts, its label and shape checks and the per-class accuracy (argmax, first on ties), by hand. */
class ClassLossesCountsAndAccuracyTest {

    /** Four samples in two features, labels 0, 1, 2, 1. */
    private static final DMatrixRMaj X = new DMatrixRMaj(new double[][] {{1, 0}, {0, 1}, {1, 1}, {2, -1}});
    private static final int[] LABELS = {0, 1, 2, 1};

    @Test
    void countsSamplesPerClass() {
        ClassLosses m = new ClassLosses(X, LABELS, 3);
        assertThat(m.samples()).isEqualTo(4);
        assertThat(m.count(0)).isEqualTo(1);
        assertThat(m.count(1)).isEqualTo(2);
        assertThat(m.count(2)).isEqualTo(1);
    }

    @Test
    void labelsMustBeClassesAndWMustBeDByK() {
        assertThatThrownBy(() -> new ClassLosses(X, new int[] {0, 1, 3, 1}, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("label 3 is not a class 0-2");
        assertThatThrownBy(() -> new ClassLosses(X, new int[] {0, -1, 2, 1}, 3))
                .hasMessage("label -1 is not a class 0-2");
        ClassLosses m = new ClassLosses(X, LABELS, 3);
        assertThatThrownBy(() -> m.classAccuracy(new DMatrixRMaj(3, 3))).hasMessage("W is 3 x 3, expected 2 x 3");
    }

    /**
     * W = [[1, 0, 0.5], [0, 1, 0.5]]: logits (1, 0, 0.5), (0, 1, 0.5), (1, 1, 1), (2, -1, 0.5); argmax 0, 1,
     * 0 (a three-way tie: the first class), 0. Right: sample 0 (class 0) and sample 1 (class 1 of 2).
     */
    @Test
    void classAccuracyTakesTheFirstClassOnTies() {
        ClassLosses m = new ClassLosses(X, LABELS, 3);
        DMatrixRMaj w = new DMatrixRMaj(new double[][] {{1, 0, 0.5}, {0, 1, 0.5}});
        assertThat(m.classAccuracy(w)).containsExactly(1.0, 0.5, 0.0);
    }
}
