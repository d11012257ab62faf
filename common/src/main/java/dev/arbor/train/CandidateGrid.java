package dev.arbor.train;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.arbor.ConfigException;
import dev.arbor.config.ArborConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Expands {@code train.grid} (each {@code train.*} key relative to {@code train.}, for example
 * {@code regularization.strength}, mapped to a non-empty list of values) into candidate overrides:
 * the cartesian product, keys in alphabetical order with the last key varying fastest and each
 * key's values in the order written, so the same grid always gives the same candidates in the same
 * order. At most {@code train.grid-max-candidates} candidates.
 */
final class CandidateGrid {
  static final String KEY = "train.grid";
  static final String MAX_KEY = "train.grid-max-candidates";

  private CandidateGrid() {}

  /** The grid's candidates as override maps ({@code train.<key> -> value}); empty without grid. */
  static List<Map<String, Object>> expand(ArborConfig config) {
    ConfigObject grid = config.raw().getObject(KEY);
    int max = config.intInRange(MAX_KEY, 1, 10_000);
    TreeMap<String, List<Object>> axes = new TreeMap<>();
    collect("", grid, axes);
    double total = 1;
    for (List<Object> values : axes.values()) {
      total *= values.size();
    }
    ConfigException.check(
        total <= max,
        "Invalid config value for '%s': %.0f candidates (%s) (expected at most %d, the limit set"
            + " by '%s')",
        KEY,
        total,
        sizes(axes),
        max,
        MAX_KEY);
    long size = (long) total;
    List<Map<String, Object>> out = new ArrayList<>();
    if (axes.isEmpty()) {
      return out;
    }
    List<String> keys = List.copyOf(axes.keySet());
    int[] at = new int[keys.size()];
    for (long n = 0; n < size; n++) {
      Map<String, Object> overrides = new LinkedHashMap<>();
      for (int i = 0; i < keys.size(); i++) {
        overrides.put("train." + keys.get(i), axes.get(keys.get(i)).get(at[i]));
      }
      out.add(overrides);
      for (int i = keys.size() - 1; i >= 0 && ++at[i] == axes.get(keys.get(i)).size(); i--) {
        at[i] = 0;
      }
    }
    return out;
  }

  private static void collect(String prefix, ConfigObject object, Map<String, List<Object>> out) {
    for (Map.Entry<String, ConfigValue> e : object.entrySet()) {
      String key = prefix + e.getKey();
      ConfigValue value = e.getValue();
      if (value.valueType() == ConfigValueType.OBJECT && !((ConfigObject) value).isEmpty()) {
        collect(key + ".", (ConfigObject) value, out);
        continue;
      }
      if (!(value.unwrapped() instanceof List<?> list) || list.isEmpty()) {
        throw ArborConfig.outOfRange(
            KEY + "." + key,
            value.render(ConfigRenderOptions.concise()),
            "a non-empty list of values for train." + key);
      }
      Set<String> seen = new HashSet<>();
      for (Object v : list) {
        ConfigException.check(
            seen.add(String.valueOf(v)),
            "Invalid config value for '%s.%s': %s (expected distinct values, %s is repeated)",
            KEY,
            key,
            value.render(ConfigRenderOptions.concise()),
            v);
      }
      out.put(key, new ArrayList<>(list));
    }
  }

  private static String sizes(Map<String, List<Object>> axes) {
    StringBuilder sb = new StringBuilder();
    axes.forEach(
        (k, v) -> sb.append(sb.length() == 0 ? "" : " x ").append(k).append(' ').append(v.size()));
    return sb.toString();
  }
}
