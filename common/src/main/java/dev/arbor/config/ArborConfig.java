package dev.arbor.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException.BadPath;
import com.typesafe.config.ConfigException.Parse;
import com.typesafe.config.ConfigException.ValidationFailed;
import com.typesafe.config.ConfigException.WrongType;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOriginFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import dev.arbor.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The resolved, validated configuration of one job: defaults from the reference {@code arbor.conf},
 * overridden by a user file, overridden by {@code --set key=value} pairs.
 *
 * <p>Every key must exist in the reference, except below an object that the reference declares
 * empty ({@code {}}): such an object is a free-form map (for example {@code spark.conf}). Values
 * must have the reference's type. Instances are immutable and thread-safe.
 */
public final class ArborConfig {
  /** Classpath location of the reference configuration (a copy of {@code conf/arbor.conf}). */
  public static final String REFERENCE_RESOURCE = "dev/arbor/config/arbor.conf";

  private static final Pattern SECRET_KEY =
      Pattern.compile("password|secret|token|credential", Pattern.CASE_INSENSITIVE);
  private static final String REDACTED = "*****";

  private final Config config;

  private ArborConfig(Config config) {
    this.config = config;
  }

  /** The reference configuration alone: every default. */
  public static ArborConfig defaults() {
    return load(null, Map.of());
  }

