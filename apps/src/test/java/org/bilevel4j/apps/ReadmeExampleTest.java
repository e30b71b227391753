package org.bilevel4j.apps;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bilevel4j.apps.factorization.FactorizationMetrics;
import org.bilevel4j.apps.factorization.SyntheticFactorization;
import org.bilevel4j.apps.io.MatrixIO;
import org.bilevel4j.function.NormL1;
import org.bilevel4j.function.NuclearNorm;
import org.bilevel4j.problem.BlockCompositeBilevelProblem;
import org.bilevel4j.problem.BlockIterate;
import org.bilevel4j.problem.FactorizationCoupling;
import org.bilevel4j.solver.Result;
import org.bilevel4j.solver.SolverOptions;
import org.bilevel4j.solver.StopReason;
import org.bilevel4j.solver.binno.Binno;
import org.bilevel4j.solver.binno.BinnoWeights;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The Java example of the README, kept compiling and running: the code between the README markers
 * below must be the first {@code java} block of the README's "Java usage" section, line for line
 * (indentation aside).
 */
class ReadmeExampleTest {

    private static final Path README = Path.of("..", "README.md");
    private static final Path SELF = Path.of("src/test/java/org/bilevel4j/apps/ReadmeExampleTest.java");

    @Test
    void theExampleRunsAndReachesThePapersAccuracy() throws IOException {
        // README-BEGIN
        // the paper's synthetic instance: M = X* Y* + 0.01 N(0,1), 100 x 80, true rank 5
        // (or a file: DMatrixRMaj m = MatrixIO.read(Path.of("m.npy"));  .csv and .mtx work too)
        DMatrixRMaj m = SyntheticFactorization.paper(1).observed();

        // upper level: lambda1 ||X||_1 + lambda2 ||Y||_1 + H;  lower level: gamma1 ||X||_* + gamma2 ||Y||_* + H;
        // H = 1/2 ||XY - M||_F^2 with X 100 x 5 and Y 5 x 80
        BlockCompositeBilevelProblem problem = BlockCompositeBilevelProblem.builder(new FactorizationCoupling(m, 5))
                .upper(new NormL1(0.005), new NormL1(0.005))
                .lower(new NuclearNorm(0.005), new NuclearNorm(0.005))
                .build();

        SolverOptions options = SolverOptions.builder().maxIterations(1000).seed(1).build();
        Result<BlockIterate> result = new Binno(BinnoWeights.MIDPOINT)
                .solve(problem, problem.uniformStart(options.seed()), options);

        StopReason why = result.stopReason();                     // MAX_ITERATIONS
        DMatrixRMaj x = result.solution().x();                    // 100 x 5
        DMatrixRMaj y = result.solution().y();                    // 5 x 80
        double error = FactorizationMetrics.relativeError(m, result.solution().product());   // about 0.014

        Path dir = Files.createTempDirectory("bilevel4j-example");
        result.trace().writeCsv(dir.resolve("trace.csv"));        // iteration, seconds, psi1, psi2, alpha, ...
        MatrixIO.write(dir.resolve("X.npy"), x);                  // NumPy reads it with numpy.load
        MatrixIO.write(dir.resolve("Y.csv"), y);
        // README-END

        assertThat(why).isEqualTo(StopReason.MAX_ITERATIONS);
        assertThat(result.iterations()).isEqualTo(1000);
        assertThat(error).isLessThan(0.02);
        assertThat(MatrixIO.read(dir.resolve("X.npy")).data).isEqualTo(x.data);
        assertThat(MatrixIO.read(dir.resolve("Y.csv")).data).isEqualTo(y.data);
        assertThat(Files.readAllLines(dir.resolve("trace.csv"))).hasSize(1001);
        for (String f : List.of("trace.csv", "X.npy", "Y.csv")) {
            Files.delete(dir.resolve(f));
        }
        Files.delete(dir);
    }

    @Test
    void theReadmeShowsExactlyThisCode() throws IOException {
        List<String> readme = Files.readAllLines(README);
        int section = readme.indexOf("## Java usage");
        assertThat(section).as("a '## Java usage' section in README.md").isNotNegative();
        int start = readme.subList(section, readme.size()).indexOf("```java") + section;
        assertThat(start).as("a ```java block in the Java usage section of README.md").isGreaterThan(section);
        int end = readme.subList(start + 1, readme.size()).indexOf("```") + start + 1;
        List<String> shown = strip(readme.subList(start + 1, end));

        List<String> self = Files.readAllLines(SELF);
        int from = indexOfTrimmed(self, "// README-BEGIN");
        int to = indexOfTrimmed(self, "// README-END");
        List<String> tested = strip(self.subList(from + 1, to));
        assertThat(shown).isEqualTo(tested);
    }

    private static int indexOfTrimmed(List<String> lines, String marker) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().equals(marker)) {
                return i;
            }
        }
        throw new AssertionError("no " + marker + " in " + SELF);
    }

    /** The lines without their common indentation. */
    private static List<String> strip(List<String> lines) {
        int indent = lines.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return lines.stream().map(l -> l.isBlank() ? "" : l.substring(indent).stripTrailing()).toList();
    }
}
