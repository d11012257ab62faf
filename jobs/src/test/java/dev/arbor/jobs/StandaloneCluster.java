package dev.arbor.jobs;

import dev.arbor.testing.TestPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.launcher.JavaModuleOptions;

/**
 * A real Spark standalone cluster on 127.0.0.1 for the tests: one master and one worker, each its
 * own JVM ({@code org.apache.spark.deploy.master.Master}, {@code ...worker.Worker}) from the Maven
 * jars, and the executors the worker starts as further JVMs. Closing it stops them all (executors
 * first), also after a failure.
 *
 * <p>The worker starts executors through {@code $SPARK_HOME}: a minimal one is built from the
 * launcher's classpath ({@code jobs/target/spark-classpath.txt}): a {@code RELEASE} file and {@code
 * jars/} with links to the Spark and Hadoop jars, but not Iceberg, sqlite-jdbc or RAPIDS, like a
 * Spark distribution. So the executors have those only when the application ships them.
 */
final class StandaloneCluster implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

  private final Path dir;
  private final List<Process> daemons = new ArrayList<>();
  private final String masterUrl;

  private StandaloneCluster(Path dir, int port) {
    this.dir = dir;
    this.masterUrl = "spark://127.0.0.1:" + port;
  }

  /**
   * Starts the master, then one worker with {@code cores} cores and {@code memory} (e.g. {@code
   * 1536m}) for executors, and waits until the worker is registered.
   */
  static StandaloneCluster start(Path dir, int cores, String memory) {
    StandaloneCluster cluster = new StandaloneCluster(dir, freePort());
    try {
      Path sparkHome = cluster.sparkHome();
      String port = cluster.masterUrl.substring(cluster.masterUrl.lastIndexOf(':') + 1);
      cluster.daemon(
          sparkHome,
          "master",
          "org.apache.spark.deploy.master.Master",
          List.of("--host", "127.0.0.1", "--port", port, "--webui-port", "0"),
          "I have been elected leader");
      Path work = Files.createDirectories(dir.resolve("worker-work"));
      cluster.daemon(
          sparkHome,
          "worker",
          "org.apache.spark.deploy.worker.Worker",
          List.of(
              "--host",
              "127.0.0.1",
              "--cores",
              Integer.toString(cores),
              "--memory",
              memory,
              "--work-dir",
              work.toString(),
              "--webui-port",
              "0",
              cluster.masterUrl),
          "Successfully registered with master");
      return cluster;
    } catch (IOException e) {
      cluster.close();
      throw new UncheckedIOException("Cannot start the test cluster in " + dir, e);
    } catch (RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
  }

  /** {@code spark://127.0.0.1:<port>}. */
  String masterUrl() {
    return masterUrl;
  }

  /** The stderr of every executor the worker started (its work folder), concatenated. */
  String executorLogs() throws IOException {
    StringBuilder out = new StringBuilder();
    try (var files = Files.walk(dir.resolve("worker-work"))) {
      for (Path f : files.filter(f -> f.getFileName().toString().equals("stderr")).toList()) {
        out.append(Files.readString(f, StandardCharsets.UTF_8));
      }
    }
    return out.toString();
  }

  /** The worker daemon's own log. */
  String workerLog() throws IOException {
    return Files.readString(dir.resolve("worker.log"), StandardCharsets.UTF_8);
  }

  private Path sparkHome() throws IOException {
    Path home = Files.createDirectories(dir.resolve("spark-home"));
    Path jars = Files.createDirectories(home.resolve("jars"));
    // A distribution has a RELEASE file: the launcher library then takes jars/ as the classpath.
    Files.writeString(home.resolve("RELEASE"), "Spark 4.0.1 (test cluster of Arbor)\n");
    String classpath =
        Files.readString(TestPaths.projectDir().resolve("jobs/target/spark-classpath.txt")).trim();
    for (String entry : classpath.split(":")) {
      Path jar = Path.of(entry);
      String name = jar.getFileName().toString();
      if (!name.startsWith("iceberg-spark-runtime-")
          && !name.startsWith("sqlite-jdbc-")
          && !name.startsWith("rapids-4-spark_")) {
        Files.createSymbolicLink(jars.resolve(name), jar);
      }
    }
    return home;
  }

  private void daemon(
      Path sparkHome, String name, String mainClass, List<String> args, String readyLine) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.addAll(Arrays.asList(JavaModuleOptions.defaultModuleOptions().split(" ")));
    command.add("-Djava.io.tmpdir=" + dir);
    command.addAll(List.of("-cp", sparkHome.resolve("jars") + "/*", mainClass));
    command.addAll(args);
    Path log = dir.resolve(name + ".log");
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    env.put("SPARK_HOME", sparkHome.toString());
    // Without it the launcher library looks for a source build's target folders.
    env.put("SPARK_SCALA_VERSION", "2.13");
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.put("SPARK_LOCAL_DIRS", dir.toString());
    env.put("JAVA_HOME", System.getProperty("java.home"));
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start the Spark " + name, e);
    }
    daemons.add(process);
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      String text = read(log);
      if (text.contains(readyLine)) {
        return;
      }
      if (!process.isAlive()) {
        throw new AssertionError("The Spark " + name + " exited before it was ready:\n" + text);
      }
      ArborProcess.sleep(200);
    }
    throw new AssertionError(
        "The Spark " + name + " logged no '" + readyLine + "' within " + START_TIMEOUT);
  }

  /** Stops the worker's executors, the worker, then the master; waits until each is gone. */
  @Override
  public void close() {
    for (int i = daemons.size() - 1; i >= 0; i--) {
      Process p = daemons.get(i);
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroy();
      try {
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
      }
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot find a free port", e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
