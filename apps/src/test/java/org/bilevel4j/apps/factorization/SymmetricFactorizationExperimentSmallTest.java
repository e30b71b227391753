package org.bilevel4j.apps.factorization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.bilevel4j.apps.factorization.SymmetricFactorizationExperiment.Check;
import org.bilevel4j.apps.factorization.SymmetricFactorizationExperiment.Report;
import org.bilevel4j.apps.factorization.SymmetricFactorizationExperiment.Row;
import org.bilevel4j.apps.factorization.SymmetricFactorizationExperiment.Settings;
import org.bilevel4j.apps.factorization.SymmetricFactorizationExperiment.Upper;
import org.bilevel4j.function.LogPenalty;
import org.bilevel4j.function.SmoothL1;
import org.bilevel4j.problem.SimpleBilevelProblem;
import org.bilevel4j.solver.Result;
import org.bilevel4j.solver.SolverOptions;
import org.bilevel4j.solver.StopReason;
import org.bilevel4j.solver.simple.Dbgd;
import org.bilevel4j.solver.simple.PenaltyMethod;
import org.bilevel4j.solver.simple.Stationarity;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The factorization experiment's driver on a tiny grid (n = 4, r = 2, 30 iterations; well under a second),
 * each row against the solver run directly on the same instance, and the acceptance check on rows built by
 * hand. The full-size run is {@code SymmetricFactorizationExperimentTest} (tagged slow).
 */
class SymmetricFactorizationExperimentSmallTest {

    static Settings tiny() {
        return new Settings(4, 2, 30, List.of(1.0, 10.0), List.of(1.0), List.of(0L, 7L), List.of(0.0, 1.0),
                List.of(Upper.SMOOTH_L1, Upper.LOG), 1e-2, 1.0, 10, 1e-6);
    }

    @Test
    void eachRowIsTheSolverRunOnItsInstanceInGridOrder() {
        Settings s = tiny();
        List<Row> seen = Collections.synchronizedList(new ArrayList<>());
        long t0 = System.nanoTime();
        Report report = SymmetricFactorizationExperiment.run(s, 1, seen::add);
        double elapsed = (System.nanoTime() - t0) * 1e-9;
        assertThat(report.settings()).isSameAs(s);
        assertThat(report.rows()).hasSize(s.runCount()).hasSize(24);
        assertThat(seen).containsExactlyElementsOf(report.rows());
        assertThat(report.seconds()).isBetween(0.0, elapsed);
        int i = 0;
        for (long seed : List.of(0L, 7L)) {
            for (double shift : List.of(0.0, 1.0)) {
                SymmetricFactorization inst = SymmetricFactorization.generate(4, 2, shift, seed);
                double eta = 1e-2 / inst.spectralNorm();
                for (Upper upper : List.of(Upper.SMOOTH_L1, Upper.LOG)) {
                    SimpleBilevelProblem problem = inst.problem(upper.function(1.0));
                    for (int j = 0; j < 3; j++) {
                        Row row = report.rows().get(i++);
                        boolean dbgd = j < 2;
                        double hyper = j == 0 ? 1.0 : (j == 1 ? 10.0 : 1.0);
                        assertThat(row.seed()).isEqualTo(seed);
                        assertThat(row.shift()).isEqualTo(shift);
                        assertThat(row.upper()).isEqualTo(upper);
                        assertThat(row.method()).isEqualTo(dbgd ? "DBGD" : "penalty");
                        assertThat(row.hyperName()).isEqualTo(dbgd ? "beta" : "gamma");
                        assertThat(row.hyper()).isEqualTo(hyper);
                        assertThat(row.eta()).isEqualTo(eta);
                        assertThat(row.gStar()).isEqualTo(inst.lowerMinimum());
                        assertThat(row.aLabel()).isEqualTo(shift == 0 ? "WW^T" : "WW^T+I");
                        SolverOptions o = SolverOptions.builder().maxIterations(30).traceEvery(10).seed(seed).build();
                        Result<DMatrixRMaj> r = dbgd
                                ? Dbgd.of(hyper, eta, Stationarity.of(1e-6)).solve(problem, inst.start(), o)
                                : PenaltyMethod.of(hyper, eta, Stationarity.of(1e-6)).solve(problem, inst.start(), o);
                        assertThat(row.iterations()).isEqualTo(r.iterations()).isEqualTo(30);
                        assertThat(row.stopReason()).isEqualTo(r.stopReason()).isEqualTo(StopReason.MAX_ITERATIONS);
                        assertThat(row.trace().size()).isEqualTo(r.trace().size()).isEqualTo(4);
                        assertThat(row.gradGNorm()).isEqualTo(r.trace().lastValue("grad_g_norm"));
                        assertThat(row.gradFPerpNorm()).isEqualTo(r.trace().lastValue("grad_f_perp_norm"));
                        assertThat(row.f()).isEqualTo(r.trace().lastValue("f"));
                        assertThat(row.g()).isEqualTo(r.trace().lastValue("g"));
                        assertThat(row.lambda()).isEqualTo(r.trace().lastValue("lambda"));
                        assertThat(row.dNorm()).isEqualTo(r.trace().lastValue("d_norm"));
                        assertThat(row.bestGradGNorm()).isEqualTo(r.trace().lastValue("best_grad_g_norm"));
                        assertThat(row.seconds()).isBetween(0.0, elapsed);
                    }
                }
            }
        }
        assertThat(report.check()).isEqualTo(SymmetricFactorizationExperiment.check(report.rows()));
        // every group has beta = 1, beta = 10 and gamma = 1: 2 seeds x 2 A x 2 upper levels
        assertThat(report.check().applicable()).isTrue();
        assertThat(report.check().groups()).isEqualTo(8);
    }

