package dev.arbor.train;

import dev.arbor.config.ArborConfig;
import java.util.Arrays;
import java.util.Locale;
import org.apache.spark.sql.RuntimeConfig;
import org.apache.spark.sql.SparkSession;

/**
 * Which implementation evaluates the training objective, from {@code train.backend}: the CPU {@code
 * tree} backend (cached blocks and {@code treeAggregate}: RDD code, which the RAPIDS Accelerator
 * cannot run) or the {@code sql} backend ({@code dev.arbor.train.sql}: one DataFrame aggregation
 * per pass, GPU-eligible). {@code auto} picks {@code sql} when the session runs the RAPIDS SQL
 * plugin ({@code spark.plugins} contains {@value #RAPIDS_PLUGIN} and {@code
 * spark.rapids.sql.enabled} is not {@code false}), else {@code tree}. Both serve the same optimizer
 * interface and compute the same objective.
 */
public enum GradientBackend {
  /** Blocks of primitive arrays and {@code treeAggregate} (CPU). */
  TREE,
  /** A DataFrame aggregation per pass (GPU under RAPIDS, CPU otherwise). */
  SQL;

  /** The config key. */
  public static final String KEY = "train.backend";

  /** The RAPIDS Accelerator's Spark plugin class. */
  public static final String RAPIDS_PLUGIN = "com.nvidia.spark.SQLPlugin";

  /**
   * The backend {@code train.backend} selects for {@code spark}'s session.
   *
   * @throws dev.arbor.ConfigException when the value is not {@code tree}, {@code sql} or {@code
   *     auto}
   */
  public static GradientBackend choose(ArborConfig config, SparkSession spark) {
    String configured = config.oneOf(KEY, "tree", "sql", "auto");
    return switch (configured) {
      case "tree" -> TREE;
      case "sql" -> SQL;
      default -> rapidsSqlEnabled(spark.conf()) ? SQL : TREE;
    };
  }

  /**
   * Whether {@code conf} loads the RAPIDS SQL plugin with SQL acceleration on: {@code
   * spark.plugins} lists {@value #RAPIDS_PLUGIN} and {@code spark.rapids.sql.enabled} is not {@code
   * false}.
   */
  public static boolean rapidsSqlEnabled(RuntimeConfig conf) {
    String plugins = conf.get("spark.plugins", "");
    boolean loaded =
        Arrays.stream(plugins.split(",")).map(String::strip).anyMatch(RAPIDS_PLUGIN::equals);
    String enabled = conf.get("spark.rapids.sql.enabled", "true");
    return loaded && !"false".equals(enabled.strip().toLowerCase(Locale.ROOT));
  }

  /** The config spelling ({@code tree}, {@code sql}). */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
