package dev.arbor.jobs;

import static dev.arbor.jobs.SameModel.assertSameModel;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arbor.testing.TestPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code scripts/arbor --master spark://… pipeline} with no {@code SPARK_HOME} on a real Spark
 * standalone cluster ({@link StandaloneCluster}: a master, a worker with one core, its executor
 * JVM, whose Spark has no Iceberg or SQLite jar) against the same run in {@code local[2]}. The
 * embedded demo, small (2,000 rows, at most 10 L-BFGS iterations); the two pipelines run at the
 * same time, each in its own working directory (its own demo input, output root and catalog).
 */
@Tag("cluster")
class StandaloneClusterIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MODEL_FILE = "work/output/models/demo/run_date=2026-01-01/model.json";
  private static final List<String> PIPELINE =
      List.of("pipeline", "--set", "demo.rows=2000", "--set", "train.optimizer.max-iterations=10");

  @Test
  @DisplayName(
      "scripts/arbor --master spark://… pipeline without SPARK_HOME runs on a standalone cluster"
          + " (Iceberg and sqlite-jdbc shipped to the executor) and gives the local[2] model bit"
          + " for bit")
  void aStandaloneClusterGivesTheLocalModelBitForBit() throws IOException {
    Path dir = TestPaths.newTempDir("standalone");
    Path localDir = Files.createDirectories(dir.resolve("local"));
    Path clusterDir = Files.createDirectories(dir.resolve("cluster"));
    Path daemons = Files.createDirectories(dir.resolve("daemons"));

    try (ArborProcess local =
            ArborProcess.start(
                localDir,
                dir,
                "local",
                args(List.of("--master", "local[2]", "--conf", "spark.driver.memory=1g")));
        StandaloneCluster cluster = StandaloneCluster.start(daemons, 1, "1g");
        ArborProcess remote =
            ArborProcess.start(
                clusterDir,
                dir,
                "cluster",
                args(
                    List.of(
                        "--master",
                        cluster.masterUrl(),
                        "--conf",
                        "spark.driver.host=127.0.0.1",
                        "--conf",
                        "spark.driver.bindAddress=127.0.0.1",
                        "--conf",
                        "spark.driver.memory=1g",
                        "--conf",
                        "spark.executor.memory=768m")))) {
      assertThat(remote.awaitExit()).as("cluster run:\n%s", remote.tail(40)).isZero();
      assertThat(local.awaitExit()).as("local run:\n%s", local.tail(40)).isZero();

      // The tasks ran in the worker's executor, which fetched the jars the launcher shipped.
      String executor = cluster.executorLogs();
      assertThat(cluster.workerLog()).contains("Asked to launch executor");
      assertThat(executor)
          .containsPattern("Fetching spark://\\S+/jars/iceberg-spark-runtime-")
          .containsPattern("Fetching spark://\\S+/jars/sqlite-jdbc-")
          .contains("Finished task");
      assertSameModel(
          JSON.readTree(clusterDir.resolve(MODEL_FILE).toFile()),
          JSON.readTree(localDir.resolve(MODEL_FILE).toFile()));
      // Same run id (config and data fingerprints), same test metrics, same promotion decision.
      assertThat(resultLines(remote)).isEqualTo(resultLines(local)).hasSize(2);
    }
  }

  private static List<String> args(List<String> launcher) {
    List<String> a = new ArrayList<>(launcher);
    a.addAll(PIPELINE);
    return a;
  }

  /** The evaluate and promote lines of the pipeline's output (no paths or durations in them). */
  private static List<String> resultLines(ArborProcess p) {
    return p.stdout()
        .lines()
        .filter(l -> l.startsWith("evaluated demo ") || l.startsWith("first demo "))
        .toList();
  }
}
