package org.bilevel4j.problem;

import java.util.Optional;
import java.util.SplittableRandom;
import org.bilevel4j.linalg.MatOps;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * Test problem with a smooth, strongly convex lower level and a known solution:
 * <pre>
 *   F(x, y) = 1/2 ||y - t||^2 + mu/2 ||x||^2 + s sum_i sin(x_i),
 *   f(x, y) = 1/2 y^T Q y - y^T B x + kappa sum_i log cosh(y_i),
 * </pre>
 * Q symmetric positive definite. With {@code s = kappa = 0}, {@code y*(x) = M x} for
 * {@code M = Q^-1 B} and {@code x* = (M^T M + mu I)^-1 M^T t}; with {@code kappa > 0} the lower level
 * stays strongly convex but is no longer quadratic (for finite-difference checks of hypergradients).
 * Implements the analytic {@link LowerHessianProducts}.
 */
public final class QuadraticBilevel implements BilevelProblem, LowerHessianProducts {

    final int n;
    final int m;
    final DMatrixRMaj q;
    final DMatrixRMaj b;
    final DMatrixRMaj t;
    final double mu;
    final double s;
    final double kappa;

    public QuadraticBilevel(int n, int m, double mu, double s, double kappa, long seed) {
        this.n = n;
        this.m = m;
        this.mu = mu;
        this.s = s;
        this.kappa = kappa;
        SplittableRandom rnd = new SplittableRandom(seed);
        DMatrixRMaj r = new DMatrixRMaj(m, m);
        for (int i = 0; i < r.getNumElements(); i++) {
            r.data[i] = rnd.nextDouble(-1, 1) / Math.sqrt(m);
        }
        q = new DMatrixRMaj(m, m);
        CommonOps_DDRM.multTransA(r, r, q);
        for (int i = 0; i < m; i++) {
            q.add(i, i, 1.0);
        }
        b = new DMatrixRMaj(m, n);
        for (int i = 0; i < b.getNumElements(); i++) {
            b.data[i] = rnd.nextDouble(-1, 1);
        }
        t = new DMatrixRMaj(m, 1);
        for (int i = 0; i < m; i++) {
            t.data[i] = rnd.nextDouble(-2, 2);
        }
    }

    /** @return a bound on the Lipschitz constant of grad_y f: ||Q||_F + kappa */
    public double lowerLipschitz() {
        return Math.sqrt(MatOps.normSq(q)) + kappa;
    }

    @Override
    public int xRows() {
        return n;
    }

    @Override
    public int yRows() {
        return m;
    }

    @Override
    public double upperValue(DMatrixRMaj x, DMatrixRMaj y) {
        double v = 0.5 * MatOps.distance(y, t) * MatOps.distance(y, t) + 0.5 * mu * MatOps.normSq(x);
        for (int i = 0; i < n; i++) {
            v += s * Math.sin(x.data[i]);
        }
        return v;
    }

    @Override
    public void upperGradientX(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj out) {
        for (int i = 0; i < n; i++) {
            out.data[i] = mu * x.data[i] + s * Math.cos(x.data[i]);
        }
    }

    @Override
    public void upperGradientY(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj out) {
        MatOps.combine(1.0, y, -1.0, t, out);
    }

    @Override
    public double lowerSmoothValue(DMatrixRMaj x, DMatrixRMaj y) {
        DMatrixRMaj qy = new DMatrixRMaj(m, 1);
        CommonOps_DDRM.mult(q, y, qy);
        DMatrixRMaj bx = new DMatrixRMaj(m, 1);
        CommonOps_DDRM.mult(b, x, bx);
        double v = 0.5 * MatOps.dot(y, qy) - MatOps.dot(y, bx);
        for (int i = 0; i < m; i++) {
            v += kappa * Math.log(Math.cosh(y.data[i]));
        }
        return v;
    }

    @Override
    public void lowerSmoothGradientX(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj out) {
        CommonOps_DDRM.multTransA(b, y, out);
        CommonOps_DDRM.scale(-1.0, out);
    }

    @Override
    public void lowerSmoothGradientY(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj out) {
        CommonOps_DDRM.mult(q, y, out);
        DMatrixRMaj bx = new DMatrixRMaj(m, 1);
        CommonOps_DDRM.mult(b, x, bx);
        for (int i = 0; i < m; i++) {
            out.data[i] += -bx.data[i] + kappa * Math.tanh(y.data[i]);
        }
    }

    @Override
    public void hessianYY(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj v, DMatrixRMaj out) {
        CommonOps_DDRM.mult(q, v, out);
        for (int i = 0; i < m; i++) {
            double th = Math.tanh(y.data[i]);
            out.data[i] += kappa * (1 - th * th) * v.data[i];
        }
    }

    @Override
    public void crossXY(DMatrixRMaj x, DMatrixRMaj y, DMatrixRMaj w, DMatrixRMaj out) {
        CommonOps_DDRM.multTransA(b, w, out);
        CommonOps_DDRM.scale(-1.0, out);
    }

    /** @return the known solution when {@code s = kappa = 0}; empty otherwise */
    @Override
    public Optional<PairIterate> referenceSolution() {
        if (s != 0 || kappa != 0) {
            return Optional.empty();
        }
        DMatrixRMaj mm = new DMatrixRMaj(m, n);
        DMatrixRMaj qinv = q.copy();
        CommonOps_DDRM.invert(qinv);
        CommonOps_DDRM.mult(qinv, b, mm);
        DMatrixRMaj a = new DMatrixRMaj(n, n);
        CommonOps_DDRM.multTransA(mm, mm, a);
        for (int i = 0; i < n; i++) {
            a.add(i, i, mu);
        }
        DMatrixRMaj rhs = new DMatrixRMaj(n, 1);
        CommonOps_DDRM.multTransA(mm, t, rhs);
        DMatrixRMaj xs = new DMatrixRMaj(n, 1);
        CommonOps_DDRM.solve(a, rhs, xs);
        DMatrixRMaj ys = new DMatrixRMaj(m, 1);
        CommonOps_DDRM.mult(mm, xs, ys);
        return Optional.of(new PairIterate(xs, ys));
    }
}
