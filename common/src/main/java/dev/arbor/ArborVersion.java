package dev.arbor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version of the running Arbor build ({@code project.version} of the POM, e.g. {@code
 * 0.1.0-SNAPSHOT}), from a resource filtered at build time: the same string {@code arbor version}
 * prints, recorded in {@code runs.arbor_version} and in every model file. (The jar manifest is not
 * used: the shaded jobs jar does not carry common's.)
 */
public final class ArborVersion {
  private static final String RESOURCE = "/dev/arbor/version.properties";
  private static final String VERSION = load();

  private ArborVersion() {}

  /** The version, or {@code dev} when the resource is missing or was not filtered. */
  public static String get() {
    return VERSION;
  }

  private static String load() {
    try (InputStream in = ArborVersion.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        return "dev";
      }
      Properties p = new Properties();
      p.load(in);
      String v = p.getProperty("arbor.version", "");
      return v.isBlank() || v.startsWith("${") ? "dev" : v.strip();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + RESOURCE, e);
    }
  }
}
