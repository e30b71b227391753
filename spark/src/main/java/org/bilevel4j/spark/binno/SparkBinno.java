package org.bilevel4j.spark.binno;

import java.util.Collections;
import java.util.Iterator;
import java.util.Objects;
import java.util.OptionalDouble;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction2;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.bilevel4j.linalg.Gemm;
import org.bilevel4j.linalg.MatOps;
import org.bilevel4j.solver.IterativeSolver;
import org.bilevel4j.solver.SolverOptions;
import org.bilevel4j.solver.binno.Binno;
import org.bilevel4j.solver.binno.BinnoRules;
import org.bilevel4j.solver.binno.BinnoWeights;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * BINNO on a row-partitioned data matrix: the iteration of {@link Binno} for the sparse low-rank
 * factorization ({@link DistributedFactorization}), with M and X split in row blocks on the
 * executors and Y and every r x r or r x n matrix on the driver. Same rules ({@link BinnoRules}),
 * weights ({@link BinnoWeights}: midpoint and linesearch; the vanishing rule needs a smooth part of
 * the upper level, which the l1 terms of the factorization lack, so both solvers refuse it), trace
 * columns and stopping (the
 * core {@link org.bilevel4j.solver.Driver} runs it) as the single-machine solver, and the same
 * iterates up to rounding.
 *
 * <p>An iteration from (X, Y) makes two passes over M, each one Spark job over the cached blocks:
 * <ol>
 *   <li>(made at the end of the previous iteration, or by {@code init}) per block i:
 *       {@code P_i = M_i Y^T}, the value parts at (X, Y) ({@code ||X_i Y - M_i||^2} or
 *       {@code <X_i, P_i>}, {@code sum |X_i|}, {@code X_i^T X_i}, the R factor of X_i), and the X step
 *       {@code Z_i = X_i - nu_X (X_i (Y Y^T) - P_i)}, {@code Xu_i = soft(Z_i, nu_X lambda1)} and the R
 *       factor of Z_i; the R factors are merged by TSQR ({@link Tsqr}) in a tree reduction;</li>
 *   <li>the driver takes the SVD of Z's r x r factor R and forms {@code W = V diag(d/s) V^T}, the
 *       nuclear-norm prox as a map ({@link NuclearProxMap}; no eigendecomposition of {@code Z^T Z});
 *       each block forms {@code Xl_i = Z_i W} and the tree reduction sums
 *       {@code [Xu Xl]^T [Xu Xl]} and {@code [Xu Xl]^T M};</li>
 *   <li>the driver does the r x n work: {@code L_u, L_l}, {@code nu_Y},
 *       {@code Yu = prox_{nu_Y g1}(Y - nu_Y (Xu^T Xu Y - Xu^T M))}, Yl likewise, the windows and the
 *       weights, {@code Y+ = beta Yu + (1 - beta) Yl}; then pass 1 at
 *       {@code X+ = alpha Xu + (1 - alpha) Xl} (formed by each block) and Y+ gives Psi1, Psi2 there
 *       and the next X step.</li>
 * </ol>
 * H comes from the residual when M has at most
 * {@link org.bilevel4j.problem.FactorizationCoupling#EXACT_VALUE_MAX_ELEMENTS} entries and from the
 * products otherwise, as in the single-machine solver. The linesearch evaluates trial weights from
 * the reductions: {@code H(a, b)} from the Gram identity, {@code ||X(a)||_*} from the R factor of
 * {@code [Xu Xl]} (the singular values of {@code R [a I; (1 - a) I]}), and {@code ||X(a)||_1} from
 * pass 2 for the first trial; every further trial costs one small job over the X blocks (not M).
 *
 * <p>Sums in tree reductions arrive in an order that Spark does not fix, so two runs agree to
 * rounding, not bit for bit. Blocks are cached and locally checkpointed (lineage one step long):
 * losing an executor loses the run.
 *
 * <p>Reference: L. Selicato, F. Esposito, A. Ang, "BINNO: a 1st-order method for bi-level
 * nonconvex nonsmooth optimization for matrix factorizations", arXiv:2510.21390, 2025. TSQR:
 * J. Demmel, L. Grigori, M. Hoemmen, J. Langou, "Communication-optimal parallel and sequential QR and
 * LU factorizations", SIAM J. Sci. Comput. 34 (2012).
 */
public final class SparkBinno implements IterativeSolver<DistributedFactorization, DistributedIterate,
        SparkBinnoState> {

    private static final int DEPTH = 2;

    private final BinnoWeights weights;

    /** @param weights the weight rule */
    public SparkBinno(BinnoWeights weights) {
        this.weights = Objects.requireNonNull(weights, "weights");
    }

    @Override
    public String name() {
        return "BINNO(" + weights.label() + ") on Spark";
    }

    @Override
    public SparkBinnoState init(DistributedFactorization problem, DistributedIterate start, SolverOptions options) {
        int r = problem.rank();
        DMatrixRMaj y = start.y();
        if (y.numRows != r || y.numCols != problem.cols()) {
            throw new IllegalArgumentException("start has Y " + y.numRows + "x" + y.numCols + ", expected " + r + "x"
                    + problem.cols());
        }
        if (!MatOps.isFinite(y)) {
            throw new IllegalArgumentException("start point has non-finite entries");
        }
        if (weights instanceof BinnoWeights.Vanishing) {
            throw new IllegalArgumentException("vanishing weights take a gradient step on the upper level's smooth"
                    + " part, but f1 = " + problem.f1() + " has none: use BinnoWeights.MIDPOINT or LINESEARCH");
        }
        if (weights instanceof BinnoWeights.Midpoint) {
            String missing = problem.g1().lipschitzConstant(r, problem.cols()).isEmpty() ? "g1 = " + problem.g1()
                    : problem.g2().lipschitzConstant(r, problem.cols()).isEmpty() ? "g2 = " + problem.g2() : null;
            if (missing != null) {
                throw new IllegalArgumentException("MIDPOINT weights need the Lipschitz constants of f1, g1, f2 and g2,"
                        + " but " + missing + " has none (an indicator has no weight window): use"
                        + " BinnoWeights.LINESEARCH");
            }
        }
        SparkBinnoState s = new SparkBinnoState(problem);
        JavaRDD<StepBlock> first = firstPass(s, problem.blocks().zipPartitions(start.x(), fromStart(
                problem.context().broadcast(params(problem, y)))), y);
        if (!s.finite) {
            first.unpersist(false);
            throw new IllegalArgumentException("start point has non-finite entries");
        }
        return s;
    }

    @Override
    public void step(DistributedFactorization p, SparkBinnoState s) {
        s.iteration++;
        s.jobs = 0;
        double old1 = s.psi1;
        double old2 = s.psi2;
        try {
            stepUnchecked(p, s);
        } catch (ArithmeticException e) {
            // a decomposition met a non-finite or degenerate matrix: report a non-finite step
            s.finite = false;
            s.psi1 = Double.NaN;
            s.psi2 = Double.NaN;
        }
        s.psi1Decreased = s.psi1 <= old1;
        s.psi2Decreased = s.psi2 <= old2;
    }

    private void stepUnchecked(DistributedFactorization p, SparkBinnoState s) {
        JavaSparkContext sc = p.context();
        int r = p.rank();
        int n = p.cols();
        OptionalDouble[] lf = p.xConstants();
        OptionalDouble lg1 = p.g1().lipschitzConstant(r, n);
        OptionalDouble lg2 = p.g2().lipschitzConstant(r, n);
        double lambda1 = p.f1().lambda();
        double gamma1 = p.f2().gamma();

        // 1-2: the X step was made by the last pass; Xl from the SVD of Z's R factor
        double nuX = s.nuXNext;
        double lx = s.lx;
        DMatrixRMaj w = NuclearProxMap.of(s.stats.rz, nuX * gamma1);
        double[] aw = BinnoRules.windowX(nuX, lx, lf[0], lf[1]);
        double aMin = aw[0];
        double aMax = aw[1];
        boolean useXWindow = lf[0].isPresent() && lf[1].isPresent() && aMin <= aMax;
        boolean linesearch = weights instanceof BinnoWeights.Linesearch;
        double a0;
        if (linesearch) {
            a0 = BinnoRules.firstTrial(useXWindow, aMin, aMax, false, 0, 1)[0];
        } else {
            a0 = BinnoRules.clip01(0.5 * (aMin + aMax));
        }
        Broadcast<DMatrixRMaj> bw = sc.broadcast(w);
        JavaRDD<CandidateBlock> cand = s.blocks.map(b -> BlockKernels.applyProxMap(b, bw.value()));
        cand.persist(StorageLevel.MEMORY_AND_DISK());
        cand.rdd().localCheckpoint();
        CandidateStats cs = cand.zipPartitions(p.blocks(), candidateStats(linesearch, a0))
                .treeReduce(CandidateStats::merge, DEPTH);
        s.jobs++;
        bw.unpersist(false);
        try {
            if (!cs.finite) {
                throw new ArithmeticException("non-finite candidate");
            }
            DMatrixRMaj guu = CommonOps_DDRM.extract(cs.gram, 0, r, 0, r);
            DMatrixRMaj gll = CommonOps_DDRM.extract(cs.gram, r, 2 * r, r, 2 * r);
            DMatrixRMaj gul = CommonOps_DDRM.extract(cs.gram, 0, r, r, 2 * r);
            DMatrixRMaj qu = CommonOps_DDRM.extract(cs.q, 0, r, 0, n);
            DMatrixRMaj ql = CommonOps_DDRM.extract(cs.q, r, 2 * r, 0, n);

            // 4: Y step sizes
            double lu = MatOps.spectralNormPsd(guu);
            double ll = MatOps.spectralNormPsd(gll);
            double nuY = BinnoRules.stepY(lu, ll, lg1, lg2);

            // 5: each level's Y step from its own X and the old Y
            DMatrixRMaj y = s.y;
            DMatrixRMaj grad = new DMatrixRMaj(r, n);
            DMatrixRMaj tmp = new DMatrixRMaj(r, n);
            DMatrixRMaj yu = new DMatrixRMaj(r, n);
            DMatrixRMaj yl = new DMatrixRMaj(r, n);
            CommonOps_DDRM.mult(guu, y, grad);
            CommonOps_DDRM.subtractEquals(grad, qu);
            MatOps.combine(1.0, y, -nuY, grad, tmp);
            p.g1().prox(tmp, nuY, yu);
            CommonOps_DDRM.mult(gll, y, grad);
            CommonOps_DDRM.subtractEquals(grad, ql);
            MatOps.combine(1.0, y, -nuY, grad, tmp);
            p.g2().prox(tmp, nuY, yl);

            // 6: Y window
            double[] bwin = BinnoRules.windowY(nuY, lu, ll, lg1, lg2);
            double bMin = bwin[0];
            double bMax = bwin[1];
            boolean useYWindow = lg1.isPresent() && lg2.isPresent() && bMin <= bMax;

            // 7: weights
            double alpha;
            double beta;
            int trials = 1;
            boolean descentFailed = false;
            if (weights instanceof BinnoWeights.Linesearch rule) {
                Trials t = new Trials(p, s, cand, cs, a0, guu, gll, gul, qu, ql, yu, yl);
                double[] dy = BinnoRules.differenceSums(y.data, yu.data, yl.data);
                double[] dx = cs.differences;
                BinnoRules.StepLengths d = new BinnoRules.StepLengths(dx[0], dx[1], dx[2], nuX, dy[0], dy[1], dy[2],
                        nuY);
                BinnoRules.Choice c = BinnoRules.linesearch(rule, useXWindow, aMin, aMax, useYWindow, bMin, bMax,
                        s.psi1, s.psi2, d, t::values);
                alpha = c.alpha();
                beta = c.beta();
                trials = c.trials();
                descentFailed = !c.descent();
            } else {
                alpha = a0;
                beta = BinnoRules.clip01(0.5 * (bMin + bMax));
            }
            DMatrixRMaj yNew = new DMatrixRMaj(r, n);
            MatOps.combine(beta, yu, 1 - beta, yl, yNew);
            s.alpha = alpha;
            s.beta = beta;
            s.nuX = nuX;
            s.nuY = nuY;
            s.trials = trials;
            s.descentFailed = descentFailed;
            if (descentFailed) {
                s.descentFailures++;
            }
            JavaRDD<StepBlock> next = firstPass(s, p.blocks().zipPartitions(cand, fromCandidates(alpha,
                    sc.broadcast(params(p, yNew)))), yNew);
            s.replaceBlocks(next);
        } finally {
            cand.unpersist(false);
        }
    }

    /** Evaluates Psi1, Psi2 at trial weights from the second pass's reductions. */
    private static final class Trials {
        private final DistributedFactorization p;
        private final JavaRDD<CandidateBlock> cand;
        private final CandidateStats cs;
        private final double a0;
        private final DMatrixRMaj guu;
        private final DMatrixRMaj gll;
        private final DMatrixRMaj gulSym;
        private final DMatrixRMaj qu;
        private final DMatrixRMaj ql;
        private final DMatrixRMaj yu;
        private final DMatrixRMaj yl;
        private final SparkBinnoState s;
        private boolean firstUsed;

        Trials(DistributedFactorization p, SparkBinnoState s, JavaRDD<CandidateBlock> cand, CandidateStats cs,
                double a0, DMatrixRMaj guu, DMatrixRMaj gll, DMatrixRMaj gul, DMatrixRMaj qu, DMatrixRMaj ql,
                DMatrixRMaj yu, DMatrixRMaj yl) {
            this.p = p;
            this.s = s;
            this.cand = cand;
            this.cs = cs;
            this.a0 = a0;
            this.guu = guu;
            this.gll = gll;
            this.gulSym = new DMatrixRMaj(gul.numRows, gul.numCols);
            CommonOps_DDRM.add(gul, CommonOps_DDRM.transpose(gul, null), gulSym);
            this.qu = qu;
            this.ql = ql;
            this.yu = yu;
            this.yl = yl;
        }

        double[] values(double a, double b) {
            int r = p.rank();
            int n = p.cols();
            double l1;
            if (!firstUsed && a == a0) {
                l1 = cs.l1;
                firstUsed = true;
            } else {
                l1 = cand.map(c -> BlockKernels.mixtureL1(c, a)).treeReduce(Double::sum, DEPTH);
                s.jobs++;
            }
            double nuclear = 0;
            if (p.f2().gamma() > 0) {
                // X(a) = [Xu Xl] [a I; (1 - a) I] = Q R2 [a I; (1 - a) I]
                DMatrixRMaj r2 = cs.r2;
                DMatrixRMaj c = new DMatrixRMaj(r2.numRows, r);
                for (int i = 0; i < r2.numRows; i++) {
                    for (int j = 0; j < r; j++) {
                        c.unsafe_set(i, j, a * r2.unsafe_get(i, j) + (1 - a) * r2.unsafe_get(i, r + j));
                    }
                }
                double sum = 0;
                for (double v : NuclearProxMap.singularValues(c)) {
                    sum += v;
                }
                nuclear = p.f2().gamma() * sum;
            }
            DMatrixRMaj yb = new DMatrixRMaj(r, n);
            MatOps.combine(b, yu, 1 - b, yl, yb);
            DMatrixRMaj xtm = new DMatrixRMaj(r, n);
            MatOps.combine(a, qu, 1 - a, ql, xtm);
            DMatrixRMaj gx = new DMatrixRMaj(r, r);
            for (int i = 0; i < r * r; i++) {
                gx.data[i] = a * a * guu.data[i] + (1 - a) * (1 - a) * gll.data[i] + a * (1 - a) * gulSym.data[i];
            }
            DMatrixRMaj gy = gram(yb);
            double h = Math.max(0.5 * (p.normSqData() - 2 * MatOps.dot(xtm, yb) + MatOps.dot(gx, gy)), 0.0);
            return new double[] {p.f1().lambda() * l1 + p.g1().value(yb) + h, nuclear + p.g2().value(yb) + h};
        }
    }

    private static BlockKernels.StepParams params(DistributedFactorization p, DMatrixRMaj y) {
        DMatrixRMaj gy = gram(y);
        double lx = Math.max(MatOps.spectralNormPsd(gy), BinnoRules.TINY);
        OptionalDouble[] lf = p.xConstants();
        double nu = BinnoRules.stepX(lx, lf[0], lf[1]);
        return new BlockKernels.StepParams(y, gy, nu, p.f1().lambda(), p.exactValues(), p.f2().gamma() > 0);
    }

    /**
     * Runs pass 1 (a job) on {@code source}, whose blocks come with their rows of X, and makes the result
     * the state's current point.
     */
    private static JavaRDD<StepBlock> firstPass(SparkBinnoState s, JavaRDD<StepBlock> source, DMatrixRMaj y) {
        DistributedFactorization p = s.problem;
        source.persist(StorageLevel.MEMORY_AND_DISK());
        source.rdd().localCheckpoint();
        StepStats st = source.map(StepStats::of).treeReduce(StepStats::merge, DEPTH);
        s.jobs++;
        DMatrixRMaj gy = gram(y);
        double lx = Math.max(MatOps.spectralNormPsd(gy), BinnoRules.TINY);
        OptionalDouble[] lf = p.xConstants();
        double h = p.exactValues() ? 0.5 * st.h
                : Math.max(0.5 * (p.normSqData() - 2 * st.h + MatOps.dot(st.gramX, gy)), 0.0);
        double nuclear = 0;
        if (p.f2().gamma() > 0 && st.finite && Tsqr.finite(st.rx)) {
            double sum = 0;
            for (double v : NuclearProxMap.singularValues(st.rx)) {
                sum += v;
            }
            nuclear = p.f2().gamma() * sum;
        } else if (p.f2().gamma() > 0) {
            nuclear = Double.NaN;
        }
        if (s.blocks == null) {
            s.blocks = source;
        }
        s.y = y.copy();
        s.gramY = gy;
        s.stats = st;
        s.lx = lx;
        s.nuXNext = BinnoRules.stepX(lx, lf[0], lf[1]);
        s.psi1 = p.f1().lambda() * st.l1 + p.g1().value(y) + h;
        s.psi2 = nuclear + p.g2().value(y) + h;
        s.finite = st.finite && Double.isFinite(s.psi1) && Double.isFinite(s.psi2) && Tsqr.finite(st.rz);
        return source;
    }

    /** @return {@code a a^T} */
    private static DMatrixRMaj gram(DMatrixRMaj a) {
        DMatrixRMaj g = new DMatrixRMaj(a.numRows, a.numRows);
        Gemm.multTransB(a, a, g);
        return g;
    }

    private static FlatMapFunction2<Iterator<RowBlock>, Iterator<XBlock>, StepBlock> fromStart(
            Broadcast<BlockKernels.StepParams> bp) {
        return (itM, itX) -> {
            RowBlock mb = only(itM);
            XBlock xb = only(itX);
            if (xb.offset() != mb.offset() || xb.x().numRows != mb.rows().numRows) {
                throw new IllegalArgumentException("the start's X block at row " + xb.offset() + " ("
                        + xb.x().numRows + " rows) does not match M's block at row " + mb.offset() + " ("
                        + mb.rows().numRows + " rows)");
            }
            return Collections.singletonList(BlockKernels.evaluateAndStepX(mb, xb.x(), bp.value())).iterator();
        };
    }

    private static FlatMapFunction2<Iterator<RowBlock>, Iterator<CandidateBlock>, StepBlock> fromCandidates(
            double alpha, Broadcast<BlockKernels.StepParams> bp) {
        return (itM, itC) -> {
            RowBlock mb = only(itM);
            CandidateBlock c = only(itC);
            if (c.offset != mb.offset()) {
                throw new IllegalStateException("row blocks out of step: " + c.offset + " vs " + mb.offset());
            }
            return Collections.singletonList(BlockKernels.evaluateAndStepX(mb, BlockKernels.combine(c, alpha),
                    bp.value())).iterator();
        };
    }

    private static FlatMapFunction2<Iterator<CandidateBlock>, Iterator<RowBlock>, CandidateStats> candidateStats(
            boolean mixtures, double a0) {
        return (itC, itM) -> Collections.singletonList(BlockKernels.candidateStats(only(itC), only(itM),
                mixtures, a0)).iterator();
    }

    /**
     * @return the one element of a partition; reading to the end releases Spark's lock on a cached
     *     block at once
     */
    static <T> T only(Iterator<T> it) {
        T v = it.next();
        if (it.hasNext()) {
            throw new IllegalStateException("a partition holds more than one row block");
        }
        return v;
    }
}