    @Test
    void twoThreadsGiveTheSameRowsInTheSameOrder() {
        Settings s = tiny().withIterations(12);
        AtomicInteger calls = new AtomicInteger();
        Report one = SymmetricFactorizationExperiment.run(s, 1, r -> { });
        Report two = SymmetricFactorizationExperiment.run(s, 2, r -> calls.incrementAndGet());
        assertThat(calls.get()).isEqualTo(24);
        assertThat(two.rows()).hasSize(24);
        for (int i = 0; i < 24; i++) {
            Row a = one.rows().get(i);
            Row b = two.rows().get(i);
            assertThat(b.method()).isEqualTo(a.method());
            assertThat(b.hyper()).isEqualTo(a.hyper());
            assertThat(b.seed()).isEqualTo(a.seed());
            assertThat(b.gradGNorm()).isEqualTo(a.gradGNorm());
            assertThat(b.f()).isEqualTo(a.f());
            assertThat(b.iterations()).isEqualTo(12);
        }
    }

    @Test
    void aFailingRowStopsTheRunWithItsOwnException() {
        Settings s = tiny().withIterations(2);
        IllegalStateException stop = new IllegalStateException("stop");
        assertThatThrownBy(() -> SymmetricFactorizationExperiment.run(s, 1, r -> {
            throw stop;
        })).isSameAs(stop);
        assertThatThrownBy(() -> SymmetricFactorizationExperiment.run(s, 2, r -> {
            throw stop;
        })).isSameAs(stop);
        assertThatThrownBy(() -> SymmetricFactorizationExperiment.run(s, 0, r -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("threads must be at least 1, got 0");
    }

    @Test
    void anInterruptedParallelRunKeepsTheInterruptFlag() {
        Settings s = tiny().withIterations(2);
        // no row can finish before the main thread waits for the first one
        java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
        java.util.function.Consumer<Row> blocked = r -> {
            try {
                never.await(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> SymmetricFactorizationExperiment.run(s, 2, blocked))
                    .isInstanceOf(IllegalStateException.class).hasMessage("interrupted");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    // ---------------------------------------------------------------- settings

    @Test
    void paperSettingsAndTheWithersAndTheRunCount() {
        Settings p = Settings.paper();
        assertThat(p.n()).isEqualTo(20);
        assertThat(p.r()).isEqualTo(5);
        assertThat(p.iterations()).isEqualTo(20_000);
        assertThat(p.betas()).containsExactly(0.1, 1.0, 10.0);
        assertThat(p.gammas()).containsExactly(0.1, 1.0, 10.0, 100.0);
        assertThat(p.seeds()).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(p.shifts()).containsExactly(0.0, 1.0);
        assertThat(p.uppers()).containsExactly(Upper.SMOOTH_L1, Upper.LOG);
        assertThat(p.etaScale()).isEqualTo(1e-2);
        assertThat(p.delta()).isEqualTo(1.0);
        assertThat(p.traceEvery()).isEqualTo(20);
        assertThat(p.eps()).isEqualTo(1e-6);
        // 5 seeds x 2 shifts x 2 uppers x (3 + 4)
        assertThat(p.runCount()).isEqualTo(140);
        Settings q = p.withSeeds(List.of(3L, 4L, 5L)).withIterations(7).withGrids(List.of(2.0), List.of(3.0, 4.0, 5.0));
        assertThat(q.seeds()).containsExactly(3L, 4L, 5L);
        assertThat(q.iterations()).isEqualTo(7);
        assertThat(q.betas()).containsExactly(2.0);
        assertThat(q.gammas()).containsExactly(3.0, 4.0, 5.0);
        assertThat(q.n()).isEqualTo(20);
        assertThat(q.traceEvery()).isEqualTo(20);
        // 3 seeds x 2 shifts x 2 uppers x (1 + 3)
        assertThat(q.runCount()).isEqualTo(48);
    }

    @Test
    void settingsRefuseBadValues() {
        List<Double> b = List.of(1.0);
        List<Long> seeds = List.of(0L);
        List<Double> sh = List.of(0.0);
        List<Upper> up = List.of(Upper.LOG);
        assertThatThrownBy(() -> new Settings(2, 3, 1, b, b, seeds, sh, up, 1, 1, 1, 0))
                .hasMessage("need 1 <= r <= n, got n=2, r=3");
        assertThatThrownBy(() -> new Settings(2, 0, 1, b, b, seeds, sh, up, 1, 1, 1, 0))
                .hasMessage("need 1 <= r <= n, got n=2, r=0");
        assertThatThrownBy(() -> new Settings(2, 2, 0, b, b, seeds, sh, up, 1, 1, 1, 0))
                .hasMessage("iterations must be at least 1, got 0");
        assertThatThrownBy(() -> new Settings(2, 2, 1, b, b, List.of(), sh, up, 1, 1, 1, 0))
                .hasMessage("need at least one seed, one shift and one upper level");
        assertThatThrownBy(() -> new Settings(2, 2, 1, b, b, seeds, List.of(-1.0), up, 1, 1, 1, 0))
                .hasMessageStartingWith("shifts must be finite and nonnegative");
        assertThatThrownBy(() -> new Settings(2, 2, 1, b, b, seeds, sh, up, 0, 1, 1, 0))
                .hasMessage("etaScale must be positive and finite, got 0.0");
        assertThatThrownBy(() -> new Settings(2, 2, 1, b, b, seeds, sh, up, 1, 0, 1, 0))
                .hasMessage("delta must be positive and finite, got 0.0");
        assertThatThrownBy(() -> new Settings(2, 2, 1, b, b, seeds, sh, up, 1, 1, 0, 0))
                .hasMessage("traceEvery must be at least 1, got 0");
        assertThatThrownBy(() -> new Settings(2, 2, 1, b, b, seeds, sh, up, 1, 1, 1, -1))
                .hasMessage("eps must be finite and nonnegative, got -1.0");
        // the smallest valid values
        Settings ok = new Settings(1, 1, 1, List.of(), List.of(), seeds, sh, up, 1, 1, 1, 0);
        assertThat(ok.runCount()).isZero();
    }

    @Test
    void upperLevelsAndLabels() {
        assertThat(Upper.SMOOTH_L1.label()).isEqualTo("smooth-l1");
        assertThat(Upper.LOG.label()).isEqualTo("log");
        assertThat(Upper.SMOOTH_L1.function(2.0)).isInstanceOf(SmoothL1.class);
        assertThat(Upper.LOG.function(2.0)).isInstanceOf(LogPenalty.class);
        DMatrixRMaj u = new DMatrixRMaj(new double[][] {{1.5, 0}});
        // sum sqrt(u^2 + 4) and sum log(1 + u^2 / 4)
        assertThat(Upper.SMOOTH_L1.function(2.0).value(u)).isCloseTo(2.5 + 2, within(1e-14));
        assertThat(Upper.LOG.function(2.0).value(u)).isCloseTo(Math.log(1 + 2.25 / 4), within(1e-14));
        assertThat(Row.aLabel(0)).isEqualTo("WW^T");
        assertThat(Row.aLabel(1)).isEqualTo("WW^T+I");
        assertThat(Row.aLabel(2.5)).isEqualTo("WW^T+2.50000I");
    }

    // ---------------------------------------------------------------- the check, on hand-made rows

    static Row row(long seed, double shift, Upper upper, String method, double hyper, double gradG) {
        return new Row(seed, shift, upper, method, method.equals("DBGD") ? "beta" : "gamma", hyper, 0.1, gradG, 0, 0,
                0, 0, 0, 0, gradG, 10, 0, StopReason.MAX_ITERATIONS, null);
    }

    /** One group: DBGD beta = 1 and 10 with ||grad g|| 0.1 and 0.2, penalties; ratio = best penalty / 0.2. */
    static List<Row> group(long seed, double shift, Upper upper, double bestPenalty) {
        List<Row> rows = new ArrayList<>();
        rows.add(row(seed, shift, upper, "DBGD", 0.1, 1e-9)); // beta 0.1 is not part of the check
        rows.add(row(seed, shift, upper, "DBGD", 1.0, 0.1));
        rows.add(row(seed, shift, upper, "DBGD", 10.0, 0.2));
        rows.add(row(seed, shift, upper, "penalty", 0.1, 50));
        rows.add(row(seed, shift, upper, "penalty", 10.0, bestPenalty)); // gamma = 10 is part of the check
        rows.add(row(seed, shift, upper, "penalty", 100.0, 1e-9)); // gamma = 100 is not
        return rows;
    }

    @Test
    void theCheckTakesTheWorstDbgdAndTheBestPenaltyPerGroup() {
        List<Row> rows = new ArrayList<>(group(0, 0, Upper.SMOOTH_L1, 2.0)); // ratio 10
        rows.addAll(group(0, 1, Upper.LOG, 1.4)); // ratio 7
        rows.addAll(group(3, 0, Upper.LOG, 1.4)); // ratio 7 again: the first group with it is named
        Check c = SymmetricFactorizationExperiment.check(rows);
        assertThat(c.applicable()).isTrue();
        assertThat(c.pass()).isTrue();
        assertThat(c.groups()).isEqualTo(3);
        assertThat(c.worstRatio()).isCloseTo(7.0, within(1e-12));
        assertThat(c.worstGroup()).isEqualTo("seed 0, A = WW^T+I, log");
        assertThat(c.summary()).isEqualTo("PASS 5x check: final ||grad g|| of every penalty run with gamma <= 10 over the"
                + " worst DBGD run with beta in {1, 10}, smallest ratio over 3 groups (seed, A, upper level) = 7.00"
                + " (seed 0, A = WW^T+I, log); required >= 5");
    }

    @Test
    void aRatioOfExactlyFivePassesAndBelowFails() {
        Check at = SymmetricFactorizationExperiment.check(group(1, 0, Upper.SMOOTH_L1, 1.0)); // 1.0 / 0.2 = 5
        assertThat(at.worstRatio()).isEqualTo(1.0 / 0.2);
        assertThat(at.worstRatio()).isEqualTo(5.0);
        assertThat(at.pass()).isTrue();
        assertThat(at.worstGroup()).isEqualTo("seed 1, A = WW^T, smooth-l1");
        Check below = SymmetricFactorizationExperiment.check(group(1, 0, Upper.SMOOTH_L1, 0.9));
        assertThat(below.pass()).isFalse();
        assertThat(below.applicable()).isTrue();
        assertThat(below.summary()).startsWith("FAIL 5x check:").contains("= 4.50 (seed 1, A = WW^T, smooth-l1)");
    }

    @Test
    void theCheckIsNotApplicableWithoutBothBetasOrAPenaltyWithGammaAtMostTen() {
        assertThat(SymmetricFactorizationExperiment.check(List.of()).applicable()).isFalse();
        List<Row> full = group(0, 0, Upper.LOG, 2.0);
        for (int drop : new int[] {1, 2, 3, 4}) {
            List<Row> rows = new ArrayList<>(full);
            if (drop == 3) {
                // no penalty with gamma <= 10 at all
                rows.remove(4);
                rows.remove(3);
            } else {
                rows.remove(drop);
            }
            Check c = SymmetricFactorizationExperiment.check(rows);
            if (drop == 4) {
                // gamma = 0.1 is still there: applicable, best penalty 50
                assertThat(c.applicable()).isTrue();
                assertThat(c.worstRatio()).isCloseTo(250.0, within(1e-9));
                continue;
            }
            assertThat(c.applicable()).as("without row %d", drop).isFalse();
            assertThat(c.pass()).isFalse();
            assertThat(c.worstRatio()).isNaN();
            assertThat(c.worstGroup()).isEmpty();
            assertThat(c.groups()).isEqualTo(1);
            assertThat(c.summary()).isEqualTo("SKIP 5x check: needs beta = 1, beta = 10 and a gamma <= 10 in every group");
        }
        // a second, complete group does not make an incomplete one applicable
        List<Row> rows = new ArrayList<>(full);
        List<Row> partial = new ArrayList<>(group(1, 0, Upper.LOG, 2.0));
        partial.remove(2);
        rows.addAll(partial);
        assertThat(SymmetricFactorizationExperiment.check(rows).applicable()).isFalse();
    }
}
