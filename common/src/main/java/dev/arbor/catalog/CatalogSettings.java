package dev.arbor.catalog;

import dev.arbor.ConfigException;
import dev.arbor.config.ArborConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.iceberg.jdbc.JdbcClientPool;
import org.apache.iceberg.jdbc.UncheckedSQLException;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the evaluation tables live: an Iceberg catalog configured purely through Spark conf
 * (section {@code catalog} of {@code conf/arbor.conf}). Immutable; paths already absolute.
 *
 * <p>Call order for a job: {@link #from(ArborConfig)}, then put {@link #sparkConf()} into the
 * session builder, then {@link #prepareLocalStorage()} and {@link #initializeJdbcTables} before the
 * first query. Tests that share a running session use {@link #applyTo(SparkSession)} instead of the
 * builder (catalog keys can be set at runtime; a catalog is created on first use, so each
 * configuration needs its own name).
 *
 * @param name Spark catalog name ({@code [A-Za-z0-9_]+})
 * @param type {@code jdbc}, {@code rest}, {@code hive} or {@code hadoop}
 * @param uri the catalog URI (local SQLite paths absolute), or {@code null} when not used
 * @param warehouse the warehouse location (local paths as absolute {@code file:} URIs), or {@code
 *     null} when not set
 * @param namespace namespace of the tables ({@code [A-Za-z0-9_]+})
 * @param properties extra catalog properties, overriding Arbor's own
 */
public record CatalogSettings(
    String name,
    String type,
    String uri,
    String warehouse,
    String namespace,
    Map<String, String> properties) {
  private static final Logger LOG = LoggerFactory.getLogger(CatalogSettings.class);

  /** The catalog plugin every type goes through. */
  public static final String SPARK_CATALOG = "org.apache.iceberg.spark.SparkCatalog";

  /** Iceberg's SQL extensions (not needed by Arbor itself; useful for users' MERGE/CALL). */
  public static final String EXTENSIONS =
      "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions";

  private static final String SQLITE = "jdbc:sqlite:";

  /** How often {@link #initializeJdbcTables} tries. */
  static final int JDBC_INIT_ATTEMPTS = 5;

  private static final Pattern URI_SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:.*");

  public CatalogSettings {
    Names.check("catalog name", name);
    Names.check("catalog namespace", namespace);
    checkType(type);
    properties = Map.copyOf(properties);
  }

  /** Reads section {@code catalog}; relative local paths resolve against the working directory. */
  public static CatalogSettings from(ArborConfig config) {
    return from(config, Paths.get("").toAbsolutePath());
  }

  /** Reads section {@code catalog}; relative local paths resolve against {@code baseDir}. */
  public static CatalogSettings from(ArborConfig config, Path baseDir) {
    String name = config.string("catalog.name");
    if (!name.matches("[A-Za-z0-9_]+")) {
      throw ArborConfig.outOfRange("catalog.name", name, "letters, digits and underscores only");
    }
    String namespace = config.string("catalog.namespace");
    if (!namespace.matches("[A-Za-z0-9_]+")) {
      throw ArborConfig.outOfRange(
          "catalog.namespace", namespace, "letters, digits and underscores only");
    }
    String type = config.oneOf("catalog.type", "jdbc", "rest", "hive", "hadoop");
    String uri = blankToNull(config.optionalString("catalog.uri"));
    String warehouse = blankToNull(config.optionalString("catalog.warehouse"));
    if (type.equals("hadoop")) {
      uri = null;
    } else if (uri == null) {
      throw ArborConfig.outOfRange("catalog.uri", "null", "a catalog URI for type " + type);
    }
    if ((type.equals("jdbc") || type.equals("hadoop")) && warehouse == null) {
      throw ArborConfig.outOfRange(
          "catalog.warehouse", "null", "a warehouse location for type " + type);
    }
    return new CatalogSettings(
        name,
        type,
        absoluteUri(uri, baseDir),
        // A REST catalog's warehouse is a name the server resolves, not a location.
        type.equals("rest") ? warehouse : absoluteLocation(warehouse, baseDir),
        namespace,
        config.stringMap("catalog.properties"));
  }

  /** The embedded default under {@code root}: JDBC catalog on {@code root/catalog.db}. */
  public static CatalogSettings localJdbc(String name, String namespace, Path root) {
    Path abs = root.toAbsolutePath().normalize();
    return new CatalogSettings(
        name,
        "jdbc",
        SQLITE + abs.resolve("catalog.db"),
        abs.toUri().toString(),
        namespace,
        Map.of());
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  /** {@code jdbc:sqlite:<relative path>} becomes absolute; every other URI is kept. */
  static String absoluteUri(String uri, Path baseDir) {
    if (uri == null || !uri.toLowerCase(Locale.ROOT).startsWith(SQLITE)) {
      return uri;
    }
    String path = uri.substring(SQLITE.length());
    if (path.isEmpty() || path.startsWith(":") || path.startsWith("file:")) {
      return uri; // in-memory database or URI form: leave to SQLite
    }
    return SQLITE + baseDir.resolve(path).toAbsolutePath().normalize();
  }

  /** A path without a URI scheme becomes an absolute {@code file:} URI; URIs are kept. */
  static String absoluteLocation(String location, Path baseDir) {
    if (location == null || URI_SCHEME.matcher(location).matches()) {
      return location;
    }
    return baseDir.resolve(location).toAbsolutePath().normalize().toUri().toString();
  }

  /** {@code spark.sql.catalog.<name>} */
  public String prefix() {
    return "spark.sql.catalog." + name;
  }

  /** The catalog's entries ({@code spark.sql.catalog.<name>} and below), settable at runtime. */
  public Map<String, String> catalogConf() {
    Map<String, String> conf = new LinkedHashMap<>();
    conf.put(prefix(), SPARK_CATALOG);
    icebergProperties().forEach((k, v) -> conf.put(prefix() + "." + k, v));
    return conf;
  }

  /**
   * The properties Iceberg's catalog receives (the entries below {@code spark.sql.catalog.<name>}).
   */
  private Map<String, String> icebergProperties() {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("type", type);
    if (uri != null) {
      props.put("uri", uri);
    }
    if (warehouse != null) {
      props.put("warehouse", warehouse);
    }
    if (type.equals("jdbc")) {
      props.put("jdbc.schema-version", "V1");
    }
    // Every query sees the latest commit, also one made by another process.
    props.put("cache-enabled", "false");
    props.putAll(properties);
    return props;
  }

  /**
   * Every Spark conf entry for a new session: {@link #catalogConf()} plus {@code
   * spark.sql.extensions} (Iceberg's SQL extensions, a static setting).
   */
  public Map<String, String> sparkConf() {
    Map<String, String> conf = new LinkedHashMap<>(catalogConf());
    conf.put("spark.sql.extensions", EXTENSIONS);
    return conf;
  }

  /** Sets {@link #catalogConf()} on a running session (the extensions cannot be added then). */
  public void applyTo(SparkSession spark) {
    catalogConf().forEach((k, v) -> spark.conf().set(k, v));
  }

  /**
   * Creates the local folders the embedded default needs (SQLite creates its file, not its folder).
   * Does nothing for remote locations.
   */
  public void prepareLocalStorage() {
    try {
      if (uri != null && uri.startsWith(SQLITE + "/")) {
        Path db = Paths.get(uri.substring(SQLITE.length()));
        Files.createDirectories(db.getParent());
      }
      if (warehouse != null && warehouse.startsWith("file:")) {
        Files.createDirectories(Paths.get(java.net.URI.create(warehouse)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot create the local catalog folders: " + e.getMessage(), e);
    }
    LOG.info(
        "Iceberg catalog '{}': type {}, uri {}, warehouse {}",
        name,
        type,
        uri != null && uri.toLowerCase(Locale.ROOT).contains("password") ? "(redacted)" : uri,
        warehouse);
  }

  /**
   * Gives a JDBC catalog's own database tables the layout Spark's catalog expects, before Spark
   * first uses the catalog; does nothing for other types.
   *
   * <p>Iceberg's {@code JdbcCatalog} checks whether its table has the {@code iceberg_type} column
   * and, when not, adds it. Two processes opening a fresh catalog at once (an Airflow DAG starting
   * several models) can both see it missing; the one that adds it second fails with "duplicate
   * column name". Here the loser tries again and then finds the column, so Spark's own
   * initialization has nothing left to add.
   *
   * @throws ConfigException when no JDBC driver accepts the URI (a retry cannot help)
   * @throws org.apache.iceberg.jdbc.UncheckedSQLException when the database still refuses after
   *     {@value #JDBC_INIT_ATTEMPTS} attempts
   */
  public void initializeJdbcTables(Configuration hadoopConf) {
    if (!type.equals("jdbc")) {
      return;
    }
    Map<String, String> props = icebergProperties();
    for (int attempt = 1; ; attempt++) {
      JdbcClientPool pool = new JdbcClientPool(uri, props);
      try {
        JdbcCatalog jdbc = new JdbcCatalog(null, p -> pool, true);
        jdbc.setConf(hadoopConf);
        jdbc.initialize(name, props);
        return;
      } catch (UncheckedSQLException e) {
        if (noDriver(e)) {
          throw new ConfigException(
              "Invalid catalog.uri: "
                  + uri
                  + " (no JDBC driver on the classpath accepts it; expected jdbc:sqlite:<file>, or"
                  + " the database's JDBC driver jar added with --jars)",
              e);
        }
        if (attempt == JDBC_INIT_ATTEMPTS) {
          throw e;
        }
        LOG.info(
            "JDBC catalog '{}' not ready (attempt {} of {}): {}; trying again",
            name,
            attempt,
            JDBC_INIT_ATTEMPTS,
            e.getMessage());
        sleep(100L * attempt);
      } finally {
        pool.close();
      }
    }
  }

  /** Whether {@code e} comes from {@code DriverManager} finding no driver for the URI. */
  private static boolean noDriver(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof java.sql.SQLException
          && c.getMessage() != null
          && c.getMessage().startsWith("No suitable driver")) {
        return true;
      }
    }
    return false;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while opening the JDBC catalog", e);
    }
  }

  /** {@code <name>.<namespace>.<table>} */
  public String qualified(String table) {
    return name + "." + namespace + "." + Names.check("table name", table);
  }

  /** Rejects a mistyped type early (the record is also built by hand in tests). */
  static String checkType(String type) {
    return switch (type) {
      case "jdbc", "rest", "hive", "hadoop" -> type;
      default ->
          throw new ConfigException(
              "Invalid catalog type: " + type + " (expected jdbc, rest, hive or hadoop)");
    };
  }
}
