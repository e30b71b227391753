package org.bilevel4j.solver.binno;

import java.util.Objects;
import java.util.OptionalDouble;
import org.bilevel4j.linalg.MatOps;
import org.bilevel4j.problem.BlockCompositeBilevelProblem;
import org.bilevel4j.problem.BlockCoupling;
import org.bilevel4j.problem.BlockIterate;
import org.bilevel4j.problem.FactorizationCoupling;
import org.bilevel4j.solver.IterativeSolver;
import org.bilevel4j.solver.SolverOptions;
import org.ejml.data.DMatrixRMaj;

/**
 * BINNO, a first-order method for bilevel nonconvex nonsmooth problems on two blocks
 * (a {@link BlockCompositeBilevelProblem}): minimize {@code Psi1 = f1(X) + g1(Y) + H(X, Y)} over
 * the minimizers of {@code Psi2 = f2(X) + g2(Y) + H(X, Y)}.
 *
 * <p>One iteration from (X, Y), with {@code L_f} the Frobenius-norm Lipschitz constant of a term
 * (see {@link org.bilevel4j.function.ProxFunction#lipschitzConstant}):
 * <ol>
 *   <li>{@code L_X = Lip(grad_X H(., Y))};
 *       {@code nu_X = min(1 / (sqrt((L_X + L_f2)(L_X + L_f1)) - L_X), 1 / L_X)}.</li>
 *   <li>{@code Z = X - nu_X grad_X H(X, Y)}; {@code Xu = prox_{nu_X f1}(Z)},
 *       {@code Xl = prox_{nu_X f2}(Z)}.</li>
 *   <li>window {@code alpha_min = (1/nu_X + L_X) / (L_f1 + 1/nu_X + 2 L_X)},
 *       {@code alpha_max = (L_f2 + L_X) / (L_f2 + 1/nu_X + 2 L_X)}.</li>
 *   <li>{@code L_u = Lip(grad_Y H(Xu, .))}, {@code L_l = Lip(grad_Y H(Xl, .))}, {@code A = L_u + L_l},
 *       {@code B = L_g1 L_g2 + L_g2 L_u + L_g1 L_l},
 *       {@code nu_Y = min(2 / (sqrt(A^2 + 4B) - A), 1 / max(L_u, L_l))}.</li>
 *   <li>{@code Yu = prox_{nu_Y g1}(Y - nu_Y grad_Y H(Xu, Y))},
 *       {@code Yl = prox_{nu_Y g2}(Y - nu_Y grad_Y H(Xl, Y))}.</li>
 *   <li>window {@code beta_min = (1/nu_Y + L_u) / (L_g1 + 1/nu_Y + 2 L_u)},
 *       {@code beta_max = (L_g2 + L_l) / (L_g2 + 1/nu_Y + 2 L_l)}.</li>
 *   <li>{@code X+ = alpha Xu + (1 - alpha) Xl}, {@code Y+ = beta Yu + (1 - beta) Yl}, with the weights
 *       of the chosen {@link BinnoWeights} rule.</li>
 * </ol>
 * When a term has no Lipschitz constant (an indicator), the windows and the {@code nu_th} bounds
 * do not exist: the steps are {@code 1/L} and only {@link BinnoWeights.Linesearch} applies; the
 * midpoint rule is rejected with a message that says so. For the nuclear norm the exact constant
 * {@code gamma sqrt(min(m, r))} is used where the authors' code uses {@code gamma}; with
 * {@code L_X} dominating both, the weights differ in the fourth digit at most.
 *
 * <p>{@link BinnoWeights.Vanishing} is our extension, not the paper's: upper weights
 * {@code alpha_k, beta_k -> 0} with a divergent sum, as in BiG-SAM.
 *
 * <p>For the factorization coupling {@code 1/2 ||XY - M||^2} the iteration makes two passes over
 * M (about 6 m n r flops with the midpoint rule, 8 m n r with the linesearch) and allocates no
 * m x n temporary.
 *
 * <p>Trace columns: {@code psi1, psi2, alpha, beta, nu_x, nu_y, psi1_decreased, psi2_decreased,
 * trials} (weight trials of the linesearch; 1 for the midpoint rule).
 *
 * <p>Reference: [1] L. Selicato, F. Esposito, A. Ang, "BINNO: a 1st-order method for bi-level
 * nonconvex nonsmooth optimization for matrix factorizations", arXiv:2510.21390, 2025.
 */
