/**
 * Reading and writing matrices (CSV, Matrix Market, NumPy) with one-line errors and atomic writes,
 * and finding the folder of real data sets.
 */
package org.bilevel4j.apps.io;
