package dev.arbor.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbor.testing.SparkTestSession;
import dev.arbor.testing.TestPaths;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code pipeline} with the promotion gate, {@code promote} and {@code score} with the promoted
 * model, through the command line: exit codes 5 and 0 (warn), what is printed, and which model
 * {@code score} applies; then {@code maintain} on the tables these runs left.
 */
@Tag("spark")
class PromoteCommandTest {
  private static final String D1 = "2024-04-01";
  private static final String D2 = "2024-04-02";
  private final SparkSession spark = SparkTestSession.get();
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final Path dir = TestPaths.newTempDir("cli-promote");

  private int run(String... args) {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    List<String> all = new ArrayList<>(List.of(args));
    for (String kv :
        new String[] {
          "demo.rows=1500",
          "input.path=" + dir.resolve("in"),
          "output.root=" + dir.resolve("out"),
          "train.optimizer.max-iterations=20",
          "catalog.name=t_promotecmd",
          "catalog.uri=jdbc:sqlite:" + dir.resolve("warehouse/catalog.db"),
          "catalog.warehouse=" + dir.resolve("warehouse")
        }) {
      all.add("--set");
      all.add(kv);
    }
    return Main.execute(
        Main.commandLine(new PrintWriter(out), new PrintWriter(err)), all.toArray(String[]::new));
  }

  private List<Row> predictions(String path) {
    Dataset<Row> p = spark.read().parquet(path);
    return p.orderBy("row_id").select("row_id", "score").collectAsList();
  }