public final class Binno implements IterativeSolver<BlockCompositeBilevelProblem, BlockIterate, BinnoState> {

    private static final double TINY = BinnoRules.TINY;

    private final BinnoWeights weights;

    /** @param weights the weight rule */
    public Binno(BinnoWeights weights) {
        this.weights = Objects.requireNonNull(weights, "weights");
    }

    /** @return the weight rule */
    public BinnoWeights weights() {
        return weights;
    }

    @Override
    public String name() {
        return "BINNO(" + weights.label() + ")";
    }

    @Override
    public BinnoState init(BlockCompositeBilevelProblem problem, BlockIterate start, SolverOptions options) {
        BlockCoupling h = problem.coupling();
        h.checkShapes(start.x(), start.y());
        if (!MatOps.isFinite(start.x()) || !MatOps.isFinite(start.y())) {
            throw new IllegalArgumentException("start point has non-finite entries");
        }
        if (weights instanceof BinnoWeights.Midpoint) {
            String missing = missingConstant(problem);
            if (missing != null) {
                throw new IllegalArgumentException("MIDPOINT weights need the Lipschitz constants of f1, g1, f2 and g2,"
                        + " but " + missing + " has none (an indicator has no weight window): use"
                        + " BinnoWeights.LINESEARCH");
            }
        }
        CouplingEvaluator ev = h instanceof FactorizationCoupling fc ? new FactorizationEvaluator(fc)
                : new CouplingEvaluator.Generic(h);
        return new BinnoState(problem, start, ev);
    }

    private static String missingConstant(BlockCompositeBilevelProblem p) {
        BlockCoupling h = p.coupling();
        if (p.f1().lipschitzConstant(h.xRows(), h.xCols()).isEmpty()) {
            return "f1 = " + p.f1();
        }
        if (p.f2().lipschitzConstant(h.xRows(), h.xCols()).isEmpty()) {
            return "f2 = " + p.f2();
        }
        if (p.g1().lipschitzConstant(h.yRows(), h.yCols()).isEmpty()) {
            return "g1 = " + p.g1();
        }
        if (p.g2().lipschitzConstant(h.yRows(), h.yCols()).isEmpty()) {
            return "g2 = " + p.g2();
        }
        return null;
    }

