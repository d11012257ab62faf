package dev.arbor.model;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

/**
 * Small files (models, checkpoints) written atomically on any Hadoop filesystem: the bytes go to a
 * hidden temporary file in the target's folder ({@code _<name>.<token>.tmp}, ignored by Spark
 * readers), which is then renamed over the target with {@link FileContext#rename} and {@link
 * Options.Rename#OVERWRITE}. On HDFS and local filesystems that rename replaces the file
 * atomically: a reader sees the complete old or the complete new content. On object stores (S3) a
 * rename is a copy and only narrows the window.
 *
 * <p>On checksummed filesystems (Hadoop's {@code LocalFileSystem}, which keeps a {@code
 * .<name>.crc} beside each file) the write and the rename go through the raw filesystem underneath,
 * so the commit is one rename of one file: a checksummed rename is two renames (data, then
 * checksum), and a process killed between them leaves new data with the old checksum, which every
 * later read rejects. A checksum left by an earlier writer is deleted before the rename (a file
 * without a checksum is read unverified; one with a stale checksum would not be readable at all).
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
      fs.mkdirs(target.getParent());
      if (fs instanceof ChecksumFileSystem checksummed) {
        writeUnchecksummed(checksummed, tmp, target, bytes);
        return;
      }
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

  /** Write and rename through the raw filesystem: no checksum file, one rename commits. */
  private static void writeUnchecksummed(
      ChecksumFileSystem checksummed, Path tmp, Path target, byte[] bytes) throws IOException {
    FileSystem raw = checksummed.getRawFileSystem();
    try (OutputStream out = raw.create(tmp, false)) {
      out.write(bytes);
    }
    Path staleChecksum = checksummed.getChecksumFile(target);
    if (raw.exists(staleChecksum) && !raw.delete(staleChecksum, false)) {
      throw new IOException("cannot delete the old checksum file " + staleChecksum);
    }
    // Raw local rename is rename(2): it replaces the target atomically.
    if (!raw.rename(tmp, target)) {
      throw new IOException("cannot rename " + tmp + " to " + target);
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
