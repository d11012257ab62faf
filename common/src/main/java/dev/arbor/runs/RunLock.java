package dev.arbor.runs;

import dev.arbor.ArborException;
import dev.arbor.ExitCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One writer per (model, run date): a lock file {@code
 * <output.root>/locks/<model>/run_date=<D>.lock} created with create-if-absent semantics before any
 * stage of that target runs, deleted when the stages end (also on failure). A second writer finds
 * the file and stops at once with exit {@link ExitCode#BUSY} and one line naming the holder (host,
 * process id, command, start time), without touching the winner's outputs.
 *
 * <p>Atomicity: the file is written under a unique temporary name, then published by a hard link
 * (local filesystem) or a rename that fails when the target exists (HDFS); either fails for all but
 * one writer. Object stores without atomic create-if-absent (S3) only narrow the window.
 *
 * <p>Stale locks: a lock whose holder ran on this host under a process id that is no longer alive
 * (a killed job) is taken over automatically, with a WARN. A lock held from another host cannot be
 * checked; {@code run.break-lock = true} ({@code --break-lock}) takes it over: use it only when
 * that process is known to be dead.
 */
public final class RunLock implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunLock.class);

  private final FileSystem fs;
  private final Path path;
  private final String token;
  private boolean released;

  private RunLock(FileSystem fs, Path path, String token) {
    this.fs = fs;
    this.path = path;
    this.token = token;
  }

  /** {@code <output.root>/locks/<model>/run_date=<D>.lock} */
  public static String path(String outputRoot, String model, LocalDate runDate) {
    return outputRoot + "/locks/" + model + "/run_date=" + runDate + ".lock";
  }

  /**
   * Takes the lock of (model, run date).
   *
   * @param command what runs, for the holder's description (e.g. {@code pipeline})
   * @param breakLock take over a lock held by another live or unknown process
   * @throws ArborException with {@link ExitCode#BUSY} when another writer holds it
   */
  public static RunLock acquire(
      String outputRoot,
      String model,
      LocalDate runDate,
      String command,
      boolean breakLock,
      Configuration conf) {
    Path p = new Path(path(outputRoot, model, runDate));
    try {
      FileSystem fs = p.getFileSystem(conf);
      String token = UUID.randomUUID().toString();
      Map<String, String> me = new LinkedHashMap<>();
      me.put("token", token);
      me.put("host", host());
      me.put("pid", Long.toString(ProcessHandle.current().pid()));
      me.put("command", command);
      me.put("started_at", Instant.now().toString());
      for (int attempt = 0; attempt < 3; attempt++) {
        if (publish(fs, p, me)) {
          LOG.info("Took the lock {} ({})", p, command);
          return new RunLock(fs, p, token);
        }
        Optional<Map<String, String>> holder = read(fs, p);
        if (holder.isEmpty()) {
          continue; // released meanwhile
        }
        Map<String, String> h = holder.get();
        boolean dead =
            h.get("host") != null && h.get("host").equals(host()) && !alive(h.get("pid"));
        if (!dead && !breakLock) {
          throw new ArborException(
              ExitCode.BUSY,
              "Cannot run "
                  + command
                  + " for model "
                  + model
                  + ", run date "
                  + runDate
                  + ": another writer holds the lock "
                  + p
                  + " ("
                  + h.getOrDefault("command", "?")
                  + " on host "
                  + h.getOrDefault("host", "?")
                  + ", pid "
                  + h.getOrDefault("pid", "?")
                  + ", since "
                  + h.getOrDefault("started_at", "?")
                  + "; retry when it has finished, or pass --break-lock if that process is dead)");
        }
        LOG.warn(
            "Taking over the lock {} of {} (host {}, pid {}, since {}): {}",
            p,
            h.get("command"),
            h.get("host"),
            h.get("pid"),
            h.get("started_at"),
            dead ? "that process is no longer alive" : "--break-lock");
        deleteIfToken(fs, p, h.get("token"));
      }
      throw new ArborException(
          ExitCode.BUSY, "Cannot take the lock " + p + ": it changed hands repeatedly; retry");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot take the lock " + p + ": " + e.getMessage(), e);
    }
  }

  /** Deletes the lock if it is still this holder's. Idempotent. */
  @Override
  public void close() {
    if (released) {
      return;
    }
    released = true;
    try {
      deleteIfToken(fs, path, token);
    } catch (IOException e) {
      LOG.warn("Cannot release the lock {}: {}", path, e.getMessage());
    }
  }

  /** Writes a unique temporary file, then links/renames it to {@code p} unless {@code p} exists. */
  private static boolean publish(FileSystem fs, Path p, Map<String, String> content)
      throws IOException {
    fs.mkdirs(p.getParent());
    Path tmp = new Path(p.getParent(), "_" + p.getName() + "." + content.get("token"));
    try (FSDataOutputStream out = fs.create(tmp, false)) {
      out.write(render(content).getBytes(StandardCharsets.UTF_8));
    }
    try {
      URI uri = fs.makeQualified(p).toUri();
      if ("file".equals(uri.getScheme())) {
        java.nio.file.Path target = Paths.get(uri);
        java.nio.file.Path source = Paths.get(fs.makeQualified(tmp).toUri());
        try {
          Files.createLink(target, source); // fails if the target exists: atomic
          return true;
        } catch (FileAlreadyExistsException e) {
          return false;
        }
      }
      return fs.rename(tmp, p); // HDFS: false when the target exists
    } finally {
      fs.delete(tmp, false);
    }
  }

  private static Optional<Map<String, String>> read(FileSystem fs, Path p) throws IOException {
    byte[] bytes;
    try (FSDataInputStream in = fs.open(p)) {
      bytes = in.readAllBytes();
    } catch (java.io.FileNotFoundException | NoSuchFileException e) {
      return Optional.empty();
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        out.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return Optional.of(out);
  }

  private static void deleteIfToken(FileSystem fs, Path p, String token) throws IOException {
    Optional<Map<String, String>> now = read(fs, p);
    if (now.isPresent() && String.valueOf(token).equals(now.get().get("token"))) {
      fs.delete(p, false);
    }
  }

  private static String render(Map<String, String> content) {
    StringBuilder sb = new StringBuilder();
    content.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
    return sb.toString();
  }

  private static boolean alive(String pid) {
    try {
      return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
    } catch (NumberFormatException e) {
      return true; // unknown holder: not provably dead
    }
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
