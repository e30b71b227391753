package org.bilevel4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;
import static org.bilevel4j.testing.TestMatrices.describe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import java.util.random.RandomGenerator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.bilevel4j.function.ProxFunction;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link ProxFunction} meets, as a test interface: a test class implements it,
 * supplies the instances under test ({@link #functions()}) and, where the defaults of
 * {@link FunctionFixture} do not fit, the shapes and a generator of small random points, and inherits these checks, each over many random points with a random step
 * {@code t} per trial (a swapped {@code t} and {@code 1/t} fails them):
 * <ul>
 *   <li>the prox matches a reference minimization of {@code phi(v) = f(v) + ||v - x||^2 / (2t)}: its
 *       objective is no worse than the reference's, the two are close, and (convex {@code f}) the
 *       reference obeys the quadratic growth {@code phi(r) >= phi(p) + ||r - p||^2 / (2t)} that holds
 *       only around the true minimizer. The reference is by default the brute force of
 *       {@link BruteForceProx} (override {@link #referenceProx} with a naive
 *       reference where brute force cannot work, such as a set of measure zero);</li>
 *   <li>for convex {@code f}, the optimality condition {@code (x - p)/t in df(p)} through the
 *       subgradient inequality {@code f(z) >= f(p) + <(x - p)/t, z - p>} at random {@code z}, and
 *       firm nonexpansiveness {@code ||p - q||^2 <= <p - q, x - y>};</li>
 *   <li>the returned value is {@code f(out)}; indicators return 0 and {@code out} is in the set, and
 *       projecting twice changes nothing;</li>
 *   <li>{@code out} may alias {@code x}; the allocating form agrees; {@code x} is not modified;</li>
 *   <li>traits are consistent, a declared Lipschitz constant holds, bad steps and shapes are rejected;</li>
 *   <li>jqwik properties with a fixed seed for nonexpansiveness and for the prox landing in the domain
 *       (in the set, for indicators).</li>
 * </ul>
 *
 * @param <F> the type under test
 */
public interface ProxContract<F extends ProxFunction> extends FunctionFixture<F> {

    /** Seed of the trials of the {@code @Test} methods. */
    long CONTRACT_SEED = 20_240_601L;

    /** @return a random step; log-uniform on [1e-2, 1e1] unless overridden */
    default double randomStep(RandomGenerator rng) {
        return TestMatrices.logUniform(1e-2, 1e1, rng);
    }

    /** @return the number of random trials per function in each check */
    default int trials() {
        return 40;
    }

    /** @return the number of trials per function of the (slower) reference comparison */
    default int referenceTrials() {
        return 12;
    }

    /**
     * A reference for {@code prox_{t f}(x)} that does not use {@code f.prox}. The default is
     * {@link BruteForceProx}: the grid search for separable {@code f}, sized from the candidate (which
     * only widens the search, never steers it), else Nelder–Mead from {@code x}, or from 0 when
     * {@code f(x)} is infinite.
     *
     * @param candidate the operator's answer, to size the search interval
     */
    default DMatrixRMaj referenceProx(F f, DMatrixRMaj x, double t, DMatrixRMaj candidate) {
        if (f.isSeparable()) {
            DMatrixRMaj base = f.value(candidate) < Double.POSITIVE_INFINITY ? candidate : x;
            double radius = 2 * TestMatrices.maxAbsDifference(x, candidate) + 1;
            return BruteForceProx.separable(f, x, t, base, radius);
        }
        DMatrixRMaj start = x;
        if (!(f.value(x) < Double.POSITIVE_INFINITY)) {
            start = new DMatrixRMaj(x.numRows, x.numCols);
            if (!(f.value(start) < Double.POSITIVE_INFINITY)) {
                throw new AssertionError("neither x nor 0 is in the domain of " + f
                        + ": override referenceProx with a naive reference");
            }
        }
        return BruteForceProx.nelderMead(f, x, t, start, 0.2 * (1 + TestMatrices.maxAbs(x)));
    }

    /**
     * The tolerance on {@code ||prox - reference||_F / (1 + ||x||_F)}: how close the reference itself
     * gets. By default 1e-6 for separable {@code f} (the grid search stops at the flatness of the
     * objective, about {@code sqrt(eps)}) and 1e-5 for the others (Nelder–Mead on a nonsmooth
     * objective; its worst error over 240 random 6-entry nuclear-norm problems was 9e-7). The sharp
     * checks of {@link #proxMatchesReference} are the objective comparison and the quadratic growth,
     * which do not depend on it.
     */
    default double referenceTolerance(F f) {
        return f.isSeparable() ? 1e-6 : 1e-5;
    }

    // ---------------------------------------------------------------------------------------------

    @Test
    default void proxMatchesReference() {
        RandomGenerator rng = TestMatrices.rng(CONTRACT_SEED);
        for (F f : functions()) {
            for (int trial = 0; trial < referenceTrials(); trial++) {
                DMatrixRMaj x = randomPoint(f, rng);
                double t = randomStep(rng);
                DMatrixRMaj p = f.prox(x, t);
                DMatrixRMaj r = referenceProx(f, x, t, p);
                double phiP = BruteForceProx.objective(f, p, x, t);
                double phiR = BruteForceProx.objective(f, r, x, t);
                String what = f + " at x = " + describe(x) + ", t = " + t + ": prox " + describe(p)
                        + ", reference " + describe(r);
                assertThat(phiP).as("prox objective no worse than the reference's, " + what)
                        .isLessThanOrEqualTo(phiR + 1e-11 * (1 + Math.abs(phiR)));
                if (f.isConvex()) {
                    // phi is (1/t)-strongly convex, so p is its minimizer iff
                    // phi(z) >= phi(p) + ||z - p||^2 / (2t) for every z; check it at the reference
                    double dist = TestMatrices.distance(p, r);
                    assertThat(phiR).as("quadratic growth of the prox objective from p, " + what)
                            .isGreaterThanOrEqualTo(phiP + dist * dist / (2 * t) - 1e-11 * (1 + Math.abs(phiR)));
                }
                assertThat(TestMatrices.distance(p, r)).as("distance to the reference, " + what)
                        .isLessThanOrEqualTo(referenceTolerance(f) * (1 + TestMatrices.norm(x)));
            }
        }
    }

    @Test
    default void satisfiesSubgradientInequality() {
        RandomGenerator rng = TestMatrices.rng(CONTRACT_SEED + 1);
        for (F f : convexFunctions()) {
            int finite = 0;
            for (int trial = 0; trial < trials(); trial++) {
                DMatrixRMaj x = randomPoint(f, rng);
                double t = randomStep(rng);
                DMatrixRMaj p = f.prox(x, t);
                double fp = f.value(p);
                DMatrixRMaj g = TestMatrices.combine(1 / t, x, -1 / t, p);
                for (DMatrixRMaj z : testPoints(f, x, p, rng)) {
                    double fz = f.value(z);
                    if (fz == Double.POSITIVE_INFINITY) {
                        continue; // the inequality holds trivially
                    }
                    finite++;
                    DMatrixRMaj zp = TestMatrices.combine(1, z, -1, p);
                    double linear = TestMatrices.dot(g, zp);
                    double scale = 1 + Math.abs(fz) + Math.abs(fp) + TestMatrices.norm(g) * TestMatrices.norm(zp);
                    assertThat(fz).as("f(z) >= f(p) + <(x - p)/t, z - p> for %s, x = %s, t = %s, p = %s, z = %s",
                            f, describe(x), t, describe(p), describe(z))
                            .isGreaterThanOrEqualTo(fp + linear - 1e-10 * scale);
                }
            }
            assertThat(finite).as("test points in the domain of " + f).isGreaterThan(trials());
        }
    }

    /**
     * Points z at which to check the subgradient inequality: a random point, points near p, and
     * convex combinations of p with the prox of another random point (in the domain of a convex f).
     */
    private List<DMatrixRMaj> testPoints(F f, DMatrixRMaj x, DMatrixRMaj p, RandomGenerator rng) {
        List<DMatrixRMaj> zs = new ArrayList<>();
        zs.add(randomPointLike(f, x, rng));
        for (double eps : new double[] {1e-6, 1e-3, 1e-1}) {
            DMatrixRMaj d = TestMatrices.unitDirection(p, rng);
            zs.add(TestMatrices.combine(1, p, eps * (1 + TestMatrices.norm(p)), d));
        }
        DMatrixRMaj q = f.prox(randomPointLike(f, x, rng), randomStep(rng));
        for (double theta : new double[] {1e-6, 1e-2, 0.5, 1.0}) {
            zs.add(TestMatrices.combine(1 - theta, p, theta, q));
        }
        return zs;
    }

    @Test
    default void returnsTheValueAtTheResult() {
        RandomGenerator rng = TestMatrices.rng(CONTRACT_SEED + 2);
        for (F f : functions()) {
            for (int trial = 0; trial < trials(); trial++) {
                DMatrixRMaj x = randomPoint(f, rng);
                double t = randomStep(rng);
                DMatrixRMaj out = new DMatrixRMaj(x.numRows, x.numCols);
                double returned = f.prox(x, t, out);
                double value = f.value(out);
                assertThat(returned).as("%s returned a finite value at x = %s, t = %s", f, describe(x), t).isFinite();
                assertThat(returned).as("returned value equals f(out) for %s at x = %s, t = %s", f, describe(x), t)
                        .isCloseTo(value, offset(1e-12 * (1 + Math.abs(value))));
                if (f.isSetIndicator()) {
                    assertThat(returned).as("an indicator returns 0").isEqualTo(0.0);
                    assertThat(value).as("prox of %s lands in the set: x = %s, t = %s, out = %s", f, describe(x), t,
                            describe(out)).isEqualTo(0.0);
                }
            }
        }
    }

    @Test
    default void projectingTwiceChangesNothing() {
        RandomGenerator rng = TestMatrices.rng(CONTRACT_SEED + 3);
        for (F f : functions()) {
            if (!f.isSetIndicator()) {
                continue;
            }
            for (int trial = 0; trial < trials(); trial++) {
                DMatrixRMaj x = randomPoint(f, rng);
                DMatrixRMaj p = f.prox(x, randomStep(rng));
                DMatrixRMaj pp = f.prox(p, randomStep(rng));
                assertThat(TestMatrices.distance(p, pp)).as("projection of a point of %s is the point: %s", f,
                        describe(p)).isLessThanOrEqualTo(1e-14 * (1 + TestMatrices.norm(p)));
            }
        }
    }

    @Test
    default void isFirmlyNonexpansive() {
        RandomGenerator rng = TestMatrices.rng(CONTRACT_SEED + 4);
        for (F f : convexFunctions()) {
            for (int trial = 0; trial < trials(); trial++) {
                assertFirmlyNonexpansive(f, rng);
            }
        }
    }

    @Property(tries = 200, seed = "42")
    default void firmNonexpansivenessProperty(@ForAll long seed) {
        RandomGenerator rng = TestMatrices.rng(seed);
        List<F> convex = convexFunctions();
        assertThat(convex).as("convex functions to check").isNotEmpty();
        assertFirmlyNonexpansive(convex.get(rng.nextInt(convex.size())), rng);
    }

    private void assertFirmlyNonexpansive(F f, RandomGenerator rng) {
        DMatrixRMaj x = randomPoint(f, rng);
        DMatrixRMaj y = rng.nextBoolean() ? randomPointLike(f, x, rng)
                : TestMatrices.combine(1, x, 1e-3 * rng.nextDouble(), TestMatrices.unitDirection(x, rng));
        double t = randomStep(rng);
        DMatrixRMaj p = f.prox(x, t);
        DMatrixRMaj q = f.prox(y, t);
        DMatrixRMaj dp = TestMatrices.combine(1, p, -1, q);
        DMatrixRMaj dx = TestMatrices.combine(1, x, -1, y);
        // rounding: a prox computed with absolute error ~ eps ||x|| (an SVD) perturbs both sides by
        // about that error times ||x - y||
        double lhs = TestMatrices.dot(dp, dp);
        double rhs = TestMatrices.dot(dp, dx);
        assertThat(lhs).as("||p - q||^2 <= <p - q, x - y> for %s, t = %s, x = %s, y = %s", f, t, describe(x), describe(y))
                .isLessThanOrEqualTo(rhs + 1e-11 * (TestMatrices.dot(dx, dx) + lhs)
                        + 1e-13 * (1 + TestMatrices.norm(x) + TestMatrices.norm(y)) * Math.sqrt(TestMatrices.dot(dx, dx)));
    }

    @Property(tries = 200, seed = "42")
    default void proxLandsInTheDomainProperty(@ForAll long seed) {
        RandomGenerator rng = TestMatrices.rng(seed);
        F f = functions().get(rng.nextInt(functions().size()));
        DMatrixRMaj x = randomPoint(f, rng);
        double t = randomStep(rng);
        DMatrixRMaj out = new DMatrixRMaj(x.numRows, x.numCols);
        double returned = f.prox(x, t, out);
        double value = f.value(out);
        assertThat(value).as("f(prox) for %s at x = %s, t = %s", f, describe(x), t).isFinite();
        if (f.isSetIndicator()) {
            assertThat(value).as("prox of indicator %s lands in the set", f).isEqualTo(0.0);
            assertThat(returned).isEqualTo(0.0);
        }
    }

    @Test
    default void aliasingOutWithXGivesTheSameAnswer() {
        RandomGenerator rng = TestMatrices.rng(CONTRACT_SEED + 5);
        for (F f : functions()) {
            for (int trial = 0; trial < trials(); trial++) {
                DMatrixRMaj x = randomPoint(f, rng);
                double t = randomStep(rng);
                DMatrixRMaj out = new DMatrixRMaj(x.numRows, x.numCols);
                double separate = f.prox(x, t, out);
                DMatrixRMaj inPlace = x.copy();
                double aliased = f.prox(inPlace, t, inPlace);
                assertThat(TestMatrices.maxAbsDifference(out, inPlace)).as("aliased prox of %s at %s", f, describe(x))
                        .isLessThanOrEqualTo(1e-14 * (1 + TestMatrices.maxAbs(out)));
                assertThat(aliased).isCloseTo(separate, offset(1e-13 * (1 + Math.abs(separate))));
            }
        }
    }

    @Test
    default void allocatingFormAgreesAndInputIsNotModified() {
        RandomGenerator rng = TestMatrices.rng(CONTRACT_SEED + 6);
        for (F f : functions()) {
            for (int trial = 0; trial < trials(); trial++) {
                DMatrixRMaj x = randomPoint(f, rng);
                DMatrixRMaj backup = x.copy();
                double t = randomStep(rng);
                DMatrixRMaj out = new DMatrixRMaj(x.numRows, x.numCols);
                Arrays.fill(out.data, Double.NaN); // the prox must not read out
                f.prox(x, t, out);
                DMatrixRMaj allocated = f.prox(x, t);
                assertThat(x.data).as("x is not modified by %s", f).containsExactly(backup.data);
                assertThat(allocated.data).as("allocating form of %s", f).containsExactly(out.data);
            }
        }
    }

    @Test
    default void rejectsBadStepsAndShapes() {
        RandomGenerator rng = TestMatrices.rng(CONTRACT_SEED + 7);
        for (F f : functions()) {
            DMatrixRMaj x = randomPoint(f, rng);
            DMatrixRMaj out = new DMatrixRMaj(x.numRows, x.numCols);
            for (double t : new double[] {0.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY}) {
                assertThatThrownBy(() -> f.prox(x, t, out)).as("%s with t = %s", f, t)
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("t must be positive");
            }
            DMatrixRMaj wrong = new DMatrixRMaj(x.numRows + 1, x.numCols);
            assertThatThrownBy(() -> f.prox(x, 1.0, wrong)).as("%s with a wrong output shape", f)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prox output is");
        }
    }

    @Test
    default void traitsAreConsistent() {
        RandomGenerator rng = TestMatrices.rng(CONTRACT_SEED + 8);
        for (F f : functions()) {
            if (f.isStronglyConvex()) {
                assertThat(f.isConvex()).as("%s: strongly convex implies convex", f).isTrue();
            }
            assertThat(f.toString()).as("toString of " + f.getClass().getSimpleName())
                    .startsWith(f.getClass().getSimpleName());
            for (int trial = 0; trial < trials(); trial++) {
                DMatrixRMaj x = randomPoint(f, rng);
                double fx = f.value(x);
                if (f.isSetIndicator()) {
                    assertThat(fx == 0.0 || fx == Double.POSITIVE_INFINITY)
                            .as("indicator %s takes only 0 and +infinity, got %s", f, fx).isTrue();
                }
                if (f.isSeparable() && fx < Double.POSITIVE_INFINITY) {
                    assertSeparable(f, x, fx);
                }
                OptionalDouble lip = f.lipschitzConstant(x.numRows, x.numCols);
                if (lip.isPresent()) {
                    DMatrixRMaj y = randomPointLike(f, x, rng);
                    double fy = f.value(y);
                    assertThat(Math.abs(fx - fy)).as("|f(x) - f(y)| <= L ||x - y|| for %s", f)
                            .isLessThanOrEqualTo(lip.getAsDouble() * TestMatrices.distance(x, y) * (1 + 1e-12) + 1e-12);
                }
            }
        }
    }

    /**
     * A separable f with f(x) finite satisfies f(x) - f(v) = sum_i [f(v + (x_i - v_i) e_i) - f(v)] for
     * the base point v = prox(x), which lies in the domain.
     */
    private static void assertSeparable(ProxFunction f, DMatrixRMaj x, double fx) {
        DMatrixRMaj v = f.prox(x, 1.0);
        double fv = f.value(v);
        double sum = fv;
        double scale = Math.abs(fv);
        DMatrixRMaj w = v.copy();
        for (int i = 0; i < x.getNumElements(); i++) {
            w.data[i] = x.data[i];
            double fi = f.value(w);
            sum += fi - fv;
            scale += Math.abs(fi);
            w.data[i] = v.data[i];
        }
        assertThat(sum).as("separable %s: f(x) as a sum over entries, x = %s", f, describe(x))
                .isCloseTo(fx, offset(1e-12 * (1 + scale)));
    }

    private List<F> convexFunctions() {
        List<F> convex = new ArrayList<>();
        for (F f : functions()) {
            if (f.isConvex()) {
                convex.add(f);
            }
        }
        return convex;
    }
}
