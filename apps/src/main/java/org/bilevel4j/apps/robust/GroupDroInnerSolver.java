package org.bilevel4j.apps.robust;

import org.bilevel4j.problem.BlockMinimaxBilevelProblem;
import org.bilevel4j.solver.minimax.InnerSaddleSolver;
import org.ejml.data.DMatrixRMaj;

/**
 * The inner saddle of the penalty method on {@link GroupDroBilevel} by best responses and L-BFGS.
 * At fixed (a, rho) the penalty splits into two independent saddle problems:
 * <pre>
 *   (W, p, r):  min_W max_{p, r}  f(p, W) + rho ft(a, W, r)
 *   (Z, q):     max_Z min_q  -rho ft(a, Z, q)      (the lower level's own saddle: Z = argmin_Z max_q ft)
 * </pre>
 * p, r and q are strongly concave blocks on the simplex with closed-form best responses
 * {@code p*(W) = Pi(u0 + V(W) / mu)}, {@code r*(W) = Pi(u0 + (L(W) + a) / tau)},
 * {@code q*(Z) = Pi(u0 + (L(Z) + a) / tau)}, so W and Z minimize smooth strongly convex functions
 * (Danskin: {@code grad = sum_k p*_k grad V_k + rho (sum_k r*_k grad L_k + lam W)}, and
 * {@code sum_k q*_k grad L_k + lam Z}); both are minimized by L-BFGS from the warm start to the
 * gradient norm tol (W's target is scaled by rho, since its function is). The box [-20, 20] of W
 * and Z is not active on the FashionMNIST instances (|W_ij| stays near 1); iterates are clipped to it
 * all the same.
 */
public final class GroupDroInnerSolver implements InnerSaddleSolver {

    private final int maxIterations;

    /** @param maxIterations the L-BFGS budget of each of the two solves per call */
    public GroupDroInnerSolver(int maxIterations) {
        if (maxIterations < 1) {
            throw new IllegalArgumentException("maxIterations must be at least 1, got " + maxIterations);
        }
        this.maxIterations = maxIterations;
    }

    @Override
    public long solve(BlockMinimaxBilevelProblem problem, DMatrixRMaj x1, double rho, DMatrixRMaj y1,
            DMatrixRMaj y2, DMatrixRMaj x2, DMatrixRMaj z1, DMatrixRMaj z2, double tol) {
        if (!(problem instanceof GroupDroBilevel p)) {
            throw new IllegalArgumentException("GroupDroInnerSolver solves GroupDroBilevel only");
        }
        ClassLosses tr = p.train();
        ClassLosses va = p.validation();
        int k = tr.classes();
        int d = tr.dimension();
        double[] a = x1.data.clone();
        double tau = p.tau();
        double lam = p.lambda();
        double mu = p.mu();
        // (Z, q): the lower-level saddle at a
        LowerLevelFit.Fit lower = LowerLevelFit.fit(tr, LowerLevelFit.Objective.groupDro("lower", tau, a), lam,
                DMatrixRMaj.wrap(d, k, z1.data.clone()), tol, maxIterations);
        clip(lower.w().data, p.weightBound(), z1.data);
        System.arraycopy(lower.weights(), 0, y2.data, 0, k);
        // (W, p, r)
        double[] lv = new double[k];
        double[] vv = new double[k];
        double[] rw = new double[k];
        double[] pw = new double[k];
        DMatrixRMaj gv = new DMatrixRMaj(d, k);
        LowerLevelFit.Objective rRule = LowerLevelFit.Objective.groupDro("r", tau, a);
        LowerLevelFit.Objective pRule = LowerLevelFit.Objective.groupDro("p", mu, new double[k]);
        LowerLevelFit.Smooth phi = (w, g) -> {
            va.lossesAndGradient(w, pRule::weightsAt, vv, pw, gv);
            tr.lossesAndGradient(w, rRule::weightsAt, lv, rw, g);
            double sq = 0;
            for (int i = 0; i < g.getNumElements(); i++) {
                sq += w.data[i] * w.data[i];
                g.data[i] = gv.data[i] + rho * (g.data[i] + lam * w.data[i]);
            }
            return pRule.lossPart(vv, pw) + rho * (rRule.lossPart(lv, rw) + 0.5 * lam * sq);
        };
        LowerLevelFit.Minimum m = LowerLevelFit.minimize(phi, DMatrixRMaj.wrap(d, k, y1.data.clone()), rho * tol,
                maxIterations);
        clip(m.w().data, p.weightBound(), y1.data);
        DMatrixRMaj wm = DMatrixRMaj.wrap(d, k, y1.data);
        tr.losses(wm, lv);
        va.losses(wm, vv);
        rRule.weightsAt(lv, rw);
        pRule.weightsAt(vv, pw);
        System.arraycopy(rw, 0, z2.data, 0, k);
        System.arraycopy(pw, 0, x2.data, 0, k);
        return lower.gradientCalls() + m.calls();
    }

    private static void clip(double[] from, double bound, double[] to) {
        for (int i = 0; i < from.length; i++) {
            to[i] = Math.max(-bound, Math.min(bound, from[i]));
        }
    }
}
