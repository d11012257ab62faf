package dev.arbor.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Assumptions;

/** Folders tests may use: the project's own scratch space and the shared datasets. */
public final class TestPaths {
  private TestPaths() {}

  /** The project root (set by surefire; falls back to the working directory's parent). */
  public static Path projectDir() {
    String dir = System.getProperty("arbor.project.dir");
    return dir != null ? Paths.get(dir) : Paths.get("").toAbsolutePath().getParent();
  }

  /**
   * {@code ../shared/datasets/<relative>} next to the project: read-only reference data. The one
   * lookup of every test that reads the shared datasets (directly or through {@link Adult}, {@link
   * LibSvm}, {@link NistStrd}, {@link Prostate}); such a test is annotated {@link SharedDatasets},
   * which skips it before its set-up when the folder is absent. Without the annotation the test is
   * skipped here (JUnit assumption), unless the environment variable {@code CI} is {@code true}:
   * then it fails, so that CI never skips it silently. When the folder exists, a missing file
   * inside it is a broken checkout and always fails.
   *
   * @param relative the path inside the datasets folder, e.g. {@code libsvm/a9a}
   * @return the absolute path, which exists
   */
  public static Path dataset(String relative) {
    Path root = requireDatasets();
    Path file = root.resolve(relative).normalize();
    if (!Files.exists(file)) {
      throw new AssertionError(
          "Cannot read shared dataset " + relative + ": no such file in " + root + ": " + file);
    }
    return file;
  }

  /**
   * The shared datasets folder, when it exists; otherwise skips the calling test with one line
   * naming the folder, or fails it when {@code CI=true}.
   */
  private static Path requireDatasets() {
    Path root = datasetsDir();
    if (!Files.isDirectory(root)) {
      String message = missingDatasetsMessage(root);
      if (onCi()) {
        throw new AssertionError(message + "; CI=true, so the test fails instead of skipping");
      }
      Assumptions.abort(message);
    }
    return root;
  }

  /** Whether the environment variable {@code CI} is {@code true} (set by CI, and by .ci/run). */
  static boolean onCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  static String missingDatasetsMessage(Path root) {
    return "shared datasets folder missing: "
        + root
        + " (expected ../shared/datasets next to the project, or -Darbor.shared.dir)";
  }

  /** The shared datasets folder: {@code <arbor.shared.dir or ../shared>/datasets}. */
  public static Path datasetsDir() {
    String shared = System.getProperty("arbor.shared.dir");
    Path root = shared != null ? Paths.get(shared) : projectDir().resolve("../shared");
    return root.resolve("datasets").toAbsolutePath().normalize();
  }

  /** A new empty folder under {@code work/test-tmp}, unique per call. */
  public static Path newTempDir(String prefix) {
    Path base = SparkTestSession.mkdirs(projectDir().resolve("work/test-tmp"));
    try {
      return Files.createTempDirectory(base, prefix + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
