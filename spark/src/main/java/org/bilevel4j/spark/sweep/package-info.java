/**
 * Parameter sweeps on Apache Spark: a {@link org.bilevel4j.spark.sweep.SweepJob} (any solver of the
 * library on any problem) run over a grid or list of settings times seeds
 * ({@link org.bilevel4j.spark.sweep.SweepGrid}), one Spark task per run on a broadcast problem
 * ({@link org.bilevel4j.spark.sweep.Sweep}), into a table written as CSV and Parquet
 * ({@link org.bilevel4j.spark.sweep.SweepResult}); {@code bilevel4j sweep} on the command line
 * ({@link org.bilevel4j.spark.sweep.SweepCommand}). Ready-made jobs: BINNO on a corrupted video
 * clip, BINNO on a matrix file, MEHA on the MEHA paper's toys.
 */
package org.bilevel4j.spark.sweep;
