package dev.arbor.model;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

/**
 * Small files (models, checkpoints) written atomically on any Hadoop filesystem: the bytes go to a
 * hidden temporary file in the target's folder ({@code _<name>.<token>.tmp}, ignored by Spark
 * readers), which is then renamed over the target with {@link FileContext#rename} and {@link
 * Options.Rename#OVERWRITE}. On HDFS that rename replaces the file atomically: a reader sees the
 * complete old or the complete new content. On the local filesystem the same holds through one
 * POSIX {@code rename(2)} ({@link java.nio.file.StandardCopyOption#ATOMIC_MOVE}), without Hadoop's
 * checksum file. On object stores (S3) a rename is a copy and only narrows the window.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /**
   * Writes {@code bytes} to {@code path} atomically, creating parent folders.
   *
   * @throws UncheckedIOException naming the path when the write fails
   */
  public static void write(String path, byte[] bytes, Configuration conf) {
    Path target = new Path(path);
    Path tmp =
        new Path(
            target.getParent(),
            "_" + target.getName() + "." + UUID.randomUUID().toString().replace("-", "") + ".tmp");
    try {
      FileSystem fs = target.getFileSystem(conf);
      if (fs instanceof LocalFileSystem local) {
        writeLocal(local.pathToFile(target).toPath(), local.pathToFile(tmp).toPath(), bytes);
        return;
      }
      fs.mkdirs(target.getParent());
      try (OutputStream out = fs.create(tmp, false)) {
        out.write(bytes);
      }
      FileContext.getFileContext(fs.getUri(), conf)
          .rename(fs.makeQualified(tmp), fs.makeQualified(target), Options.Rename.OVERWRITE);
    } catch (IOException e) {
      try {
        tmp.getFileSystem(conf).delete(tmp, false);
      } catch (IOException ignored) {
        // The temporary file is hidden from readers; a later write replaces the target anyway.
      }
      throw new UncheckedIOException("Cannot write " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * The local filesystem: Hadoop's {@code FileContext.rename(OVERWRITE)} deletes the target before
   * renaming there (a reader can find no file), and its checksum file is a second file. So the
   * bytes go to the temporary file without a checksum file, the target's stale checksum file is
   * removed (a file without one is read unchecked), and one {@code rename(2)} replaces the target.
   */
  private static void writeLocal(java.nio.file.Path target, java.nio.file.Path tmp, byte[] bytes)
      throws IOException {
    java.nio.file.Files.createDirectories(target.getParent());
    try {
      java.nio.file.Files.write(tmp, bytes);
      java.nio.file.Files.deleteIfExists(
          target.resolveSibling("." + target.getFileName() + ".crc"));
      java.nio.file.Files.move(
          tmp,
          target,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } finally {
      java.nio.file.Files.deleteIfExists(tmp);
    }
  }

  /**
   * Reads a whole (small) file, from one open stream (a file replaced meanwhile is read whole, old
   * or new).
   */
  public static byte[] read(String path, Configuration conf) {
    Path p = new Path(path);
    try {
      FileSystem fs = p.getFileSystem(conf);
      try (FSDataInputStream in = fs.open(p)) {
        return in.readAllBytes();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  /** Deletes the file {@code path} if it exists (one call: atomic on HDFS and local files). */
  public static void delete(String path, Configuration conf) {
    Path p = new Path(path);
    try {
      p.getFileSystem(conf).delete(p, false);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete " + path + ": " + e.getMessage(), e);
    }
  }

  /** Whether {@code path} exists. */
  public static boolean exists(String path, Configuration conf) {
    Path p = new Path(path);
    try {
      return p.getFileSystem(conf).exists(p);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot check " + path + ": " + e.getMessage(), e);
    }
  }
}
