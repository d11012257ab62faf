package dev.arbor.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Folders tests may use: the project's own scratch space and the shared datasets. */
public final class TestPaths {
  private TestPaths() {}

  /** The project root (set by surefire; falls back to the working directory's parent). */
  public static Path projectDir() {
    String dir = System.getProperty("arbor.project.dir");
    return dir != null ? Paths.get(dir) : Paths.get("").toAbsolutePath().getParent();
  }

  /** {@code ../shared/datasets/<relative>} next to the project: read-only reference data. */
  public static Path dataset(String relative) {
    String shared = System.getProperty("arbor.shared.dir");
    Path root = shared != null ? Paths.get(shared) : projectDir().resolve("../shared");
    return root.resolve("datasets").resolve(relative).normalize();
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
