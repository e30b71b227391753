/**
 * Performance measurements of applications against the floor of the work they must do, measured in
 * the same run ({@link org.bilevel4j.apps.perf.MehaBench}: MEHA on data hyper-cleaning).
 */
package org.bilevel4j.apps.perf;
