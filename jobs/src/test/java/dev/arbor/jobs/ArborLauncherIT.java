package dev.arbor.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbor.testing.TestPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * {@code scripts/arbor} end to end on the shaded jar that {@code package} just built (run by
 * failsafe after {@code package}). Each launch that reaches Java costs a JVM start (~2-3 s), so
 * there are few of them.
 */
class ArborLauncherIT {
  private static final Path PROJECT = TestPaths.projectDir();
  private static final String VERSION = System.getProperty("arbor.version");

  record Result(int code, String out, String err) {
    List<String> errLines() {
      return err.lines().toList();
    }
  }

  /** Runs scripts/arbor on the jar as built (no rebuild), with no SPARK_HOME. */
  private static Result arbor(String... args) throws IOException, InterruptedException {
    return arbor(Map.of(), args);
  }

  /** {@link #arbor(String...)} with extra environment variables. */
  private static Result arbor(Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    Path dir = TestPaths.newTempDir("launcher");
    Path out = dir.resolve("stdout");
    Path err = dir.resolve("stderr");
    Process process = start(dir, env, args);
    if (!process.waitFor(3, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("scripts/arbor " + args + " did not finish in 3 minutes");
    }
    return new Result(
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  /**
   * Starts scripts/arbor on the jar as built (no rebuild), with no SPARK_HOME, stdout and stderr to
   * {@code dir}/stdout and {@code dir}/stderr.
   */
  private static Process start(Path dir, Map<String, String> env, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(PROJECT.resolve("scripts/arbor").toString());
    command.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(PROJECT.toFile())
            .redirectOutput(dir.resolve("stdout").toFile())
            .redirectError(dir.resolve("stderr").toFile());
    pb.environment().remove("SPARK_HOME");
    pb.environment().put("ARBOR_NO_BUILD", "1");
    pb.environment().putAll(env);
    return pb.start();
  }

  @Test
  void configPrintsTheResolvedConfigThroughSparkSubmit() throws Exception {
    Result r =
        arbor(
            "--conf",
            "spark.ui.enabled=false",
            "--conf",
            "spark.executor.memory=512mb", // Spark's own suffix: the launcher's check lets it pass
            "--conf",
            "spark.driver.memory=1g",
            "config",
            "--set",
            "model.name=x",
            "--run-date",
            "2026-02-03");

    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("name=x").contains("date=\"2026-02-03\"").contains("root=");
  }

  @Test
  void versionNamesArborAndSpark() throws Exception {
    Result r = arbor("--master", "local[1]", "version");

    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .startsWith("arbor " + VERSION + System.lineSeparator())
        .contains("running on Spark 4.0.1, Java 17");
  }

  @Test
  void theJvmHasTheVectorApiByDefaultAndItsWarningIsDropped() throws Exception {
    // The module reaches the JVM (the training pass gets the Vector API kernel), and the JVM's
    // start-up warning about it does not reach stderr: version's stderr stays empty.
    Result r = arbor("--master", "local[1]", "version");

    assertThat(r.code()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).contains("linear kernel: Vector API (jdk.incubator.vector");

    Result off = arbor(Map.of("ARBOR_VECTOR_API", "0"), "--master", "local[1]", "version");
    assertThat(off.code()).isZero();
    assertThat(off.err()).isEmpty();
    assertThat(off.out())
        .contains(
            "linear kernel: scalar (plain Java) (module jdk.incubator.vector is not in the boot"
                + " layer");
  }

  @Test
  void stderrKeepsEveryOtherLineAndTheExitCodeThroughTheFilter() throws Exception {
    // A JVM line that merely mentions the warning is kept; only the exact line is dropped. The
    // exit code is the JVM's, and the error line is there when the launcher has exited.
    Result r =
        arbor(
            "--master",
            "local[1]",
            "config",
            "--set",
            "model.name=WARNING: Using incubator modules: jdk.incubator.vector");
    assertThat(r.code()).isEqualTo(3);
    assertThat(r.errLines())
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("arbor: error: ")
        .contains("WARNING: Using incubator modules: jdk.incubator.vector");
  }

  @Test
  void terminatingTheLauncherStopsTheJvm() throws Exception {
    // SIGTERM to the launcher (what a scheduler sends) is passed on to the JVM, which exits.
    Path dir = TestPaths.newTempDir("launcher-term");
    Path err = dir.resolve("stderr");
    Process launcher =
        start(
            dir,
            Map.of(),
            "--master",
            "local[1]",
            "sql",
            "--set",
            "output.root=" + dir.resolve("out"),
            "--set",
            "catalog.uri=jdbc:sqlite:" + dir.resolve("out/warehouse/catalog.db"),
            "--set",
            "catalog.warehouse=" + dir.resolve("out/warehouse"),
            "SELECT count(*) FROM range(1000000000000) a");
    try {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      List<ProcessHandle> jvms = List.of();
      while (System.nanoTime() < deadline) {
        jvms = launcher.descendants().filter(h -> commandOf(h).contains("java")).toList();
        if (!jvms.isEmpty() && Files.readString(err).contains("Starting Spark session")) {
          break;
        }
        Thread.sleep(200);
      }
      assertThat(jvms).as("the launcher's JVM").isNotEmpty();
      launcher.destroy(); // SIGTERM to the launcher only
      assertThat(launcher.waitFor(2, TimeUnit.MINUTES)).as("the launcher exited").isTrue();
      assertThat(launcher.exitValue()).isNotZero();
      for (ProcessHandle jvm : jvms) {
        assertThat(jvm.onExit().get(1, TimeUnit.MINUTES).isAlive()).as("the JVM").isFalse();
      }
    } finally {
      launcher.descendants().forEach(ProcessHandle::destroyForcibly);
      launcher.destroyForcibly();
    }
  }

  /** Asserts that {@code r} exited with {@code code} and printed exactly {@code line} on stderr. */
  private static void assertFailsWithOneLine(Result r, int code, String line) {
    assertThat(r.code()).isEqualTo(code);
    assertThat(r.errLines()).containsExactly(line);
  }

  private static String commandOf(ProcessHandle h) {
    return h.info().command().orElse("");
  }

  @Test
  void badRunDateIsExitTwoWithOneLineOnStderr() throws Exception {
    Result r = arbor("config", "--run-date", "2026-13-01");

    assertFailsWithOneLine(
        r,
        2,
        "arbor: error: Invalid value for option '--run-date': '2026-13-01'"
            + " (expected a calendar date YYYY-MM-DD) (see 'arbor config --help')");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void unknownConfigKeyIsExitThreeWithOneLineOnStderr() throws Exception {
    Result r = arbor("config", "--set", "modle.name=x");

    assertFailsWithOneLine(
        r, 3, "arbor: error: Unknown config key 'modle.name' (--set); did you mean 'model.name'?");
  }

  @Test
  void invalidSparkSettingIsExitThreeBeforeAnyStage() throws Exception {
    Result r =
        arbor("--master", "local[1]", "--conf", "spark.sql.codegen.maxFields=abc", "prepare");

    assertThat(r.code()).isEqualTo(3);
    assertThat(r.errLines())
        .last()
        .isEqualTo(
            "arbor: error: Cannot start Spark: invalid setting: spark.sql.codegen.maxFields should"
                + " be int, but was abc (check --conf, the Spark properties file and the config's"
                + " spark.conf)");
  }

  @Test
  void launcherUsageErrorsNeedNoJvm() throws Exception {
    // The build machines have no GPU: GPU mode is refused at once, exit 3 (configuration).
    Result gpu = arbor("--gpu", "config");
    assertThat(gpu.code()).isEqualTo(3);
    assertThat(gpu.errLines())
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith(
            "arbor: error: Cannot run in GPU mode (--gpu): no GPU is visible on this machine: ")
        .endsWith(" (run without --gpu)");

    Result none = arbor("--master", "local[2]");
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.errLines())
        .last()
        .isEqualTo("arbor: error: Missing command (see 'scripts/arbor help')");

    // The in-process spark-submit has no YARN or Kubernetes scheduler: refused, naming SPARK_HOME.
    Result yarn = arbor("--master", "yarn", "pipeline");
    assertFailsWithOneLine(
        yarn,
        2,
        "arbor: error: Cannot run on --master yarn without a Spark distribution: set"
            + " SPARK_HOME to a Spark 4.0.1 (Scala 2.13) installation, or use --master"
            + " local[*] or spark://host:port");

    Result badConf = arbor("--conf", "spark.ui.enabled", "config");
    assertFailsWithOneLine(
        badConf, 2, "arbor: error: Invalid --conf: spark.ui.enabled (expected key=value)");

    // A memory size the JVM (-Xmx) or SparkSubmit would refuse with exit 1: exit 3, one line.
    Result badMemory = arbor("--conf", "spark.executor.memory=lots", "config");
    assertFailsWithOneLine(
        badMemory,
        3,
        "arbor: error: Invalid --conf spark.executor.memory=lots (expected a memory size such"
            + " as 4g or 512m)");
    Result badHeap = arbor("--conf", "spark.driver.memory=4gb", "config");
    assertFailsWithOneLine(
        badHeap,
        3,
        "arbor: error: Invalid --conf spark.driver.memory=4gb (expected a memory size such as"
            + " 4g or 512m)");

    Result badVector = arbor(Map.of("ARBOR_VECTOR_API", "yes"), "version");
    assertFailsWithOneLine(
        badVector, 2, "arbor: error: Invalid ARBOR_VECTOR_API: yes (expected 0 or 1)");
  }

  @Test
  void shadedJarHoldsNoProvidedLibrariesAndRelocatesItsOwn() throws IOException {
    Path jar = PROJECT.resolve("jobs/target/arbor-jobs-" + VERSION + ".jar");
    List<String> entries = new ArrayList<>();
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      Enumeration<? extends ZipEntry> e = zip.entries();
      while (e.hasMoreElements()) {
        entries.add(e.nextElement().getName());
      }
    }

    assertThat(entries)
        .contains(
            "dev/arbor/jobs/Main.class",
            "dev/arbor/config/ArborConfig.class",
            "dev/arbor/config/arbor.conf",
            "dev/arbor/jobs/build.properties",
            "dev/arbor/shaded/picocli/CommandLine.class",
            "dev/arbor/shaded/config/Config.class",
            // Licences of the bundled libraries (issue 17): the list and the Apache 2.0 text.
            "META-INF/THIRD-PARTY.txt",
            "META-INF/licenses/Apache-2.0.txt");
    assertThat(entries)
        .noneMatch(
            n ->
                n.startsWith("org/apache/spark/")
                    || n.startsWith("org/apache/hadoop/")
                    || n.startsWith("org/apache/iceberg/")
                    || n.startsWith("com/nvidia/")
                    || n.startsWith("scala/")
                    || n.startsWith("picocli/")
                    || n.startsWith("org/jfree/")
                    || n.startsWith("com/typesafe/"));
  }
}
