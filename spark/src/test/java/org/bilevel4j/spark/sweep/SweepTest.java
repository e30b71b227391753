package org.bilevel4j.spark.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.bilevel4j.apps.toys.ToyProblem;
import org.bilevel4j.apps.video.Corruption;
import org.bilevel4j.apps.video.SyntheticClip;
import org.bilevel4j.apps.video.VideoExperiment;
import org.bilevel4j.cli.ClipFiles;
import org.bilevel4j.solver.IterationListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepTest {

    @TempDir
    Path dir;

    private static List<Setting> grid(Object... nameAndValues) {
        Map<String, List<Double>> axes = new LinkedHashMap<>();
        for (int i = 0; i < nameAndValues.length; i += 2) {
            axes.put((String) nameAndValues[i], ((List<?>) nameAndValues[i + 1]).stream()
                    .map(v -> ((Number) v).doubleValue()).toList());
        }
        return SweepGrid.grid(axes);
    }

    /** Same setting and seed: the same metrics, iterations and stop reason; only the seconds differ. */
    private static void assertSameRuns(SweepResult a, SweepResult b) {
        assertThat(a.rows()).hasSameSizeAs(b.rows());
        assertThat(a.columns()).isEqualTo(b.columns());
        for (int i = 0; i < a.rows().size(); i++) {
            SweepRow x = a.rows().get(i);
            SweepRow y = b.rows().get(i);
            assertThat(x.index()).isEqualTo(i);
            assertThat(x.setting()).isEqualTo(y.setting());
            assertThat(x.seed()).isEqualTo(y.seed());
            assertThat(x.iterations()).isEqualTo(y.iterations());
            assertThat(x.stopReason()).isEqualTo(y.stopReason());
            assertThat(x.error()).isEqualTo(y.error());
            Map<String, Double> mx = new LinkedHashMap<>(x.metrics());
            Map<String, Double> my = new LinkedHashMap<>(y.metrics());
            mx.remove("solver_seconds");
            my.remove("solver_seconds");
            assertThat(mx).as("run %d", i).isEqualTo(my);
        }
    }

    @Test
    void quadraticSweepOnSparkMatchesTheClosedFormAndTheSequentialRun() {
        QuadraticJob job = new QuadraticJob(5);
        List<Setting> settings = grid("step", List.of(0.1, 0.5, 1.5), "iters", List.of(3, 8));
        List<Long> seeds = List.of(0L, 7L);
        SweepResult spark = Sweep.run(TestData.spark(), job, settings, seeds);
        SweepResult seq = Sweep.runSequentially(job, settings, seeds);
        assertSameRuns(spark, seq);
        assertThat(spark.rows()).hasSize(12);
        assertThat(spark.failures()).isZero();
        for (SweepRow r : spark.rows()) {
            double step = r.setting().get("step");
            int iters = r.setting().getInt("iters", 0);
            double d0 = QuadraticJob.distance(QuadraticJob.start(5, r.seed()), job.prepare().c());
            assertThat(r.metric("start_distance")).isEqualTo(d0);
            assertThat(r.metric("dist")).isCloseTo(Math.pow(Math.abs(1 - step), iters) * d0, within(1e-12 * d0));
            assertThat(r.worker()).startsWith("executor");
        }
        // runs: settings in order, seeds innermost
        assertThat(spark.rows().get(3).setting()).isEqualTo(Setting.of("step", 0.1, "iters", 8));
        assertThat(spark.rows().get(3).seed()).isEqualTo(7L);
        assertThat(seq.rows().get(0).worker()).isEqualTo("driver (no Spark)");
    }

    @Test
    void aFailingRunIsAnErrorRowAndTheOthersGoOn() {
        QuadraticJob job = new QuadraticJob(3);
        SweepResult r = Sweep.run(TestData.spark(), job, grid("step", List.of(0.5, 2.5, 1.0)), List.of(1L));
        assertThat(r.rows()).hasSize(3);
        assertThat(r.failures()).isEqualTo(1);
        SweepRow bad = r.rows().get(1);
        assertThat(bad.ok()).isFalse();
        assertThat(bad.stopReason()).isEqualTo(SweepRow.ERROR);
        assertThat(bad.error()).isEqualTo("IllegalStateException: step 2.5 diverges");
        assertThat(bad.metrics()).isEmpty();
        assertThat(bad.metric("dist")).isNaN();
        assertThat(r.rows().get(0).ok()).isTrue();
        assertThat(r.rows().get(2).metric("dist")).isZero();
        List<Object> values = r.values(bad);
        assertThat(values.get(r.columns().indexOf("dist"))).isNull();
        assertThat(values.get(r.columns().indexOf("error"))).isEqualTo(bad.error());
        assertThat(values.get(r.columns().indexOf("iterations"))).isNull();
        assertThat(r.csv().lines().skip(2).findFirst().orElseThrow())
                .contains(",ERROR,IllegalStateException: step 2.5 diverges,");
    }

    @Test
    void badSettingsAreRefusedBeforeAnyRun() {
        QuadraticJob job = new QuadraticJob(3);
        assertThatThrownBy(() -> Sweep.run(TestData.spark(), job, List.of(Setting.of("stepp", 1)), List.of(0L)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stepp");
        assertThatThrownBy(() -> Sweep.runSequentially(job, List.of(Setting.of("step", 1)), List.of(0L, 0L)))
                .hasMessageContaining("seed");
        MehaToySweepJob meha = new MehaToySweepJob(ToyProblem.MERELY_CONVEX, 10);
        assertThatThrownBy(() -> Sweep.runSequentially(meha, List.of(Setting.of("alpha", -1)), List.of(0L)))
                .hasMessageContaining("alpha");
    }

    @Test
    void mehaToySweepOnSparkEqualsTheSequentialRun() {
        MehaToySweepJob job = new MehaToySweepJob(ToyProblem.MERELY_CONVEX, 10);
        List<Setting> settings = grid("alpha", List.of(0.1, 0.3), "max_iter", List.of(150));
        SweepResult spark = Sweep.run(TestData.spark(), job, settings, List.of(0L));
        SweepResult seq = Sweep.runSequentially(job, settings, List.of(0L));
        assertSameRuns(spark, seq);
        assertThat(spark.failures()).isZero();
        assertThat(spark.rows().get(0).iterations()).isEqualTo(150);
        assertThat(spark.rows().get(0).setting().get("beta")).isEqualTo(ToyProblem.MERELY_CONVEX.workingSettings()
                .beta());
    }

    @Test
    void videoSweepOnSparkEqualsTheSequentialRunAndTheVideoExperiment() throws Exception {
        Path clip = dir.resolve("clip.npy");
        ClipFiles.writeNpy(SyntheticClip.generate(12, 16, 10, 1, 3), clip);
        VideoSweepJob job = new VideoSweepJob(clip.toString(), "all", 1, 3, 0.05, 0.33, 5);
        List<Setting> settings = grid("lambda", List.of(0.01, 0.1), "gamma", List.of(0.01, 0.5), "rank", List.of(3),
                "max_iter", List.of(25));
        SweepResult spark = Sweep.run(TestData.spark(), job, settings, List.of(2L));
        SweepResult seq = Sweep.runSequentially(job, settings, List.of(2L));
        assertSameRuns(spark, seq);
        assertThat(spark.failures()).isZero();
        // the run is VideoExperiment's BINNO on the corrupted clip, started from the run's seed
        VideoSweepJob.Problem p = job.prepare();
        VideoExperiment.Row direct = new VideoExperiment(new VideoExperiment.Settings(3, 25, 0.1, 0.5, 2))
                .run(VideoExperiment.Method.BINNO, new Corruption.Observation(p.observed(), p.clean(), p.corrupted()),
                        new int[0], IterationListener.none());
        SweepRow row = spark.rows().get(3);
        assertThat(row.setting()).isEqualTo(Setting.of("lambda", 0.1, "gamma", 0.5, "rank", 3, "max_iter", 25));
        assertThat(row.metric("psnr")).isEqualTo(direct.psnr());
        assertThat(row.metric("mse")).isEqualTo(direct.mse());
        assertThat(row.metric("rel_error")).isEqualTo(direct.relativeError());
        assertThat(row.metric("rank_l")).isEqualTo(direct.rank());
        assertThat(row.iterations()).isEqualTo(25);
        assertThat(row.metric("psnr")).isEqualTo(10 * Math.log10(1 / row.metric("mse")), within(1e-9));
    }

    @Test
    void csvAndParquetReadBackAsTheTable() throws Exception {
        QuadraticJob job = new QuadraticJob(4);
        SweepResult r = Sweep.run(TestData.spark(), job, grid("step", List.of(0.25, 3.0), "iters", List.of(2, 5)),
                List.of(0L, 1L));
        SparkSession spark = TestData.spark();
        Path csv = dir.resolve("t.csv");
        r.writeCsv(csv);
        assertThat(Files.readString(csv)).isEqualTo(r.csv());
        Path parquet = dir.resolve("t.parquet");
        r.writeParquet(spark, parquet, SaveMode.ErrorIfExists);
        Dataset<Row> fromParquet = spark.read().parquet(parquet.toString());
        Dataset<Row> fromCsv = spark.read().option("header", "true").schema(r.schema()).csv(csv.toString());
        assertThat(fromParquet.schema().fieldNames()).containsExactly(r.schema().fieldNames());
        for (int c = 0; c < r.columns().size(); c++) {
            assertThat(fromParquet.schema().fields()[c].dataType()).isEqualTo(r.schema().fields()[c].dataType());
        }
        for (Dataset<Row> d : List.of(fromParquet, fromCsv)) {
            List<Row> rows = TestData.byRun(d);
            assertThat(rows).hasSize(r.rows().size());
            for (int i = 0; i < rows.size(); i++) {
                List<Object> expected = r.values(r.rows().get(i));
                for (int c = 0; c < expected.size(); c++) {
                    assertThat(rows.get(i).get(c)).as("row %d column %s", i, r.columns().get(c))
                            .isEqualTo(expected.get(c));
                }
            }
        }
        // one failed run per seed (step 3 x two iteration counts x two seeds = 4)
        assertThat(fromParquet.filter("error IS NOT NULL").count()).isEqualTo(4);
        // the single-file form the command writes
        Path single = dir.resolve("table.parquet");
        SweepCommand.writeParquet(spark, r, single);
        assertThat(single).isRegularFile();
        assertThat(spark.read().parquet(single.toString()).count()).isEqualTo(r.rows().size());
        assertThat(dir.resolve(".table.parquet.spark")).doesNotExist();
    }
}
