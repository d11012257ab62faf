package dev.arbor.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The one local SparkSession shared by every test of a module (a session costs ~5 s to start).
 * {@code local[2]}, UI off, loopback driver, scratch files under {@code work/test-tmp}. Tests must
 * not stop it and must not change session-wide settings without restoring them.
 */
public final class SparkTestSession {
  private static SparkSession session;

  private SparkTestSession() {}

  /**
   * The shared session, started on first use.
   *
   * @throws IllegalStateException in the fast test tier ({@link FastTier}), which runs no Spark
   */
  public static synchronized SparkSession get() {
    if (FastTier.active()) {
      throw FastTier.sparkNotAllowed("a test");
    }
    if (session == null) {
      Path scratch = TestPaths.newTempDir("spark-local");
      Path warehouse = TestPaths.newTempDir("spark-warehouse");
      session =
          SparkSession.builder()
              .master("local[2]")
              .appName("arbor-tests")
              .config("spark.ui.enabled", "false")
              .config("spark.driver.host", "127.0.0.1")
              .config("spark.driver.bindAddress", "127.0.0.1")
              .config("spark.local.dir", scratch.toString())
              .config("spark.sql.warehouse.dir", warehouse.toString())
              .config("spark.sql.shuffle.partitions", "4")
              .config("spark.sql.session.timeZone", "UTC")
              .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
              .getOrCreate();
      session.sparkContext().setLogLevel("WARN");
    }
    return session;
  }

  /** Creates {@code dir} and its parents. */
  static Path mkdirs(Path dir) {
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
