package org.bilevel4j.solver.minimax;

import org.bilevel4j.problem.BlockMinimaxBilevelProblem;
import org.bilevel4j.problem.BlockMinimaxBilevelProblem.Block;
import org.ejml.data.DMatrixRMaj;

/**
 * The inner saddle problem of {@link DanskinPenaltyMinimax} at fixed x1 and rho,
 * <pre>
 *   min_{y1 in Y1, y2 in Y2} max_{x2 in X2, z1 in Y1, z2 in Y2}  P_rho(x1, x2, y1, y2, z1, z2),
 * </pre>
 * solved by projected extragradient with one step per block. The stacked point is
 * {@code w = (y1, y2, x2, z1, z2)} and the operator {@code F = (grad_y1 P, grad_y2 P, -grad_x2 P,
 * -grad_z1 P, -grad_z2 P)}:
 * <pre>
 *   y1: grad_y1 f(x1, x2, y1, y2) + rho grad_2 ft(x1, y1, z2)      x2: -grad_x2 f(x1, x2, y1, y2)
 *   y2: grad_y2 f(x1, x2, y1, y2) - rho grad_3 ft(x1, z1, y2)      z1: rho grad_2 ft(x1, z1, y2)
 *                                                                z2: -rho grad_3 ft(x1, y1, z2)
 * </pre>
 * Steps: {@code t_b = 1 / (2 R_b)}, R_b the sum over blocks c of the bound J_bc on
 * {@code ||d F_b / d w_c||} assembled from the problem's block Lipschitz bounds; by the Schur test with
 * weights {@code sqrt(R_b)} the operator is then 1/2-Lipschitz in the metric of the steps, and a scalar
 * step per block keeps the projection Euclidean inside each block (the simplex stays a simplex). A
 * local test {@code sum_b t_b ||F_b(wbar) - F_b(w)||^2 <= 0.81 sum_b ||wbar_b - w_b||^2 / t_b} halves all
 * steps if it ever fails. Each operator evaluation also yields the x1-gradient of P_rho,
 * {@code grad_x1 f + rho (grad_x1 ft(x1, y1, z2) - grad_x1 ft(x1, z1, y2))}, which is the gradient of
 * the value function in x1 at the saddle (Danskin). Holds work buffers: not safe for concurrent use.
 */
final class BlockExtragradient {

    private static final double THETA = 0.9;
    private static final int MAX_HALVINGS = 60;
    static final Block[] BLOCK_OF = {Block.Y1, Block.Y2, Block.X2, Block.Y1, Block.Y2};

    final BlockMinimaxBilevelProblem p;
    final int n1;
    final int[] size = new int[5];
    final int[] off = new int[6];
    final int n;
    double rho;
    final double[] step = new double[5];
    private final DMatrixRMaj x1;
    private final DMatrixRMaj[] v = new DMatrixRMaj[5];
    private final DMatrixRMaj[] scratch = new DMatrixRMaj[5];
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
    /** F(w) at the current w after {@link #run}. */
    final double[] g;
    /** The x1-gradient of P_rho at the current w after {@link #run}. */
    final double[] gradX1;
    private final double[] wbar;
    private final double[] gbar;
    private final double[] gx1bar;
    long calls;
    long backtracks;
    double residual;

    BlockExtragradient(BlockMinimaxBilevelProblem p) {
        this.p = p;
        n1 = p.x1Domain().dimension();
        size[0] = p.y1Domain().dimension();
        size[1] = p.y2Domain().dimension();
        size[2] = p.x2Domain().dimension();
        size[3] = size[0];
        size[4] = size[1];
        for (int b = 0; b < 5; b++) {
            off[b + 1] = off[b] + size[b];
            v[b] = new DMatrixRMaj(size[b], 1);
            scratch[b] = new DMatrixRMaj(size[b], 1);
        }
        n = off[5];
        x1 = new DMatrixRMaj(n1, 1);
        gx1 = new DMatrixRMaj(n1, 1);
        gx2 = new DMatrixRMaj(size[2], 1);
        gy1 = new DMatrixRMaj(size[0], 1);
        gy2 = new DMatrixRMaj(size[1], 1);
        ax1 = new DMatrixRMaj(n1, 1);
        ay1 = new DMatrixRMaj(size[0], 1);
        az2 = new DMatrixRMaj(size[1], 1);
        bx1 = new DMatrixRMaj(n1, 1);
        bz1 = new DMatrixRMaj(size[0], 1);
        by2 = new DMatrixRMaj(size[1], 1);
        g = new double[n];
        gradX1 = new double[n1];
        wbar = new double[n];
        gbar = new double[n];
        gx1bar = new double[n1];
    }

    /** Sets rho and the block steps from the problem's bounds. */
    void setRho(double r) {
        rho = r;
        double[][] lf = p.upperLipschitz();
        double[][] lt = p.lowerLipschitz();
        // f indices: x1 0, x2 1, y1 2, y2 3; ft indices: x1 0, y1 1, y2 2
        double[][] j = {
            {lf[2][2] + r * lt[1][1], lf[2][3], lf[2][1], 0, r * lt[1][2]},
            {lf[3][2], lf[3][3] + r * lt[2][2], lf[3][1], r * lt[2][1], 0},
            {lf[1][2], lf[1][3], lf[1][1], 0, 0},
            {0, r * lt[1][2], 0, r * lt[1][1], 0},
            {r * lt[2][1], 0, 0, 0, r * lt[2][2]}};
        for (int b = 0; b < 5; b++) {
            double s = 0;
            for (int c = 0; c < 5; c++) {
                if (size[c] > 0) {
                    s += Math.abs(j[b][c]);
                }
            }
            step[b] = s > 0 ? 1.0 / (2 * s) : 1.0;
        }
    }

