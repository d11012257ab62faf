package dev.arbor.prep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.ingest.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The JSON layout of {@code prep-model.json} (format version 1; version 2 adds {@code
 * "reference-levels"} after {@code "features"}, see below):
 *
 * <pre>{@code
 * { "format-version": 1, "task": "binary", "label-column": "income",
 *   "weight-column": null, "id-column": null, "classes": ["<=50K", ">50K"],
 *   "scale": "standardize", "train-rows": 22793,
 *   "numeric-columns": [ { "column": "age", "impute": "mean", "impute-value": 38.6,
 *                          "missing-in-train": 0, "constant": false }, ... ],
 *   "categorical-columns": ["workclass", ...],
 *   "features": [ { "name": "age", "origin": "numeric", "column": "age", "category": null,
 *                   "center": 38.6, "scale": 13.6 }, ... ] }
 * }</pre>
 *
 * Version 2, written only when a categorical column has a reference level ({@code
 * prepare.categorical.drop}), adds the levels left out of the features:
 *
 * <pre>{@code
 * "reference-levels": [ { "name": "workclass__Private", "origin": "category",
 *                         "column": "workclass", "category": "Private" } ]
 * }</pre>
 *
 * A version 1 file reads as a model without reference levels.
 *
 * <p>Doubles are written in their shortest round-trip form, so a read model equals the written one.
 */
final class PrepModelJson {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private PrepModelJson() {}

  static String write(PrepModel m) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("format-version", m.formatVersion());
    root.put("task", m.task().configName());
    root.put("label-column", m.labelColumn());
    root.put("weight-column", m.weightColumn());
    root.put("id-column", m.idColumn());
    ArrayNode classes = root.putArray("classes");
    m.classes().forEach(classes::add);
    root.put("scale", m.scale().configName());
    root.put("train-rows", m.trainRows());
    ArrayNode numeric = root.putArray("numeric-columns");
    for (NumericColumn n : m.numericColumns()) {
      ObjectNode o = numeric.addObject();
      o.put("column", n.column());
      o.put("impute", n.impute().configName());
      o.put("impute-value", n.imputeValue());
      o.put("missing-in-train", n.missingInTrain());
      o.put("constant", n.constant());
    }
    ArrayNode categorical = root.putArray("categorical-columns");
    m.categoricalColumns().forEach(categorical::add);
    ArrayNode features = root.putArray("features");
    for (Feature f : m.features()) {
      ObjectNode o = level(features.addObject(), f);
      o.put("center", f.center());
      o.put("scale", f.scale());
    }
    if (m.formatVersion() >= PrepModel.FORMAT_VERSION) {
      ArrayNode references = root.putArray("reference-levels");
      m.referenceLevels().forEach(r -> level(references.addObject(), r));
    }
    try {
      return MAPPER.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write prep model JSON: " + e.getMessage(), e);
    }
  }

  private static ObjectNode level(ObjectNode o, Feature f) {
    o.put("name", f.name());
    o.put("origin", f.origin().name().toLowerCase(Locale.ROOT));
    o.put("column", f.column());
    o.put("category", f.category());
    return o;
  }

  static PrepModel read(String json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("Invalid prep model JSON: " + e.getOriginalMessage(), e);
    }
    int version = required(root, "format-version").asInt();
    if (version != PrepModel.FORMAT_VERSION
        && version != PrepModel.FORMAT_VERSION_WITHOUT_REFERENCES) {
      throw new IllegalArgumentException(
          "Invalid prep model format-version: "
              + version
              + " (expected "
              + PrepModel.FORMAT_VERSION_WITHOUT_REFERENCES
              + " or "
              + PrepModel.FORMAT_VERSION
              + ")");
    }
    List<NumericColumn> numeric = new ArrayList<>();
    for (JsonNode n : required(root, "numeric-columns")) {
      numeric.add(
          new NumericColumn(
              text(n, "column"),
              ImputeMethod.valueOf(text(n, "impute").replace('-', '_').toUpperCase(Locale.ROOT)),
              required(n, "impute-value").asDouble(),
              required(n, "missing-in-train").asLong(),
              required(n, "constant").asBoolean()));
    }
    List<Feature> features = new ArrayList<>();
    for (JsonNode f : required(root, "features")) {
      features.add(feature(f, required(f, "center").asDouble(), required(f, "scale").asDouble()));
    }
    List<Feature> references = new ArrayList<>();
    if (version >= PrepModel.FORMAT_VERSION) {
      for (JsonNode f : required(root, "reference-levels")) {
        references.add(feature(f, 0, 1));
      }
    }
    return new PrepModel(
        version,
        Task.fromConfigName(text(root, "task")),
        text(root, "label-column"),
        text(root, "weight-column"),
        text(root, "id-column"),
        strings(required(root, "classes")),
        numeric,
        strings(required(root, "categorical-columns")),
        ScaleMethod.fromConfigName(text(root, "scale")),
        features,
        references,
        required(root, "train-rows").asLong());
  }

  /** The feature {@code f} describes ({@link #level} fields), with {@code center} and scale. */
  private static Feature feature(JsonNode f, double center, double scale) {
    return new Feature(
        text(f, "name"),
        Feature.Origin.valueOf(text(f, "origin").toUpperCase(Locale.ROOT)),
        text(f, "column"),
        text(f, "category"),
        center,
        scale);
  }

  private static JsonNode required(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null) {
      throw new IllegalArgumentException("Invalid prep model JSON: missing field '" + field + "'");
    }
    return v;
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = required(node, field);
    return v.isNull() ? null : v.asText();
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(v -> out.add(v.asText()));
    return out;
  }
}
