package org.bilevel4j.apps.toys;

import java.util.function.DoubleUnaryOperator;

/** Golden-section search for the minimum of a unimodal function on an interval. */
public final class GoldenSection {

    private static final double INV_PHI = (Math.sqrt(5) - 1) / 2;

    private GoldenSection() {
    }

    /**
     * @param f the function, unimodal on [a, b]
     * @param a left end
     * @param b right end, at least a
     * @param tol stop when the bracket is shorter than this (positive)
     * @return the midpoint of the final bracket
     */
    public static double minimize(DoubleUnaryOperator f, double a, double b, double tol) {
        if (!(a <= b) || !(tol > 0)) {
            throw new IllegalArgumentException("need a <= b and tol > 0, got [" + a + ", " + b + "], " + tol);
        }
        double c = b - INV_PHI * (b - a);
        double d = a + INV_PHI * (b - a);
        double fc = f.applyAsDouble(c);
        double fd = f.applyAsDouble(d);
        while (b - a > tol) {
            if (fc <= fd) {
                b = d;
                d = c;
                fd = fc;
                c = b - INV_PHI * (b - a);
                fc = f.applyAsDouble(c);
            } else {
                a = c;
                c = d;
                fc = fd;
                d = a + INV_PHI * (b - a);
                fd = f.applyAsDouble(d);
            }
        }
        return 0.5 * (a + b);
    }
}