    void setX1(double[] a) {
        System.arraycopy(a, 0, x1.data, 0, n1);
    }

    private void load(double[] w) {
        for (int b = 0; b < 5; b++) {
            System.arraycopy(w, off[b], v[b].data, 0, size[b]);
        }
    }

    /** F(w) into out and the x1-gradient into outX1. */
    void evaluate(double[] w, double[] out, double[] outX1) {
        load(w);
        calls++;
        DMatrixRMaj y1 = v[0];
        DMatrixRMaj y2 = v[1];
        DMatrixRMaj x2 = v[2];
        DMatrixRMaj z1 = v[3];
        DMatrixRMaj z2 = v[4];
        p.upperValueAndGradient(x1, x2, y1, y2, gx1, gx2, gy1, gy2);
        p.lowerValueAndGradient(x1, y1, z2, ax1, ay1, az2);
        p.lowerValueAndGradient(x1, z1, y2, bx1, bz1, by2);
        double r = rho;
        for (int i = 0; i < size[0]; i++) {
            out[off[0] + i] = gy1.data[i] + r * ay1.data[i];
        }
        for (int i = 0; i < size[1]; i++) {
            out[off[1] + i] = gy2.data[i] - r * by2.data[i];
        }
        for (int i = 0; i < size[2]; i++) {
            out[off[2] + i] = -gx2.data[i];
        }
        for (int i = 0; i < size[3]; i++) {
            out[off[3] + i] = r * bz1.data[i];
        }
        for (int i = 0; i < size[4]; i++) {
            out[off[4] + i] = -r * az2.data[i];
        }
        for (int i = 0; i < n1; i++) {
            outX1[i] = gx1.data[i] + r * (ax1.data[i] - bx1.data[i]);
        }
    }

    /** Projects every block of w in place onto its domain. */
    void project(double[] w) {
        for (int b = 0; b < 5; b++) {
            if (size[b] == 0) {
                continue;
            }
            DMatrixRMaj s = scratch[b];
            System.arraycopy(w, off[b], s.data, 0, size[b]);
            p.project(BLOCK_OF[b], s, s);
            System.arraycopy(s.data, 0, w, off[b], size[b]);
        }
    }

    /** {@code out = Pi(w - T d)} blockwise. */
    private void stepFrom(double[] w, double[] d, double[] out) {
        for (int b = 0; b < 5; b++) {
            double t = step[b];
            for (int i = off[b]; i < off[b + 1]; i++) {
                out[i] = w[i] - t * d[i];
            }
        }
        project(out);
    }

    /**
     * Runs extragradient from w until the residual {@code ||(w - Pi(w - T F(w))) / t||} is at most tol
     * or maxIter iterations are done. On return w is the last iterate, {@link #g} and {@link #gradX1}
     * hold F(w) and the x1-gradient there, {@link #residual} the residual at w. Modified: w.
     *
     * @param gValid whether g and gradX1 already hold the values at w
     * @return the number of iterations (two operator evaluations each)
     */
    int run(double[] w, double tol, int maxIter, boolean gValid) {
        if (!gValid) {
            evaluate(w, g, gradX1);
        }
        int it = 0;
        int halvings = 0;
        while (true) {
            stepFrom(w, g, wbar);
            double res = 0;
            for (int b = 0; b < 5; b++) {
                double t = step[b];
                for (int i = off[b]; i < off[b + 1]; i++) {
                    double d = (w[i] - wbar[i]) / t;
                    res += d * d;
                }
            }
            residual = Math.sqrt(res);
            if (residual <= tol || it >= maxIter || !Double.isFinite(residual)) {
                return it;
            }
            evaluate(wbar, gbar, gx1bar);
            double lhs = 0;
            double rhs = 0;
            for (int b = 0; b < 5; b++) {
                double t = step[b];
                for (int i = off[b]; i < off[b + 1]; i++) {
                    double dg = gbar[i] - g[i];
                    double dw = wbar[i] - w[i];
                    lhs += t * dg * dg;
                    rhs += dw * dw / t;
                }
            }
            if (lhs > THETA * THETA * rhs && halvings < MAX_HALVINGS) {
                for (int b = 0; b < 5; b++) {
                    step[b] *= 0.5;
                }
                halvings++;
                backtracks++;
                continue;
            }
            stepFrom(w, gbar, w);
            it++;
            evaluate(w, g, gradX1);
        }
    }

    /** @return {@code ft(x1, y1, z2) - ft(x1, z1, y2)} at w */
    double gap(double[] w) {
        load(w);
        return p.lowerValue(x1, v[0], v[4]) - p.lowerValue(x1, v[3], v[1]);
    }

    /** @return f(x1, x2, y1, y2) at w */
    double upper(double[] w) {
        load(w);
        return p.upperValue(x1, v[2], v[0], v[1]);
    }

    /** @return a copy of block b of w */
    DMatrixRMaj block(double[] w, int b) {
        DMatrixRMaj m = new DMatrixRMaj(size[b], 1);
        System.arraycopy(w, off[b], m.data, 0, size[b]);
        return m;
    }
}
