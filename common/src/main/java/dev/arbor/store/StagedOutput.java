package dev.arbor.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An output folder written atomically and idempotently: everything is written into a staging folder
 * next to the target, then swapped into place by directory renames on the same Hadoop filesystem.
 *
 * <h2>Protocol</h2>
 *
 * For a target {@code <parent>/<name>} and a random token {@code T}:
 *
 * <ol>
 *   <li>{@link #begin}: run {@link #recover} for the target, then create {@code
 *       <parent>/_staging.<name>.T}. The caller writes every file below {@link #path()}; scratch
 *       data it needs meanwhile goes below {@link #scratch()}.
 *   <li>{@link #commit}: delete the scratch folder; if the target exists, rename it to {@code
 *       <parent>/_old.<name>.T}; rename the staging folder to the target; delete the old folder.
 *   <li>{@link #close} without commit (the writer failed): delete the staging folder. The target is
 *       untouched.
 * </ol>
 *
 * Names starting with {@code _} are hidden from Spark and Hive readers of {@code <parent>}, so a
 * staging or old folder is never read as data.
 *
 * <h2>Crash states and the recovery rule</h2>
 *
 * A crash before the first rename leaves the old target (or none) plus a stale staging folder; a
 * crash after the second rename leaves the new target plus a stale old folder. Only a crash between
 * the two renames leaves no target, with {@code _old.<name>.T} holding the previous output.
 * <b>Recovery rule</b> ({@link #recover}, run by every {@link #begin} and safe to call before
 * reading): if the target is missing and an {@code _old.<name>.*} folder exists, rename the newest
 * back to the target (roll back to the previous output: the interrupted run failed and is re-run);
 * then delete every {@code _staging.<name>.*} and {@code _old.<name>.*} folder. Either the complete
 * old or the complete new output is therefore visible, never a mix.
 *
 * <h2>Requirements and limits</h2>
 *
 * The filesystem must rename directories atomically (HDFS, local, ABFS with hierarchical
 * namespace). Object stores such as S3 rename by copying: there a rename is not atomic and this
 * protocol only narrows the window. One writer per target at a time: recovery deletes the staging
 * folders of a concurrent writer (the scheduler must not run two jobs for the same run date).
 *
 * <p>Not thread-safe; use one instance per writer.
 */
public final class StagedOutput implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StagedOutput.class);
  private static final String STAGING = "_staging.";
  private static final String OLD = "_old.";
  private static final String SCRATCH = "_scratch";

  private final FileSystem fs;
  private final Path target;
  private final Path staging;
  private final String token;
  private boolean committed;

  private StagedOutput(FileSystem fs, Path target, Path staging, String token) {
    this.fs = fs;
    this.target = target;
    this.staging = staging;
    this.token = token;
  }

  /**
   * Recovers the target (see the class comment), then creates an empty staging folder.
   *
   * @param target the folder that will hold the output, on any Hadoop filesystem
   */
  public static StagedOutput begin(String target, Configuration conf) {
    try {
      Path t = new Path(target);
      FileSystem fs = t.getFileSystem(conf);
      Path qualified = fs.makeQualified(t);
      recover(fs, qualified);
      String token = UUID.randomUUID().toString().replace("-", "");
      Path staging = sibling(qualified, STAGING, token);
      if (!fs.mkdirs(staging)) {
        throw new IOException("mkdirs returned false");
      }
      LOG.info("Staging output for {} in {}", qualified, staging);
      return new StagedOutput(fs, qualified, staging, token);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot stage output " + target + ": " + e.getMessage(), e);
    }
  }

  /** The staging folder, as a fully qualified URI string: write every output file below it. */
  public String path() {
    return staging.toString();
  }

  /** {@code <staging>/<relative>} as a qualified URI string. */
  public String path(String relative) {
    return new Path(staging, relative).toString();
  }

  /** A scratch folder inside the staging folder, deleted before the output is committed. */
  public String scratch() {
    return new Path(staging, SCRATCH).toString();
  }

  /** The target folder, fully qualified. */
  public String target() {
    return target.toString();
  }

  /** The Hadoop filesystem of the target. */
  public FileSystem fileSystem() {
    return fs;
  }

  /**
   * Swaps the staged folder into place (see the class comment). After this the output is visible
   * and the previous one is gone.
   *
   * @throws IllegalStateException when called twice
   */
  public void commit() {
    if (committed) {
      throw new IllegalStateException("Cannot commit " + target + ": already committed");
    }
    try {
      fs.delete(new Path(staging, SCRATCH), true);
      Path old = sibling(target, OLD, token);
      boolean replacing = fs.exists(target);
      if (replacing) {
        rename(target, old);
      }
      rename(staging, target);
      committed = true;
      if (replacing) {
        fs.delete(old, true);
      }
      LOG.info("Committed output {}{}", target, replacing ? " (replaced the previous one)" : "");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot commit output " + target + ": " + e.getMessage(), e);
    }
  }

  /** Deletes the staging folder unless the output was committed. Never throws. */
  @Override
  public void close() {
    if (committed) {
      return;
    }
    try {
      if (fs.delete(staging, true)) {
        LOG.warn("Discarded uncommitted output {} for {}", staging, target);
      }
    } catch (IOException e) {
      LOG.warn("Cannot delete staging folder {}; the next run for {} will", staging, target, e);
    }
  }

  /**
   * Applies the recovery rule of the class comment to {@code target}: restores the previous output
   * if a crash left none, and deletes stale staging and old folders.
   */
  public static void recover(FileSystem fs, Path target) throws IOException {
    Path parent = target.getParent();
    if (parent == null || !fs.exists(parent)) {
      return;
    }
    String name = target.getName();
    List<FileStatus> olds = new ArrayList<>();
    List<FileStatus> stagings = new ArrayList<>();
    for (FileStatus s : fs.listStatus(parent)) {
      String n = s.getPath().getName();
      if (n.startsWith(OLD + name + ".")) {
        olds.add(s);
      } else if (n.startsWith(STAGING + name + ".")) {
        stagings.add(s);
      }
    }
    if (!fs.exists(target) && !olds.isEmpty()) {
      FileStatus newest = olds.get(0);
      for (FileStatus s : olds) {
        if (s.getModificationTime() > newest.getModificationTime()) {
          newest = s;
        }
      }
      LOG.warn("Recovering {}: restoring the previous output from {}", target, newest.getPath());
      rename(fs, newest.getPath(), target);
      olds.remove(newest);
    }
    for (FileStatus s : olds) {
      LOG.warn("Recovering {}: deleting stale {}", target, s.getPath());
      fs.delete(s.getPath(), true);
    }
    for (FileStatus s : stagings) {
      LOG.warn("Recovering {}: deleting stale {}", target, s.getPath());
      fs.delete(s.getPath(), true);
    }
  }

  private void rename(Path from, Path to) throws IOException {
    rename(fs, from, to);
  }

  private static void rename(FileSystem fs, Path from, Path to) throws IOException {
    if (!fs.rename(from, to)) {
      throw new IOException("rename " + from + " -> " + to + " returned false");
    }
  }

  private static Path sibling(Path target, String prefix, String token) {
    return new Path(target.getParent(), prefix + target.getName() + "." + token);
  }
}
