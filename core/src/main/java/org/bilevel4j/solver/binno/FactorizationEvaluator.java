package org.bilevel4j.solver.binno;

import org.bilevel4j.function.NormL1;
import org.bilevel4j.function.NuclearNorm;
import org.bilevel4j.function.ProxFunction;
import org.bilevel4j.linalg.Gemm;
import org.bilevel4j.linalg.MatOps;
import org.bilevel4j.linalg.ThinSvd;
import org.bilevel4j.linalg.TransposedMatrix;
import org.bilevel4j.problem.FactorizationCoupling;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * BINNO's coupling evaluator for {@code H = 1/2 ||XY - M||^2}. It keeps {@code P = M Y^T} of the
 * current Y and the r x r Gram matrices, so that one iteration makes exactly two passes over M:
 * {@code [Xu Xl]^T M} (2r x n, for both Y gradients; only {@code Xu^T M} where the lower product
 * comes from {@code M^T M}, see below) and {@code M Y+^T} (for the value at the new point, which is
 * also the next iteration's X gradient). The linesearch rule replaces the second
 * pass by {@code M [Yu; Yl]^T}, from which {@code M Y(b)^T} follows for every weight b.
 *
 * <p>M is also kept by columns ({@link TransposedMatrix}, one more copy of M, made once) where
 * {@link TransposedMatrix#worthKeeping(int, int, int)} says so (where it fits: always up to 2^24 entries,
 * above while the copy takes at most half of the free heap; but not where {@code Gemm}'s padded Vector API
 * kernel forms {@code M Y^T} from M at least as fast) and always for small matrices: {@code M Y^T} then runs
 * as long vectorized updates instead of dot products along the rows of M, with the same sums in the same
 * order. For small matrices (at
 * most {@link FactorizationCoupling#EXACT_VALUE_MAX_ELEMENTS} entries) {@link #setCurrent} takes H
 * from the Gram identity only where its rounding bound is small against H, and otherwise sums the
 * residual (with {@code M Y^T} again, in one more sweep); the linesearch's values
 * ({@link #mixedValue}, {@link #setCurrentMixed}) are summed from the residual there, as before.
 *
 * <p><b>The lower candidate's product without a pass over M.</b> With f2 a nuclear norm (the
 * paper's lower level) the prox of step 2 is {@code Xl = Z W} for the r x r matrix
 * {@code W = V diag(max(s - t, 0) / s) V^T} of the thresholded thin SVD of
 * {@code Z = X - nu (X G - P)} ({@code G = Y Y^T}, {@code P = M Y^T}; {@link ThinSvd#thresholdTall}
 * returns W with the same Xl, bit for bit). So
 * <pre>
 *   Xl^T M = W^T Z^T M,   Z^T M = X^T M - nu G^T (X^T M) + nu Y K,   K = M^T M  (n x n, formed once),
 * </pre>
 * since {@code P^T M = Y M^T M}; and {@code X^T M} of the current X is known without a pass too,
 * because X is the mixture {@code a Xu + (1 - a) Xl} of the previous candidates, whose products the
 * previous iteration formed ({@link #nextXIsMixture}). The pass over M then forms {@code Xu^T M}
 * only (r rows instead of 2r): of the 3 m n r multiply-adds an iteration spent on M, 2 m n r are left,
 * for {@code r n^2 + 2 r^2 n} more. Where it applies: midpoint and linesearch weights, f2 a
 * {@link NuclearNorm}, {@code m >= 2 n} (so that {@code r n^2} is at most half of the saved
 * {@code m n r}), n at most {@link #GRAM_DATA_MAX_N} and r at most {@link ThinSvd#SMALL_SIDE}. K costs
 * {@code m n^2} multiply-adds as a product, what n / r iterations save, so it is formed only once n / r
 * iterations (integer division) have formed both products from M: a short run never forms it, and
 * no run spends more than twice what the products would have cost with hindsight (the ski-rental
 * rule; {@link Gemm} sums only K's upper triangle, half of those multiply-adds, so the rule errs on the side
 * of forming it late). The iterations before, every {@link #EXACT_EVERY}-th after, and any after a current point
 * that is not such a mixture take both products from M. Accuracy: the recurrence for {@code X^T M} contracts
 * its rounding errors, as {@code ||W||_2 <= 1} and {@code 0 <= I - nu G <= I} (nu at most {@code 1/||G||}),
 * so they stay of the size of one step's ({@code O((m + n) u)} relative to {@code |X|^T |M|}, as for the
 * product itself), and the exact product every {@link #EXACT_EVERY} iterations bounds what weights near 0
 * would let add up.
 *
 * <p>Memory: every buffer is allocated once, in the constructor (K on its first use); no m x n temporary is ever
 * allocated (the copy of M by columns is made once), and an iteration allocates nothing of size m x r or larger
 * here (the products allocate small per-call buffers, the prox of the nuclear norm its SVD). The m x r Gram matrices
 * {@code X^T X} go through {@link Gemm} (parallel, one pass over X). The Gram matrix that
 * {@link #lipschitzY} forms for a candidate is kept and reused by the {@link #gradientYPair} that
 * follows for the same matrix object (Binno does not modify the candidates in between); every
 * other call forgets it.
 */
final class FactorizationEvaluator extends CouplingEvaluator {

    private final FactorizationCoupling h;
    private final DMatrixRMaj m;
    private final int r;
    private final DMatrixRMaj p;      // M Y^T, m x r
    private final DMatrixRMaj gramY;  // Y Y^T
    private final DMatrixRMaj gramX;  // X^T X
    private final DMatrixRMaj gramU;
    private final DMatrixRMaj gramL;
    private final DMatrixRMaj stackedX; // [Xu Xl], m x 2r
    private final DMatrixRMaj q;        // [Xu Xl]^T M, 2r x n
    private final DMatrixRMaj stackedY; // [Yu; Yl], 2r x n
    private final DMatrixRMaj rMix;     // M [Yu; Yl]^T, m x 2r
    private final DMatrixRMaj pMix;     // M Y(b)^T, m x r
    private final DMatrixRMaj gramYMix;
    private final DMatrixRMaj gramXMix;
    private final DMatrixRMaj[] gramCache;          // Gram matrices formed by lipschitzY
    private final DMatrixRMaj[] gramCacheOf = new DMatrixRMaj[2]; // ...and the candidates they belong to
    private DMatrixRMaj x;
    private DMatrixRMaj y;
    // M by columns where TransposedMatrix.worthKeeping(rows, cols, r) or for exact values, else null
    private final TransposedMatrix columns;

    /** Most columns of M for which {@code Xl^T M} may come from {@code K = M^T M} (K of 32 MiB at 2048). */
    static final int GRAM_DATA_MAX_N = 2048;

    /** Every this many iterations {@code Xl^T M} comes from M itself (see the class comment). */
    static final int EXACT_EVERY = 64;

    // Xl^T M from Z^T M (class comment): whether the shapes allow it, K once formed, the buffers
    private final boolean lowerFromGram;
    private DMatrixRMaj gramData;        // K = M^T M, n x n, or null before its first use
    private final DMatrixRMaj qU;        // Xu^T M, r x n
    private final DMatrixRMaj qL;        // Xl^T M, r x n
    private boolean qValid;              // qU and qL are those of the last gradientYPair's candidates
    private DMatrixRMaj t;               // X^T M of the current X, r x n, when tValid
    private boolean tValid;
    private DMatrixRMaj tNext;           // X^T M of the announced mixture, when tNextValid
    private boolean tNextValid;
    private final DMatrixRMaj wLower;    // W of the last proxLowerX: Xl = Z W
    private DMatrixRMaj lowerOut;        // the Xl of the last proxLowerX since the last setCurrent, or null
    private double lowerNu;
    private int sinceExact;
    private int pairs;                   // gradientYPair calls so far (K waits for n / r of them)
    private int fromGramCount;           // how many gradientYPair calls took Xl^T M from Z^T M (for tests)
    private final DMatrixRMaj gtBuf;     // G^T (X^T M), then Z^T M
    private final DMatrixRMaj ykBuf;     // Y K

    FactorizationEvaluator(FactorizationCoupling h) {
        // small M: the copy also sums the exact residual (setCurrent), kept whatever the kernels
        this(h, h.exactValues() || TransposedMatrix.worthKeeping(h.data().numRows, h.data().numCols, h.rank()));
    }

    /**
     * @param h the coupling
     * @param keepColumns whether to keep M by columns (the other constructor's rule; the tests check that the
     *     choice moves no bit)
     */
    FactorizationEvaluator(FactorizationCoupling h, boolean keepColumns) {
        this.h = h;
        this.m = h.data();
        this.r = h.rank();
        int rows = m.numRows;
        int cols = m.numCols;
        p = new DMatrixRMaj(rows, r);
        gramY = new DMatrixRMaj(r, r);
        gramX = new DMatrixRMaj(r, r);
        gramU = new DMatrixRMaj(r, r);
        gramL = new DMatrixRMaj(r, r);
        stackedX = new DMatrixRMaj(rows, 2 * r);
        q = new DMatrixRMaj(2 * r, cols);
        stackedY = new DMatrixRMaj(2 * r, cols);
        rMix = new DMatrixRMaj(rows, 2 * r);
        pMix = new DMatrixRMaj(rows, r);
        gramYMix = new DMatrixRMaj(r, r);
        gramXMix = new DMatrixRMaj(r, r);
        gramCache = new DMatrixRMaj[] {new DMatrixRMaj(r, r), new DMatrixRMaj(r, r)};
        columns = keepColumns ? new TransposedMatrix(m) : null;
        lowerFromGram = lowerFromGram(rows, cols, r);
        int rr = lowerFromGram ? r : 0;
        int cc = lowerFromGram ? cols : 0;
        qU = new DMatrixRMaj(rr, cc);
        qL = new DMatrixRMaj(rr, cc);
        t = new DMatrixRMaj(rr, cc);
        tNext = new DMatrixRMaj(rr, cc);
        gtBuf = new DMatrixRMaj(rr, cc);
        ykBuf = new DMatrixRMaj(rr, cc);
        wLower = new DMatrixRMaj(rr, rr);
    }

    /**
     * Whether the shapes let {@link #gradientYPair} take {@code Xl^T M} from {@code Z^T M} (class
     * comment): {@code m >= 2 n}, n at most {@link #GRAM_DATA_MAX_N}, r at most
     * {@link ThinSvd#SMALL_SIDE} and at most m.
     */
    static boolean lowerFromGram(int rows, int cols, int r) {
        return 2L * cols <= rows && cols <= GRAM_DATA_MAX_N && r <= ThinSvd.SMALL_SIDE && r <= rows;
    }

    /** @return whether M is kept by columns (for tests) */
    boolean keepsColumns() {
        return columns != null;
    }

    /** @return how many {@link #gradientYPair} calls took {@code Xl^T M} from {@code Z^T M} so far */
    int lowerProductsFromGram() {
        return fromGramCount;
    }

    /** Forgets {@code X^T M} unless the new current X was announced as a mixture; called by both setCurrents. */
    private void takeAnnouncedProducts() {
        tValid = tNextValid;
        if (tNextValid) {
            DMatrixRMaj swap = t;
            t = tNext;
            tNext = swap;
        }
        tNextValid = false;
        qValid = false;
        lowerOut = null;
    }

    /**
     * The nuclear norm's prox as {@link NuclearNorm#prox} computes it (threshold {@code nu gamma},
     * the same bits), keeping W of {@code Xl = Z W} for {@link #gradientYPair}; any other f2, or
     * shapes outside the class comment's, through {@code f2.prox}.
     */
    @Override
    void proxLowerX(ProxFunction f2, DMatrixRMaj z, double nu, DMatrixRMaj out) {
        lowerOut = null;
        if (lowerFromGram && f2 instanceof NuclearNorm nn && nu > 0 && Double.isFinite(nu) && out != z
                && z.numRows == out.numRows && z.numCols == r && out.numCols == r) {
            ThinSvd.thresholdTall(z, nu * nn.gamma(), out, wLower);
            lowerOut = out;
            lowerNu = nu;
            return;
        }
        f2.prox(z, nu, out);
    }

    @Override
    void nextXIsMixture(double a) {
        if (!qValid) {
            return;
        }
        MatOps.combine(a, qU, 1 - a, qL, tNext);
        tNextValid = true;
    }

    /** {@code out = W^T Z^T M} with {@code Z^T M = T - nu G^T T + nu Y K} (class comment). */
    private void lowerProductFromGram(DMatrixRMaj out) {
        if (gramData == null) {
            gramData = new DMatrixRMaj(m.numCols, m.numCols);
            Gemm.multTransA(m, m, gramData);
        }
        Gemm.multTransA(gramY, t, gtBuf);
        Gemm.mult(y, gramData, ykBuf);
        double nu = lowerNu;
        double[] td = t.data;
        double[] g = gtBuf.data;
        double[] yk = ykBuf.data;
        for (int i = 0; i < g.length; i++) {
            g[i] = (td[i] - nu * g[i]) + nu * yk[i];
        }
        Gemm.multTransA(wLower, gtBuf, out);
    }

    private void forgetGrams() {
        gramCacheOf[0] = null;
        gramCacheOf[1] = null;
    }

    /** {@code out = xc^T xc}, from the cache when lipschitzY just formed it for xc. */
    private void gramOf(DMatrixRMaj xc, DMatrixRMaj out) {
        for (int s = 0; s < 2; s++) {
            if (gramCacheOf[s] == xc) {
                System.arraycopy(gramCache[s].data, 0, out.data, 0, r * r);
                return;
            }
        }
        Gemm.multTransA(xc, xc, out);
    }

    /**
     * Makes (x, y) current and returns H there. {@code P = M Y^T} and the Gram matrices are formed
     * for the gradients anyway, so H comes from the Gram identity
     * {@code 2H = ||M||^2 - 2 <X, P> + <X^T X, Y Y^T>} at no extra pass over M, also for small M
     * ({@link FactorizationCoupling#exactValues()}), guarded against its cancellation as follows.
     * In floating point (unit roundoff {@code u = 2^-53}, {@code gamma_K = K u / (1 - K u)}), each
     * of the three terms is a sum of at most {@code K = m n + m r + m + n + r^2 + 3} rounded
     * products, and the sums of the absolute products are at most {@code ||M||^2},
     * {@code 2 ||X|| ||M|| ||Y||} (Cauchy-Schwarz on {@code |X| : |M| |Y|^T}) and
     * {@code ||X||^2 ||Y||^2} (Frobenius norms), so the computed {@code 2H'} satisfies
     * <pre>
     *   |2H' - 2H| &lt;= gamma_K S,   S = (||M|| + ||X|| ||Y||)^2.
     * </pre>
     * When {@code gamma_K S <= 2^-10 (2H')} (a relative error of at most 0.1% even in this worst
     * case, where every rounding error has the same sign; typical errors grow like {@code sqrt(K) u S},
     * about 1e-13 of H on the traffic clip, where the worst-case bound is 1e-5 of H), H' is returned;
     * otherwise (H near the rounding level of {@code ||M||^2}, as at an almost exact factorization,
     * where the identity's cancellation could decide whether Psi1 or Psi2 decreased) H is summed from
     * the residual in a second sweep over M, as before. Above {@link FactorizationCoupling#EXACT_VALUE_MAX_ELEMENTS}
     * entries the identity is used unguarded (the coupling's rule). The iterates of the midpoint rule
     * do not depend on H at all; only the reported Psi1 and Psi2 do.
     */
    @Override
    double setCurrent(DMatrixRMaj x, DMatrixRMaj y) {
        this.x = x;
        this.y = y;
        forgetGrams();
        takeAnnouncedProducts();
        Gemm.multTransB(y, y, gramY);
        if (columns != null) {
            columns.multTransB(y, p);
        } else {
            Gemm.multTransB(m, y, p);
        }
        Gemm.multTransA(x, x, gramX);
        if (!h.exactValues()) {
            return h.valueFromProducts(x, y, p, gramY, gramX);
        }
        double twiceH = h.normSqData() - 2 * MatOps.dot(x, p) + MatOps.dot(gramX, gramY);
        if (gramValueIsAccurate(twiceH)) {
            return 0.5 * twiceH;
        }
        return columns != null ? 0.5 * columns.multTransBAndResidual(x, y, p) : h.residualValue(x, y);
    }

    /** Whether the rounding bound of the Gram identity (see {@link #setCurrent}) is at most 2^-10 of 2H'. */
    private boolean gramValueIsAccurate(double twiceH) {
        if (!(twiceH > 0) || !Double.isFinite(twiceH)) {
            return false;
        }
        long rows = m.numRows;
        long cols = m.numCols;
        double k = rows * cols + rows * r + rows + cols + (long) r * r + 3;
        double ku = k * 0x1p-53;
        double gamma = ku / (1 - ku);
        double normX = Math.sqrt(CommonOps_DDRM.trace(gramX));
        double normY = Math.sqrt(CommonOps_DDRM.trace(gramY));
        double s = Math.sqrt(h.normSqData()) + normX * normY;
        return gamma * s * s <= 0x1p-10 * twiceH;
    }

    /**
     * The nuclear norm of the current X (or Y) from the eigenvalues of its r x r Gram matrix
     * {@code G = X^T X} (or {@code Y Y^T}), which the current point's products have formed:
     * {@code ||X||_* = sum_i sqrt(lambda_i(G))}, with the eigenvalues as the singular values of the
     * symmetric positive semidefinite G ({@link ThinSvd#singularValues}, QR and one-sided Jacobi on
     * r x r). This replaces a QR + SVD of the m x r factor (about {@code 2 m r^2} flops) by
     * {@code O(r^3)}, but squaring loses accuracy on small singular values, so it is guarded by an
     * a-posteriori bound. With k the inner dimension (m for X, n for Y), the computed Gram matrix is
     * {@code G + E} with {@code ||E||_2 <= gamma_k ||X||_F^2}, and the backward-stable r x r SVD adds
     * at most about {@code 4 r u ||G||_2}; so (Weyl) each computed eigenvalue l_i is within
     * {@code delta = 2 gamma_{k + 4r + 2} trace(G)} of the true one, and the true singular value lies
     * in {@code [sqrt(max(l_i - delta, 0)), sqrt(l_i + delta)]}. The sum over i of the larger distance
     * from {@code sqrt(l_i)} to an end of that interval bounds the error of the sum (for
     * {@code l_i < delta}, up to {@code sqrt(delta)} each); when it is at
     * most {@code 2^-20} of the sum (a relative error of at most 1e-6 even in this worst case; typical
     * errors are near {@code u k} times the condition number of the factor), the sum is returned,
     * otherwise NaN and the caller takes the SVD of the factor itself (as for a factor with
     * singular values near {@code sqrt(u k)} of its largest, e.g. nearly rank deficient).
     */
    @Override
    double nuclearNorm(boolean ofX) {
        if (x == null) {
            return Double.NaN;
        }
        DMatrixRMaj g = ofX ? gramX : gramY;
        double tr = CommonOps_DDRM.trace(g);
        if (tr == 0.0) {
            return 0.0; // a zero factor (every entry's square sums to zero)
        }
        if (!(tr > 0) || !Double.isFinite(tr)) {
            return Double.NaN;
        }
        double k = (ofX ? m.numRows : m.numCols) + 4.0 * r + 2;
        double ku = k * 0x1p-53;
        double delta = 2 * ku / (1 - ku) * tr;
        double sum = 0;
        double err = 0;
        for (double l : ThinSvd.singularValues(g)) {
            double s = Math.sqrt(l);
            sum += s;
            err += Math.max(Math.sqrt(l + delta) - s, s - Math.sqrt(Math.max(l - delta, 0.0)));
        }
        return err <= 0x1p-20 * sum ? sum : Double.NaN;
    }

    private double value(DMatrixRMaj xx, DMatrixRMaj yy, DMatrixRMaj pp, DMatrixRMaj gy, DMatrixRMaj gx) {
        if (h.exactValues()) {
            return h.residualValue(xx, yy);
        }
        return h.valueFromProducts(xx, yy, pp, gy, gx);
    }

    @Override
    double lipschitzX() {
        return MatOps.spectralNormPsd(gramY);
    }

    /**
     * {@code X (Y Y^T) - M Y^T}: the product, then P subtracted entry by entry. The same bits as
     * {@code gemm(1, X, YY^T, -1, P)}, whose store adds {@code 1 s} and {@code -1 p} ({@code s + (-p)} is
     * {@code s - p}); the product without an old C to scale takes the Vector API's kernel with no scalar columns
     * ({@code VectorRowDots.rows}), and P is not copied first.
     */
    @Override
    void gradientX(DMatrixRMaj out) {
        Gemm.mult(x, gramY, out);
        CommonOps_DDRM.subtractEquals(out, p);
    }

    /**
     * With f1 an {@link NormL1} (the paper's upper level), one sweep after the product {@code S = X G}:
     * {@code z = X + (-nu) (S - P)} and {@code xu = z - clamp(z, -t, t)} with {@code t = nu lambda}, entry by
     * entry. The same operations in the same order as the default ({@link #gradientX}'s {@code S - P}, the
     * combination {@code 1 X + (-nu) grad}, where {@code 1 X} is X exactly, and {@link NormL1}'s soft
     * threshold at {@code nu lambda}), so the same bits; without the passes over the m x r arrays in between
     * and without the l1 norm of xu, which {@code prox} returns and the iteration does not use. grad keeps
     * {@code S}. Any other f1, a step that is not positive and finite (for {@code prox}'s error), or an X
     * that is not the current one: the default.
     */
    @Override
    void forwardAndUpperProx(ProxFunction f1, double nu, DMatrixRMaj xc, DMatrixRMaj grad, DMatrixRMaj z,
            DMatrixRMaj xu) {
        int n = p.getNumElements();
        if (!(f1 instanceof NormL1 l1) || !(nu > 0) || Double.isInfinite(nu) || xc != x || grad.getNumElements() != n
                || z.getNumElements() != n || xu.getNumElements() != n || z == xc || xu == z) {
            super.forwardAndUpperProx(f1, nu, xc, grad, z, xu);
            return;
        }
        Gemm.mult(x, gramY, grad);
        double c = -nu;
        double t = nu * l1.lambda();
        double[] xd = x.data;
        double[] sd = grad.data;
        double[] pd = p.data;
        double[] zd = z.data;
        double[] ud = xu.data;
        for (int i = 0; i < n; i++) {
            double zi = xd[i] + c * (sd[i] - pd[i]);
            zd[i] = zi;
            ud[i] = MatOps.softThreshold(zi, t);
        }
    }

    @Override
    double lipschitzY(DMatrixRMaj xc) {
        int slot = gramCacheOf[0] == null || gramCacheOf[0] == xc ? 0 : 1;
        if (gramCacheOf[slot] != null && gramCacheOf[slot] != xc) {
            forgetGrams(); // a third candidate: start over
            slot = 0;
        }
        DMatrixRMaj g = gramCache[slot];
        Gemm.multTransA(xc, xc, g);
        gramCacheOf[slot] = xc;
        return MatOps.spectralNormPsd(g);
    }

    @Override
    void gradientYPair(DMatrixRMaj xu, DMatrixRMaj xl, DMatrixRMaj outU, DMatrixRMaj outL) {
        int rows = m.numRows;
        int cols = m.numCols;
        int half = r * cols;
        double[] qu;
        double[] ql;
        int lOff;
        pairs++;
        // lowerOut is cleared by every setCurrent: set, it was formed from Z at the current X
        boolean fromZ = lowerOut == xl && xl != xu && tValid && sinceExact + 1 < EXACT_EVERY
                && (gramData != null || pairs > cols / r);
        lowerOut = null;
        if (fromZ) {
            sinceExact++;
            fromGramCount++;
            Gemm.multTransA(xu, m, qU); // one pass over M, r rows
            lowerProductFromGram(qL);
            qu = qU.data;
            ql = qL.data;
            lOff = 0;
        } else {
            sinceExact = 0;
            for (int i = 0; i < rows; i++) {
                System.arraycopy(xu.data, i * r, stackedX.data, i * 2 * r, r);
                System.arraycopy(xl.data, i * r, stackedX.data, i * 2 * r + r, r);
            }
            Gemm.multTransA(stackedX, m, q); // one pass over M, 2r rows
            if (lowerFromGram) {
                System.arraycopy(q.data, 0, qU.data, 0, half);
                System.arraycopy(q.data, half, qL.data, 0, half);
            }
            qu = q.data;
            ql = q.data;
            lOff = half;
        }
        qValid = lowerFromGram;
        gramOf(xu, gramU);
        gramOf(xl, gramL);
        forgetGrams();
        CommonOps_DDRM.mult(gramU, y, outU);
        CommonOps_DDRM.mult(gramL, y, outL);
        for (int i = 0; i < half; i++) {
            outU.data[i] -= qu[i];
            outL.data[i] -= ql[lOff + i];
        }
    }

    @Override
    void prepareMixtures(DMatrixRMaj yu, DMatrixRMaj yl) {
        int half = r * m.numCols;
        System.arraycopy(yu.data, 0, stackedY.data, 0, half);
        System.arraycopy(yl.data, 0, stackedY.data, half, half);
        Gemm.multTransB(m, stackedY, rMix); // one pass over M
    }

    private void mixP(double b, DMatrixRMaj out) {
        int rows = m.numRows;
        double[] rm = rMix.data;
        double[] o = out.data;
        double c = 1 - b;
        for (int i = 0; i < rows; i++) {
            int ro = i * 2 * r;
            int oo = i * r;
            for (int k = 0; k < r; k++) {
                o[oo + k] = b * rm[ro + k] + c * rm[ro + r + k];
            }
        }
    }

    @Override
    double mixedValue(DMatrixRMaj xa, DMatrixRMaj yb, double b) {
        if (h.exactValues()) {
            return h.residualValue(xa, yb);
        }
        mixP(b, pMix);
        Gemm.multTransB(yb, yb, gramYMix);
        Gemm.multTransA(xa, xa, gramXMix);
        return h.valueFromProducts(xa, yb, pMix, gramYMix, gramXMix);
    }

    @Override
    double setCurrentMixed(DMatrixRMaj xa, DMatrixRMaj yb, double b) {
        this.x = xa;
        this.y = yb;
        forgetGrams();
        takeAnnouncedProducts();
        mixP(b, p);
        Gemm.multTransB(yb, yb, gramY);
        Gemm.multTransA(xa, xa, gramX);
        return value(xa, yb, p, gramY, gramX);
    }
}
