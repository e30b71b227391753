package org.bilevel4j.apps.cleaning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.bilevel4j.linalg.Precision;
import org.bilevel4j.solver.SolverOptions;
import org.bilevel4j.solver.StopReason;
import org.bilevel4j.solver.meha.BomeOptions;
import org.bilevel4j.solver.meha.Meha;
import org.bilevel4j.solver.meha.MehaOptions;
import org.bilevel4j.solver.meha.MehaState;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The hyper-cleaning driver on a tiny synthetic set: every checkpoint is the state of the same
 * iteration replayed by hand (MEHA and the L-BFGS baselines are deterministic), the checkpoints fall on
 * the evaluation period and the last iteration, the progress consumer sees each of them, the baselines
 * use the weights they are named for, and the seconds exclude the evaluations.
 */
class HyperCleaningRunsTest {

    private static final CleaningDataset DATA = CleaningDataset.synthetic(8, 40, 30, 30, 0.5, 0.5, 3);

    private static SoftmaxModel model(String name, DMatrixRMaj a, int[] labels, Precision p) {
        return new SoftmaxModel(name, a, labels, DATA.classes(), 2, new ProductLog(), p);
    }

    private static void assertSeconds(List<HyperCleaning.Checkpoint> cps, double total, double elapsed) {
        assertThat(cps.get(0).seconds()).isZero();
        double previous = 0;
        for (HyperCleaning.Checkpoint c : cps) {
            assertThat(c.seconds()).isGreaterThanOrEqualTo(previous).isLessThanOrEqualTo(total);
            previous = c.seconds();
        }
        assertThat(total).isPositive().isLessThanOrEqualTo(elapsed);
    }

    @Test
    void mehaCheckpointsAreTheReplayedIterationsAtEachPeriodAndAtTheEnd() {
        HyperCleaning.Settings s = HyperCleaning.Settings.standard(HyperCleaning.Method.MEHA).withMaxIterations(5)
                .withEvalEvery(2).withFitIterations(30);
        List<HyperCleaning.Checkpoint> seen = new ArrayList<>();
        long t0 = System.nanoTime();
        HyperCleaning.Report r = HyperCleaning.run(DATA, s, seen::add);
        double elapsed = (System.nanoTime() - t0) * 1e-9;
        assertThat(r.checkpoints()).extracting(HyperCleaning.Checkpoint::iteration).containsExactly(0, 2, 4, 5);
        assertThat(seen).isEqualTo(r.checkpoints());
        assertThat(r.method()).isEqualTo(HyperCleaning.Method.MEHA);
        assertThat(r.iterations()).isEqualTo(5);
        assertThat(r.stopReason()).isEqualTo(StopReason.MAX_ITERATIONS);

        HyperCleaningProblem p = new HyperCleaningProblem(DATA, s.ridge(), s.precision());
        SoftmaxModel test = model("test", DATA.testDesign(), DATA.testLabels(), Precision.DOUBLE);
        Meha meha = new Meha(s.meha());
        MehaState st = meha.init(p, p.start(), SolverOptions.builder().maxIterations(5).build());
        HyperCleaning.Checkpoint c0 = r.checkpoints().get(0);
        assertThat(c0.validationLoss()).isEqualTo(p.upperValue(st.x(), st.y()));
        assertThat(c0.testAccuracy()).isEqualTo(test.accuracy(st.y()));
        assertThat(c0.f1()).isEqualTo(HyperCleaning.f1(st.x(), DATA.clean()));
        int next = 1;
        for (int k = 1; k <= 5; k++) {
            meha.step(p, st);
            if (k == 2 || k == 4 || k == 5) {
                HyperCleaning.Checkpoint c = r.checkpoints().get(next++);
                assertThat(c.validationLoss()).as("F at %d", k).isEqualTo(st.upperValue());
                assertThat(c.testAccuracy()).as("accuracy at %d", k).isEqualTo(test.accuracy(st.y()));
                assertThat(c.f1()).as("F1 at %d", k).isEqualTo(HyperCleaning.f1(st.x(), DATA.clean()));
            }
        }
        assertThat(r.weights().data).containsExactly(st.x().data);
        assertThat(r.testAccuracy()).isEqualTo(test.accuracy(st.y()));
        assertThat(r.f1()).isEqualTo(HyperCleaning.f1(st.x(), DATA.clean()));
        assertThat(r.validationLoss()).isEqualTo(p.validationModel().meanLoss(st.y()));
        // the retraining on the learned weights sigma(x)
        double[] w = new double[st.x().getNumElements()];
        for (int i = 0; i < w.length; i++) {
            w[i] = 1 / (1 + Math.exp(-st.x().data[i]));
        }
        HyperCleaningProblem q = new HyperCleaningProblem(DATA, s.ridge(), s.precision());
        WeightedSoftmaxFit.Fit fit = WeightedSoftmaxFit.fit(q.trainModel(), w, s.ridge(),
                new DMatrixRMaj(q.yRows(), q.yCols()), 30, s.fitTolerance(), null);
        assertThat(fit.iterations()).isPositive();
        assertThat(r.retrainIterations()).isEqualTo(fit.iterations());
        assertThat(r.retrainedAccuracy()).isEqualTo(test.accuracy(fit.y()));
        // seconds: the solver's own, the last checkpoint's being the run's
        assertSeconds(r.checkpoints(), r.seconds(), elapsed);
        assertThat(r.checkpoints().get(3).seconds()).isEqualTo(r.seconds());
        assertThat(r.millisPerIteration()).isEqualTo(1000 * r.seconds() / 5);
    }

