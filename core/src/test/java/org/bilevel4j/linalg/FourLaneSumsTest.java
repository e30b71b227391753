package org.bilevel4j.linalg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The long sums of {@link MatOps} ({@code dot}, {@code sumAbs}, {@code sumTimesZero}): the scalar kernels
 * against the order their Javadoc states (four interleaved sums, the tail into the first, then
 * {@code (s0 + s1) + (s2 + s3)}), bit for bit, and {@link FourLaneSums} against the scalar kernels, bit for
 * bit, on slices of every length from 0 to 200 at every start, with NaN, infinities, signed zeros and
 * entries of very different magnitude (where any other order of the sums rounds differently).
 */
class FourLaneSumsTest {

    /** Entries of very different magnitude, some of them special values. */
    @Provide
    Arbitrary<double[]> entries() {
        Arbitrary<Double> finite = Arbitraries.doubles().between(-1, 1)
                .flatMap(v -> Arbitraries.integers().between(-30, 30).map(e -> v * Math.pow(2, e)));
        Arbitrary<Double> special = Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                0.0, -0.0, Double.MAX_VALUE, Double.MIN_VALUE);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(40, finite), net.jqwik.api.Tuple.of(1, special))
                .array(double[].class).ofMinSize(0).ofMaxSize(200);
    }

    /** The documented order: entry from + i into sum i mod 4 for the whole groups, the rest into sum 0. */
    private static double documented(double[] terms) {
        double[] s = new double[4];
        int whole = terms.length / 4 * 4;
        for (int i = 0; i < whole; i++) {
            s[i % 4] += terms[i];
        }
        for (int i = whole; i < terms.length; i++) {
            s[0] += terms[i];
        }
        return (s[0] + s[1]) + (s[2] + s[3]);
    }

    /** The kernels are tested wherever four lanes run natively, also where MatOps keeps its sums scalar. */
    private static boolean fourLanesRun() {
        return PanelKernels.AVAILABLE && FourLaneSums.runsNatively();
    }

    @Test
    void matOpsTakesFourLanesOnlyWhereTheyAreThePreferredVector() {
        // two shapes of DoubleVector in one process made C2 box the vectors of other kernels (FourLaneSums' Javadoc)
        int lanes = jdk.incubator.vector.DoubleVector.SPECIES_PREFERRED.length();
        assertThat(FourLaneSums.usable()).as("preferred lanes %d", lanes).isEqualTo(lanes == 4);
        assertThat(FourLaneSums.runsNatively()).as("preferred lanes %d", lanes).isEqualTo(lanes >= 4);
        assertThat(MatOps.FOUR_LANES).isEqualTo(PanelKernels.AVAILABLE && lanes == 4);
    }

    private static long bits(double v) {
        return Double.doubleToLongBits(v); // NaN canonical
    }

    @Property(tries = 300)
    void scalarKernelsSumInTheDocumentedOrder(@ForAll("entries") double[] a, @ForAll("entries") double[] b,
            @ForAll @IntRange(min = 0, max = 200) int p, @ForAll @IntRange(min = 0, max = 200) int q) {
        int n = Math.min(a.length, b.length);
        int from = Math.min(p, q) % (n + 1);
        int to = from + (Math.max(p, q) % (n - from + 1));
        double[] prod = new double[to - from];
        double[] abs = new double[to - from];
        double[] zero = new double[to - from];
        for (int i = from; i < to; i++) {
            prod[i - from] = a[i] * b[i];
            abs[i - from] = Math.abs(a[i]);
            zero[i - from] = a[i] * 0.0;
        }
        assertThat(bits(MatOps.dotScalar(a, b, from, to))).isEqualTo(bits(documented(prod)));
        assertThat(bits(MatOps.sumAbsScalar(a, from, to))).isEqualTo(bits(documented(abs)));
        assertThat(bits(MatOps.sumTimesZeroScalar(a, from, to))).isEqualTo(bits(documented(zero)));
        // the public entries, whichever kernel they take
        assertThat(bits(MatOps.dot(a, b, from, to))).isEqualTo(bits(documented(prod)));
        assertThat(bits(MatOps.sumAbs(a, from, to))).isEqualTo(bits(documented(abs)));
        assertThat(bits(MatOps.sumTimesZero(a, from, to))).isEqualTo(bits(documented(zero)));
    }

    @Property(tries = 300)
    void fourLanesGiveTheScalarBits(@ForAll("entries") double[] a, @ForAll("entries") double[] b,
            @ForAll @IntRange(min = 0, max = 200) int p, @ForAll @IntRange(min = 0, max = 200) int q) {
        assumeThat(fourLanesRun()).as("no native vector of four doubles here").isTrue();
        int n = Math.min(a.length, b.length);
        int from = Math.min(p, q) % (n + 1);
        int to = from + (Math.max(p, q) % (n - from + 1));
        assertThat(bits(FourLaneSums.dot(a, b, from, to))).isEqualTo(bits(MatOps.dotScalar(a, b, from, to)));
        assertThat(bits(FourLaneSums.sumAbs(a, from, to))).isEqualTo(bits(MatOps.sumAbsScalar(a, from, to)));
        assertThat(bits(FourLaneSums.sumTimesZero(a, from, to)))
                .isEqualTo(bits(MatOps.sumTimesZeroScalar(a, from, to)));
    }

    @Test
    void everyLengthAndStartAroundTheVectorLoop() {
        assumeThat(fourLanesRun()).as("no native vector of four doubles here").isTrue();
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
        double[] a = new double[80];
        double[] b = new double[80];
        for (int i = 0; i < a.length; i++) {
            a[i] = (rnd.nextDouble() - 0.5) * Math.pow(2, rnd.nextInt(-20, 21));
            b[i] = (rnd.nextDouble() - 0.5) * Math.pow(2, rnd.nextInt(-20, 21));
        }
        for (int from = 0; from < 9; from++) {
            for (int to = from; to <= from + 41; to++) {
                assertThat(bits(FourLaneSums.dot(a, b, from, to))).as("dot [%d, %d)", from, to)
                        .isEqualTo(bits(MatOps.dotScalar(a, b, from, to)));
                assertThat(bits(FourLaneSums.sumAbs(a, from, to))).as("sumAbs [%d, %d)", from, to)
                        .isEqualTo(bits(MatOps.sumAbsScalar(a, from, to)));
            }
        }
    }

    /** Slices across chunk boundaries and past the public entries' threshold: the scalar bits through MatOps too. */
    @Test
    void longSlicesAcrossChunksGiveTheScalarBits() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(9);
        int n = MatOps.FOUR_LANE_MIN + 3 * FourLaneSums.CHUNK + 7;
        double[] a = new double[n];
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = (rnd.nextDouble() - 0.5) * Math.pow(2, rnd.nextInt(-30, 31));
            b[i] = (rnd.nextDouble() - 0.5) * Math.pow(2, rnd.nextInt(-30, 31));
        }
        int[][] ranges = {{0, n}, {3, n}, {1, n - 2}, {5, 5 + MatOps.FOUR_LANE_MIN}, {0, 2 * FourLaneSums.CHUNK},
            {2, 2 + FourLaneSums.CHUNK + 1}, {7, 7 + FourLaneSums.CHUNK - 1}};
        for (int[] r : ranges) {
            assertThat(bits(MatOps.dot(a, b, r[0], r[1]))).as("dot %d..%d", r[0], r[1])
                    .isEqualTo(bits(MatOps.dotScalar(a, b, r[0], r[1])));
            assertThat(bits(MatOps.sumAbs(a, r[0], r[1]))).as("sumAbs %d..%d", r[0], r[1])
                    .isEqualTo(bits(MatOps.sumAbsScalar(a, r[0], r[1])));
            assertThat(bits(MatOps.sumTimesZero(a, r[0], r[1]))).isEqualTo(0L);
            if (fourLanesRun()) {
                assertThat(bits(FourLaneSums.dot(a, b, r[0], r[1]))).as("four lanes, dot %d..%d", r[0], r[1])
                        .isEqualTo(bits(MatOps.dotScalar(a, b, r[0], r[1])));
                assertThat(bits(FourLaneSums.sumAbs(a, r[0], r[1])))
                        .isEqualTo(bits(MatOps.sumAbsScalar(a, r[0], r[1])));
            }
        }
        for (int at : new int[] {0, 5, FourLaneSums.CHUNK + 2, n / 2, n - 4, n - 1}) {
            double keep = a[at];
            a[at] = at % 2 == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
            assertThat(MatOps.sumTimesZero(a, 0, n)).as("non-finite at %d", at).isNaN();
            assertThat(bits(MatOps.dot(a, b, 0, n))).isEqualTo(bits(MatOps.dotScalar(a, b, 0, n)));
            if (fourLanesRun()) {
                assertThat(FourLaneSums.sumTimesZero(a, 0, n)).as("four lanes, non-finite at %d", at).isNaN();
                assertThat(FourLaneSums.sumTimesZero(a, at + 1, n)).as("after it").isZero();
            }
            a[at] = keep;
        }
    }

    @Test
    void theFinitenessProbeIsNaNExactlyForANonFiniteEntry() {
        for (int n : new int[] {3, 31, 32, 101}) {
            double[] d = new double[n];
            for (int i = 0; i < n; i++) {
                d[i] = (i % 2 == 0 ? 1 : -1) * Math.pow(10, i % 300);
            }
            assertThat(MatOps.sumTimesZero(d, 0, n)).as("finite, n = %d", n).isZero();
            for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
                for (int at : new int[] {0, n / 2, n - 1}) {
                    double keep = d[at];
                    d[at] = bad;
                    assertThat(MatOps.sumTimesZero(d, 0, n)).as("%s at %d of %d", bad, at, n).isNaN();
                    assertThat(MatOps.sumTimesZero(d, 0, at)).as("before it").isZero();
                    d[at] = keep;
                }
            }
        }
    }

    @Test
    void exactSumsOfSmallIntegers() {
        double[] a = new double[37];
        double[] b = new double[37];
        long dot = 0;
        long abs = 0;
        for (int i = 0; i < a.length; i++) {
            a[i] = i % 5 - 2;
            b[i] = 3 - i % 7;
            dot += (long) (a[i] * b[i]);
            abs += (long) Math.abs(a[i]);
        }
        assertThat(MatOps.dot(a, b, 0, 37)).isEqualTo((double) dot);
        assertThat(MatOps.dotScalar(a, b, 0, 37)).isEqualTo((double) dot);
        assertThat(MatOps.sumAbs(a, 0, 37)).isEqualTo((double) abs);
        assertThat(MatOps.sumAbsScalar(a, 0, 37)).isEqualTo((double) abs);
        assertThat(MatOps.sumAbs(a, 5, 6)).isEqualTo(Math.abs(a[5]));
    }
}
