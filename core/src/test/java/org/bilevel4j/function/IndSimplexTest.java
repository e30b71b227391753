package org.bilevel4j.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.util.List;
import java.util.random.RandomGenerator;
import org.bilevel4j.testing.ProxContract;
import org.bilevel4j.testing.TestMatrices;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class IndSimplexTest implements ProxContract<IndSimplex> {

    @Override
    public List<IndSimplex> functions() {
        return List.of(new IndSimplex(), new IndSimplex(0.01), new IndSimplex(3.5));
    }

    @Override
    public DMatrixRMaj randomPoint(IndSimplex f, int rows, int cols, RandomGenerator rng) {
        DMatrixRMaj x = TestMatrices.gaussian(rows, cols, rng.nextBoolean() ? 0.3 : 3.0, rng);
        if (rng.nextInt(4) == 0) { // a point already in the simplex: the projection must keep it
            double s = 0;
            for (int i = 0; i < x.getNumElements(); i++) {
                x.data[i] = Math.abs(x.data[i]);
                s += x.data[i];
            }
            for (int i = 0; i < x.getNumElements(); i++) {
                x.data[i] *= f.radius() / s;
            }
        }
        return x;
    }

    /**
     * Naive reference, independent of the sort: the threshold theta solves the decreasing equation
     * {@code sum_i max(x_i - theta, 0) = r}, found by bisection on {@code [min x - r, max x]}.
     */
    @Override
    public DMatrixRMaj referenceProx(IndSimplex f, DMatrixRMaj x, double t, DMatrixRMaj candidate) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double v : x.data) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        lo -= f.radius(); // sum max(x - lo, 0) >= n r >= r; at hi the sum is 0 < r
        for (int it = 0; it < 2000 && hi - lo > Math.ulp(Math.max(Math.abs(lo), Math.abs(hi))); it++) {
            double mid = 0.5 * (lo + hi);
            double s = 0;
            for (double v : x.data) {
                s += Math.max(v - mid, 0);
            }
            if (s > f.radius()) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        double theta = 0.5 * (lo + hi);
        DMatrixRMaj p = new DMatrixRMaj(x.numRows, x.numCols);
        for (int i = 0; i < p.getNumElements(); i++) {
            p.data[i] = Math.max(x.data[i] - theta, 0);
        }
        return p;
    }

    @Override
    public double referenceTolerance(IndSimplex f) {
        return 1e-12;
    }

    @Test
    void projectsKnownPoints() {
        IndSimplex f = new IndSimplex();
        // (0.5, 0.2, -1): theta = (0.7 - 1) / 2 = -0.15 -> (0.65, 0.35, 0)
        DMatrixRMaj p = f.prox(new DMatrixRMaj(new double[][] {{0.5}, {0.2}, {-1}}), 1.0);
        assertThat(p.data).containsExactly(new double[] {0.65, 0.35, 0.0}, offset(1e-15));
        // a point with equal entries projects onto the barycenter, over all entries of a matrix
        DMatrixRMaj q = new IndSimplex(2.0).prox(new DMatrixRMaj(new double[][] {{7, 7}, {7, 7}}), 1.0);
        assertThat(q.data).containsExactly(0.5, 0.5, 0.5, 0.5);
    }

    @Test
    void matchesTheBisectionReferenceOnLargeInputs() {
        RandomGenerator rng = TestMatrices.rng(5);
        IndSimplex f = new IndSimplex(4.0);
        for (int trial = 0; trial < 5; trial++) {
            DMatrixRMaj x = TestMatrices.gaussian(200, 7, 2.0, rng);
            DMatrixRMaj p = f.prox(x, 1.0);
            DMatrixRMaj r = referenceProx(f, x, 1.0, p);
            assertThat(TestMatrices.maxAbsDifference(p, r)).isLessThan(1e-13);
            assertThat(f.value(p)).isEqualTo(0.0);
        }
    }

    @Test
    void valueChecksSignAndSum() {
        IndSimplex f = new IndSimplex(2.0);
        assertThat(f.value(new DMatrixRMaj(new double[][] {{1.5, 0.5}}))).isEqualTo(0.0);
        assertThat(f.value(new DMatrixRMaj(new double[][] {{2.5, -0.5}}))).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(f.value(new DMatrixRMaj(new double[][] {{1.5, 0.6}}))).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(f.value(new DMatrixRMaj(new double[][] {{1.5, Double.NaN}}))).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void rejectsNonPositiveRadii() {
        assertThatThrownBy(() -> new IndSimplex(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("radius must be finite and positive, got 0.0");
        assertThatThrownBy(() -> new IndSimplex(-1)).hasMessage("radius must be finite and positive, got -1.0");
        assertThatThrownBy(() -> new IndSimplex(Double.NaN)).hasMessage("radius must be finite and positive, got NaN");
    }

    @Test
    void theSumToleranceIsInclusive() {
        // a radius r for which SUM_TOLERANCE * r rounds to exactly d = 2^-20, and r + d is exact: a sum
        // off by exactly the tolerance is inside, one ulp more is outside
        double d = 0x1p-20;
        double r = d / IndSimplex.SUM_TOLERANCE;
        for (int steps = 0; IndSimplex.SUM_TOLERANCE * r != d && steps < 64; steps++) {
            r = IndSimplex.SUM_TOLERANCE * r < d ? Math.nextUp(r) : Math.nextDown(r);
        }
        assertThat(IndSimplex.SUM_TOLERANCE * r).isEqualTo(d);
        assertThat((r + d) - r).isEqualTo(d);
        IndSimplex f = new IndSimplex(r);
        assertThat(f.value(new DMatrixRMaj(1, 1, true, r + d))).isZero();
        assertThat(f.value(new DMatrixRMaj(1, 1, true, r - d))).isZero();
        assertThat(f.value(new DMatrixRMaj(1, 1, true, Math.nextUp(r + d)))).isInfinite();
        assertThat(f.value(new DMatrixRMaj(1, 1, true, Math.nextDown(r - d)))).isInfinite();
    }
}
