package dev.arbor.session;

import dev.arbor.ConfigException;
import dev.arbor.catalog.CatalogSettings;
import dev.arbor.config.ArborConfig;
import dev.arbor.gpu.GpuEnvironment;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates (or reuses) the SparkSession of a job.
 *
 * <p>Precedence of Spark settings: what {@code spark-submit} was given ({@code --conf}, {@code
 * --master}, the properties file) wins over the free-form {@code spark.conf} map of the Arbor
 * config, which wins over the Iceberg catalog settings derived from the {@code catalog} section
 * ({@link CatalogSettings#sparkConf()}: every stage can read and write the evaluation tables),
 * which win over Spark's own defaults. Without {@code spark-submit} (plain {@code java}, tests) and
 * without a master, the session runs on {@code local[*]}. When a session already exists (the shared
 * test session), it is reused: Spark then applies only runtime SQL settings.
 */
public final class Sessions {
  /** The config section holding extra Spark settings (a free-form map). */
  public static final String SPARK_CONF_KEY = "spark.conf";

  private static final Logger LOG = LoggerFactory.getLogger(Sessions.class);

  private Sessions() {}

  /**
   * The job's session, created on first call.
   *
   * @param appName the Spark application name, e.g. {@code arbor-prepare-demo-2026-01-01}
   * @param config the resolved configuration; its catalog settings and its {@code spark.conf} map
   *     are applied for keys that spark-submit did not set
   * @throws ConfigException when the {@code catalog} section is invalid, or Spark refuses a setting
   *     (a value of the wrong type: {@code spark.sql.codegen.maxFields=abc})
   */
  public static SparkSession getOrCreate(String appName, ArborConfig config) {
    // new SparkConf() reads the spark.* system properties that spark-submit sets for the driver.
    SparkConf launched = new SparkConf();
    Map<String, String> extra =
        settingsToApply(
            fromConfig(CatalogSettings.from(config), config.stringMap(SPARK_CONF_KEY)),
            launched::contains);
    checkGpuEnvironment(launched, extra);
    SparkSession.Builder builder = SparkSession.builder().appName(appName);
    if (!launched.contains("spark.master") && !extra.containsKey("spark.master")) {
      builder.master("local[*]");
    }
    extra.forEach(builder::config);
    // Keys only: values may hold credentials.
    LOG.info(
        "Starting Spark session {} with settings from the Arbor config: {}",
        appName,
        extra.keySet());
    try {
      SparkSession session = builder.getOrCreate();
      // Spark builds the session state (and checks the SQL settings) lazily, at first use; forced
      // here, an invalid value fails as a configuration error before any stage starts.
      session.sessionState();
      return session;
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          "Cannot start Spark: invalid setting: "
              + String.valueOf(deepest(e).getMessage()).strip().lines().findFirst().orElse("")
              + " (check --conf, the Spark properties file and the config's spark.conf)",
          e);
    }
  }

  /** The innermost {@link IllegalArgumentException} of {@code e}'s causes: Spark's own message. */
  private static IllegalArgumentException deepest(IllegalArgumentException e) {
    IllegalArgumentException out = e;
    for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      if (c instanceof IllegalArgumentException i && i.getMessage() != null) {
        out = i;
      }
    }
    return out;
  }

  /**
   * Refuses GPU mode where no GPU is visible, before the session (and the RAPIDS plugin) starts:
   * see {@link GpuEnvironment}.
   */
  private static void checkGpuEnvironment(SparkConf launched, Map<String, String> extra) {
    Map<String, String> effective = new TreeMap<>(extra);
    for (scala.Tuple2<String, String> kv : launched.getAll()) {
      effective.put(kv._1(), kv._2());
    }
    GpuEnvironment.check(effective);
  }

  /**
   * The Spark settings an Arbor config asks for: the catalog's entries, overridden by the free-form
   * {@code spark.conf} map.
   */
  static Map<String, String> fromConfig(CatalogSettings catalog, Map<String, String> sparkConf) {
    Map<String, String> out = new TreeMap<>(catalog.sparkConf());
    out.putAll(sparkConf);
    return out;
  }

  /**
   * The entries of {@code fromConfig} whose key is not already set, sorted by key.
   *
   * @param fromConfig the {@code spark.conf} map of the Arbor config
   * @param alreadySet whether spark-submit (or the JVM's system properties) already set a key
   */
  static Map<String, String> settingsToApply(
      Map<String, String> fromConfig, Predicate<String> alreadySet) {
    Map<String, String> out = new TreeMap<>();
    fromConfig.forEach(
        (key, value) -> {
          if (alreadySet.test(key)) {
            LOG.info("Spark setting {} given to spark-submit wins over the Arbor config", key);
          } else {
            out.put(key, value);
          }
        });
    return out;
  }
}
