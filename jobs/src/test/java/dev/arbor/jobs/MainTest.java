package dev.arbor.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbor.testing.TestPaths;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The command line without Spark: parsing, config resolution, messages and exit codes. */
class MainTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Main.run(new PrintWriter(out), new PrintWriter(err), args);
  }

  @Test
  void badRunDateIsAUsageErrorNamingTheValue() {
    assertThat(run("config", "--run-date", "2026-02-30")).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            "arbor: error: Invalid value for option '--run-date': '2026-02-30'"
                + " (expected a calendar date YYYY-MM-DD) (see 'arbor config --help')"
                + System.lineSeparator());
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void unknownOptionIsAUsageError() {
    assertThat(run("config", "--frobnicate")).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            "arbor: error: Unknown option: '--frobnicate' (see 'arbor config --help')"
                + System.lineSeparator());
  }

  @Test
  void unknownOrMissingCommandIsAUsageError() {
    assertThat(run("frobnicate")).isEqualTo(2);
    assertThat(err.toString())
        .startsWith("arbor: error: Unmatched argument at index 0: 'frobnicate'");
    assertThat(run()).isEqualTo(2);
    assertThat(err.toString()).contains("arbor: error: Missing command (see 'arbor --help')");
  }

  @Test
  void setWithoutEqualsIsAUsageError() {
    assertThat(run("config", "--set", "model.name")).isEqualTo(2);
    assertThat(err.toString()).startsWith("arbor: error: ").contains("model.name");
  }

  @Test
  void unknownConfigKeyIsAConfigErrorNamingTheKey() {
    assertThat(run("config", "--set", "modle.name=x")).isEqualTo(3);
    assertThat(err.toString())
        .startsWith("arbor: error: Unknown config key 'modle.name' (--set);")
        .contains("did you mean 'model.name'?");
    assertThat(err.toString().lines()).hasSize(1);
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void wrongTypeIsAConfigErrorNamingTheKey() {
    assertThat(run("config", "--set", "input.generate-demo-if-missing=maybe")).isEqualTo(3);
    assertThat(err.toString())
        .startsWith("arbor: error: Invalid config value for 'input.generate-demo-if-missing'")
        .contains("maybe")
        .contains("boolean");
  }

  @Test
  void badConfiguredRunDateIsAConfigError() {
    assertThat(run("config", "--set", "run.date=2026-1-5")).isEqualTo(3);
    assertThat(err.toString())
        .isEqualTo(
            "arbor: error: Invalid config value for 'run.date': 2026-1-5"
                + " (expected a calendar date YYYY-MM-DD)"
                + System.lineSeparator());
  }

  @Test
  void configPrintsTheResolvedConfigWithSecretsRedacted() {
    int code =
        run(
            "config",
            "--set",
            "model.name=churn",
            "--set",
            "spark.conf.\"spark.hadoop.fs.s3a.secret.key\"=hunter2",
            "--run-date",
            "2026-03-04");
    assertThat(code).isZero();
    assertThat(err.toString()).isEmpty();
    assertThat(out.toString())
        .contains("name=churn")
        .contains("date=\"2026-03-04\"")
        .contains("\"spark.hadoop.fs.s3a.secret.key\"=\"*****\"")
        .doesNotContain("hunter2");
  }

  @Test
  void configFileIsOverriddenBySet() throws IOException {
    Path file = TestPaths.newTempDir("main").resolve("job.conf");
    Files.writeString(file, "model.name = from_file\nrun.date = \"2025-12-31\"\n");

    assertThat(run("config", "--config", file.toString(), "--set", "model.name=from_cli")).isZero();

    assertThat(out.toString()).contains("name=\"from_cli\"").contains("date=\"2025-12-31\"");
  }

  @Test
  void missingConfigFileIsAConfigError() {
    assertThat(run("config", "--config", "/no/such/job.conf")).isEqualTo(3);
    assertThat(err.toString())
        .isEqualTo(
            "arbor: error: Cannot read config file: no such file: /no/such/job.conf"
                + System.lineSeparator());
  }

  @Test
  void versionNamesTheBuildAndRuntimeVersions() {
    assertThat(run("version")).isZero();
    assertThat(out.toString())
        .startsWith("arbor ")
        .contains("built for Spark 4.0.1 (Scala 2.13), Iceberg 1.11.0, RAPIDS 26.08.1")
        .contains("running on Spark 4.0.1, Java ")
        .doesNotContain("${");
  }

  @Test
  void helpIsInheritedBySubcommands() {
    assertThat(run("config", "--help")).isZero();
    assertThat(out.toString()).startsWith("Usage: arbor config").contains("--run-date");
  }
}
