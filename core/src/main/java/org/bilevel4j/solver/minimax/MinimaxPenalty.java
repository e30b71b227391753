package org.bilevel4j.solver.minimax;

import java.util.Objects;
import org.bilevel4j.problem.Box;
import org.bilevel4j.problem.MinimaxBilevelProblem;
import org.bilevel4j.problem.SaddleProblem;
import org.ejml.data.DMatrixRMaj;

/**
 * The penalty function of a {@link MinimaxBilevelProblem} as one {@link SaddleProblem} [1]:
 * <pre>
 *   P_rho(x1, x2, y1, y2, z1, z2) = f(x1, x2, y1, y2) + rho ( ft(x1, y1, z2) - ft(x1, z1, y2) ),
 * </pre>
 * minimized over {@code u = (x1, y1, y2)} in {@code X1 x Y1 x Y2} and maximized over
 * {@code v = (x2, z1, z2)} in {@code X2 x Y1 x Y2}. Maximized over (z1, z2), the rho term is rho times
 * the lower level's duality gap, which is nonnegative and zero exactly at its saddle points. P_rho is
 * concave in v and possibly nonconvex in u. Gradients:
 * <pre>
 *   grad_x1 P = grad_x1 f + rho (grad_x1 ft(x1, y1, z2) - grad_x1 ft(x1, z1, y2))
 *   grad_x2 P = grad_x2 f
 *   grad_y1 P = grad_y1 f + rho grad_2 ft(x1, y1, z2)
 *   grad_y2 P = grad_y2 f - rho grad_3 ft(x1, z1, y2)
 *   grad_z1 P = -rho grad_2 ft(x1, z1, y2)
 *   grad_z2 P = rho grad_3 ft(x1, y1, z2)
 * </pre>
 * Holds work buffers: not safe for concurrent use.
 *
 * <p>[1] Shen, He, Wang, Lin, "Penalty-Based First-Order Methods for Bilevel Optimization with
 * Minimax and Constrained Lower-Level Problems", arXiv:2605.08006, 2026.
 */
public final class MinimaxPenalty implements SaddleProblem {

    private final PenaltyOperator op;
    private final Box uDomain;
    private final Box vDomain;
    private final double[] w;
    private final double[] out;

    /**
     * @param problem the bilevel problem
     * @param rho the penalty parameter, positive and finite
     */
    public MinimaxPenalty(MinimaxBilevelProblem problem, double rho) {
        Objects.requireNonNull(problem, "problem");
        PenaltyMinimax.checkRho(rho);
        this.op = new PenaltyOperator(problem, rho);
        this.uDomain = PenaltyOperator.uDomain(problem);
        this.vDomain = PenaltyOperator.vDomain(problem);
        this.w = new double[op.dimension()];
        this.out = new double[op.dimension()];
    }

    /** @return rho */
    public double rho() {
        return op.rho;
    }

    @Override
    public Box uDomain() {
        return uDomain;
    }

    @Override
    public Box vDomain() {
        return vDomain;
    }

    private void stack(DMatrixRMaj u, DMatrixRMaj v) {
        if (u.getNumElements() != op.nu || v.getNumElements() != op.nv) {
            throw new IllegalArgumentException("u has " + u.getNumElements() + " and v " + v.getNumElements()
                    + " entries; the penalty needs " + op.nu + " and " + op.nv);
        }
        System.arraycopy(u.data, 0, w, 0, op.nu);
        System.arraycopy(v.data, 0, w, op.nu, op.nv);
    }

    @Override
    public double value(DMatrixRMaj u, DMatrixRMaj v) {
        stack(u, v);
        return op.upperValue(w) + op.rho * op.gap(w);
    }

    @Override
    public void gradient(DMatrixRMaj u, DMatrixRMaj v, DMatrixRMaj gu, DMatrixRMaj gv) {
        stack(u, v);
        op.apply(w, out);
        System.arraycopy(out, 0, gu.data, 0, op.nu);
        for (int i = 0; i < op.nv; i++) {
            gv.data[i] = -out[op.nu + i];
        }
    }

    /**
     * @param u the minimization block u, not modified
     * @param v the maximization block v, not modified
     * @return {@code f(x1, x2, y1, y2)} at (u, v)
     */
    public double upperValue(DMatrixRMaj u, DMatrixRMaj v) {
        stack(u, v);
        return op.upperValue(w);
    }

    /**
     * @param u the minimization block u, not modified
     * @param v the maximization block v, not modified
     * @return the lower-level gap {@code ft(x1, y1, z2) - ft(x1, z1, y2)} at (u, v)
     */
    public double gap(DMatrixRMaj u, DMatrixRMaj v) {
        stack(u, v);
        return op.gap(w);
    }
}
