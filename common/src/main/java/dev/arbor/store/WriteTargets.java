package dev.arbor.store;

import dev.arbor.ConfigException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one check every writing command runs before it writes (and before Spark starts): a target
 * must not be, contain or lie inside a path that Arbor or the user owns and that the command must
 * not replace — {@code output.root}, the catalog warehouse, an input. Replacing a folder deletes
 * everything below it, so {@code score --output <output.root>} would otherwise delete every model
 * and the warehouse, and {@code score --output <input>} the input.
 *
 * <p>Paths are compared after normalization, without touching a remote filesystem: local paths (no
 * scheme, or {@code file:}) are made absolute, {@code .}/{@code ..} removed and symbolic links of
 * the longest existing prefix resolved; other URIs are compared by scheme, authority and normalized
 * path. A glob ({@code in/*.parquet}) protects the folder before its first wildcard.
 */
public final class WriteTargets {
  private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:.*");
  private static final Pattern GLOB = Pattern.compile("[*?\\[{]");

  private WriteTargets() {}

  /**
   * A path that a target must not overlap.
   *
   * @param what what it is, for the message, e.g. {@code output.root}
   * @param path the path as configured (null or blank: nothing protected)
   * @param insideAllowed whether a target may lie inside it (a command that writes below {@code
   *     output.root} by design); it still may not be or contain it
   */
  public record Protected(String what, String path, boolean insideAllowed) {
    /** A path no target may be, contain or lie inside. */
    public static Protected of(String what, String path) {
      return new Protected(what, path, false);
    }
  }

  /**
   * Refuses {@code target} when it is, contains or lies inside one of {@code protectedPaths}.
   *
   * @param what what the target is, for the message, e.g. {@code --output}
   * @throws ConfigException (exit 3) naming both paths, before anything is written
   */
  public static void check(String what, String target, List<Protected> protectedPaths) {
    if (target == null || target.isBlank()) {
      return;
    }
    String t = normalize(target);
    for (Protected p : protectedPaths) {
      if (p.path() == null || p.path().isBlank()) {
        continue;
      }
      String q = normalize(stripGlob(p.path()));
      String relation = null;
      if (t.equals(q)) {
        relation = "is";
      } else if (isInside(q, t)) {
        relation = "contains";
      } else if (!p.insideAllowed() && isInside(t, q)) {
        relation = "lies inside";
      }
      if (relation != null) {
        throw new ConfigException(
            "Cannot write "
                + what
                + " "
                + target
                + ": it "
                + relation
                + " "
                + p.what()
                + " "
                + p.path()
                + " (expected a path outside it; writing there would replace what Arbor or the"
                + " input keeps)");
      }
    }
  }

  /** Whether {@code child} lies strictly inside {@code parent} (both normalized). */
  static boolean isInside(String child, String parent) {
    String p = parent.endsWith("/") ? parent : parent + "/";
    return child.startsWith(p) && child.length() > p.length();
  }

  /** The folder before the first wildcard of a glob, or the path itself. */
  static String stripGlob(String path) {
    var m = GLOB.matcher(path);
    if (!m.find()) {
      return path;
    }
    String head = path.substring(0, m.start());
    int slash = head.lastIndexOf('/');
    return slash <= 0 ? (slash == 0 ? "/" : ".") : head.substring(0, slash);
  }

  /**
   * A comparable form: {@code file:/abs/path} for local paths (links of the existing prefix
   * resolved), {@code scheme://authority/path} (scheme lower-case, path normalized) otherwise; no
   * trailing slash.
   */
  static String normalize(String path) {
    String p = path.strip();
    if (SCHEME.matcher(p).matches() && !p.regionMatches(true, 0, "file:", 0, 5)) {
      URI u = URI.create(p.replace(" ", "%20")).normalize();
      String rest = u.getRawPath() == null ? "" : u.getRawPath();
      return trim(
          u.getScheme().toLowerCase(Locale.ROOT)
              + "://"
              + (u.getRawAuthority() == null ? "" : u.getRawAuthority())
              + rest);
    }
    Path local =
        p.regionMatches(true, 0, "file:", 0, 5)
            ? Paths.get(URI.create("file:" + p.substring(5).replaceFirst("^/+", "/")))
            : Paths.get(p);
    return trim("file:" + realPrefix(local.toAbsolutePath().normalize()));
  }

  /** Resolves symbolic links in the longest existing prefix of {@code p}. */
  private static String realPrefix(Path p) {
    Path existing = p;
    while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return p.toString();
    }
    try {
      Path real = existing.toRealPath();
      return real.resolve(existing.relativize(p)).toString();
    } catch (IOException e) {
      return p.toString();
    }
  }

  private static String trim(String s) {
    String out = s;
    while (out.endsWith("/") && !out.endsWith("://") && !out.equals("file:/")) {
      out = out.substring(0, out.length() - 1);
    }
    return out;
  }
}
