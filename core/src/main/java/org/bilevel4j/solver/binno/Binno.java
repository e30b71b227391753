package org.bilevel4j.solver.binno;

import java.util.Objects;
import java.util.OptionalDouble;
import org.bilevel4j.function.BoxedQuadratic;
import org.bilevel4j.function.ProxFunction;
import org.bilevel4j.function.SmoothFunction;
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
 * <p>{@link BinnoWeights.Vanishing} is our extension, not the paper's method: a sequential averaging
 * of BINNO's lower sweep with a gradient step on the upper level, as in BiG-SAM [2]. The iterate is a
 * mixture {@code W = (WX, WY)}; one iteration from W, with {@code q1}, {@code r1} the smooth parts of
 * f1 and g1 (a {@link BoxedQuadratic} without its box, or a {@link SmoothFunction}):
 * <ol>
 *   <li>lower sweep (steps 1, 2, 4, 5 with the lower level only): {@code nu_X = 1/L_X},
 *       {@code Xl = prox_{nu_X f2}(WX - nu_X grad_X H(WX, WY))}, {@code nu_Y = 1/L_l},
 *       {@code Yl = prox_{nu_Y g2}(WY - nu_Y grad_Y H(Xl, WY))};</li>
 *   <li>upper step with the upper level's own constants, {@code s_X = 1 / Lip(grad q1)},
 *       {@code s_Y = 1 / Lip(grad r1)}: {@code UX = WX - s_X grad q1(WX)}, {@code UY = WY - s_Y grad r1(WY)};</li>
 *   <li>{@code WX+ = alpha_k UX + (1 - alpha_k) Xl}, {@code WY+ = beta_k UY + (1 - beta_k) Yl}.</li>
 * </ol>
 * The reported point is {@code (Xl, Yl)}, which lies in the domains of f2 and g2. Why not mix BINNO's
 * own candidates {@code Xu = prox_{nu_X f1}(Z)}: the pull along the lower level's solution set per
 * iteration is then {@code alpha_k nu_X ||grad f1||}, and with {@code nu_X = 1/L_X} (the coupling's
 * constant, large when H is stiff) the total pull {@code sum alpha_k nu_X} stays short of the distance
 * to travel; with the upper level's own step the total is {@code s_X sum alpha_k = infinity}. The
 * upper step is a plain gradient step: a prox of f1 with its box (or any constraint) would clip, and a
 * clipped step of size s moves the limit by about {@code s ||grad q1||} (the fixed point of the
 * averaging minimizes the Moreau envelope of f1, not f1, over the solution set), and a step including
 * {@code grad H} would clip its normal component into a tangential bias of about
 * {@code nu_X ||grad H||}. H is left out of the upper step (as in our BiG-SAM): the rule selects the
 * minimizer of {@code q1 + r1} over {@code argmin Psi2}, which is the minimizer of Psi1 there when
 * H is constant on that set (the market's balance coupling: every minimizer has the same residuals).
 * In the theory of [2] (T nonexpansive, the upper map a contraction, {@code alpha_k -> 0},
 * {@code sum alpha_k = infinity}, {@code alpha_{k+1}/alpha_k -> 1}) the mixture converges to that
 * selection for a convex lower level and a strongly convex upper level. The rule needs f1 and g1 to
 * have a smooth part with a Lipschitz gradient, and says so otherwise.
 *
 * <p>For the factorization coupling {@code 1/2 ||XY - M||^2} the iteration makes two passes over
 * M and allocates no m x n temporary: {@link #productFlops} flops with the midpoint rule (6 m n r,
 * or {@code 4 m n r + 2 r n^2} where the lower level's X term is a nuclear norm and {@code m >= 2n}:
 * the lower candidate's product with M then comes from {@code M^T M}, see the factorization
 * evaluator), 2 m n r more with the linesearch.
 *
 * <p>Trace columns: {@code psi1, psi2, alpha, beta, nu_x, nu_y, psi1_decreased, psi2_decreased,
 * trials, descent_failed} (weight trials of the linesearch, 1 for the other rules; descent_failed is 1
 * when the linesearch found no pair with sufficient decrease of both levels and took its fallback,
 * see {@link BinnoRules#linesearch}; always 0 for the other rules). The result's message counts the
 * iterations that took the fallback.
 *
 * <p>Reference: [1] L. Selicato, F. Esposito, A. Ang, "BINNO: a 1st-order method for bi-level
 * nonconvex nonsmooth optimization for matrix factorizations", arXiv:2510.21390, 2025.
 * [2] S. Sabach, S. Shtern, "A first order method for solving convex bilevel optimization problems",
 * SIAM J. Optim. 27(2), 640-660, 2017.
 *
 * <p>Thread-safety: immutable; one instance may run several problems at once in different threads
 * (each run has its own state).
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
        if (weights instanceof BinnoWeights.Vanishing) {
            String why = smoothPartMissing("f1", problem.f1());
            if (why == null) {
                why = smoothPartMissing("g1", problem.g1());
            }
            if (why == null && !(smoothLipschitz(problem.f1()) > 0 && smoothLipschitz(problem.g1()) > 0)) {
                why = "the Lipschitz constants of the smooth parts of f1 and g1 must be positive (the upper steps"
                        + " are their inverses), got " + smoothLipschitz(problem.f1()) + " and "
                        + smoothLipschitz(problem.g1());
            }
            if (why != null) {
                throw new IllegalArgumentException("vanishing weights take a gradient step on the upper level's"
                        + " smooth part, but " + why);
            }
        }
        CouplingEvaluator ev = h instanceof FactorizationCoupling fc ? new FactorizationEvaluator(fc)
                : new CouplingEvaluator.Generic(h);
        BinnoState s = new BinnoState(problem, start, ev);
        if (weights instanceof BinnoWeights.Vanishing) {
            s.mixture = true;
            ev.setCurrent(s.wx, s.wy);
        }
        return s;
    }

    /** @return why f has no smooth part for the vanishing rule, or null */
    private static String smoothPartMissing(String name, ProxFunction f) {
        if (f instanceof BoxedQuadratic || (f instanceof SmoothFunction sf && sf.lipschitzConstant().isPresent())) {
            return null;
        }
        return name + " = " + f + " has no smooth part with a Lipschitz gradient (a BoxedQuadratic or a"
                + " SmoothFunction)";
    }

    private static double smoothLipschitz(ProxFunction f) {
        return f instanceof BoxedQuadratic q ? q.smoothLipschitz()
                : ((SmoothFunction) f).lipschitzConstant().getAsDouble();
    }

    private static void smoothGradient(ProxFunction f, DMatrixRMaj x, DMatrixRMaj out) {
        if (f instanceof BoxedQuadratic q) {
            q.smoothGradient(x, out);
        } else {
            ((SmoothFunction) f).gradient(x, out);
        }
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

    /**
     * Flops of the products with M in one midpoint iteration on an m x n data matrix at rank r, with
     * the factorization coupling and a nuclear norm as the lower level's X term (the paper's
     * problem): {@code 4 m n r + 2 r n^2} where the lower candidate's product comes from
     * {@code M^T M} ({@code m >= 2n}, n at most 2048, r at most 64), else {@code 6 m n r}
     * ({@code M Y^T} and {@code [Xu Xl]^T M}). The floor of {@code bilevel4j bench binno}.
     *
     * @param m rows of M
     * @param n columns of M
     * @param r the rank
     * @return flops (two per multiply-add)
     */
    public static double productFlops(int m, int n, int r) {
        double mnr = (double) m * n * r;
        if (FactorizationEvaluator.lowerFromGram(m, n, r)) {
            return 4 * mnr + 2.0 * r * n * n;
        }
        return 6 * mnr;
    }

    /**
     * Midpoint iterations after which every iteration makes the products that {@link #productFlops}
     * counts, on the same problem: where the lower candidate's product comes from {@code K = M^T M}, the
     * evaluator forms K once, in iteration {@code n / r + 1} (integer division: after n / r iterations
     * have formed both candidates' products from M, the ski-rental rule of the factorization evaluator;
     * the coupling's rank is at most n, so never in the first iteration, whose X is no mixture), so that
     * many; elsewhere 0. Of the iterations after, every 64th still forms both products from M (the
     * evaluator's exact refresh). A
     * benchmark that times iterations runs at least these untimed, so that it neither mixes the two kinds
     * nor times the one that forms K (half of {@code m n^2} multiply-adds, about 0.6 s at 76800 x 500).
     *
     * @param m rows of M
     * @param n columns of M
     * @param r the rank
     * @return the iterations up to and with the one that forms K, or 0 where K is never formed
     */
    public static int settlingIterations(int m, int n, int r) {
        return FactorizationEvaluator.lowerFromGram(m, n, r) ? n / r + 1 : 0;
    }

    @Override
    public void step(BlockCompositeBilevelProblem problem, BinnoState s) {
        if (weights instanceof BinnoWeights.Vanishing v) {
            vanishingStep(problem, s, v);
            return;
        }
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
        ev.forwardAndUpperProx(problem.f1(), nuX, s.x, s.gradX, s.z, s.xu);
        ev.proxLowerX(problem.f2(), s.z, nuX, s.xl);

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
            ev.nextXIsMixture(alpha);
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

    /**
     * One iteration of the vanishing rule (see the class comment): the lower sweep from the mixture W,
     * the upper gradient step from W, the new mixture, and the lower candidate as the reported point.
     */
    private static void vanishingStep(BlockCompositeBilevelProblem problem, BinnoState s, BinnoWeights.Vanishing v) {
        CouplingEvaluator ev = s.evaluator; // current point: the mixture (wx, wy)
        double nuX = 1.0 / Math.max(ev.lipschitzX(), TINY);
        ev.gradientX(s.gradX);
        MatOps.combine(1.0, s.wx, -nuX, s.gradX, s.z);
        problem.f2().prox(s.z, nuX, s.xl);
        double nuY = 1.0 / Math.max(ev.lipschitzY(s.xl), TINY);
        ev.gradientYPair(s.xl, s.xl, s.gradYu, s.gradYl);
        MatOps.combine(1.0, s.wy, -nuY, s.gradYl, s.w);
        problem.g2().prox(s.w, nuY, s.yl);
        // upper step on the smooth parts, from W
        smoothGradient(problem.f1(), s.wx, s.gradX);
        MatOps.combine(1.0, s.wx, -1.0 / smoothLipschitz(problem.f1()), s.gradX, s.xu);
        smoothGradient(problem.g1(), s.wy, s.gradYu);
        MatOps.combine(1.0, s.wy, -1.0 / smoothLipschitz(problem.g1()), s.gradYu, s.yu);
        double alpha = v.alpha(s.iteration);
        double beta = v.beta(s.iteration);
        MatOps.combine(alpha, s.xu, 1 - alpha, s.xl, s.wx);
        MatOps.combine(beta, s.yu, 1 - beta, s.yl, s.wy);
        s.x.setTo(s.xl);
        s.y.setTo(s.yl);
        s.nuX = nuX;
        s.nuY = nuY;
        s.alphaMin = 0;
        s.alphaMax = 1;
        s.betaMin = 0;
        s.betaMax = 1;
        double old1 = s.psi1;
        double old2 = s.psi2;
        double hv = ev.setCurrent(s.x, s.y);
        s.accept(alpha, beta, hv, 1);
        ev.setCurrent(s.wx, s.wy);
        s.psi1Decreased = s.psi1 <= old1;
        s.psi2Decreased = s.psi2 <= old2;
        s.iteration++;
    }

    private static void linesearch(BlockCompositeBilevelProblem p, BinnoState s, BinnoWeights.Linesearch rule,
            boolean useXWindow, double aMin, double aMax, boolean useYWindow, double bMin, double bMax) {
        CouplingEvaluator ev = s.evaluator;
        ev.prepareMixtures(s.yu, s.yl);
        BinnoRules.StepLengths d = BinnoRules.StepLengths.of(s.x.data, s.xu.data, s.xl.data, s.nuX, s.y.data,
                s.yu.data, s.yl.data, s.nuY);
        BinnoRules.Choice c = BinnoRules.linesearch(rule, useXWindow, aMin, aMax, useYWindow, bMin, bMax, s.psi1,
                s.psi2, d, (a, b) -> {
                    MatOps.combine(a, s.xu, 1 - a, s.xl, s.xTrial);
                    MatOps.combine(b, s.yu, 1 - b, s.yl, s.yTrial);
                    double hv = ev.mixedValue(s.xTrial, s.yTrial, b);
                    return new double[] {p.f1().value(s.xTrial) + p.g1().value(s.yTrial) + hv,
                        p.f2().value(s.xTrial) + p.g2().value(s.yTrial) + hv};
                });
        MatOps.combine(c.alpha(), s.xu, 1 - c.alpha(), s.xl, s.x);
        MatOps.combine(c.beta(), s.yu, 1 - c.beta(), s.yl, s.y);
        ev.nextXIsMixture(c.alpha());
        double hv = ev.setCurrentMixed(s.x, s.y, c.beta());
        s.accept(c.alpha(), c.beta(), hv, c.trials());
        s.descentFailed = !c.descent();
        if (s.descentFailed) {
            s.descentFailures++;
        }
    }
}
