package org.bilevel4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bilevel4j.function.GradientCheck;
import org.bilevel4j.function.IndNonnegative;
import org.bilevel4j.function.LeastSquares;
import org.bilevel4j.function.NormL1;
import org.bilevel4j.function.Quadratic;
import org.bilevel4j.function.SmoothFunction;
import org.bilevel4j.problem.BilevelProblem;
import org.bilevel4j.problem.Box;
import org.bilevel4j.problem.MinimaxBilevelPoint;
import org.bilevel4j.problem.MinimaxBilevelProblem;
import org.bilevel4j.problem.PairIterate;
import org.bilevel4j.problem.SimpleBilevelProblem;
import org.bilevel4j.solver.Result;
import org.bilevel4j.solver.SolverOptions;
import org.bilevel4j.solver.meha.Meha;
import org.bilevel4j.solver.meha.MehaOptions;
import org.bilevel4j.solver.minimax.PenaltyMinimax;
import org.bilevel4j.solver.simple.Dbgd;
import org.bilevel4j.solver.simple.SimpleBilevelState;
import org.bilevel4j.solver.simple.Stationarity;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

/**
 * The code blocks of the README's "Use it as a library" section, kept compiling and reaching their
 * closed forms: the code between the k-th pair of markers below must be the section's k-th
 * {@code java} block, line for line (indentation aside).
 */
class ReadmeLibraryTest {

    private static final Path README = Path.of("..", "README.md");
    private static final Path SELF = Path.of("src/test/java/org/bilevel4j/examples/ReadmeLibraryTest.java");