  /**
   * Loads and validates a configuration.
   *
   * @param file a HOCON file, or {@code null} for the defaults alone
   * @param overrides {@code key -> value} pairs from the command line; a value is parsed as HOCON
   *     (number, boolean, list, object) and taken as a plain string when it does not parse
   * @throws ConfigException naming the key, the value and what is allowed
   */
  public static ArborConfig load(Path file, Map<String, String> overrides) {
    Config reference = reference();
    Config user = ConfigFactory.empty();
    if (file != null) {
      if (!Files.isRegularFile(file)) {
        throw new ConfigException("Cannot read config file: no such file: " + file);
      }
      try {
        user =
            ConfigFactory.parseFile(
                file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
      } catch (Parse e) {
        throw new ConfigException("Invalid config file " + file + ": " + e.getMessage(), e);
      }
    }
    Config cli = ConfigFactory.empty();
    for (Map.Entry<String, String> e : new TreeMap<>(overrides).entrySet()) {
      cli = cli.withValue(checkedPath(e.getKey()), parseValue(e.getValue()));
    }
    Config merged;
    try {
      merged = cli.withFallback(user).withFallback(reference).resolve();
    } catch (com.typesafe.config.ConfigException e) {
      throw new ConfigException("Invalid configuration: " + e.getMessage(), e);
    }
    rejectUnknownKeys(merged, reference);
    try {
      merged.checkValid(reference);
    } catch (ValidationFailed e) {
      throw new ConfigException(describe(e));
    }
    checkScalarTypes(merged, reference);
    return new ArborConfig(merged);
  }

  static Config reference() {
    Config reference =
        ConfigFactory.parseResources(
            ArborConfig.class.getClassLoader(),
            REFERENCE_RESOURCE,
            ConfigParseOptions.defaults().setAllowMissing(false));
    return reference.resolve();
  }

  private static String checkedPath(String key) {
    try {
      ConfigFactory.empty().hasPathOrNull(key);
      return key;
    } catch (BadPath e) {
      throw new ConfigException("Invalid config key '" + key + "' in --set: " + e.getMessage());
    }
  }

  private static ConfigValue parseValue(String raw) {
    try {
      return ConfigFactory.parseString("v = " + raw)
          .getValue("v")
          .withOrigin(ConfigOriginFactory.newSimple("--set"));
    } catch (com.typesafe.config.ConfigException e) {
      return ConfigValueFactory.fromAnyRef(raw, "--set");
    }
  }

  private static void rejectUnknownKeys(Config merged, Config reference) {
    List<String> known = reference.entrySet().stream().map(Map.Entry::getKey).toList();
    for (Map.Entry<String, ConfigValue> e : merged.entrySet()) {
      String key = e.getKey();
      if (reference.hasPathOrNull(key) || isBelowFreeFormMap(key, reference)) {
        continue;
      }
      String origin = e.getValue().origin().description();
      String suggestion = closest(key, known);
      throw new ConfigException(
          "Unknown config key '"
              + key
              + "' ("
              + origin
              + ")"
              + (suggestion == null ? "" : "; did you mean '" + suggestion + "'?"));
    }
  }

  /** {@code checkValid} lets any string stand for a number or boolean; convert to be sure. */
  private static void checkScalarTypes(Config merged, Config reference) {
    for (Map.Entry<String, ConfigValue> e : merged.entrySet()) {
      String key = e.getKey();
      if (!reference.hasPath(key)) {
        continue;
      }
      ConfigValueType expected = reference.getValue(key).valueType();
      try {
        if (expected == ConfigValueType.BOOLEAN) {
          merged.getBoolean(key);
        } else if (expected == ConfigValueType.NUMBER) {
          merged.getDouble(key);
        }
      } catch (WrongType ex) {
        throw outOfRange(
            key,
            e.getValue().unwrapped(),
            "a "
                + expected.name().toLowerCase(Locale.ROOT)
                + " ("
                + e.getValue().origin().description()
                + ")");
      }
    }
  }

  private static boolean isBelowFreeFormMap(String key, Config reference) {
    List<String> parts = com.typesafe.config.ConfigUtil.splitPath(key);
    for (int i = parts.size() - 1; i >= 1; i--) {
      String parent = com.typesafe.config.ConfigUtil.joinPath(parts.subList(0, i));
      if (reference.hasPathOrNull(parent)) {
        ConfigValue value = reference.getValue(parent);
        return value.valueType() == ConfigValueType.OBJECT && ((ConfigObject) value).isEmpty();
      }
    }
    return false;
  }

  private static String closest(String key, List<String> known) {
    return known.stream()
        .min(Comparator.comparingInt(k -> editDistance(k, key)))
        .filter(k -> editDistance(k, key) <= Math.max(2, key.length() / 4))
        .orElse(null);
  }

  private static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  private static String describe(ValidationFailed e) {
    return e.problems().iterator().hasNext()
        ? "Invalid config value for '"
            + e.problems().iterator().next().path()
            + "': "
            + e.problems().iterator().next().problem()
        : e.getMessage();
  }

  // ---- typed getters -------------------------------------------------------------------------

  /** The underlying resolved config (read-only). */
  public Config raw() {
    return config;
  }

  /** Whether {@code key} is set to a non-null value. */
  public boolean has(String key) {
    return config.hasPath(key);
  }

  public String string(String key) {
    return typed(key, () -> config.getString(key));
  }

  /** A string that may be set to {@code null} (returns {@code null} then). */
  public String optionalString(String key) {
    return config.getIsNull(key) ? null : string(key);
  }

  public List<String> strings(String key) {
    return typed(key, () -> List.copyOf(config.getStringList(key)));
  }

  public boolean bool(String key) {
    return typed(key, () -> config.getBoolean(key));
  }

  public int integer(String key) {
    return typed(key, () -> config.getInt(key));
  }

  public long longValue(String key) {
    return typed(key, () -> config.getLong(key));
  }

  public double number(String key) {
    return typed(key, () -> config.getDouble(key));
  }

  /** An integer within {@code [min, max]}. */
  public int intInRange(String key, int min, int max) {
    int v = integer(key);
    if (v < min || v > max) {
      throw outOfRange(key, v, "an integer in [" + min + ", " + max + "]");
    }
    return v;
  }

  /** A finite number within {@code [min, max]}. */
  public double numberInRange(String key, double min, double max) {
    double v = number(key);
    if (!(v >= min && v <= max)) {
      throw outOfRange(key, v, "a number in [" + min + ", " + max + "]");
    }
    return v;
  }

  /** A finite number strictly greater than zero. */
  public double positive(String key) {
    double v = number(key);
    if (!(v > 0) || Double.isInfinite(v)) {
      throw outOfRange(key, v, "a finite number > 0");
    }
    return v;
  }

  /** One of {@code allowed} (compared case-insensitively, returned in lower case). */
  public String oneOf(String key, String... allowed) {
    String v = string(key).toLowerCase(Locale.ROOT);
    if (!Arrays.asList(allowed).contains(v)) {
      throw outOfRange(key, string(key), "one of " + String.join(", ", allowed));
    }
    return v;
  }

  /** An enum constant, matched by name ignoring case and {@code -}/{@code _}. */
  public <E extends Enum<E>> E enumValue(String key, Class<E> type) {
    String v = string(key);
    String norm = v.replace('-', '_').toUpperCase(Locale.ROOT);
    for (E e : type.getEnumConstants()) {
      if (e.name().equals(norm)) {
        return e;
      }
    }
    String allowed =
        Arrays.stream(type.getEnumConstants())
            .map(e -> e.name().toLowerCase(Locale.ROOT).replace('_', '-'))
            .collect(Collectors.joining(", "));
    throw outOfRange(key, v, "one of " + allowed);
  }

  /** The entries of a free-form map section as strings, sorted by key. */
  public Map<String, String> stringMap(String key) {
    Map<String, String> out = new TreeMap<>();
    for (Map.Entry<String, ConfigValue> e : config.getConfig(key).entrySet()) {
      String flat = String.join(".", com.typesafe.config.ConfigUtil.splitPath(e.getKey()));
      out.put(flat, String.valueOf(e.getValue().unwrapped()));
    }
    return out;
  }

  /** A new {@link ConfigException} naming the key, the offending value and what is allowed. */
  public static ConfigException outOfRange(String key, Object value, String expected) {
    return new ConfigException(
        "Invalid config value for '" + key + "': " + value + " (expected " + expected + ")");
  }

  private <T> T typed(String key, java.util.function.Supplier<T> getter) {
    try {
      return getter.get();
    } catch (WrongType e) {
      throw new ConfigException("Invalid config value for '" + key + "': " + e.getMessage(), e);
    } catch (com.typesafe.config.ConfigException.Missing e) {
      throw new ConfigException("Missing config key '" + key + "'", e);
    }
  }

  // ---- rendering ------------------------------------------------------------------------------

  /** The resolved configuration as HOCON, with secret values replaced by {@value #REDACTED}. */
  public String renderRedacted() {
    Config redacted = config;
    for (String key : secretKeys()) {
      redacted = redacted.withValue(key, ConfigValueFactory.fromAnyRef(REDACTED));
    }
    return redacted
        .root()
        .render(ConfigRenderOptions.defaults().setOriginComments(false).setJson(false));
  }

  /**
   * The resolved configuration as canonical JSON (keys sorted, secrets redacted): what a model
   * records and what a data/config fingerprint hashes.
   */
  public String canonicalJson() {
    Config redacted = config;
    for (String key : secretKeys()) {
      redacted = redacted.withValue(key, ConfigValueFactory.fromAnyRef(REDACTED));
    }
    return redacted.root().render(ConfigRenderOptions.concise().setFormatted(false).setJson(true));
  }

  private List<String> secretKeys() {
    List<String> keys = new ArrayList<>();
    for (Map.Entry<String, ConfigValue> e : config.entrySet()) {
      String last = lastSegment(e.getKey());
      if (SECRET_KEY.matcher(last).find()) {
        keys.add(e.getKey());
      }
    }
    return keys;
  }

  private static String lastSegment(String key) {
    List<String> parts = com.typesafe.config.ConfigUtil.splitPath(key);
    return parts.get(parts.size() - 1);
  }

  /** A copy with {@code key} set to {@code value} (validated like a {@code --set}). */
  public ArborConfig with(String key, Object value) {
    Config next = config.withValue(key, ConfigValueFactory.fromAnyRef(value, "override"));
    rejectUnknownKeys(next, reference());
    return new ArborConfig(next);
  }

  @Override
  public String toString() {
    return renderRedacted();
  }

  static Set<String> referenceKeys() {
    return reference().entrySet().stream().map(Map.Entry::getKey).collect(Collectors.toSet());
  }
}
