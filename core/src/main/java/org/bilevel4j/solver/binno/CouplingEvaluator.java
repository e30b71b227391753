package org.bilevel4j.solver.binno;

import org.bilevel4j.function.ProxFunction;
import org.bilevel4j.linalg.MatOps;
import org.bilevel4j.problem.BlockCoupling;
import org.ejml.data.DMatrixRMaj;

/**
 * What one BINNO iteration needs from the coupling H, at the current point (X, Y). The generic
 * implementation calls the {@link BlockCoupling} methods; {@link FactorizationEvaluator} keeps the
 * thin products with M between calls so that an iteration makes two passes over M.
 */
abstract class CouplingEvaluator {

    /** Makes (x, y) the current point (copies kept by the caller) and returns H(x, y). */
    abstract double setCurrent(DMatrixRMaj x, DMatrixRMaj y);

    /** @return the Lipschitz constant of grad_X H(., Y) at the current Y */
    abstract double lipschitzX();

    /** Writes grad_X H(X, Y) at the current point. */
    abstract void gradientX(DMatrixRMaj out);

    /** @return the Lipschitz constant of grad_Y H(xc, .) for a candidate X */
    abstract double lipschitzY(DMatrixRMaj xc);

    /** Writes grad_Y H(xu, Y) and grad_Y H(xl, Y) at the current Y. */
    abstract void gradientYPair(DMatrixRMaj xu, DMatrixRMaj xl, DMatrixRMaj outU, DMatrixRMaj outL);

    /** Prepares {@link #mixedValue} for mixtures {@code b yu + (1 - b) yl}. */
    abstract void prepareMixtures(DMatrixRMaj yu, DMatrixRMaj yl);

    /** @return H(xa, yb) where {@code yb = b yu + (1 - b) yl} from {@link #prepareMixtures} */
    abstract double mixedValue(DMatrixRMaj xa, DMatrixRMaj yb, double b);

    /** Makes (xa, yb) of the last {@link #prepareMixtures} current; returns H there. */
    abstract double setCurrentMixed(DMatrixRMaj xa, DMatrixRMaj yb, double b);

    /**
     * Steps 1-2's forward step and the upper level's X candidate at the current point (X, Y):
     * {@code z = X - nu grad_X H(X, Y)} and {@code xu = prox_{nu f1}(z)}; grad is a work array of X's shape
     * (what it holds afterwards is unspecified). The default: {@link #gradientX}, {@code z = 1 X + (-nu) grad},
     * {@code f1.prox}; an evaluator may fuse them, with the same bits.
     *
     * @param f1 the upper level's X term
     * @param nu the step, positive
     * @param x the current X (the one of the last setCurrent), not modified
     * @param grad work array, modified
     * @param z modified: receives Z
     * @param xu modified: receives the upper candidate
     */
    void forwardAndUpperProx(ProxFunction f1, double nu, DMatrixRMaj x, DMatrixRMaj grad, DMatrixRMaj z,
            DMatrixRMaj xu) {
        gradientX(grad);
        MatOps.combine(1.0, x, -nu, grad, z);
        f1.prox(z, nu, xu);
    }

    /**
     * {@code out = prox_{nu f2}(z)}, the lower level's X candidate from {@code Z = X - nu grad_X H}
     * at the current point. An evaluator may record how out depends on z (see
     * {@link FactorizationEvaluator}); the default calls {@code f2.prox}.
     */
    void proxLowerX(ProxFunction f2, DMatrixRMaj z, double nu, DMatrixRMaj out) {
        f2.prox(z, nu, out);
    }

    /**
     * Announces that the X of the next {@link #setCurrent} or {@link #setCurrentMixed} is
     * {@code a xu + (1 - a) xl} for the candidates of the last {@link #gradientYPair}. Default: nothing.
     */
    void nextXIsMixture(double a) {
    }

    /**
     * @param ofX true for the current X, false for the current Y
     * @return the nuclear norm of the current X (or Y) when the evaluator can give it accurately
     *     without a singular value decomposition of the factor, else NaN (the caller then takes the
     *     SVD)
     */
    double nuclearNorm(boolean ofX) {
        return Double.NaN;
    }

    /** Plain evaluator for any coupling. */
    static final class Generic extends CouplingEvaluator {
        private final BlockCoupling h;
        private DMatrixRMaj x;
        private DMatrixRMaj y;

        Generic(BlockCoupling h) {
            this.h = h;
        }

        @Override
        double setCurrent(DMatrixRMaj x, DMatrixRMaj y) {
            this.x = x;
            this.y = y;
            return h.value(x, y);
        }

        @Override
        double lipschitzX() {
            return h.lipschitzX(y);
        }

        @Override
        void gradientX(DMatrixRMaj out) {
            h.gradientX(x, y, out);
        }

        @Override
        double lipschitzY(DMatrixRMaj xc) {
            return h.lipschitzY(xc);
        }

        @Override
        void gradientYPair(DMatrixRMaj xu, DMatrixRMaj xl, DMatrixRMaj outU, DMatrixRMaj outL) {
            h.gradientY(xu, y, outU);
            h.gradientY(xl, y, outL);
        }

        @Override
        void prepareMixtures(DMatrixRMaj yu, DMatrixRMaj yl) {
        }

        @Override
        double mixedValue(DMatrixRMaj xa, DMatrixRMaj yb, double b) {
            return h.value(xa, yb);
        }

        @Override
        double setCurrentMixed(DMatrixRMaj xa, DMatrixRMaj yb, double b) {
            return setCurrent(xa, yb);
        }
    }

    static boolean finite(DMatrixRMaj a) {
        return MatOps.isFinite(a);
    }
}
