package org.bilevel4j.linalg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The hand-over of {@link Parallel}: every task runs exactly once whichever thread takes it, failures
 * come back to the caller after every task has finished, several callers and nested calls complete,
 * and parked helpers wake up for new work.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ParallelTest {

    /** Busy work of about a hundred microseconds, so that a helper has time to take a task. */
    private static double busy(int seed) {
        double s = seed;
        for (int i = 0; i < 100_000; i++) {
            s = s * 0.999_999 + 1e-9 * i;
        }
        return s;
    }

    @Test
    void everyTaskRunsExactlyOnce() {
        for (int tasks : new int[] {1, 2, 3, 17, 1000}) {
            AtomicIntegerArray runs = new AtomicIntegerArray(tasks);
            Parallel.forEach(tasks, true, runs::incrementAndGet);
            for (int t = 0; t < tasks; t++) {
                assertThat(runs.get(t)).as("task %d of %d", t, tasks).isEqualTo(1);
            }
        }
        Parallel.forEach(0, true, t -> {
            throw new AssertionError("no task to run");
        });
    }

    @Test
    void helpersTakeTasksAndWakeUpAfterParking() throws InterruptedException {
        assumeThat(Parallel.threads()).as("one thread: no helpers to test").isGreaterThan(1);
        Set<String> threads = ConcurrentHashMap.newKeySet();
        double[] sink = new double[64];
        for (int round = 0; round < 40 && threads.size() < 2; round++) {
            // every other round after the helpers have parked (more than SPIN_NANOS idle)
            if (round % 2 == 1) {
                Thread.sleep(TimeUnit.NANOSECONDS.toMillis(Parallel.SPIN_NANOS) + 5);
            }
            Parallel.forEach(sink.length, true, t -> {
                sink[t] += busy(t);
                threads.add(Thread.currentThread().getName());
            });
        }
        assertThat(threads).as("threads that ran tasks").hasSizeGreaterThanOrEqualTo(2)
                .anyMatch(n -> n.startsWith("bilevel4j-gemm-"));
    }

    @Test
    void aFailingTaskSkipsTheRestAndIsRethrownOnce() {
        AtomicInteger finished = new AtomicInteger();
        assertThatThrownBy(() -> Parallel.forEach(200, true, t -> {
            if (t == 3) {
                throw new IllegalArgumentException("task 3");
            }
            busy(t);
            finished.incrementAndGet();
        })).isInstanceOf(IllegalArgumentException.class).hasMessage("task 3");
        assertThat(finished.get()).as("tasks run besides the failing one").isLessThan(199);
        assertThatThrownBy(() -> Parallel.forEach(4, true, t -> {
            throw new StackOverflowError("deep");
        })).isInstanceOf(StackOverflowError.class);
        // the helpers survive a failure: the next call runs every task
        AtomicIntegerArray runs = new AtomicIntegerArray(50);
        Parallel.forEach(50, true, runs::incrementAndGet);
        for (int t = 0; t < 50; t++) {
            assertThat(runs.get(t)).isEqualTo(1);
        }
    }

    @Test
    void severalCallersAndNestedCallsComplete() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<double[]>> results = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                int caller = c;
                results.add(pool.submit(() -> {
                    double[] sums = new double[8];
                    for (int call = 0; call < 200; call++) {
                        Parallel.forEach(8, true, t -> {
                            // a nested call from inside a task (possibly on a helper) runs too
                            double[] inner = new double[4];
                            Parallel.forEach(4, true, u -> inner[u] = caller + t + u);
                            sums[t] += inner[0] + inner[1] + inner[2] + inner[3];
                        });
                    }
                    return sums;
                }));
            }
            for (int c = 0; c < 4; c++) {
                double[] sums = results.get(c).get(30, TimeUnit.SECONDS);
                for (int t = 0; t < 8; t++) {
                    assertThat(sums[t]).as("caller %d, task %d", c, t).isEqualTo(200.0 * (4 * (c + t) + 6));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void whileTwoThreadsUseTheHelpersEachRunsItsOwnTasks() throws Exception {
        assumeThat(Parallel.threads()).as("one thread: no helpers to test").isGreaterThan(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        AtomicInteger onHelper = new AtomicInteger();
        AtomicInteger counted = new AtomicInteger();
        try {
            List<Future<?>> callers = new ArrayList<>();
            for (int c = 0; c < 2; c++) {
                callers.add(pool.submit(() -> {
                    double[] sink = new double[4];
                    for (int call = 0; call < 120; call++) {
                        boolean count = call >= 20; // both callers are under way by then
                        Parallel.forEach(4, true, t -> {
                            sink[t] += busy(t) * 1e-3;
                            if (count) {
                                counted.incrementAndGet();
                                if (Thread.currentThread().getName().startsWith("bilevel4j-gemm-")) {
                                    onHelper.incrementAndGet();
                                }
                            }
                        });
                    }
                    return null;
                }));
            }
            for (Future<?> f : callers) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        // each caller's tasks stay on its own thread (a scheduler pause of 20 ms could let a few through)
        assertThat(onHelper.get()).as("tasks run by a helper of %d", counted.get())
                .isLessThanOrEqualTo(counted.get() / 10);
    }

    @Test
    void aCallerThatParkedWhileInterruptedGetsItsFlagBack() throws InterruptedException {
        assumeThat(Parallel.threads()).as("one thread: no helpers to test").isGreaterThan(1);
        // task 0 (the caller's) takes about 3 ms, long enough for a helper to take task 1, which takes
        // 20 ms: the caller waits past SPIN_NANOS and parks, which an interrupt cuts short; the flag
        // must be set again when forEach returns. Rounds where the caller ran both tasks itself prove
        // nothing and are repeated.
        Thread.sleep(TimeUnit.NANOSECONDS.toMillis(Parallel.SHARED_NANOS) + 5); // no other caller lately
        boolean helped = false;
        for (int round = 0; round < 10 && !helped; round++) {
            Set<String> threads = ConcurrentHashMap.newKeySet();
            Thread.currentThread().interrupt();
            try {
                Parallel.forEach(2, true, t -> {
                    threads.add(Thread.currentThread().getName());
                    long until = System.nanoTime() + (t == 0 ? 3_000_000L : 20_000_000L);
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait();
                    }
                });
                assertThat(Thread.currentThread().isInterrupted()).as("interrupt flag after forEach").isTrue();
            } finally {
                Thread.interrupted();
            }
            helped = threads.size() == 2;
        }
        assertThat(helped).as("a helper took a task in one of ten rounds").isTrue();
    }

    @Test
    void anInterruptedCallerStillWaitsForItsTasksAndKeepsTheFlag() {
        int[] done = new int[6];
        Thread.currentThread().interrupt();
        try {
            Parallel.forEach(6, true, t -> {
                busy(t);
                done[t] = 1;
            });
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(done).containsOnly(1);
    }
}
