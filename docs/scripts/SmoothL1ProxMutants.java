/**
 * Evidence for docs/testing.md ("Equivalent and uncovered mutants in function and solver.meha"): a copy of
 * the loop of SmoothL1.proxScalar (core/src/main/java/org/bilevel4j/function/SmoothL1.java) with the nine
 * PIT mutants that survive in it switchable by M, run on prox problems whose root is an exact double
 * (Pythagorean triples: v = p s, d = q s, sqrt(v^2 + d^2) = r s, t = k r s / 4, x = v + t v / r), and the
 * largest iteration count of the unmutated loop over random (x, t, d). Run: java docs/scripts/SmoothL1ProxMutants.java
 * Mutants: 1 it <= 200 (line 91), 2 ratio > MIN_NORMAL (94), 3 g <= 0 (98), 4 next >= lo and 5 next <= hi
 * (112), 6 next >= lo and 7 next <= hi after bisection (114), 8 |next - v| < 2 ulp and 9 |next + v| (118).
 */
public class SmoothL1ProxMutants {
    static int M; // mutant id
    static int iters;
    static double hyp(double a, double d) {
        double s = a * a + d * d;
        if (s < Double.MAX_VALUE && s > 1e-290) return Math.sqrt(s);
        return Math.hypot(a, d);
    }
    static double prox(double x, double t, double d) {
        double a = Math.abs(x);
        if (a == 0 || Double.isNaN(a)) return x;
        if (a == Double.POSITIVE_INFINITY) return x;
        double lo = Math.max(0.0, a - t), hi = a, v = lo;
        int it;
        for (it = 0; (M == 1 ? it <= 200 : it < 200); it++) {
            double r = hyp(v, d);
            double ratio = v / r;
            double g = v + ((M == 2 ? ratio > Double.MIN_NORMAL : ratio >= Double.MIN_NORMAL) ? t * ratio : (t * v) / r) - a;
            if (g == 0) break;
            if (M == 3 ? g <= 0 : g < 0) lo = v; else hi = v;
            double q = d / r;
            double curvature = t * (q * q / r);
            double step = Double.isInfinite(curvature) ? (g / t) * (r / (q * q)) : g / (1 + curvature);
            double next = v - step;
            if (next == v) break;
            if (!((M == 4 ? next >= lo : next > lo) && (M == 5 ? next <= hi : next < hi))) {
                next = 0.5 * (lo + hi);
                if (!((M == 6 ? next >= lo : next > lo) && (M == 7 ? next <= hi : next < hi))) break;
            }
            if (M == 8 ? Math.abs(next - v) < 2 * Math.ulp(v) : M == 9 ? Math.abs(next + v) <= 2 * Math.ulp(v) : Math.abs(next - v) <= 2 * Math.ulp(v)) { v = next; it++; break; }
            v = next;
        }
        iters = it;
        return Math.copySign(v, x);
    }
    public static void main(String[] a) {
        // exact roots: v, d with r = sqrt(v^2+d^2) integer (triples), t = k r, then x = v + t v / r = v + k v
        int[][] tr = {{3,4,5},{4,3,5},{5,12,13},{12,5,13},{8,15,17},{15,8,17},{7,24,25},{24,7,25},{20,21,29},{21,20,29},{9,40,41},{40,9,41}};
        java.util.Random rnd = new java.util.Random(1);
        int maxIt = 0;
        for (int m = 0; m <= 9; m++) {
            M = m; int diff = 0; int n = 0; double maxUlp = 0; int diffOrig = 0;
            for (int[] p : tr) for (int k = 1; k <= 64; k++) for (int sc = -60; sc <= 60; sc += 3) {
                double s = Math.scalb(1.0, sc);
                double v = p[0] * s, d = p[1] * s, r = p[2] * s, t = k * r / 4.0 * 1;
                double x = v + t * v / r;
                if (x - t * v / r != v) continue;
                double got = prox(x, t, d); n++;
                if (m == 0) maxIt = Math.max(maxIt, iters);
                if (got != v) diff++; maxUlp = Math.max(maxUlp, Math.abs(got - v) / Math.ulp(v)); int m0 = M; M = 0; double o = prox(x, t, d); M = m0; if (o != got) diffOrig++;
            }
            System.out.println("mutant " + m + ": " + diff + " of " + n + " exact roots missed, max error " + maxUlp + " ulp, differs from the original on " + diffOrig);
        }
        System.out.println("max iterations at exact roots " + maxIt);
        M = 0; int worst = 0;
        for (int i = 0; i < 2_000_000; i++) {
            double d = Math.pow(10, -300 + 600 * rnd.nextDouble());
            double t = Math.pow(10, -300 + 600 * rnd.nextDouble());
            double x = Math.pow(10, -300 + 600 * rnd.nextDouble());
            prox(x, t, d); worst = Math.max(worst, iters);
        }
        System.out.println("max iterations over 2e6 random (x, t, d) in [1e-300, 1e300]^3: " + worst);
    }
}
