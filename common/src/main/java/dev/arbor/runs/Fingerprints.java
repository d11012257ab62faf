package dev.arbor.runs;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import dev.arbor.config.ArborConfig;
import dev.arbor.model.DataFingerprint;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * Cheap fingerprints for the stage ledger: of files (their paths, sizes and modification times, not
 * their content: an atomic re-commit of an output, or a rewritten input file, changes them), of
 * config sections, and of other fingerprints. Each is {@code sha256:<hex>}.
 */
public final class Fingerprints {
  private Fingerprints() {}

  /**
   * The fingerprint of every data file under {@code path} (a file, a folder read recursively, or a
   * glob; names starting with {@code _} or {@code .} are skipped), or empty when nothing matches.
   */
  public static Optional<String> ofFiles(String path, Configuration conf) {
    Path p = new Path(path);
    try {
      FileSystem fs = p.getFileSystem(conf);
      FileStatus[] matches = fs.globStatus(p);
      if (matches == null || matches.length == 0) {
        return Optional.empty();
      }
      List<String> lines = new ArrayList<>();
      for (FileStatus m : matches) {
        if (m.isFile()) {
          lines.add(line(m));
          continue;
        }
        RemoteIterator<LocatedFileStatus> files = fs.listFiles(m.getPath(), true);
        while (files.hasNext()) {
          LocatedFileStatus f = files.next();
          if (!hidden(m.getPath(), f.getPath())) {
            lines.add(line(f));
          }
        }
      }
      lines.sort(null);
      return Optional.of(sha256(String.join("\n", lines)));
    } catch (FileNotFoundException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + path + ": " + e.getMessage(), e);
    }
  }

  /** Hash of the given config paths (missing ones as null), canonical JSON, minus ignored keys. */
  public static String ofConfig(ArborConfig config, List<String> paths, List<String> ignored) {
    Config raw = config.raw();
    Config kept = ConfigFactory.empty();
    for (String path : paths) {
      if (raw.hasPath(path)) {
        kept = kept.withValue(path, raw.getValue(path));
      }
    }
    for (String key : ignored) {
      kept = kept.withoutPath(key);
    }
    return sha256(kept.root().render(ConfigRenderOptions.concise().setJson(true)));
  }

  /** A fingerprint of several parts, in order (null parts count as empty). */
  public static String combine(String... parts) {
    List<String> text = new ArrayList<>();
    for (String part : parts) {
      text.add(part == null ? "" : part);
    }
    return sha256(String.join("\n", text));
  }

  private static String line(FileStatus f) {
    return f.getPath().toUri().getPath() + "\t" + f.getLen() + "\t" + f.getModificationTime();
  }

  private static boolean hidden(Path root, Path file) {
    for (Path p = file; p != null && !p.equals(root); p = p.getParent()) {
      String name = p.getName();
      if (name.startsWith("_") || name.startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  static String sha256(String text) {
    return DataFingerprint.sha256(text);
  }
}
