/**
 * BINNO on Apache Spark: the sparse low-rank factorization of [Selicato, Esposito, Ang,
 * arXiv:2510.21390] with the data matrix M and the factor X split in row blocks
 * ({@link org.bilevel4j.spark.binno.DistributedFactorization}), solved by
 * {@link org.bilevel4j.spark.binno.SparkBinno} in two passes over M per iteration, with the
 * nuclear-norm prox through a TSQR reduction ({@link org.bilevel4j.spark.binno.Tsqr}). Also the
 * {@code video --spark} backend, a reader of row blocks stored as .npy files, and a benchmark.
 */
package org.bilevel4j.spark.binno;
