package org.bilevel4j.apps.market;

import java.util.Locale;
import org.bilevel4j.problem.BlockCompositeBilevelProblem;
import org.bilevel4j.problem.BlockIterate;
import org.bilevel4j.solver.IterativeSolver;
import org.bilevel4j.solver.SolverState;
import org.bilevel4j.solver.binno.Binno;
import org.bilevel4j.solver.binno.BinnoWeights;
import org.bilevel4j.solver.composite.BigSam;
import org.bilevel4j.solver.composite.TikhonovContinuation;

/** The methods compared on the market, by command-line name. */
public enum MarketMethod {
    /**
     * Tikhonov continuation, {@link TikhonovContinuation#defaults()} with the stage length of
     * {@link #solver(int)}.
     */
    TIKHONOV,
    /** BiG-SAM with alpha0 = 2 and omega without H */
    BIGSAM,
    /** BINNO with the linesearch weights (the paper's rule) */
    BINNO_LINESEARCH,
    /** BINNO with the midpoint weights (the authors' code): undefined here, and says so */
    BINNO_MIDPOINT,
    /** BINNO with vanishing weights alpha_k = beta_k = 1/(k+1) (our extension) */
    BINNO_VANISHING;

    /** @return the command-line name */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * @param s the command-line name
     * @return the method of a command-line name
     */
    public static MarketMethod parse(String s) {
        for (MarketMethod m : values()) {
            if (m.label().equals(s.strip().toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        StringBuilder sb = new StringBuilder();
        for (MarketMethod m : values()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(m.label());
        }
        throw new IllegalArgumentException("unknown method '" + s + "', expected one of " + sb);
    }

    /**
     * Default FISTA iterations per Tikhonov stage at most (as {@link TikhonovContinuation#defaults()}):
     * a safety net, the stage tests (gradient mapping and upper-level progress) end the stages.
     */
    public static final int DEFAULT_TIKHONOV_STAGE = 1_000_000;

    /** @return the solver, with {@link #DEFAULT_TIKHONOV_STAGE} */
    public IterativeSolver<BlockCompositeBilevelProblem, BlockIterate, ? extends SolverState<BlockIterate>> solver() {
        return solver(DEFAULT_TIKHONOV_STAGE);
    }

    /**
     * @param tikhonovStage FISTA iterations per Tikhonov stage at most: with the emissions
     *     preference the face is nearly flat for Psi2 + eps Psi1 (curvature eps mu delta), and a stage
     *     cut short ends before the iterate has travelled along it
     * @return the solver
     */
    public IterativeSolver<BlockCompositeBilevelProblem, BlockIterate, ? extends SolverState<BlockIterate>> solver(
            int tikhonovStage) {
        return switch (this) {
            case TIKHONOV -> new TikhonovContinuation(1.0, 0.1, 1e-9, tikhonovStage, 1e-11);
            case BIGSAM -> new BigSam(2.0, false);
            case BINNO_LINESEARCH -> new Binno(BinnoWeights.LINESEARCH);
            case BINNO_MIDPOINT -> new Binno(BinnoWeights.MIDPOINT);
            case BINNO_VANISHING -> new Binno(new BinnoWeights.Vanishing(1.0, 1.0, 1.0));
        };
    }
}
