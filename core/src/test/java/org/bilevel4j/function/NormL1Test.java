package org.bilevel4j.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import org.bilevel4j.testing.ProxContract;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class NormL1Test implements ProxContract<NormL1> {

    @Override
    public List<NormL1> functions() {
        return List.of(new NormL1(0.0), new NormL1(0.3), new NormL1(2.5));
    }

    @Test
    void softThresholdsEachEntry() {
        DMatrixRMaj x = new DMatrixRMaj(new double[][] {{3.0, -0.5}, {-2.0, 1.0}});
        DMatrixRMaj out = new DMatrixRMaj(2, 2);
        // t lambda = 0.5 * 2 = 1
        double v = new NormL1(2.0).prox(x, 0.5, out);
        assertThat(out.data).containsExactly(2.0, 0.0, -1.0, 0.0);
        assertThat(v).isEqualTo(2.0 * 3.0);
    }

    @Test
    void proxIsTheSoftThresholdBitForBitAndKeepsNaN() {
        // x - clamp(x, -t lambda, t lambda) against sign(x) max(|x| - t lambda, 0), written out, on
        // entries at, just inside and just outside the threshold, signed zeros, tiny and huge values
        SplittableRandom rnd = new SplittableRandom(3);
        for (double thr : new double[] {0.0, 1e-300, 0.37, 1.0, 3e5}) {
            double[] x = new double[400];
            for (int i = 0; i < x.length; i++) {
                double mag = switch (i % 8) {
                    case 0 -> thr;
                    case 1 -> Math.nextUp(thr);
                    case 2 -> Math.nextDown(thr);
                    case 3 -> 0.0;
                    case 4 -> rnd.nextDouble() * 2 * thr;
                    case 5 -> Math.scalb(rnd.nextDouble(), rnd.nextInt(-1070, 1000));
                    case 6 -> Double.MIN_VALUE;
                    default -> rnd.nextDouble() * 10;
                };
                x[i] = (i / 8) % 2 == 0 ? mag : -mag;
            }
            x[11] = Double.POSITIVE_INFINITY;
            x[12] = Double.NEGATIVE_INFINITY;
            x[13] = Double.NaN;
            DMatrixRMaj in = new DMatrixRMaj(20, 20, true, x);
            DMatrixRMaj out = new DMatrixRMaj(20, 20);
            new NormL1(1.0).prox(in, thr == 0.0 ? Double.MIN_VALUE : thr, out);
            double t = thr == 0.0 ? Double.MIN_VALUE : thr; // t lambda with lambda = 1
            for (int i = 0; i < x.length; i++) {
                double a = Math.abs(x[i]) - t;
                double expected = Double.isNaN(x[i]) ? Double.NaN : a > 0 ? Math.copySign(a, x[i]) : 0.0;
                assertThat(Double.doubleToRawLongBits(out.data[i])).as("entry %d = %s, threshold %s", i, x[i], t)
                        .isEqualTo(Double.doubleToRawLongBits(expected));
            }
        }
    }

    @Test
    void valueSumsEveryEntry() {
        // four partial sums: every entry counts once, for lengths 0 to 9 (the tail after the groups of four)
        for (int n = 0; n < 10; n++) {
            double[] d = new double[n];
            double expected = 0;
            for (int i = 0; i < n; i++) {
                d[i] = (i % 2 == 0 ? 1 : -1) * Math.scalb(1.0, i);
                expected += Math.scalb(1.0, i);
            }
            assertThat(new NormL1(0.5).value(new DMatrixRMaj(1, n, true, d))).as("n = %d", n)
                    .isEqualTo(0.5 * expected);
        }
    }

    @Test
    void lipschitzConstantIsLambdaTimesRootOfTheSize() {
        assertThat(new NormL1(0.5).lipschitzConstant(3, 12).getAsDouble()).isEqualTo(0.5 * 6.0);
        assertThat(new NormL1(0.5).lambda()).isEqualTo(0.5);
        assertThat(new NormL1(0.5)).hasToString("NormL1(0.5)");
    }

    @Test
    void rejectsNegativeAndNonFiniteWeights() {
        assertThatThrownBy(() -> new NormL1(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("lambda must be finite and nonnegative, got -1.0");
        assertThatThrownBy(() -> new NormL1(Double.NaN)).hasMessageContaining("lambda must be finite and nonnegative");
        assertThatThrownBy(() -> new NormL1(Double.POSITIVE_INFINITY))
                .hasMessageContaining("lambda must be finite and nonnegative");
    }
}
