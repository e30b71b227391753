/**
 * bilevel4j on Apache Spark: BINNO on a row-partitioned data matrix and parameter sweeps of any
 * solver, run as Spark jobs. Spark is a provided dependency of this module only; the core library
 * and the default command-line jar do not depend on it.
 */
package org.bilevel4j.spark;