    /** One baseline replayed: checkpoints (iteration, validation loss, test accuracy) and the fit. */
    private static void checkBaseline(HyperCleaning.Method m, int iterations, int every) {
        HyperCleaning.Settings s = HyperCleaning.Settings.standard(m).withMaxIterations(iterations)
                .withEvalEvery(every);
        List<HyperCleaning.Checkpoint> seen = new ArrayList<>();
        long t0 = System.nanoTime();
        HyperCleaning.Report r = HyperCleaning.run(DATA, s, seen::add);
        double elapsed = (System.nanoTime() - t0) * 1e-9;
        assertThat(seen).isEqualTo(r.checkpoints());

        SoftmaxModel train = model("train", DATA.trainDesign(), DATA.trainLabels(), s.precision());
        SoftmaxModel val = model("val", DATA.valDesign(), DATA.valLabels(), s.precision());
        SoftmaxModel test = model("test", DATA.testDesign(), DATA.testLabels(), Precision.DOUBLE);
        double[] w = new double[DATA.clean().length];
        for (int i = 0; i < w.length; i++) {
            w[i] = m == HyperCleaning.Method.ALL_DATA || DATA.clean()[i] ? 1 : 0;
        }
        List<double[]> want = new ArrayList<>();
        DMatrixRMaj y0 = new DMatrixRMaj(train.features(), DATA.classes());
        want.add(new double[] {0, val.meanLoss(y0), test.accuracy(y0)});
        WeightedSoftmaxFit.Fit fit = WeightedSoftmaxFit.fit(train, w, s.ridge(), y0, iterations, s.fitTolerance(),
                (k, y) -> {
                    if (k % every == 0) {
                        want.add(new double[] {k, val.meanLoss(y), test.accuracy(y)});
                    }
                });
        if ((int) want.get(want.size() - 1)[0] != fit.iterations()) {
            want.add(new double[] {fit.iterations(), val.meanLoss(fit.y()), test.accuracy(fit.y())});
        }
        assertThat(r.checkpoints()).hasSize(want.size());
        for (int i = 0; i < want.size(); i++) {
            HyperCleaning.Checkpoint c = r.checkpoints().get(i);
            assertThat(c.iteration()).isEqualTo((int) want.get(i)[0]);
            assertThat(c.validationLoss()).as("%s checkpoint %d", m, i).isEqualTo(want.get(i)[1]);
            assertThat(c.testAccuracy()).as("%s checkpoint %d", m, i).isEqualTo(want.get(i)[2]);
            assertThat(c.f1()).isNaN();
        }
        assertThat(r.iterations()).isEqualTo(fit.iterations());
        assertThat(r.stopReason()).isEqualTo(fit.converged() ? StopReason.CONVERGED : StopReason.MAX_ITERATIONS);
        assertThat(r.testAccuracy()).isEqualTo(test.accuracy(fit.y()));
        assertThat(r.validationLoss()).isEqualTo(val.meanLoss(fit.y()));
        assertThat(r.f1()).isNaN();
        assertThat(r.retrainedAccuracy()).isNaN();
        assertThat(r.retrainIterations()).isZero();
        assertThat(r.weights()).isNull();
        assertSeconds(r.checkpoints(), r.seconds(), elapsed);
    }

    @Test
    void baselineCheckpointsFollowTheFitAndEachUsesItsOwnWeights() {
        // 10 iterations, every 3: checkpoints 0, 3, 6, 9 and the last, 10
        checkBaseline(HyperCleaning.Method.ALL_DATA, 10, 3);
        checkBaseline(HyperCleaning.Method.CLEAN_ONLY, 10, 3);
        // the last iteration on the period is not repeated
        checkBaseline(HyperCleaning.Method.CLEAN_ONLY, 10, 5);
        // a budget large enough to converge
        checkBaseline(HyperCleaning.Method.ALL_DATA, 1000, 1000);
        HyperCleaning.Report conv = HyperCleaning.run(DATA, HyperCleaning.Settings.standard(
                HyperCleaning.Method.ALL_DATA).withMaxIterations(1000), null);
        assertThat(conv.stopReason()).isEqualTo(StopReason.CONVERGED);
        assertThat(conv.iterations()).isLessThan(1000);
        HyperCleaning.Report capped = HyperCleaning.run(DATA, HyperCleaning.Settings.standard(
                HyperCleaning.Method.ALL_DATA).withMaxIterations(4), null);
        assertThat(capped.stopReason()).isEqualTo(StopReason.MAX_ITERATIONS);
        assertThat(capped.checkpoints()).extracting(HyperCleaning.Checkpoint::iteration).containsExactly(0, 4);
        // the two baselines really differ (half the labels are corrupted)
        HyperCleaning.Report clean = HyperCleaning.run(DATA, HyperCleaning.Settings.standard(
                HyperCleaning.Method.CLEAN_ONLY).withMaxIterations(4), null);
        assertThat(clean.validationLoss()).isNotEqualTo(capped.validationLoss());
    }

