package dev.arbor.testing;

import dev.arbor.catalog.CatalogSettings;
import dev.arbor.config.ArborConfig;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds a test's {@link ArborConfig} from key/value overrides of the embedded defaults, so a test
 * names only the keys it is about. A key set again replaces the earlier value.
 *
 * <pre>{@code
 * TestConfig.of().catalog(catalog).set("output.root", dir).set("demo.rows", 2000).build();
 * }</pre>
 */
public final class TestConfig {
  private final Map<String, Object> values = new TreeMap<>();

  private TestConfig() {}

  /** An empty set of overrides. */
  public static TestConfig of() {
    return new TestConfig();
  }

  /** Sets {@code key} to {@code value} (a String, number, boolean or list). */
  public TestConfig set(String key, Object value) {
    values.put(key, value);
    return this;
  }

  /** Sets every entry of {@code overrides}. */
  public TestConfig setAll(Map<String, ?> overrides) {
    values.putAll(overrides);
    return this;
  }

  /** Sets {@code key1, value1, key2, value2, …}. */
  public TestConfig pairs(Object... keyValues) {
    if (keyValues.length % 2 != 0) {
      throw new IllegalArgumentException("Cannot set pairs: odd number of arguments");
    }
    for (int i = 0; i < keyValues.length; i += 2) {
      values.put((String) keyValues[i], keyValues[i + 1]);
    }
    return this;
  }

  /** Points {@code catalog.name}, {@code catalog.uri} and {@code catalog.warehouse} at it. */
  public TestConfig catalog(CatalogSettings catalog) {
    values.put("catalog.name", catalog.name());
    values.put("catalog.uri", catalog.uri());
    values.put("catalog.warehouse", catalog.warehouse());
    return this;
  }

  /** The defaults with each value set as given ({@link ArborConfig#with}). */
  public ArborConfig build() {
    ArborConfig c = ArborConfig.defaults();
    for (Map.Entry<String, Object> e : values.entrySet()) {
      c = c.with(e.getKey(), e.getValue());
    }
    return c;
  }

  /**
   * The defaults with each value given as the text of a {@code --set} on the command line (parsed
   * as HOCON: {@code "[16]"} is a list), through {@link ArborConfig#load}.
   */
  public ArborConfig parsed() {
    Map<String, String> text = new TreeMap<>();
    values.forEach((k, v) -> text.put(k, String.valueOf(v)));
    return ArborConfig.load(null, text);
  }
}
