package org.bilevel4j.apps.robust;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.bilevel4j.problem.BlockMinimaxBilevelProblem.Block;
import org.bilevel4j.solver.minimax.MinimaxPenalty;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/** The group-DRO bilevel problem: partial gradients, the penalty's gradient, projections and block bounds. */
class GroupDroBilevelTest {

    private static final int K = 3;

    static GroupDroBilevel small() {
        ClassLosses tr = SmallData.of(new int[] {15, 12, 3}, 3, 2.0, 11).losses(K);
        ClassLosses va = SmallData.of(new int[] {6, 6, 6}, 3, 2.0, 11).losses(K);
        return new GroupDroBilevel(tr, va, 1.0, 1e-2, 0.1, 1.0, 20.0);
    }

    private static double[] randomSimplex(SplittableRandom rnd, int k) {
        double[] p = new double[k];
        double s = 0;
        for (int i = 0; i < k; i++) {
            p[i] = 0.05 + rnd.nextDouble();
            s += p[i];
        }
        for (int i = 0; i < k; i++) {
            p[i] /= s;
        }
        return p;
    }

    private static double[] random(SplittableRandom rnd, int n, double scale) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = scale * (2 * rnd.nextDouble() - 1);
        }
        return x;
    }

    private static DMatrixRMaj col(double[] x) {
        return DMatrixRMaj.wrap(x.length, 1, x);
    }

    @Test
    void partialGradientsOfBothLevelsMatchCentralDifferences() {
        GroupDroBilevel p = small();
        int nw = p.y1Domain().dimension();
        SplittableRandom rnd = new SplittableRandom(1);
        double[] a = random(rnd, K, 1);
        double[] pp = randomSimplex(rnd, K);
        double[] w = random(rnd, nw, 1);
        double[] q = randomSimplex(rnd, K);
        DMatrixRMaj g1 = new DMatrixRMaj(K, 1);
        DMatrixRMaj g2 = new DMatrixRMaj(K, 1);
        DMatrixRMaj g3 = new DMatrixRMaj(nw, 1);
        DMatrixRMaj g4 = new DMatrixRMaj(K, 1);
        double f = p.upperValueAndGradient(col(a), col(pp), col(w), col(q), g1, g2, g3, g4);
        assertThat(f).isEqualTo(p.upperValue(col(a), col(pp), col(w), col(q)));
        check(x -> p.upperValue(col(x), col(pp), col(w), col(q)), a, g1.data);
        check(x -> p.upperValue(col(a), col(x), col(w), col(q)), pp, g2.data);
        check(x -> p.upperValue(col(a), col(pp), col(x), col(q)), w, g3.data);
        check(x -> p.upperValue(col(a), col(pp), col(w), col(x)), q, g4.data);
        double ft = p.lowerValueAndGradient(col(a), col(w), col(q), g1, g3, g4);
        assertThat(ft).isEqualTo(p.lowerValue(col(a), col(w), col(q)));
        check(x -> p.lowerValue(col(x), col(w), col(q)), a, g1.data);
        check(x -> p.lowerValue(col(a), col(x), col(q)), w, g3.data);
        check(x -> p.lowerValue(col(a), col(w), col(x)), q, g4.data);
    }

    private static void check(java.util.function.ToDoubleFunction<double[]> f, double[] x, double[] g) {
        for (int i = 0; i < x.length; i++) {
            double num = SmallData.central(f, x, i)[0];
            assertThat(Math.abs(g[i] - num)).as("coordinate %d", i).isLessThanOrEqualTo(1e-7 * Math.max(1,
                    Math.abs(num)));
        }
    }

    /** Issue 17, check 5: relative error 1e-5 on 50 random coordinates of a small instance. */
    @Test
    void penaltyOperatorGradientMatchesCentralDifferencesOn50RandomCoordinates() {
        GroupDroBilevel p = small();
        MinimaxPenalty pen = new MinimaxPenalty(p, 40);
        int nu = pen.uDomain().dimension();
        int nv = pen.vDomain().dimension();
        int nw = p.y1Domain().dimension();
        SplittableRandom rnd = new SplittableRandom(7);
        // u = (a, W, q), v = (p, Z, r)
        double[] u = new double[nu];
        double[] v = new double[nv];
        System.arraycopy(random(rnd, K, 1), 0, u, 0, K);
        System.arraycopy(random(rnd, nw, 1), 0, u, K, nw);
        System.arraycopy(randomSimplex(rnd, K), 0, u, K + nw, K);
        System.arraycopy(randomSimplex(rnd, K), 0, v, 0, K);
        System.arraycopy(random(rnd, nw, 1), 0, v, K, nw);
        System.arraycopy(randomSimplex(rnd, K), 0, v, K + nw, K);
        DMatrixRMaj gu = new DMatrixRMaj(nu, 1);
        DMatrixRMaj gv = new DMatrixRMaj(nv, 1);
        pen.gradient(col(u), col(v), gu, gv);
        double[] analytic = new double[50];
        double[] numeric = new double[50];
        for (int t = 0; t < 50; t++) {
            int i = rnd.nextInt(nu + nv);
            if (i < nu) {
                analytic[t] = gu.data[i];
                numeric[t] = SmallData.central(x -> pen.value(col(x), col(v)), u, i)[0];
            } else {
                analytic[t] = gv.data[i - nu];
                numeric[t] = SmallData.central(x -> pen.value(col(u), col(x)), v, i - nu)[0];
            }
        }
        double diff = 0;
        double norm = 0;
        for (int t = 0; t < 50; t++) {
            diff += Math.pow(analytic[t] - numeric[t], 2);
            norm += numeric[t] * numeric[t];
            assertThat(Math.abs(analytic[t] - numeric[t])).as("coordinate %d", t)
                    .isLessThanOrEqualTo(1e-5 * Math.max(1, Math.abs(numeric[t])));
        }
        assertThat(Math.sqrt(diff / norm)).isLessThan(1e-5);
    }

    @Test
    void simplexBlocksProjectOntoTheSimplexAndTheBoxBlocksClip() {
        GroupDroBilevel p = small();
        SplittableRandom rnd = new SplittableRandom(9);
        for (int t = 0; t < 300; t++) {
            double[] x = random(rnd, K, 3);
            DMatrixRMaj out = new DMatrixRMaj(K, 1);
            p.project(t % 2 == 0 ? Block.X2 : Block.Y2, col(x.clone()), out);
            double s = 0;
            for (double o : out.data) {
                assertThat(o).isGreaterThanOrEqualTo(0);
                s += o;
            }
            assertThat(s).isCloseTo(1, org.assertj.core.data.Offset.offset(1e-12));
            // optimality of the Euclidean projection: <x - P, z - P> <= 0 for every z in the simplex
            for (int j = 0; j < 20; j++) {
                double[] z = randomSimplex(rnd, K);
                double ip = 0;
                for (int i = 0; i < K; i++) {
                    ip += (x[i] - out.data[i]) * (z[i] - out.data[i]);
                }
                assertThat(ip).isLessThanOrEqualTo(1e-12);
            }
            DMatrixRMaj a = new DMatrixRMaj(K, 1);
            p.project(Block.X1, col(x.clone()), a);
            for (int i = 0; i < K; i++) {
                assertThat(a.data[i]).isEqualTo(Math.max(-1, Math.min(1, x[i])));
            }
        }
    }

    @Test
    void blockLipschitzBoundsHoldAtRandomPairs() {
        GroupDroBilevel p = small();
        int nw = p.y1Domain().dimension();
        double[][] lf = p.upperLipschitz();
        double[][] lt = p.lowerLipschitz();
        SplittableRandom rnd = new SplittableRandom(13);
        for (int t = 0; t < 40; t++) {
            double[] a = random(rnd, K, 1);
            double[] pp = randomSimplex(rnd, K);
            double[] pp2 = randomSimplex(rnd, K);
            double[] w = random(rnd, nw, 2);
            double[] w2 = random(rnd, nw, 2);
            double[] q = randomSimplex(rnd, K);
            double[] q2 = randomSimplex(rnd, K);
            // f: grad_W moves with W (h) and p (G); grad_p moves with W (G) and p (mu)
            double[][] gWp = upper(p, a, pp, w, q);
            double[][] gWp2 = upper(p, a, pp2, w, q);
            double[][] gW2 = upper(p, a, pp, w2, q);
            assertThat(dist(gWp[2], gW2[2])).isLessThanOrEqualTo(lf[2][2] * dist(w, w2) * (1 + 1e-9));
            assertThat(dist(gWp[2], gWp2[2])).isLessThanOrEqualTo(lf[2][1] * dist(pp, pp2) * (1 + 1e-9));
            assertThat(dist(gWp[1], gW2[1])).isLessThanOrEqualTo(lf[1][2] * dist(w, w2) * (1 + 1e-9));
            assertThat(dist(gWp[1], gWp2[1])).isLessThanOrEqualTo(lf[1][1] * dist(pp, pp2) * (1 + 1e-9));
            // ft: grad_W moves with W (h + lam) and q (G); grad_q with W (G), q (tau); grad_a with q (1)
            double[][] l = lower(p, a, w, q);
            double[][] lw = lower(p, a, w2, q);
            double[][] lq = lower(p, a, w, q2);
            assertThat(dist(l[1], lw[1])).isLessThanOrEqualTo(lt[1][1] * dist(w, w2) * (1 + 1e-9));
            assertThat(dist(l[1], lq[1])).isLessThanOrEqualTo(lt[1][2] * dist(q, q2) * (1 + 1e-9));
            assertThat(dist(l[2], lw[2])).isLessThanOrEqualTo(lt[2][1] * dist(w, w2) * (1 + 1e-9));
            assertThat(dist(l[2], lq[2])).isLessThanOrEqualTo(lt[2][2] * dist(q, q2) * (1 + 1e-9));
            assertThat(dist(l[0], lq[0])).isLessThanOrEqualTo(lt[0][2] * dist(q, q2) * (1 + 1e-9));
        }
    }

    private static double[][] upper(GroupDroBilevel p, double[] a, double[] pp, double[] w, double[] q) {
        DMatrixRMaj g1 = new DMatrixRMaj(K, 1);
        DMatrixRMaj g2 = new DMatrixRMaj(K, 1);
        DMatrixRMaj g3 = new DMatrixRMaj(w.length, 1);
        DMatrixRMaj g4 = new DMatrixRMaj(K, 1);
        p.upperValueAndGradient(col(a), col(pp), col(w), col(q), g1, g2, g3, g4);
        return new double[][] {g1.data, g2.data, g3.data, g4.data};
    }

    private static double[][] lower(GroupDroBilevel p, double[] a, double[] w, double[] q) {
        DMatrixRMaj g1 = new DMatrixRMaj(K, 1);
        DMatrixRMaj g3 = new DMatrixRMaj(w.length, 1);
        DMatrixRMaj g4 = new DMatrixRMaj(K, 1);
        p.lowerValueAndGradient(col(a), col(w), col(q), g1, g3, g4);
        return new double[][] {g1.data, g3.data, g4.data};
    }

    private static double dist(double[] x, double[] y) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += (x[i] - y[i]) * (x[i] - y[i]);
        }
        return Math.sqrt(s);
    }
}
