package org.bilevel4j.solver.minimax;

import org.bilevel4j.problem.SaddleProblem;
import org.ejml.data.DMatrixRMaj;

/** The operator {@code (grad_u phi, -grad_v phi)} of a {@link SaddleProblem} on stacked points. */
final class ProblemOperator implements SaddleOperator {

    final SaddleProblem p;
    final int nu;
    final int nv;
    private final DMatrixRMaj u;
    private final DMatrixRMaj v;
    private final DMatrixRMaj gu;
    private final DMatrixRMaj gv;

    ProblemOperator(SaddleProblem p) {
        this.p = p;
        nu = p.uDomain().dimension();
        nv = p.vDomain().dimension();
        u = new DMatrixRMaj(nu, 1);
        v = new DMatrixRMaj(nv, 1);
        gu = new DMatrixRMaj(nu, 1);
        gv = new DMatrixRMaj(nv, 1);
    }

    @Override
    public int uDimension() {
        return nu;
    }

    @Override
    public int dimension() {
        return nu + nv;
    }

    private void load(double[] w) {
        System.arraycopy(w, 0, u.data, 0, nu);
        System.arraycopy(w, nu, v.data, 0, nv);
    }

    @Override
    public void apply(double[] w, double[] out) {
        load(w);
        p.gradient(u, v, gu, gv);
        System.arraycopy(gu.data, 0, out, 0, nu);
        for (int i = 0; i < nv; i++) {
            out[nu + i] = -gv.data[i];
        }
    }

    double value(double[] w) {
        load(w);
        return p.value(u, v);
    }
}
