/**
 * BINNO (Selicato, Esposito, Ang, arXiv:2510.21390): bilevel nonconvex nonsmooth optimization on
 * two blocks, with the midpoint and linesearch weight rules.
 */
package org.bilevel4j.solver.binno;
