package org.bilevel4j.spark.sweep;

import java.io.Serial;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bilevel4j.apps.toys.ToyProblem;
import org.bilevel4j.apps.toys.ToyRun;
import org.bilevel4j.apps.toys.ToyRunner;
import org.bilevel4j.problem.BilevelProblem;
import org.bilevel4j.solver.meha.Meha;
import org.bilevel4j.solver.meha.MehaOptions;

/**
 * MEHA (Liu, Liu, Yao, Zeng, Zhang, "Moreau Envelope for Nonconvex Bi-Level Optimization: A
 * Single-loop and Hessian-free Solution Strategy", ICML 2024) on one of the paper's synthetic toys
 * with a known solution, as {@code bilevel4j meha} runs it ({@link ToyRunner}). With
 * {@code c_k = c0 (k + 1)^p}, {@code w_k = 1/c_k} and {@code phi = f + g} the lower level, one
 * iteration is ({@link Meha}):
 * <pre>
 *   theta+ = prox_{eta g(x,.)}(theta - eta [grad_y f(x, theta) + (theta - y)/gamma])
 *   x+     = x - alpha [w_k grad_x F(x, y) + grad_x phi(x, y) - grad_x phi(x, theta+)]
 *   y+     = prox_{beta g(x+,.)}(y - beta [w_k grad_y F(x+, y) + grad_y f(x+, y) - (y - theta+)/gamma])
 * </pre>
 *
 * <p>Parameters (defaults: the toy's working settings of the method page,
 * {@link ToyProblem#workingSettings()}): {@code alpha}, {@code beta}, {@code eta},
 * {@code inv_gamma} (1/gamma), {@code c0}, {@code p}, {@code max_iter} (the toy's budget) and
 * {@code tol} (1e-2, the success tolerance). Metrics: {@code criterion} (the toy's error measure at
 * the end: {@link ToyRunner#criterionName}), {@code x_error}, {@code y_error} (relative errors to the
 * known solution), {@code first_reached} (first iteration with criterion below tol; NaN if never)
 * and {@code settled_from}. The toys and the start are deterministic: the seed only labels
 * replicates.
 *
 * @param toy which toy
 * @param n its dimension
 */
public record MehaToySweepJob(ToyProblem toy, int n) implements SweepJob<MehaToySweepJob.Toy> {

    @Serial
    private static final long serialVersionUID = 1L;

    /** Checks the fields. */
    public MehaToySweepJob {
        Objects.requireNonNull(toy, "toy");
        if (n < 1) {
            throw new IllegalArgumentException("--dim must be at least 1, got " + n);
        }
    }

    /**
     * The toy's description; the problem itself is rebuilt in each task (it is cheap and not
     * serializable).
     *
     * @param toy which toy
     * @param n its dimension
     */
    public record Toy(ToyProblem toy, int n) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
    }

    @Override
    public String name() {
        return "meha-" + toy.label();
    }

    @Override
    public Map<String, Double> defaults() {
        MehaOptions w = toy.workingSettings();
        Map<String, Double> d = new LinkedHashMap<>();
        d.put("alpha", w.alpha());
        d.put("beta", w.beta());
        d.put("eta", w.eta());
        d.put("inv_gamma", 1.0 / w.gamma());
        d.put("c0", w.c0());
        d.put("p", w.p());
        d.put("max_iter", (double) toy.defaultIterations());
        d.put("tol", 1e-2);
        return d;
    }

    @Override
    public List<String> metrics() {
        return List.of("criterion", "x_error", "y_error", "first_reached", "settled_from");
    }

    @Override
    public void validate(Setting s) {
        SweepJob.super.validate(s);
        Setting f = s.withDefaults(defaults());
        options(f);
        if (f.getInt("max_iter", 1) < 1) {
            throw new IllegalArgumentException("max_iter must be at least 1, got " + f.get("max_iter"));
        }
        if (!(f.get("tol") > 0)) {
            throw new IllegalArgumentException("tol must be positive, got " + f.get("tol"));
        }
    }

    private MehaOptions options(Setting s) {
        return toy.workingSettings().toBuilder().alpha(s.get("alpha")).beta(s.get("beta")).eta(s.get("eta"))
                .inverseGamma(s.get("inv_gamma")).c0(s.get("c0")).p(s.get("p")).build();
    }

    @Override
    public Toy prepare() {
        return new Toy(toy, n);
    }

    @Override
    public Outcome run(Toy t, Setting s, long seed) {
        BilevelProblem problem = t.toy().create(t.n());
        ToyRun r = ToyRunner.run(t.toy(), problem, new Meha(options(s)), s.getInt("max_iter", 1), s.get("tol"));
        int k = r.criterion().length;
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("criterion", r.finalCriterion());
        m.put("x_error", k == 0 ? Double.NaN : r.xError()[k - 1]);
        m.put("y_error", k == 0 ? Double.NaN : r.yError()[k - 1]);
        m.put("first_reached", r.firstReached() < 0 ? Double.NaN : r.firstReached());
        m.put("settled_from", r.settledFrom() < 0 ? Double.NaN : r.settledFrom());
        return new Outcome(m, r.result().iterations(), r.result().stopReason().name());
    }
}