    @Override
    public void step(BlockCompositeBilevelProblem problem, BinnoState s) {
        BlockCoupling h = problem.coupling();
        CouplingEvaluator ev = s.evaluator;
        OptionalDouble lf1 = problem.f1().lipschitzConstant(h.xRows(), h.xCols());
        OptionalDouble lf2 = problem.f2().lipschitzConstant(h.xRows(), h.xCols());
        OptionalDouble lg1 = problem.g1().lipschitzConstant(h.yRows(), h.yCols());
        OptionalDouble lg2 = problem.g2().lipschitzConstant(h.yRows(), h.yCols());
        boolean xWindow = lf1.isPresent() && lf2.isPresent();
        boolean yWindow = lg1.isPresent() && lg2.isPresent();

        // 1-2: X step from the shared point, two backward steps
        double lx = Math.max(ev.lipschitzX(), TINY);
        double nuX = BinnoRules.stepX(lx, lf1, lf2);
        ev.gradientX(s.gradX);
        MatOps.combine(1.0, s.x, -nuX, s.gradX, s.z);
        problem.f1().prox(s.z, nuX, s.xu);
        problem.f2().prox(s.z, nuX, s.xl);

        // 3: X window
        double[] aw = BinnoRules.windowX(nuX, lx, lf1, lf2);
        double aMin = aw[0];
        double aMax = aw[1];

        // 4: Y step sizes
        double lu = ev.lipschitzY(s.xu);
        double ll = ev.lipschitzY(s.xl);
        double nuY = BinnoRules.stepY(lu, ll, lg1, lg2);

        // 5: each level's Y step from its own X and the old Y
        ev.gradientYPair(s.xu, s.xl, s.gradYu, s.gradYl);
        MatOps.combine(1.0, s.y, -nuY, s.gradYu, s.w);
        problem.g1().prox(s.w, nuY, s.yu);
        MatOps.combine(1.0, s.y, -nuY, s.gradYl, s.w);
        problem.g2().prox(s.w, nuY, s.yl);

        // 6: Y window
        double[] bw = BinnoRules.windowY(nuY, lu, ll, lg1, lg2);
        double bMin = bw[0];
        double bMax = bw[1];

        s.nuX = nuX;
        s.nuY = nuY;
        s.alphaMin = aMin;
        s.alphaMax = aMax;
        s.betaMin = bMin;
        s.betaMax = bMax;
        double old1 = s.psi1;
        double old2 = s.psi2;

        // 7: combine
        if (weights instanceof BinnoWeights.Midpoint) {
            double alpha = BinnoRules.clip01(0.5 * (aMin + aMax));
            double beta = BinnoRules.clip01(0.5 * (bMin + bMax));
            MatOps.combine(alpha, s.xu, 1 - alpha, s.xl, s.x);
            MatOps.combine(beta, s.yu, 1 - beta, s.yl, s.y);
            double hv = ev.setCurrent(s.x, s.y);
            s.accept(alpha, beta, hv, 1);
        } else if (weights instanceof BinnoWeights.Vanishing v) {
            double alpha = v.alpha(s.iteration);
            double beta = v.beta(s.iteration);
            MatOps.combine(alpha, s.xu, 1 - alpha, s.xl, s.x);
            MatOps.combine(beta, s.yu, 1 - beta, s.yl, s.y);
            double hv = ev.setCurrent(s.x, s.y);
            s.accept(alpha, beta, hv, 1);
        } else {
            linesearch(problem, s, (BinnoWeights.Linesearch) weights, xWindow && aMin <= aMax, aMin, aMax,
                    yWindow && bMin <= bMax, bMin, bMax);
        }
        s.psi1Decreased = s.psi1 <= old1;
        s.psi2Decreased = s.psi2 <= old2;
        s.iteration++;
    }

    private static void linesearch(BlockCompositeBilevelProblem p, BinnoState s, BinnoWeights.Linesearch rule,
            boolean useXWindow, double aMin, double aMax, boolean useYWindow, double bMin, double bMax) {
        CouplingEvaluator ev = s.evaluator;
        ev.prepareMixtures(s.yu, s.yl);
        BinnoRules.Choice c = BinnoRules.linesearch(rule, useXWindow, aMin, aMax, useYWindow, bMin, bMax, s.psi1,
                s.psi2, (a, b) -> {
                    MatOps.combine(a, s.xu, 1 - a, s.xl, s.xTrial);
                    MatOps.combine(b, s.yu, 1 - b, s.yl, s.yTrial);
                    double hv = ev.mixedValue(s.xTrial, s.yTrial, b);
                    return new double[] {p.f1().value(s.xTrial) + p.g1().value(s.yTrial) + hv,
                        p.f2().value(s.xTrial) + p.g2().value(s.yTrial) + hv};
                });
        MatOps.combine(c.alpha(), s.xu, 1 - c.alpha(), s.xl, s.x);
        MatOps.combine(c.beta(), s.yu, 1 - c.beta(), s.yl, s.y);
        double hv = ev.setCurrentMixed(s.x, s.y, c.beta());
        s.accept(c.alpha(), c.beta(), hv, c.trials());
    }
}
