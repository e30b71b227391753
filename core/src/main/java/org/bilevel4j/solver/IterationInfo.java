package org.bilevel4j.solver;

import java.util.List;

/**
 * An immutable snapshot of one iteration, handed to {@link IterationListener}s: the iteration
 * number, the seconds since the run started, and the solver's trace values by column name.
 *
 * @param iteration the number of completed iterations (1 after the first step)
 * @param seconds wall-clock seconds since {@code solve} started
 * @param columns the names of the values (the solver's trace columns after iteration and seconds)
 * @param values the values, same order as columns
 */
public record IterationInfo(int iteration, double seconds, List<String> columns, double[] values) {

    /**
     * Copies the values.
     *
     * @param iteration the number of completed iterations (1 after the first step)
     * @param seconds wall-clock seconds since {@code solve} started
     * @param columns the names of the values (the solver's trace columns after iteration and seconds)
     * @param values the values, same order as columns
     */
    public IterationInfo {
        columns = List.copyOf(columns);
        values = values.clone();
    }

    /**
     * @return the value of the named column
     * @throws IllegalArgumentException if there is no such column
     * @param column the column name
     */
    public double get(String column) {
        int i = columns.indexOf(column);
        if (i < 0) {
            throw new IllegalArgumentException("no column '" + column + "' in " + columns);
        }
        return values[i];
    }

    /** @return a copy of the values, one per column */
    @Override
    public double[] values() {
        return values.clone();
    }
}
