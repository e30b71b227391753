package org.bilevel4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.bilevel4j.apps.factorization.SyntheticFactorization;
import org.bilevel4j.apps.io.MatrixIO;
import org.bilevel4j.linalg.MatOps;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code factorize-spark} on .npy row blocks against {@code factorize} on the whole matrix, through Main. */
class FactorizeSparkTest {

    @TempDir
    Path dir;

    @Test
    void rowBlockFilesGiveTheFactorsOfFactorize() throws Exception {
        DMatrixRMaj m = SyntheticFactorization.generate(90, 30, 4, 0.3, 0.01, 2).observed();
        MatrixIO.write(dir.resolve("m.npy"), m);
        Path chunks = dir.resolve("chunks");
        int[] sizes = {25, 2, 40, 23};
        int off = 0;
        for (int k = 0; k < sizes.length; k++) {
            MatrixIO.write(chunks.resolve(String.format("rows-%05d.npy", k)),
                    CommonOps_DDRM.extract(m, off, off + sizes[k], 0, 30));
            off += sizes[k];
        }
        CliRunner.Run a = CliRunner.run("factorize", "--input", dir.resolve("m.npy").toString(), "--rank",
                "4", "--max-iter", "20", "--quiet", "--out", dir.resolve("local").toString());
        assertThat(a.code()).as(a.err()).isZero();
        CliRunner.Run b = CliRunner.run("factorize-spark", "--spark", "local[2]", "--input",
                chunks.toString(), "--rank", "4", "--max-iter", "20", "--out", dir.resolve("spark").toString());
        assertThat(b.code()).as(b.err()).isZero();
        assertThat(b.out()).contains("on 90 x 30 in 4 row blocks");
        for (String f : new String[] {"X.npy", "Y.npy"}) {
            DMatrixRMaj want = MatrixIO.read(dir.resolve("local").resolve(f));
            DMatrixRMaj got = MatrixIO.read(dir.resolve("spark").resolve(f));
            assertThat(MatOps.distance(got, want) / Math.sqrt(MatOps.normSq(want))).as(f).isLessThan(1e-9);
        }
        assertThat(dir.resolve("spark").resolve("trace.csv")).exists();
        assertThat(Files.readString(dir.resolve("spark").resolve("report.json"))).contains("\"rowBlocks\" : 4");
    }

    @Test
    void aMissingFolderIsOneLineAndExitTwo() {
        CliRunner.Run r = CliRunner.run("factorize-spark", "--spark", "local[2]", "--input",
                dir.resolve("nothing").toString(), "--rank", "2", "--out", dir.resolve("o").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("bilevel4j: error: " + dir.resolve("nothing")).doesNotContain("\n");
        assertThat(dir.resolve("o")).doesNotExist();
    }
}
