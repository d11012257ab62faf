package dev.arbor.gpu;

import dev.arbor.ConfigException;
import dev.arbor.ExitCode;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses to start a GPU run that cannot work, before the SparkSession exists: without it, the
 * RAPIDS plugin waits for a GPU and kills the JVM after ~40 s, and Spark waits forever for GPU
 * resources it cannot schedule in local mode.
 *
 * <p>GPU mode is requested when {@code spark.plugins} lists {@value #PLUGIN} and {@code
 * spark.rapids.sql.mode} is not {@code explainOnly} (explain-only mode plans on the CPU and needs
 * no GPU). Then, when the driver runs the tasks itself (master {@code local…} or unset), this
 * machine must show a GPU: {@code nvidia-smi} on the {@code PATH}, {@code nvidia-smi -L} listing at
 * least one GPU, and a {@code /dev/nvidia<N>} device; and no {@code spark.executor.resource.gpu.*}
 * / {@code spark.task.resource.gpu.*} setting may be present (Spark does not schedule GPUs in local
 * mode and would never start a task). On a cluster master the driver needs no GPU (the executors
 * have them, discovered by {@code scripts/getGpusResources.sh}), so nothing is probed.
 *
 * <p>Failures are {@link ConfigException}s, exit code {@link ExitCode#CONFIG} (3): asking for the
 * GPU where there is none is a deployment mistake that a retry on the same machine cannot fix, so
 * schedulers must not retry it as they retry {@link ExitCode#FAILURE}. {@code scripts/arbor --gpu}
 * makes the same check, with the same code, before it starts the JVM.
 */
public final class GpuEnvironment {
  /** The RAPIDS Accelerator's Spark plugin class. */
  public static final String PLUGIN = "com.nvidia.spark.SQLPlugin";

  private static final Logger LOG = LoggerFactory.getLogger(GpuEnvironment.class);
  private static final long NVIDIA_SMI_TIMEOUT_SECONDS = 15;

  private GpuEnvironment() {}

  /** Finds why no GPU is usable on this machine; empty when one is. */
  @FunctionalInterface
  public interface Probe {
    /** The reason no GPU is visible (e.g. "nvidia-smi is not on the PATH"), or empty. */
    Optional<String> missingGpu();
  }

  /**
   * Whether {@code settings} ask for GPU execution: {@code spark.plugins} lists {@value #PLUGIN}
   * and {@code spark.rapids.sql.mode} is not {@code explainOnly}.
   */
  public static boolean gpuModeRequested(Map<String, String> settings) {
    boolean plugin =
        Arrays.stream(settings.getOrDefault("spark.plugins", "").split(","))
            .map(String::strip)
            .anyMatch(PLUGIN::equals);
    String mode = settings.getOrDefault("spark.rapids.sql.mode", "executeongpu").strip();
    return plugin && !mode.toLowerCase(Locale.ROOT).equals("explainonly");
  }

  /**
   * Checks the Spark settings a session is about to start with, probing this machine.
   *
   * @param settings every Spark setting of the session to be (spark-submit's and the Arbor config's
   *     {@code spark.conf})
   * @throws ConfigException (exit 3) when GPU mode is requested and cannot work here
   */
  public static void check(Map<String, String> settings) {
    check(settings, GpuEnvironment::probeThisMachine);
  }

  /** {@link #check(Map)} with the given probe (tests). */
  public static void check(Map<String, String> settings, Probe probe) {
    if (!gpuModeRequested(settings)) {
      return;
    }
    String master = settings.getOrDefault("spark.master", "local[*]");
    if (!master.startsWith("local")) {
      LOG.info(
          "GPU mode on master {}: the executors' GPUs are checked by Spark and RAPIDS", master);
      return;
    }
    Optional<String> missing = probe.missingGpu();
    if (missing.isPresent()) {
      throw new ConfigException(
          "Cannot run in GPU mode: no GPU is visible on this machine: "
              + missing.get()
              + " (spark.plugins includes "
              + PLUGIN
              + "; run without --gpu, or set spark.rapids.sql.mode=explainOnly)");
    }
    for (String key : settings.keySet()) {
      if (key.startsWith("spark.executor.resource.gpu.")
          || key.startsWith("spark.task.resource.gpu.")) {
        throw new ConfigException(
            "Invalid Spark setting for master "
                + master
                + ": "
                + key
                + " (expected no executor/task GPU resource settings in local mode: Spark does"
                + " not schedule GPUs there and would never start a task)");
      }
    }
    LOG.info("GPU mode on master {}: a GPU is visible", master);
  }

  /**
   * The real probe: {@code nvidia-smi} on the PATH, {@code nvidia-smi -L}, {@code /dev/nvidia*}.
   */
  static Optional<String> probeThisMachine() {
    Optional<Path> smi = onPath("nvidia-smi", System.getenv("PATH"));
    if (smi.isEmpty()) {
      return Optional.of("nvidia-smi is not on the PATH");
    }
    Optional<String> listed = listsAGpu(smi.get());
    if (listed.isPresent()) {
      return listed;
    }
    if (!hasDeviceFile(Paths.get("/dev"))) {
      return Optional.of("no /dev/nvidia<N> device file");
    }
    return Optional.empty();
  }

  static Optional<Path> onPath(String program, String path) {
    if (path == null) {
      return Optional.empty();
    }
    return Arrays.stream(path.split(File.pathSeparator))
        .filter(dir -> !dir.isEmpty())
        .map(dir -> Paths.get(dir, program))
        .filter(Files::isExecutable)
        .findFirst();
  }

  static boolean hasDeviceFile(Path dev) {
    try (Stream<Path> entries = Files.list(dev)) {
      return entries.anyMatch(p -> p.getFileName().toString().matches("nvidia[0-9]+"));
    } catch (IOException e) {
      return false;
    }
  }

  /** Runs {@code nvidia-smi -L}; empty when it lists at least one GPU, else the reason. */
  private static Optional<String> listsAGpu(Path smi) {
    try {
      Process p = new ProcessBuilder(smi.toString(), "-L").redirectErrorStream(true).start();
      if (!p.waitFor(NVIDIA_SMI_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return Optional.of(
            "nvidia-smi -L did not answer within " + NVIDIA_SMI_TIMEOUT_SECONDS + " s");
      }
      String output;
      try (InputStream in = p.getInputStream()) {
        output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      return gpuListProblem(p.exitValue(), output);
    } catch (IOException e) {
      return Optional.of("cannot run nvidia-smi: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted while running nvidia-smi");
    }
  }

  /** Judges the output of {@code nvidia-smi -L}: one {@code GPU <n>: …} line per GPU. */
  static Optional<String> gpuListProblem(int exitCode, String output) {
    List<String> lines = output.lines().map(String::strip).toList();
    if (exitCode != 0) {
      String first = lines.stream().filter(l -> !l.isEmpty()).findFirst().orElse("");
      return Optional.of("nvidia-smi -L failed with exit code " + exitCode + ": " + first);
    }
    if (lines.stream().noneMatch(l -> l.startsWith("GPU "))) {
      return Optional.of("nvidia-smi -L lists no GPU");
    }
    return Optional.empty();
  }
}