    @Test
    void theReadmeBlocksRunAndReachTheirClosedForms() {
        // README-BEGIN
        // minimize 1/2 ||x||^2 over argmin 1/2 ||A x - b||^2; closed form x* = A^T (A A^T)^-1 b = (0, 1, 1)
        LeastSquares g = LeastSquares.of(new double[][] {{1, 1, 0}, {0, 1, 1}}, new double[] {1, 2});
        SmoothFunction f = SmoothFunction.of(x -> 0.5 * CommonOps_DDRM.dot(x, x), (x, out) -> out.setTo(x), 1.0);
        SimpleBilevelProblem problem = SimpleBilevelProblem.builder().upper(f).lower(g).shape(3, 1).build();

        Result<DMatrixRMaj> r = Dbgd.of(100, 1e-3, Stationarity.of(1e-9))       // beta eta L_g = 0.3 < 2
                .solve(problem, new DMatrixRMaj(3, 1), SolverOptions.builder().maxIterations(20_000).build());
        r.solution();                                                             // about (0, 1, 1), error 7e-4
        r.trace().column(SimpleBilevelState.GRAD_G_NORM);                         // trace columns are constants
        // README-END
        assertThat(maxDiff(r.solution().data, new double[] {0, 1, 1})).isLessThan(1e-3);

        // README-BEGIN
        // min_{x >= 0} 1/2 ||y - c||^2  s.t.  y = argmin 1/2 ||y - a||^2 + x ||y||_1 = soft(a, x);
        // a = (3, 1), c = (2.5, 0.5): closed form x* = 0.5, y* = (2.5, 0.5)
        DMatrixRMaj a = new DMatrixRMaj(2, 1, true, 3, 1);
        DMatrixRMaj c = new DMatrixRMaj(2, 1, true, 2.5, 0.5);
        BilevelProblem p = BilevelProblem.builder(1, 2)
                .upperOfY(new LeastSquares(CommonOps_DDRM.identity(2), c))
                .lowerSmoothOfY(new LeastSquares(CommonOps_DDRM.identity(2), a))
                .lowerNonsmoothWeightedByX(new NormL1(1.0))
                .setX(new IndNonnegative())
                .build();
        Result<PairIterate> h = new Meha(MehaOptions.paper())
                .solve(p, new PairIterate(new DMatrixRMaj(1, 1, true, 0.1), new DMatrixRMaj(2, 1)),
                        SolverOptions.builder().maxIterations(20_000).build());
        // README-END
        assertThat(Math.abs(h.solution().x().get(0) - 0.5)).isLessThan(1e-4);
        assertThat(maxDiff(h.solution().y().data, new double[] {2.5, 0.5})).isLessThan(1e-4);

        // README-BEGIN
        // min_x 1/2 x^2 + 1/2 (y - 2)^2  s.t.  y = argmin_y 1/2 (y - x)^2, on [-3, 3]: x* = y* = 1
        MinimaxBilevelProblem mm = MinimaxBilevelProblem.builder(Box.cube(1, -3, 3), Box.none(), Box.cube(1, -3, 3), Box.none())
                .upper(Quadratic.of(new double[][] {{1, 0}, {0, 1}}, new double[] {0, -2}))   // f([x1; x2; y1; y2])
                .lower(Quadratic.of(new double[][] {{1, -1}, {-1, 1}}, new double[] {0, 0}))  // ft([x1; y1; y2])
                .build();
        Result<MinimaxBilevelPoint> q = PenaltyMinimax.of(100)
                .solve(mm, mm.centerPoint(), SolverOptions.builder().maxIterations(20_000).build());  // |x - 1| about 0.004
        // README-END
        assertThat(Math.abs(q.solution().x1().get(0) - 1)).isLessThan(0.01);
        assertThat(Math.abs(q.solution().y1().get(0) - 1)).isLessThan(0.01);

        // README-BEGIN
        DMatrixRMaj x = new DMatrixRMaj(3, 1, true, 0.3, -1, 2);
        GradientCheck.check(f, x).requireBelow(1e-6);        // any SmoothFunction; throws naming the worst entry
        List<GradientCheck.Report> both = GradientCheck.check(problem, x);     // f and g of a SimpleBilevelProblem
        GradientCheck.check(p, new DMatrixRMaj(1, 1, true, 0.3), a);          // every partial gradient of p
        GradientCheck.worst(GradientCheck.check(mm, mm.centerPoint()));       // ... of mm: the largest error
        // README-END
        assertThat(GradientCheck.worst(both)).isLessThan(1e-8);
        assertThat(GradientCheck.worst(GradientCheck.check(p, new DMatrixRMaj(1, 1, true, 0.3), a))).isLessThan(1e-8);
        assertThat(GradientCheck.worst(GradientCheck.check(mm, mm.centerPoint()))).isLessThan(1e-8);
    }

    @Test
    void theReadmeShowsExactlyThisCode() throws IOException {
        List<String> readme = Files.readAllLines(README);
        int section = readme.indexOf("## Use it as a library");
        assertThat(section).as("a '## Use it as a library' section in README.md").isNotNegative();
        List<List<String>> shown = new ArrayList<>();
        for (int i = section + 1; i < readme.size() && !readme.get(i).startsWith("## "); i++) {
            if (readme.get(i).equals("```java")) {
                int end = readme.subList(i + 1, readme.size()).indexOf("```") + i + 1;
                shown.add(strip(readme.subList(i + 1, end)));
                i = end;
            }
        }
        List<String> self = Files.readAllLines(SELF);
        List<List<String>> tested = new ArrayList<>();
        for (int i = 0; i < self.size(); i++) {
            if (self.get(i).strip().equals("// README-BEGIN")) {
                int from = i;
                while (!self.get(i).strip().equals("// README-END")) {
                    i++;
                }
                tested.add(strip(self.subList(from + 1, i)));
            }
        }
        assertThat(shown).hasSize(4);
        assertThat(shown).isEqualTo(tested);
    }

    private static double maxDiff(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    /** The lines without their common indentation. */
    private static List<String> strip(List<String> lines) {
        int indent = lines.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return lines.stream().map(l -> l.isBlank() ? "" : l.substring(indent).stripTrailing()).toList();
    }
}
