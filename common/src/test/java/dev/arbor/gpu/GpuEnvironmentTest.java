package dev.arbor.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arbor.ConfigException;
import dev.arbor.ExitCode;
import dev.arbor.testing.TestPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GpuEnvironmentTest {
  private static final GpuEnvironment.Probe NO_GPU =
      () -> Optional.of("nvidia-smi is not on the PATH");
  private static final GpuEnvironment.Probe A_GPU = Optional::empty;
  private static final Map<String, String> GPU_LOCAL =
      Map.of("spark.plugins", GpuEnvironment.PLUGIN, "spark.master", "local[2]");

  @Test
  void gpuModeNeedsThePluginAndNotExplainOnly() {
    assertThat(GpuEnvironment.gpuModeRequested(Map.of())).isFalse();
    assertThat(
            GpuEnvironment.gpuModeRequested(
                Map.of("spark.plugins", "a.B, " + GpuEnvironment.PLUGIN)))
        .isTrue();
    assertThat(
            GpuEnvironment.gpuModeRequested(
                Map.of(
                    "spark.plugins",
                    GpuEnvironment.PLUGIN,
                    "spark.rapids.sql.mode",
                    "explainOnly")))
        .isFalse();
    assertThat(
            GpuEnvironment.gpuModeRequested(
                Map.of(
                    "spark.plugins",
                    GpuEnvironment.PLUGIN,
                    "spark.rapids.sql.mode",
                    "executeOnGPU")))
        .isTrue();
  }

  @Test
  void noGpuInLocalModeIsAConfigErrorWithOneLine() {
    assertThatThrownBy(() -> GpuEnvironment.check(GPU_LOCAL, NO_GPU))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot run in GPU mode: no GPU is visible on this machine: nvidia-smi is not on the"
                + " PATH (spark.plugins includes com.nvidia.spark.SQLPlugin; run without --gpu, or"
                + " set spark.rapids.sql.mode=explainOnly)")
        .satisfies(e -> assertThat(((ConfigException) e).exitCode()).isEqualTo(ExitCode.CONFIG));
  }

  @Test
  void withoutTheExplicitMasterLocalIsAssumed() {
    assertThatThrownBy(
            () -> GpuEnvironment.check(Map.of("spark.plugins", GpuEnvironment.PLUGIN), NO_GPU))
        .hasMessageStartingWith("Cannot run in GPU mode: no GPU is visible on this machine");
  }

  @Test
  void nothingIsProbedWithoutGpuModeOrOnAClusterMaster() {
    GpuEnvironment.Probe fails =
        () -> {
          throw new AssertionError("must not probe");
        };
    assertThatCode(() -> GpuEnvironment.check(Map.of("spark.master", "local[*]"), fails))
        .doesNotThrowAnyException();
    assertThatCode(
            () ->
                GpuEnvironment.check(
                    Map.of("spark.plugins", GpuEnvironment.PLUGIN, "spark.master", "yarn"), fails))
        .doesNotThrowAnyException();
    assertThatCode(
            () ->
                GpuEnvironment.check(
                    Map.of(
                        "spark.plugins",
                        GpuEnvironment.PLUGIN,
                        "spark.rapids.sql.mode",
                        "explainOnly"),
                    fails))
        .doesNotThrowAnyException();
  }

  @Test
  void aVisibleGpuInLocalModePassesUnlessGpuSchedulingIsConfigured() {
    assertThatCode(() -> GpuEnvironment.check(GPU_LOCAL, A_GPU)).doesNotThrowAnyException();
    Map<String, String> withTaskGpus =
        Map.of(
            "spark.plugins", GpuEnvironment.PLUGIN,
            "spark.master", "local[4]",
            "spark.task.resource.gpu.amount", "0.25");
    assertThatThrownBy(() -> GpuEnvironment.check(withTaskGpus, A_GPU))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(
            "Invalid Spark setting for master local[4]: spark.task.resource.gpu.amount (expected no"
                + " executor/task GPU resource settings in local mode");
  }

  @Test
  void nvidiaSmiOutputIsJudgedByItsGpuLines() {
    assertThat(GpuEnvironment.gpuListProblem(0, "GPU 0: NVIDIA A10G (UUID: GPU-1234)\n")).isEmpty();
    assertThat(GpuEnvironment.gpuListProblem(0, "\n")).contains("nvidia-smi -L lists no GPU");
    assertThat(
            GpuEnvironment.gpuListProblem(
                9,
                "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.\n"))
        .contains(
            "nvidia-smi -L failed with exit code 9: NVIDIA-SMI has failed because it couldn't"
                + " communicate with the NVIDIA driver.");
  }

  @Test
  void findsProgramsOnThePathAndDeviceFiles() throws IOException {
    Path dir = TestPaths.newTempDir("gpu-env");
    Path smi = Files.createFile(dir.resolve("nvidia-smi"));
    assertThat(GpuEnvironment.onPath("nvidia-smi", "/nonexistent:" + dir)).isEmpty();
    Files.setPosixFilePermissions(smi, PosixFilePermissions.fromString("rwxr-xr-x"));
    assertThat(GpuEnvironment.onPath("nvidia-smi", "/nonexistent:" + dir)).contains(smi);
    assertThat(GpuEnvironment.onPath("nvidia-smi", null)).isEmpty();

    assertThat(GpuEnvironment.hasDeviceFile(dir)).isFalse();
    Files.createFile(dir.resolve("nvidiactl"));
    assertThat(GpuEnvironment.hasDeviceFile(dir)).isFalse();
    Files.createFile(dir.resolve("nvidia0"));
    assertThat(GpuEnvironment.hasDeviceFile(dir)).isTrue();
  }

  @Test
  void thisMachineHasNoGpu() {
    // The build machines have no GPU (see the README); on one with a GPU this documents the probe.
    Optional<String> missing = GpuEnvironment.probeThisMachine();
    org.junit.jupiter.api.Assumptions.assumeTrue(missing.isPresent(), "a GPU is visible here");
    assertThatThrownBy(() -> GpuEnvironment.check(GPU_LOCAL))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("no GPU is visible on this machine: " + missing.get());
  }
}
