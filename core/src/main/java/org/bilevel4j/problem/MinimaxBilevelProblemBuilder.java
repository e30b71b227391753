package org.bilevel4j.problem;

import java.util.Objects;
import org.bilevel4j.function.SmoothFunction;
import org.ejml.data.DMatrixRMaj;

/**
 * Assembles a {@link MinimaxBilevelProblem} from two {@link SmoothFunction}s of stacked vectors and
 * four boxes, without writing its methods by hand:
 * <pre>
 *   upper f(x1, x2, y1, y2) = F([x1; x2; y1; y2]),    lower ft(x1, y1, y2) = G([x1; y1; y2]),
 * </pre>
 * with F of dimension {@code n1 + n2 + m1 + m2} and G of dimension {@code n1 + m1 + m2} (the block
 * sizes are the dimensions of the boxes X1, X2, Y1, Y2; a block may have dimension 0,
 * {@link Box#none()}). The gradients of F and G are split into the partial gradients. F must be
 * concave in x2, G convex in y1 and concave in y2, as the template asks; a {@link
 * org.bilevel4j.function.Quadratic} with the right signs in its blocks is the simplest case.
 *
 * <p>Every evaluation stacks the blocks into a new vector: meant for problems of small or moderate
 * size. The built problem is immutable and thread-safe when F and G are.
 */
public final class MinimaxBilevelProblemBuilder {

    private final Box x1;
    private final Box x2;
    private final Box y1;
    private final Box y2;
    private SmoothFunction upper;
    private SmoothFunction lower;

    MinimaxBilevelProblemBuilder(Box x1, Box x2, Box y1, Box y2) {
        this.x1 = Objects.requireNonNull(x1, "X1");
        this.x2 = Objects.requireNonNull(x2, "X2");
        this.y1 = Objects.requireNonNull(y1, "Y1");
        this.y2 = Objects.requireNonNull(y2, "Y2");
        if (x1.dimension() == 0 || y1.dimension() == 0) {
            throw new IllegalArgumentException("X1 and Y1 need at least one coordinate, got " + x1.dimension()
                    + " and " + y1.dimension());
        }
    }

    /**
     * @param f the upper level as a function of {@code [x1; x2; y1; y2]}
     * @return this builder
     */
    public MinimaxBilevelProblemBuilder upper(SmoothFunction f) {
        this.upper = Objects.requireNonNull(f, "upper f");
        return this;
    }

    /**
     * @param ft the lower level as a function of {@code [x1; y1; y2]}
     * @return this builder
     */
    public MinimaxBilevelProblemBuilder lower(SmoothFunction ft) {
        this.lower = Objects.requireNonNull(ft, "lower ft");
        return this;
    }

    /**
     * @return the problem
     * @throws IllegalStateException if a function is missing
     */
    public MinimaxBilevelProblem build() {
        if (upper == null || lower == null) {
            throw new IllegalStateException("both levels are needed: call upper(...) and lower(...)");
        }
        return new Built(x1, x2, y1, y2, upper, lower);
    }

    private record Built(Box x1Domain, Box x2Domain, Box y1Domain, Box y2Domain, SmoothFunction upper,
            SmoothFunction lower) implements MinimaxBilevelProblem {

        @Override
        public double upperValue(DMatrixRMaj x1, DMatrixRMaj x2, DMatrixRMaj y1, DMatrixRMaj y2) {
            return upper.value(Stacked.stack(x1, x2, y1, y2));
        }

        @Override
        public double upperValueAndGradient(DMatrixRMaj x1, DMatrixRMaj x2, DMatrixRMaj y1, DMatrixRMaj y2,
                DMatrixRMaj gx1, DMatrixRMaj gx2, DMatrixRMaj gy1, DMatrixRMaj gy2) {
            DMatrixRMaj z = Stacked.stack(x1, x2, y1, y2);
            DMatrixRMaj g = new DMatrixRMaj(z.numRows, 1);
            double v = upper.valueAndGradient(z, g);
            int o = 0;
            Stacked.part(g, o, gx1);
            o += x1.getNumElements();
            Stacked.part(g, o, gx2);
            o += x2.getNumElements();
            Stacked.part(g, o, gy1);
            o += y1.getNumElements();
            Stacked.part(g, o, gy2);
            return v;
        }

        @Override
        public double lowerValue(DMatrixRMaj x1, DMatrixRMaj y1, DMatrixRMaj y2) {
            return lower.value(Stacked.stack(x1, y1, y2));
        }

        @Override
        public double lowerValueAndGradient(DMatrixRMaj x1, DMatrixRMaj y1, DMatrixRMaj y2, DMatrixRMaj gx1,
                DMatrixRMaj gy1, DMatrixRMaj gy2) {
            DMatrixRMaj z = Stacked.stack(x1, y1, y2);
            DMatrixRMaj g = new DMatrixRMaj(z.numRows, 1);
            double v = lower.valueAndGradient(z, g);
            Stacked.part(g, 0, gx1);
            Stacked.part(g, x1.getNumElements(), gy1);
            Stacked.part(g, x1.getNumElements() + y1.getNumElements(), gy2);
            return v;
        }

        @Override
        public String toString() {
            return "MinimaxBilevelProblem[f=" + upper + ", ft=" + lower + "]";
        }
    }
}
