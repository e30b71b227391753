package org.bilevel4j.apps.factorization;

import java.util.SplittableRandom;

/** Standard normal draws from a SplittableRandom (polar Box-Muller without caching, so draws are reproducible one by one). */
final class Gaussian {

    private Gaussian() {
    }

    static double next(SplittableRandom rnd) {
        double u;
        double v;
        double s;
        do {
            u = 2 * rnd.nextDouble() - 1;
            v = 2 * rnd.nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        return u * Math.sqrt(-2 * Math.log(s) / s);
    }
}