  @Test
  @Tag("reliability")
  @DisplayName(
      "a model rejected by the gate, re-run under looser gate settings — rejected again (sticky"
          + " per model, exit 5) until promote --force; score uses the promoted model")
  void rejectsAWorseModelAndScoresWithThePromotedOne() {
    assertThat(run("generate", "--output", dir.resolve("in").toString())).isZero();
    assertThat(run("pipeline", "--run-date", D1)).as(err.toString()).isZero();
    assertThat(out.toString())
        .contains("\nfirst demo 2024-04-01 (run r-")
        .contains(", no model promoted before -> " + dir.resolve("out/models/demo/PROMOTED.json"))
        .contains("  promoted model:  " + dir.resolve("out/models/demo/PROMOTED.json"));
    // The run maintained the tables afterwards (maintenance.after-run): metadata cleanup is on.
    assertThat(
            spark
                .sql("SHOW TBLPROPERTIES t_promotecmd.arbor.runs")
                .where("key = 'write.metadata.delete-after-commit.enabled'")
                .collectAsList())
        .singleElement()
        .satisfies(r -> assertThat(r.getString(1)).isEqualTo("true"));

    // Every weight 0 under this L1 strength: AUC 0.5, far below day 1.
    String[] worse = {
      "--set", "train.regularization.type=l1", "--set", "train.regularization.strength=10"
    };
    assertThat(run(concat(new String[] {"pipeline", "--run-date", D2}, worse))).isEqualTo(5);
    assertThat(err.toString())
        .startsWith(
            "arbor: error: Model rejected by the promotion gate: rejected demo 2024-04-02 (run r-")
        .contains("test auc_roc 0.5000 vs champion ")
        .contains("; the promoted model stays 2024-04-01 (run r-")
        .endsWith("(promote.on-reject = fail)\n");
    // The stages before the gate were printed as they finished.
    assertThat(out.toString())
        .startsWith("prepared ")
        .contains("\nevaluated demo 2024-04-02 (run r-")
        .doesNotContain("\nrejected ");

    // The stage alone, in warn mode: the same decision, exit 0, a warning.
    assertThat(run("promote", "--run-date", D2, "--set", "promote.on-reject=warn")).isZero();
    assertThat(out.toString()).startsWith("rejected demo 2024-04-02 (run r-");
    assertThat(err.toString())
        .isEqualTo(
            "arbor: warning: model rejected by the promotion gate (promote.on-reject = warn)\n");

    // score without --run-date uses the promoted model (day 1), not the newest one (day 2).
    String input = dir.resolve("in").toString();
    String promoted = dir.resolve("pred-promoted").toString();
    assertThat(run("score", "--input", input, "--output", promoted)).as(err.toString()).isZero();
    assertThat(out.toString())
        .startsWith("scored 1500 raw rows with the promoted model of demo (run 2024-04-01 r-")
        .contains("/models/demo/promoted/run_date=2024-04-01/run_id=r-");
    String day1 = dir.resolve("pred-day1").toString();
    String day2 = dir.resolve("pred-day2").toString();
    assertThat(run("score", "--input", input, "--output", day1, "--run-date", D1)).isZero();
    assertThat(run("score", "--input", input, "--output", day2, "--run-date", D2)).isZero();
    assertThat(predictions(promoted)).isEqualTo(predictions(day1)).isNotEqualTo(predictions(day2));

    assertThat(
            run(
                "score",
                "--input",
                input,
                "--output",
                day1,
                "--model-path",
                "m.json",
                "--run-date",
                D1))
        .isEqualTo(2);
    assertThat(err.toString())
        .startsWith(
            "arbor: error: Invalid option '--model-path': it names the model file, so it cannot be"
                + " combined with --model or --run-date");

    // A date that was never evaluated cannot be promoted.
    assertThat(run("promote", "--run-date", "2024-04-09")).isEqualTo(1);
    assertThat(err.toString())
        .startsWith(
            "arbor: error: Cannot promote model demo for 2024-04-09: no row in t_promotecmd.arbor.runs (run the evaluate stage for that date first)");
    // No model promoted for another name.
    assertThat(run("score", "--input", input, "--output", day1, "--model", "other")).isEqualTo(4);
    assertThat(err.toString())
        .startsWith(
            "arbor: error: Cannot score with the promoted model of other: none is promoted (no "
                + dir.resolve("out/models/other/PROMOTED.json"));
    assertThat(Files.exists(dir.resolve("out/models/demo/PROMOTED.json"))).isTrue();

    // A rejection sticks to its model: the pipeline again under looser gate settings (any drop
    // passes; a new run id, evaluate runs again) rejects the same model again, naming the earlier
    // rejection, until promote --force decides afresh.
    String[] loose = concat(worse, new String[] {"--set", "promote.tolerance=1.0"});
    assertThat(run(concat(new String[] {"pipeline", "--run-date", D2}, loose))).isEqualTo(5);
    assertThat(err.toString())
        .contains("rejected before (auc_roc: test auc_roc 0.5000 vs champion ")
        .contains("a rejection sticks to its model until promote --force");
    assertThat(predictionsOfPromoted(input)).isEqualTo(predictions(day1));
    assertThat(run(concat(new String[] {"promote", "--run-date", D2, "--force"}, loose)))
        .as(err.toString())
        .isZero();
    assertThat(out.toString()).startsWith("promoted demo 2024-04-02 (run r-");
    assertThat(predictionsOfPromoted(input)).isEqualTo(predictions(day2));

    // maintain with no retention: every table keeps only its current snapshot.
    assertThat(run("maintain", "--set", "maintenance.snapshot-retention-days=0"))
        .as(err.toString())
        .isZero();
    assertThat(out.toString().lines())
        .hasSize(9)
        .allMatch(l -> l.startsWith("maintained t_promotecmd.arbor."))
        .allMatch(l -> l.endsWith(", 1 snapshot(s) kept"))
        .anyMatch(l -> l.startsWith("maintained t_promotecmd.arbor.runs: expired "));
    assertThat(
            spark.sql("SELECT count(*) FROM t_promotecmd.arbor.runs.snapshots").first().getLong(0))
        .isEqualTo(1);
  }

  private List<Row> predictionsOfPromoted(String input) {
    String path = dir.resolve("pred-promoted-" + System.nanoTime()).toString();
    assertThat(run("score", "--input", input, "--output", path)).as(err.toString()).isZero();
    return predictions(path);
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = new String[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
