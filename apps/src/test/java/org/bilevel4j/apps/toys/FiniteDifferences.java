package org.bilevel4j.apps.toys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.bilevel4j.problem.Box;
import org.bilevel4j.problem.MinimaxBilevelProblem;
import org.bilevel4j.testing.GradientCheck;
import org.ejml.data.DMatrixRMaj;

/** Central finite differences ({@link GradientCheck#numerical}) of the partial gradients of a minimax problem. */
final class FiniteDifferences {

    private FiniteDifferences() {
    }

    static double[] gradient(ToDoubleFunction<double[]> f, double[] x) {
        return GradientCheck.numerical(f, x);
    }

    static double[] randomIn(Box b, SplittableRandom rnd) {
        double[] x = new double[b.dimension()];
        for (int i = 0; i < x.length; i++) {
            x[i] = b.lower(i) + (b.upper(i) - b.lower(i)) * rnd.nextDouble();
        }
        return x;
    }

    static DMatrixRMaj col(double[] x) {
        return DMatrixRMaj.wrap(x.length, 1, x);
    }

    static void assertClose(String what, double[] analytic, double[] numeric) {
        assertThat(analytic).hasSameSizeAs(numeric);
        for (int i = 0; i < analytic.length; i++) {
            double scale = Math.max(1.0, Math.abs(numeric[i]));
            assertThat(Math.abs(analytic[i] - numeric[i]) / scale).as(what + "[" + i + "]").isLessThan(1e-7);
        }
    }

    /** Checks every partial gradient of f and ft, and the returned values, at random points of the boxes. */
    static void checkProblem(MinimaxBilevelProblem p, long seed, int trials) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int n1 = p.x1Domain().dimension();
        int n2 = p.x2Domain().dimension();
        int m1 = p.y1Domain().dimension();
        int m2 = p.y2Domain().dimension();
        for (int t = 0; t < trials; t++) {
            double[] x1 = randomIn(p.x1Domain(), rnd);
            double[] x2 = randomIn(p.x2Domain(), rnd);
            double[] y1 = randomIn(p.y1Domain(), rnd);
            double[] y2 = randomIn(p.y2Domain(), rnd);
            DMatrixRMaj g1 = new DMatrixRMaj(n1, 1);
            DMatrixRMaj g2 = new DMatrixRMaj(n2, 1);
            DMatrixRMaj g3 = new DMatrixRMaj(m1, 1);
            DMatrixRMaj g4 = new DMatrixRMaj(m2, 1);
            double f = p.upperValueAndGradient(col(x1), col(x2), col(y1), col(y2), g1, g2, g3, g4);
            assertThat(f).isEqualTo(p.upperValue(col(x1), col(x2), col(y1), col(y2)));
            assertClose(p + " grad_x1 f", g1.data,
                    gradient(a -> p.upperValue(col(a), col(x2), col(y1), col(y2)), x1));
            assertClose(p + " grad_x2 f", g2.data,
                    gradient(a -> p.upperValue(col(x1), col(a), col(y1), col(y2)), x2));
            assertClose(p + " grad_y1 f", g3.data,
                    gradient(a -> p.upperValue(col(x1), col(x2), col(a), col(y2)), y1));
            assertClose(p + " grad_y2 f", g4.data,
                    gradient(a -> p.upperValue(col(x1), col(x2), col(y1), col(a)), y2));
            DMatrixRMaj h1 = new DMatrixRMaj(n1, 1);
            DMatrixRMaj h3 = new DMatrixRMaj(m1, 1);
            DMatrixRMaj h4 = new DMatrixRMaj(m2, 1);
            double ft = p.lowerValueAndGradient(col(x1), col(y1), col(y2), h1, h3, h4);
            assertThat(ft).isEqualTo(p.lowerValue(col(x1), col(y1), col(y2)));
            assertClose(p + " grad_x1 ft", h1.data, gradient(a -> p.lowerValue(col(a), col(y1), col(y2)), x1));
            assertClose(p + " grad_y1 ft", h3.data, gradient(a -> p.lowerValue(col(x1), col(a), col(y2)), y1));
            assertClose(p + " grad_y2 ft", h4.data, gradient(a -> p.lowerValue(col(x1), col(y1), col(a)), y2));
        }
    }
}
