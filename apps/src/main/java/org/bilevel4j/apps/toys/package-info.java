/**
 * The synthetic bilevel problems of the MEHA paper with known solutions (merely convex, nonconvex
 * and l1 lower levels), and a runner that compares solvers on them against the known solution
 * without letting any solver see it.
 */
package org.bilevel4j.apps.toys;
