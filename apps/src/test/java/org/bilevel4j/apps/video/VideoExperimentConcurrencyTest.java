package org.bilevel4j.apps.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bilevel4j.apps.video.VideoExperiment.Method;
import org.bilevel4j.apps.video.VideoExperiment.Row;
import org.bilevel4j.solver.IterationListener;
import org.bilevel4j.solver.StopReason;
import org.bilevel4j.solver.Trace;
import org.junit.jupiter.api.Test;

/** The methods run at once: {@code VideoExperiment.runAll} with more than one thread. */
class VideoExperimentConcurrencyTest {

    private static final Clip CLIP = SyntheticClip.generate(16, 12, 20, 2, 3);
    private static final List<Method> ALL = List.of(Method.values());

    private static VideoExperiment experiment() {
        return new VideoExperiment(new VideoExperiment.Settings(3, 80, 0.05, 0.01, 4));
    }

    /** Every traced value except the seconds column, row by row. */
    private static void assertSameTrace(Trace a, Trace b, String what) {
        assertThat(b.columns()).as(what).isEqualTo(a.columns());
        assertThat(b.size()).as(what).isEqualTo(a.size());
        for (String c : a.columns()) {
            if (!c.equals("seconds")) {
                assertThat(b.column(c)).as(what + " " + c).isEqualTo(a.column(c));
            }
        }
    }

    @Test
    void resultsDoNotDependOnHowManyMethodsRunAtOnce() {
        Corruption.Observation o = Corruption.paper().apply(CLIP.data(), 7);
        int[] shown = Montage.evenlySpaced(CLIP.frames(), 6);
        List<Row> one = experiment().runAll(ALL, o, shown, m -> IterationListener.none());
        for (int threads : new int[] {2, 4}) {
            Map<Method, String> ranOn = new ConcurrentHashMap<>();
            List<Row> many = experiment().runAll(ALL, o, shown, m -> IterationListener.none(), threads, r -> {
                ranOn.put(r.method(), Thread.currentThread().getName());
                return r;
            });
            assertThat(many).extracting(Row::method).containsExactlyElementsOf(ALL);
            assertThat(ranOn).as("finish runs on the method's own thread").hasSize(4);
            assertThat(ranOn.values()).allMatch(n -> n.startsWith("bilevel4j-video-"));
            for (int i = 0; i < ALL.size(); i++) {
                Row a = one.get(i);
                Row b = many.get(i);
                String what = threads + " threads, " + a.method();
                assertThat(b.iterations()).as(what).isEqualTo(a.iterations());
                assertThat(b.stopReason()).as(what).isEqualTo(a.stopReason());
                assertThat(b.rank()).as(what).isEqualTo(a.rank());
                assertThat(b.relativeError()).as(what).isEqualTo(a.relativeError());
                assertThat(b.mse()).as(what).isEqualTo(a.mse());
                assertThat(b.psnr()).as(what).isEqualTo(a.psnr());
                assertThat(b.lowFrames().data).as(what).isEqualTo(a.lowFrames().data);
                assertThat(b.sparseFrames().data).as(what).isEqualTo(a.sparseFrames().data);
                assertSameTrace(a.trace(), b.trace(), what);
            }
        }
    }

    @Test
    void aFailureCancelsTheOthersAndIsRethrownOnceAllHaveEnded() {
        Corruption.Observation o = Corruption.paper().apply(CLIP.data(), 7);
        int[] shown = Montage.evenlySpaced(CLIP.frames(), 6);
        VideoExperiment exp = new VideoExperiment(new VideoExperiment.Settings(3, 1_000_000, 0.05, 0.01, 4));
        Map<Method, StopReason> stops = new ConcurrentHashMap<>();
        IllegalStateException boom = new IllegalStateException("rpca's report failed");
        assertThatThrownBy(() -> exp.runAll(List.of(Method.NMF, Method.RPCA), o, shown, m -> new IterationListener() {
            @Override
            public void onIteration(org.bilevel4j.solver.IterationInfo info) {
            }

            @Override
            public void onFinish(StopReason reason, int iterations, double seconds) {
                stops.put(m, reason);
            }
        }, 2, r -> {
            if (r.method() == Method.RPCA) {
                throw boom;
            }
            return r;
        })).isSameAs(boom);
        // NMF would run a million iterations; the failure of RPCA's finish stopped it, and the call
        // returned only after it had ended
        assertThat(stops).containsEntry(Method.NMF, StopReason.CANCELLED);
        assertThat(stops).containsKey(Method.RPCA);
    }

    @Test
    void threadsMustBePositive() {
        Corruption.Observation o = Corruption.none(CLIP.data());
        assertThatThrownBy(() -> experiment().runAll(ALL, o, new int[] {0}, m -> IterationListener.none(), 0,
                r -> r)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threads");
    }
}
