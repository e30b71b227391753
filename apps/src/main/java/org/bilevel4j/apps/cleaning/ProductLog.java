package org.bilevel4j.apps.cleaning;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts the matrix products a hyper-cleaning run makes, by shape and data set, so that a benchmark
 * can time exactly those products alone (the floor of an iteration). Not thread-safe.
 */
public final class ProductLog {

    /**
     * One product shape: {@code C (m x n) = op(A) B} with A the named data set's design matrix.
     *
     * @param data "train", "val" or "test"
     * @param transposed whether A enters transposed (a gradient {@code A^T R}) or not (logits {@code A Y})
     * @param cols n, the number of columns of B and C
     */
    public record Shape(String data, boolean transposed, int cols) {
    }

    private final Map<Shape, Long> counts = new LinkedHashMap<>();

    /**
     * Records one product.
     *
     * @param data the data set's name
     * @param transposed whether the product is with the transposed matrix
     * @param cols the number of columns
     */
    public void add(String data, boolean transposed, int cols) {
        counts.merge(new Shape(data, transposed, cols), 1L, Long::sum);
    }

    /** @return a copy of the counts */
    public Map<Shape, Long> counts() {
        return new LinkedHashMap<>(counts);
    }

    /** @return the total number of products recorded */
    public long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Forgets every count. */
    public void reset() {
        counts.clear();
    }
}