    @Test
    void methodsSettingsAndReportsCarryWhatTheyAreGiven() {
        assertThat(HyperCleaning.Method.MEHA.label()).isEqualTo("meha");
        assertThat(HyperCleaning.Method.CLEAN_ONLY.label()).isEqualTo("clean-only");
        for (HyperCleaning.Method m : HyperCleaning.Method.values()) {
            assertThat(HyperCleaning.Method.parse(m.label().toUpperCase(java.util.Locale.ROOT))).isSameAs(m);
        }
        assertThatThrownBy(() -> HyperCleaning.Method.parse("sgd")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown method 'sgd': use meha, bome, clean-only or all-data");
        HyperCleaning.Settings s = HyperCleaning.Settings.standard(HyperCleaning.Method.BOME);
        assertThat(s.maxIterations()).isEqualTo(500);
        MehaOptions mo = MehaOptions.builder().eta(0.5).build();
        BomeOptions bo = new BomeOptions(3, 0.1, 1, 0.1, 0.5);
        assertThat(s.withMeha(mo).meha()).isSameAs(mo);
        assertThat(s.withMeha(mo).bome()).isEqualTo(s.bome());
        assertThat(s.withBome(bo).bome()).isSameAs(bo);
        assertThat(s.withBome(bo).meha()).isEqualTo(s.meha());
        assertThat(s.withRidge(0.25).ridge()).isEqualTo(0.25);
        assertThat(s.withRidge(0.25).method()).isEqualTo(HyperCleaning.Method.BOME);
        assertThat(s.withPrecision(Precision.SINGLE).precision()).isEqualTo(Precision.SINGLE);
        assertThat(s.withPrecision(Precision.SINGLE).maxIterations()).isEqualTo(500);
        assertThat(new HyperCleaning.Report(HyperCleaning.Method.MEHA, 4, 2.0, StopReason.MAX_ITERATIONS, 0, 0, 0, 0,
                0, List.of(), null).millisPerIteration()).isEqualTo(500);
        assertThat(new HyperCleaning.Report(HyperCleaning.Method.MEHA, 0, 2.0, StopReason.MAX_ITERATIONS, 0, 0, 0, 0,
                0, List.of(), null).millisPerIteration()).isNaN();
    }

    @Test
    void aDivergedRunEndsWithACheckpointAtTheKeptIterate() {
        // a theta step of 1000 makes theta grow tenfold per iteration (|1 - eta (ridge + 1/gamma)| = 10) until
        // the driver stops the run; the evaluation period is never reached, so the only checkpoints are the
        // start and the kept iterate
        HyperCleaning.Settings s = HyperCleaning.Settings.standard(HyperCleaning.Method.MEHA)
                .withMeha(HyperCleaning.mehaDefaults().toBuilder().eta(1000).build()).withMaxIterations(500)
                .withEvalEvery(500).withFitIterations(5);
        List<HyperCleaning.Checkpoint> seen = new ArrayList<>();
        HyperCleaning.Report r = HyperCleaning.run(DATA, s, seen::add);
        assertThat(r.stopReason()).isEqualTo(StopReason.DIVERGED);
        assertThat(r.iterations()).isBetween(2, 499);
        assertThat(r.checkpoints()).extracting(HyperCleaning.Checkpoint::iteration).containsExactly(0,
                r.iterations());
        assertThat(seen).isEqualTo(r.checkpoints());
        HyperCleaning.Checkpoint last = r.checkpoints().get(1);
        assertThat(last.validationLoss()).isEqualTo(r.validationLoss());
        assertThat(last.testAccuracy()).isEqualTo(r.testAccuracy());
        assertThat(last.f1()).isEqualTo(r.f1());
        assertThat(last.seconds()).isEqualTo(r.seconds()).isPositive();
        // the kept iterate is the iterate of the last finished iteration
        HyperCleaningProblem p = new HyperCleaningProblem(DATA, s.ridge(), s.precision());
        Meha meha = new Meha(s.meha());
        MehaState st = meha.init(p, p.start(), SolverOptions.builder().maxIterations(500).build());
        for (int k = 0; k < r.iterations(); k++) {
            meha.step(p, st);
        }
        assertThat(r.weights().data).containsExactly(st.x().data);
        assertThat(r.validationLoss()).isEqualTo(p.validationModel().meanLoss(st.y()));
    }
}
