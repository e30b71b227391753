package org.bilevel4j.apps.toys;

import java.util.Locale;
import org.bilevel4j.problem.BilevelProblem;
import org.bilevel4j.problem.PairIterate;
import org.bilevel4j.solver.meha.BomeOptions;
import org.bilevel4j.solver.meha.MehaOptions;

/**
 * The three synthetic problems of the MEHA paper, with their starts, default sizes and the settings
 * of the method page. The success criterion of each is what can be judged against its known
 * solution: both relative errors for (a); every x_i within the tolerance relative of 3 pi / 4 for
 * (b); y for (c), whose x* is not unique (x is judged by its support, see {@link L1Toy}).
 */
public enum ToyProblem {

    /** Toy (a): merely convex lower level. */
    MERELY_CONVEX("merely-convex", 10, 1000),
    /** Toy (b): nonconvex lower level. */
    NONCONVEX("nonconvex", 10, 30000),
    /** Toy (c): l1 (nonsmooth) lower level. */
    L1("l1", 1000, 15000);

    private final String label;
    private final int defaultDim;
    private final int defaultIterations;

    ToyProblem(String label, int defaultDim, int defaultIterations) {
        this.label = label;
        this.defaultDim = defaultDim;
        this.defaultIterations = defaultIterations;
    }

    /** @return the command-line name */
    public String label() {
        return label;
    }

    /** @return the dimension of the method page */
    public int defaultDim() {
        return defaultDim;
    }

    /** @return the iteration budget of the method page's checks */
    public int defaultIterations() {
        return defaultIterations;
    }

    /**
     * @param s the command-line label
     * @return the problem named by its command-line label
     */
    public static ToyProblem parse(String s) {
        for (ToyProblem t : values()) {
            if (t.label.equals(s.toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown toy problem '" + s + "': use merely-convex, nonconvex or l1");
    }

    /**
     * @param n the dimension
     * @return the problem of dimension n
     */
    public BilevelProblem create(int n) {
        return switch (this) {
            case MERELY_CONVEX -> new MerelyConvexToy(n);
            case NONCONVEX -> new NonconvexToy(n);
            case L1 -> new L1Toy(n);
        };
    }

    /**
     * @param p the problem
     * @return the start of the method page
     */
    public PairIterate start(BilevelProblem p) {
        return switch (this) {
            case MERELY_CONVEX -> ((MerelyConvexToy) p).start();
            case NONCONVEX -> ((NonconvexToy) p).start();
            case L1 -> ((L1Toy) p).start();
        };
    }

    /**
     * The working paper-form settings of the method page (they satisfy {@code eta > beta} with
     * {@code eta = 0.9 / (L_f + 1/gamma)}).
     *
     * @return the options
     */
    public MehaOptions workingSettings() {
        MehaOptions.Builder b = MehaOptions.builder();
        return switch (this) {
            case MERELY_CONVEX -> b.inverseGamma(0.2).eta(0.75).c0(0.6).p(0.49).alpha(0.3).beta(0.5).build();
            case NONCONVEX -> b.inverseGamma(2).eta(0.3).c0(1).p(0.49).alpha(0.3).beta(0.15).build();
            case L1 -> b.inverseGamma(0.1).eta(0.818).c0(1e4).p(0.49).alpha(0.5).beta(0.245).build();
        };
    }

    /**
     * The step sizes of the authors' toy scripts in the paper form (use {@code toBuilder()} to switch
     * to their DIRECT weight). The nonconvex script also peeks at the known solution to gate its
     * updates; that part is not reproduced. None are given for the l1 toy.
     *
     * @throws IllegalArgumentException for the l1 toy
     * @return the options
     */
    public MehaOptions scriptSettings() {
        MehaOptions.Builder b = MehaOptions.builder();
        return switch (this) {
            case MERELY_CONVEX -> b.inverseGamma(0.2).eta(0.009).c0(0.6).p(0.49).alpha(0.012).beta(0.1).build();
            case NONCONVEX -> b.inverseGamma(0.005).eta(0.001).c0(50).p(0.49).alpha(5e-4).beta(5e-4).build();
            case L1 -> throw new IllegalArgumentException("the method page gives no script settings for the l1 toy");
        };
    }

    /** @return BOME's settings for the comparison: T = 10, eta = 0.5, inner and outer steps 0.5 */
    public BomeOptions bomeSettings() {
        return BomeOptions.paper();
    }
}
