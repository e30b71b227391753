package org.bilevel4j.linalg;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * The worker threads of the pure-Java kernels: a fixed pool of {@code threads() - 1} daemon
 * threads that help the calling thread. The thread count is the system property
 * {@code bilevel4j.threads}, read once, defaulting to the number of available processors.
 * Package-private.
 */
final class Parallel {

    private static final int THREADS = configuredThreads();

    private static final ExecutorService POOL = THREADS > 1 ? Executors.newFixedThreadPool(THREADS - 1, r -> {
        Thread t = new Thread(r, "bilevel4j-gemm");
        t.setDaemon(true);
        return t;
    }) : null;

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

    /**
     * Runs {@code body.accept(t)} for every t below tasks, each exactly once, on the calling
     * thread and (when parallel) the pool; returns when all have finished. Tasks are taken in
     * increasing order by whichever thread is free, so a task must not depend on which thread
     * runs it. After a task throws, the remaining ones are skipped and the first exception is
     * rethrown once every task has finished or been skipped.
     */
    static void forEach(int tasks, boolean parallel, IntConsumer body) {
        if (tasks <= 0) {
            return;
        }
        if (!parallel || POOL == null || tasks == 1) {
            for (int t = 0; t < tasks; t++) {
                body.accept(t);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(tasks);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable worker = () -> {
            for (int t = next.getAndIncrement(); t < tasks; t = next.getAndIncrement()) {
                try {
                    if (failure.get() == null) {
                        body.accept(t);
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    done.countDown();
                }
            }
        };
        int helpers = Math.min(THREADS - 1, tasks - 1);
        for (int h = 0; h < helpers; h++) {
            POOL.execute(worker); // a helper that starts after all tasks are taken returns at once
        }
        worker.run();
        boolean interrupted = false;
        while (true) {
            try {
                done.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the tasks write into the caller's arrays: wait for them anyway
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable f = failure.get();
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
