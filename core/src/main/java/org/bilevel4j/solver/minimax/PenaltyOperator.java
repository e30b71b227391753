package org.bilevel4j.solver.minimax;

import org.bilevel4j.problem.Box;
import org.bilevel4j.problem.LowerGradientSampler;
import org.bilevel4j.problem.MinimaxBilevelPoint;
import org.bilevel4j.problem.MinimaxBilevelProblem;
import org.ejml.data.DMatrixRMaj;

/**
 * The saddle operator of the penalty
 * {@code P_rho = f(x1, x2, y1, y2) + rho (ft(x1, y1, z2) - ft(x1, z1, y2))} on the stacked point
 * {@code w = (u, v)}, {@code u = (x1, y1, y2)}, {@code v = (x2, z1, z2)}:
 * <pre>
 *   x1: grad_x1 f + rho (grad_x1 ft(x1, y1, z2) - grad_x1 ft(x1, z1, y2))
 *   y1: grad_y1 f + rho grad_2 ft(x1, y1, z2)
 *   y2: grad_y2 f - rho grad_3 ft(x1, z1, y2)
 *   x2: -grad_x2 f
 *   z1: rho grad_2 ft(x1, z1, y2)         (= -grad_z1 P)
 *   z2: -rho grad_3 ft(x1, y1, z2)        (= -grad_z2 P)
 * </pre>
 * One evaluation is one upper gradient and two lower gradients; with a sampler both lower gradients
 * use the same minibatch. Holds work buffers: not safe for concurrent use.
 */
final class PenaltyOperator implements SaddleOperator {

    final MinimaxBilevelProblem p;
    final int n1;
    final int n2;
    final int m1;
    final int m2;
    final int nu;
    final int nv;
    double rho;
    LowerGradientSampler sampler;
    long componentCalls;
    private final DMatrixRMaj x1;
    private final DMatrixRMaj x2;
    private final DMatrixRMaj y1;
    private final DMatrixRMaj y2;
    private final DMatrixRMaj z1;
    private final DMatrixRMaj z2;
    private final DMatrixRMaj gx1;
    private final DMatrixRMaj gx2;
    private final DMatrixRMaj gy1;
    private final DMatrixRMaj gy2;
    private final DMatrixRMaj ax1;
    private final DMatrixRMaj ay1;
    private final DMatrixRMaj az2;
    private final DMatrixRMaj bx1;
    private final DMatrixRMaj bz1;
    private final DMatrixRMaj by2;

    PenaltyOperator(MinimaxBilevelProblem p, double rho) {
        this.p = p;
        this.rho = rho;
        n1 = p.x1Domain().dimension();
        n2 = p.x2Domain().dimension();
        m1 = p.y1Domain().dimension();
        m2 = p.y2Domain().dimension();
        nu = n1 + m1 + m2;
        nv = n2 + m1 + m2;
        x1 = new DMatrixRMaj(n1, 1);
        x2 = new DMatrixRMaj(n2, 1);
        y1 = new DMatrixRMaj(m1, 1);
        y2 = new DMatrixRMaj(m2, 1);
        z1 = new DMatrixRMaj(m1, 1);
        z2 = new DMatrixRMaj(m2, 1);
        gx1 = new DMatrixRMaj(n1, 1);
        gx2 = new DMatrixRMaj(n2, 1);
        gy1 = new DMatrixRMaj(m1, 1);
        gy2 = new DMatrixRMaj(m2, 1);
        ax1 = new DMatrixRMaj(n1, 1);
        ay1 = new DMatrixRMaj(m1, 1);
        az2 = new DMatrixRMaj(m2, 1);
        bx1 = new DMatrixRMaj(n1, 1);
        bz1 = new DMatrixRMaj(m1, 1);
        by2 = new DMatrixRMaj(m2, 1);
    }

    /** @return U = X1 x Y1 x Y2 */
    static Box uDomain(MinimaxBilevelProblem p) {
        return Box.concat(p.x1Domain(), p.y1Domain(), p.y2Domain());
    }

