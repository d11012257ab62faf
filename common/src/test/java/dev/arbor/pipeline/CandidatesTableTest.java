package dev.arbor.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arbor.catalog.CatalogSettings;
import dev.arbor.config.ArborConfig;
import dev.arbor.demo.DemoDataset;
import dev.arbor.demo.DemoSettings;
import dev.arbor.model.CandidateResult;
import dev.arbor.model.LinearModel;
import dev.arbor.model.ModelStore;
import dev.arbor.runs.StageRunner;
import dev.arbor.spark.JobContext;
import dev.arbor.testing.SparkTestSession;
import dev.arbor.testing.TestPaths;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A pipeline run over a {@code train.grid} of two candidates with 2-fold cross-validation leaves
 * every candidate's settings and scores (the fold mean and each fold) in the {@code candidates}
 * table, as the model artifact holds them. Small demo data (1,000 rows, 10 iterations).
 */
@Tag("spark")
class CandidatesTableTest {
  private static final SparkSession spark = SparkTestSession.get();
  private static final LocalDate DAY = LocalDate.of(2024, 2, 1);

  @Test
  void everyCandidateAndFoldScoreIsReadBackWithSql() throws Exception {
    Path dir = TestPaths.newTempDir("candidates-table");
    CatalogSettings catalog =
        CatalogSettings.localJdbc("t_candidates", "arbor", dir.resolve("warehouse"));
    catalog.applyTo(spark);
    DemoDataset.write(spark, dir.resolve("input").toString(), new DemoSettings(1000, 7));
    ArborConfig config =
        ArborConfig.load(
            null,
            Map.ofEntries(
                Map.entry("model.name", "grid"),
                Map.entry("input.path", dir.resolve("input").toString()),
                Map.entry("output.root", dir.resolve("out").toString()),
                Map.entry("catalog.name", catalog.name()),
                Map.entry("catalog.uri", catalog.uri()),
                Map.entry("catalog.warehouse", catalog.warehouse()),
                Map.entry("train.optimizer.max-iterations", "10"),
                Map.entry("train.regularization.type", "l2"),
                Map.entry("train.grid", "{ regularization.strength = [0.001, 10] }"),
                Map.entry("train.cv-folds", "2")));

    Pipeline.run(new JobContext(spark, config, DAY), StageRunner.Mode.FORCE);
    String modelPath = dir.resolve("out/models/grid/run_date=" + DAY + "/model.json").toString();
    String runId =
        spark
            .sql(
                "SELECT run_id FROM "
                    + catalog.qualified("runs")
                    + " WHERE model = 'grid' AND run_date = DATE'"
                    + DAY
                    + "'")
            .first()
            .getString(0);

    List<Row> rows =
        spark
            .sql(
                "SELECT candidate_index, candidate, settings_json, fold, metric, score, selected,"
                    + " run_id FROM "
                    + catalog.qualified("candidates")
                    + " WHERE model = 'grid' AND run_date = DATE'"
                    + DAY
                    + "' ORDER BY candidate_index, fold NULLS FIRST")
            .collectAsList();
    LinearModel model =
        ModelStore.read(modelPath, spark.sparkContext().hadoopConfiguration(), LinearModel.class);
    List<CandidateResult> candidates = model.candidates();
    assertThat(candidates).hasSize(2);
    // Per candidate: the mean row (fold null), then folds 0, 1.
    assertThat(rows).hasSize(6);
    assertThat(rows).allSatisfy(x -> assertThat(x.getString(7)).isEqualTo(runId));
    assertThat(rows).allSatisfy(x -> assertThat(x.getString(4)).isEqualTo("auc"));
    assertThat(rows)
        .extracting(x -> x.getInt(0) + ":" + (x.isNullAt(3) ? "mean" : x.getInt(3)))
        .containsExactly("0:mean", "0:0", "0:1", "1:mean", "1:0", "1:1");
    assertThat(rows.get(0).getString(1)).isEqualTo("regularization.strength=0.001");
    assertThat(rows.get(3).getString(1)).isEqualTo("regularization.strength=10");
    assertThat(new ObjectMapper().readTree(rows.get(3).getString(2)).toString())
        .isEqualTo("{\"train.regularization.strength\":\"10\"}");
    for (int c = 0; c < 2; c++) {
      CandidateResult expected = candidates.get(c);
      List<Row> own = rows.subList(3 * c, 3 * c + 3);
      assertThat(own).allSatisfy(x -> assertThat(x.getBoolean(6)).isEqualTo(expected.selected()));
      assertThat(own.get(0).getDouble(5)).isEqualTo(expected.score());
      for (int f = 0; f < 2; f++) {
        double fold = own.get(1 + f).getDouble(5);
        assertThat(fold).isEqualTo(expected.foldScores().get(f)).isBetween(0.5, 1.0);
      }
      // The fold-size-weighted mean (exact weights: CrossValidationTest) lies between the folds.
      double lo = Math.min(own.get(1).getDouble(5), own.get(2).getDouble(5));
      double hi = Math.max(own.get(1).getDouble(5), own.get(2).getDouble(5));
      assertThat(own.get(0).getDouble(5)).isBetween(lo, hi);
    }
    // Exactly one selected: the best mean AUC.
    int best = candidates.get(0).score() >= candidates.get(1).score() ? 0 : 1;
    assertThat(rows)
        .filteredOn(x -> x.getBoolean(6))
        .extracting(x -> x.getInt(0))
        .containsOnly(best)
        .hasSize(3);
  }
}
