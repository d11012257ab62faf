package dev.arbor.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arbor.catalog.CatalogSettings;
import dev.arbor.ingest.Task;
import dev.arbor.promote.GateMetric;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A model's test metric night after night: the gate metric ({@code promote.metric} of the run's
 * configuration; {@code auto}: AUC for binary, log-loss for multiclass, RMSE for regression) on the
 * test split of every committed run up to the report's date, with the promotion gate's decision for
 * that run. Read with SQL: only metric rows of the run id that each date's {@code runs} row names.
 *
 * @param metric the metric shown, or null when the task has none
 * @param nights oldest first, at most {@link #MAX_NIGHTS}
 */
record NightlyTrend(String metric, List<Night> nights) {
  /** Most nights shown: a year. */
  static final int MAX_NIGHTS = 366;

  /**
   * One run date; {@code decision} is {@code promoted}, {@code first}, {@code rejected} or null.
   */
  record Night(LocalDate runDate, String runId, double value, String decision) {}

  NightlyTrend {
    nights = List.copyOf(nights);
  }

  /**
   * Runs the query.
   *
   * @param config the reported run's configuration, flattened ({@link #flatten(String)})
   */
  static NightlyTrend load(
      SparkSession spark,
      CatalogSettings catalog,
      String model,
      LocalDate upTo,
      String task,
      Map<String, String> config) {
    Task t;
    try {
      t = Task.fromConfigName(task);
    } catch (IllegalArgumentException e) {
      return new NightlyTrend(null, List.of());
    }
    String configured = config.getOrDefault("promote.metric", GateMetric.AUTO);
    String metric =
        GateMetric.of(configured, t)
            .or(() -> GateMetric.of(GateMetric.AUTO, t))
            .map(GateMetric::name)
            .orElse(null);
    if (metric == null) {
      return new NightlyTrend(null, List.of());
    }
    List<Row> rows =
        spark
            .sql(
                "SELECT m.run_date, m.run_id, m.value, p.decision FROM "
                    + catalog.qualified("metrics")
                    + " m JOIN "
                    + catalog.qualified("runs")
                    + " r ON r.model = m.model AND r.run_date = m.run_date AND r.run_id = m.run_id"
                    + " LEFT JOIN "
                    + catalog.qualified("promotions")
                    + " p ON p.model = m.model AND p.run_date = m.run_date AND p.run_id = m.run_id"
                    + " WHERE m.model = '"
                    + model
                    + "' AND m.split = 'test' AND m.metric = '"
                    + metric
                    + "' AND m.class IS NULL AND r.status = 'succeeded' AND m.run_date <= DATE'"
                    + upTo
                    + "' ORDER BY m.run_date DESC LIMIT "
                    + MAX_NIGHTS)
            .collectAsList();
    List<Night> nights = new ArrayList<>();
    for (int i = rows.size() - 1; i >= 0; i--) {
      Row r = rows.get(i);
      nights.add(
          new Night(
              r.getDate(0).toLocalDate(),
              r.getString(1),
              r.getDouble(2),
              r.isNullAt(3) ? null : r.getString(3)));
    }
    return new NightlyTrend(metric, nights);
  }

  /**
   * A configuration JSON (the {@code runs.config_json} column) as dotted keys to values, sorted by
   * key: {@code {"train":{"loss":"logistic"}}} becomes {@code train.loss = logistic}; lists and
   * empty objects stay JSON. Empty for a null or unreadable value.
   */
  static Map<String, String> flatten(String json) {
    Map<String, String> out = new TreeMap<>();
    if (json == null) {
      return out;
    }
    try {
      flatten("", new ObjectMapper().readTree(json), out);
    } catch (JsonProcessingException e) {
      out.clear();
    }
    return out;
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
    if (node.isObject() && node.size() > 0) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
      }
    } else {
      out.put(prefix, node.isTextual() ? node.textValue() : node.toString());
    }
  }
}