    /** @return V = X2 x Y1 x Y2 (z1 lives in Y1, z2 in Y2) */
    static Box vDomain(MinimaxBilevelProblem p) {
        return Box.concat(p.x2Domain(), p.y1Domain(), p.y2Domain());
    }

    @Override
    public int uDimension() {
        return nu;
    }

    @Override
    public int dimension() {
        return nu + nv;
    }

    void load(double[] w) {
        int o = 0;
        System.arraycopy(w, o, x1.data, 0, n1);
        o += n1;
        System.arraycopy(w, o, y1.data, 0, m1);
        o += m1;
        System.arraycopy(w, o, y2.data, 0, m2);
        o += m2;
        System.arraycopy(w, o, x2.data, 0, n2);
        o += n2;
        System.arraycopy(w, o, z1.data, 0, m1);
        o += m1;
        System.arraycopy(w, o, z2.data, 0, m2);
    }

    /** Writes w from a point and the auxiliary (z1, z2). Modified: w. */
    void store(MinimaxBilevelPoint pt, DMatrixRMaj zz1, DMatrixRMaj zz2, double[] w) {
        int o = 0;
        System.arraycopy(pt.x1().data, 0, w, o, n1);
        o += n1;
        System.arraycopy(pt.y1().data, 0, w, o, m1);
        o += m1;
        System.arraycopy(pt.y2().data, 0, w, o, m2);
        o += m2;
        System.arraycopy(pt.x2().data, 0, w, o, n2);
        o += n2;
        System.arraycopy(zz1.data, 0, w, o, m1);
        o += m1;
        System.arraycopy(zz2.data, 0, w, o, m2);
    }

    @Override
    public void apply(double[] w, double[] out) {
        load(w);
        p.upperValueAndGradient(x1, x2, y1, y2, gx1, gx2, gy1, gy2);
        if (sampler == null) {
            p.lowerValueAndGradient(x1, y1, z2, ax1, ay1, az2);
            p.lowerValueAndGradient(x1, z1, y2, bx1, bz1, by2);
        } else {
            componentCalls += sampler.estimate(x1, y1, z2, ax1, ay1, az2);
            componentCalls += sampler.estimate(x1, z1, y2, bx1, bz1, by2);
        }
        double r = rho;
        int o = 0;
        for (int i = 0; i < n1; i++) {
            out[o++] = gx1.data[i] + r * (ax1.data[i] - bx1.data[i]);
        }
        for (int i = 0; i < m1; i++) {
            out[o++] = gy1.data[i] + r * ay1.data[i];
        }
        for (int i = 0; i < m2; i++) {
            out[o++] = gy2.data[i] - r * by2.data[i];
        }
        for (int i = 0; i < n2; i++) {
            out[o++] = -gx2.data[i];
        }
        for (int i = 0; i < m1; i++) {
            out[o++] = r * bz1.data[i];
        }
        for (int i = 0; i < m2; i++) {
            out[o++] = -r * az2.data[i];
        }
    }

    /** @return {@code f(x1, x2, y1, y2)} at w */
    double upperValue(double[] w) {
        load(w);
        return p.upperValue(x1, x2, y1, y2);
    }

    /** @return the lower-level gap {@code ft(x1, y1, z2) - ft(x1, z1, y2)} at w */
    double gap(double[] w) {
        load(w);
        return p.lowerValue(x1, y1, z2) - p.lowerValue(x1, z1, y2);
    }

    /** @return the point (x1, x2, y1, y2) of w */
    MinimaxBilevelPoint point(double[] w) {
        load(w);
        return new MinimaxBilevelPoint(x1, x2, y1, y2);
    }

    /** @return z1 of w (a copy) */
    DMatrixRMaj z1(double[] w) {
        load(w);
        return z1.copy();
    }

    /** @return z2 of w (a copy) */
    DMatrixRMaj z2(double[] w) {
        load(w);
        return z2.copy();
    }
}
