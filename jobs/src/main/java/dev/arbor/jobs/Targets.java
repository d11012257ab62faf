package dev.arbor.jobs;

import dev.arbor.catalog.CatalogSettings;
import dev.arbor.config.ArborConfig;
import dev.arbor.store.WriteTargets;
import dev.arbor.store.WriteTargets.Protected;
import java.util.ArrayList;
import java.util.List;

/**
 * The paths of a configuration that writing commands must not overwrite, and the checks every
 * {@link StageCommand} runs before Spark starts (also under {@code --dry-run}): see {@link
 * WriteTargets}.
 */
final class Targets {
  private static final String SQLITE = "jdbc:sqlite:";

  private Targets() {}

  /** {@code input.path} and {@code input.test-path} (when set). */
  static List<Protected> inputs(ArborConfig config) {
    List<Protected> out = new ArrayList<>();
    out.add(Protected.of("input.path", config.optionalString("input.path")));
    out.add(Protected.of("input.test-path", config.optionalString("input.test-path")));
    return out;
  }

  /**
   * What Arbor keeps: {@code output.root} (a target may lie inside it when {@code insideRoot}), the
   * catalog warehouse and the SQLite catalog file.
   */
  static List<Protected> state(ArborConfig config, boolean insideRoot) {
    List<Protected> out = new ArrayList<>();
    out.add(new Protected("output.root", config.string("output.root"), insideRoot));
    CatalogSettings catalog = CatalogSettings.from(config);
    if (!catalog.type().equals("rest")) {
      out.add(Protected.of("catalog.warehouse", catalog.warehouse()));
    }
    String uri = catalog.uri();
    if (uri != null && uri.startsWith(SQLITE + "/")) {
      out.add(Protected.of("catalog.uri", uri.substring(SQLITE.length())));
    }
    return out;
  }

  /**
   * The folders every stage writes below {@code output.root}, and the warehouse, must not overlap
   * an input: with {@code output.root} inside the input folder, {@code prepare} would write into
   * its own input.
   */
  static void checkConfigured(ArborConfig config) {
    String root = config.string("output.root");
    List<Protected> inputs = inputs(config);
    for (String sub : List.of("prepared", "models", "checkpoints", "reports", "locks")) {
      WriteTargets.check("output.root/" + sub, root + "/" + sub, inputs);
    }
    CatalogSettings catalog = CatalogSettings.from(config);
    if (!catalog.type().equals("rest")) {
      WriteTargets.check("catalog.warehouse", catalog.warehouse(), inputs);
    }
  }

  /** Refuses {@code target} of option {@code option} when it overlaps {@code protectedPaths}. */
  static void check(String option, String target, List<Protected> protectedPaths) {
    WriteTargets.check(option, target, protectedPaths);
  }

  /** {@code a} followed by {@code b}. */
  static List<Protected> concat(List<Protected> a, List<Protected> b) {
    List<Protected> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
