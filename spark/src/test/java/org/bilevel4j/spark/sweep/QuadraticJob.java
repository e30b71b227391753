package org.bilevel4j.spark.sweep;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A test job with a known answer: gradient descent {@code x+ = x - step (x - c)} on
 * {@code 1/2 ||x - c||^2} from x0 uniform on [0, 1)^n drawn from the seed, for {@code iters}
 * iterations; the error is then {@code |1 - step|^iters ||x0 - c||}. A step of 2 or more is refused
 * inside the run (it throws), so a sweep containing one has a failing run.
 */
record QuadraticJob(int n) implements SweepJob<QuadraticJob.Target> {

    record Target(double[] c) implements Serializable {
    }

    @Override
    public String name() {
        return "quadratic-gd";
    }

    @Override
    public Map<String, Double> defaults() {
        Map<String, Double> d = new LinkedHashMap<>();
        d.put("step", 0.5);
        d.put("iters", 10.0);
        return d;
    }

    @Override
    public List<String> metrics() {
        return List.of("dist", "start_distance");
    }

    @Override
    public Target prepare() {
        double[] c = new double[n];
        for (int i = 0; i < n; i++) {
            c[i] = i + 1;
        }
        return new Target(c);
    }

    static double[] start(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextDouble();
        }
        return x;
    }

    static double distance(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s);
    }

    @Override
    public Outcome run(Target t, Setting s, long seed) {
        double step = s.get("step");
        if (step >= 2) {
            throw new IllegalStateException("step " + step + " diverges");
        }
        int iters = s.getInt("iters", 10);
        double[] x = start(n, seed);
        double d0 = distance(x, t.c());
        for (int k = 0; k < iters; k++) {
            for (int i = 0; i < n; i++) {
                x[i] -= step * (x[i] - t.c()[i]);
            }
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("dist", distance(x, t.c()));
        m.put("start_distance", d0);
        return new Outcome(m, iters, "MAX_ITERATIONS");
    }
}
