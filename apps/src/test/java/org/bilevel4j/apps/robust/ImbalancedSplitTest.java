package org.bilevel4j.apps.robust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.bilevel4j.apps.cleaning.IdxReader;
import org.bilevel4j.apps.io.SharedData;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The seeded imbalanced split, on synthetic labels and on the real FashionMNIST files. */
class ImbalancedSplitTest {

    private static int[] syntheticLabels(int perClass, long seed) {
        int[] l = new int[perClass * 10];
        for (int i = 0; i < l.length; i++) {
            l[i] = i % 10;
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = l.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = l[i];
            l[i] = l[j];
            l[j] = t;
        }
        return l;
    }

    static void checkSplit(int[] labels, int[][] s) {
        assertThat(s[0]).hasSize(4992);
        assertThat(s[1]).hasSize(1000);
        Set<Integer> seen = new HashSet<>();
        int[] trainCount = new int[10];
        int[] valCount = new int[10];
        for (int i : s[0]) {
            assertThat(seen.add(i)).isTrue();
            trainCount[labels[i]]++;
        }
        for (int i : s[1]) {
            assertThat(seen.add(i)).as("validation and training are disjoint").isTrue();
            valCount[labels[i]]++;
        }
        assertThat(trainCount).containsExactly(78, 780, 78, 780, 78, 780, 78, 780, 780, 780);
        assertThat(valCount).containsOnly(100);
        // sorted by class
        for (int[] part : s) {
            for (int i = 1; i < part.length; i++) {
                assertThat(labels[part[i]]).isGreaterThanOrEqualTo(labels[part[i - 1]]);
            }
        }
    }

    @Test
    void splitHasTheIssuesSizesAndIsSeeded() {
        int[] labels = syntheticLabels(900, 3);
        int[][] a = ImbalancedSplit.split(labels, 0);
        checkSplit(labels, a);
        assertThat(ImbalancedSplit.split(labels, 0)).isDeepEqualTo(a);
        assertThat(Arrays.equals(ImbalancedSplit.split(labels, 1)[0], a[0])).isFalse();
        assertThatThrownBy(() -> ImbalancedSplit.split(syntheticLabels(879, 3), 0))
                .hasMessageContaining("has 879 samples, the split needs 880");
    }

    @Test
    void realSplitSizesAndSeeding() throws IOException {
        Path labelsFile = SharedData.require("fashion-mnist/train-labels-idx1-ubyte.gz");
        int[] labels = IdxReader.readLabels(labelsFile);
        for (long seed : new long[] {0, 1, 2}) {
            checkSplit(labels, ImbalancedSplit.split(labels, seed));
        }
        assertThat(ImbalancedSplit.split(labels, 0)).isDeepEqualTo(ImbalancedSplit.split(labels, 0));
        assertThat(Arrays.equals(ImbalancedSplit.split(labels, 0)[1], ImbalancedSplit.split(labels, 2)[1])).isFalse();
    }

    @Test
    @Tag("slow") // a long or real-data run: not rerun per mutant by PIT (docs/testing.md)
    void realFeaturesAreWhitenedOnTheTrainingSubset() throws IOException {
        Path folder = SharedData.require("fashion-mnist/train-images-idx3-ubyte.gz").getParent();
        ImbalancedSplit s = ImbalancedSplit.load(folder, 0);
        assertThat(s.dimension()).isEqualTo(65);
        assertThat(s.test().numRows).isEqualTo(10_000);
        assertThat(s.validation().numRows).isEqualTo(1000);
        DMatrixRMaj x = s.train();
        int n = x.numRows;
        for (int a = 0; a < 65; a += 8) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += x.get(i, a) / n;
            }
            for (int b = 0; b < 64; b += 9) {
                double c = 0;
                for (int i = 0; i < n; i++) {
                    c += x.get(i, a) * x.get(i, b) / n;
                }
                double want = a == 64 ? 0 : (a == b ? 1 : 0);
                assertThat(c).as("second moment %d %d", a, b).isCloseTo(want, org.assertj.core.data.Offset.offset(1e-8));
            }
            assertThat(mean).isCloseTo(a == 64 ? 1 : 0, org.assertj.core.data.Offset.offset(1e-10));
        }
        for (int j = 1; j < 64; j++) {
            assertThat(s.eigenvalues()[j]).isLessThanOrEqualTo(s.eigenvalues()[j - 1]);
        }
    }
}
