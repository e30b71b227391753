package org.bilevel4j.linalg;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The worker threads of the pure-Java kernels: {@code threads() - 1} daemon helper threads that
 * help the calling thread. The thread count is the system property {@code bilevel4j.threads}, read
 * once, defaulting to the number of available processors. Package-private.
 *
 * <p><b>Hand-over.</b> A caller publishes its tasks and works on them itself; helpers take the
 * remaining ones. An idle helper looks for new work for {@link #SPIN_NANOS} before it parks, and a
 * caller whose tasks are still running waits as long before it parks, so while a solver keeps
 * handing over work (a BINNO iteration at 2304 x 51 does so about ten times in 0.6 ms) a task reaches a
 * helper in about a microsecond; waking a parked thread costs tens of microseconds, on a virtual
 * machine up to a hundred, which made two threads slower than one at that size. The price is a
 * core spinning for at most {@link #SPIN_NANOS} after the last parallel section (as OpenMP's and
 * OpenBLAS's threads do by default).
 *
 * <p><b>Several callers.</b> When two threads asked for the helpers within {@link #SHARED_NANOS} of
 * each other (methods run at once by {@code bilevel4j video}, a user's own thread pool), the
 * cores are taken already: every caller then runs its tasks alone until that long has passed
 * without a second caller, and the helpers go back to sleep. Which thread runs a task never
 * changes a result: the tasks and their order of summation depend only on the shapes.
 */
final class Parallel {

    /** How long an idle helper, or a caller waiting for its tasks, spins before it parks: 1 ms. */
    static final long SPIN_NANOS = 1_000_000L;

    /** How long the helpers count as shared after two threads asked for them: 20 ms. */
    static final long SHARED_NANOS = 20_000_000L;

    private static final int THREADS = configuredThreads();

    /** No spinning when there are more threads than processors: a spinning helper would take a core. */
    private static final long SPIN = THREADS <= Runtime.getRuntime().availableProcessors() ? SPIN_NANOS : 0L;

    private static volatile Thread lastCaller;
    private static volatile long lastCall = System.nanoTime() - 2 * SHARED_NANOS;
    private static volatile long sharedMark = System.nanoTime() - 2 * SHARED_NANOS;

    private static final ConcurrentLinkedQueue<Job> JOBS = new ConcurrentLinkedQueue<>();

    private static final ConcurrentLinkedQueue<Thread> PARKED = new ConcurrentLinkedQueue<>();

    static {
        for (int h = 0; h < THREADS - 1; h++) {
            Thread t = new Thread(Parallel::helperLoop, "bilevel4j-gemm-" + (h + 1));
            t.setDaemon(true);
            t.start();
        }
    }

    private Parallel() {
    }

    private static int configuredThreads() {
        int available = Runtime.getRuntime().availableProcessors();
        String s = System.getProperty("bilevel4j.threads");
        if (s == null || s.isBlank()) {
            return available;
        }
        try {
            return Math.max(1, Integer.parseInt(s.trim()));
        } catch (NumberFormatException e) {
            return available;
        }
    }

    /** @return the number of threads a parallel kernel uses, the caller included */
    static int threads() {
        return THREADS;
    }

    private static final class Job {
        final int tasks;
        final IntConsumer body;
        final Thread caller = Thread.currentThread();
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger left;
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        Job(int tasks, IntConsumer body) {
            this.tasks = tasks;
            this.body = body;
            this.left = new AtomicInteger(tasks);
        }

        boolean exhausted() {
            return next.get() >= tasks;
        }

        void work() {
            for (int t = next.getAndIncrement(); t < tasks; t = next.getAndIncrement()) {
                try {
                    if (failure.get() == null) {
                        body.accept(t);
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    if (left.decrementAndGet() == 0) {
                        LockSupport.unpark(caller);
                    }
                }
            }
        }
    }

    private static void helperLoop() {
        Thread self = Thread.currentThread();
        while (true) {
            Job j = JOBS.peek();
            if (j != null) {
                if (j.exhausted()) {
                    JOBS.remove(j);
                } else {
                    j.work();
                }
                continue;
            }
            long idle = System.nanoTime();
            while (JOBS.isEmpty() && System.nanoTime() - idle < SPIN) {
                Thread.onSpinWait();
            }
            if (!JOBS.isEmpty()) {
                continue;
            }
            PARKED.add(self);
            if (JOBS.isEmpty()) {
                LockSupport.park(Parallel.class);
            }
            PARKED.remove(self);
        }
    }

    /** Whether another thread asked for the helpers recently (then every caller runs its tasks alone). */
    private static boolean shared() {
        long now = System.nanoTime();
        Thread me = Thread.currentThread();
        Thread prev = lastCaller;
        if (prev != me && prev != null && now - lastCall < SHARED_NANOS) {
            sharedMark = now;
        }
        lastCaller = me;
        lastCall = now;
        return now - sharedMark < SHARED_NANOS;
    }

    /**
     * Runs {@code body.accept(t)} for every t below tasks, each exactly once, on the calling
     * thread and (when parallel) the helpers; returns when all have finished. Tasks are taken in
     * increasing order by whichever thread is free, so a task must not depend on which thread
     * runs it. After a task throws, the remaining ones are skipped and the first exception is
     * rethrown once every task has finished or been skipped.
     */
    static void forEach(int tasks, boolean parallel, IntConsumer body) {
        if (tasks <= 0) {
            return;
        }
        if (!parallel || THREADS == 1 || tasks == 1 || shared()) {
            for (int t = 0; t < tasks; t++) {
                body.accept(t);
            }
            return;
        }
        Job job = new Job(tasks, body);
        JOBS.add(job);
        int wake = Math.min(THREADS - 1, tasks - 1);
        for (int h = 0; h < wake; h++) {
            Thread t = PARKED.poll();
            if (t == null) {
                break;
            }
            LockSupport.unpark(t);
        }
        job.work();
        JOBS.remove(job);
        long start = System.nanoTime();
        boolean interrupted = false;
        while (job.left.get() > 0) {
            if (System.nanoTime() - start < SPIN) {
                Thread.onSpinWait();
            } else {
                LockSupport.park(job);
                interrupted |= Thread.interrupted();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable f = job.failure.get();
        if (f instanceof RuntimeException re) {
            throw re;
        }
        if (f instanceof Error err) {
            throw err;
        }
        if (f != null) {
            throw new IllegalStateException(f);
        }
    }
}
