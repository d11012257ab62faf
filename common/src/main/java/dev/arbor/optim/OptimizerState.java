package dev.arbor.optim;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An immutable snapshot of an optimization run after a completed iteration: everything needed to
 * continue it so that it ends with exactly the weights of an uninterrupted run. Holds the weights,
 * the iteration counter, the loss, the elapsed time, the history, and the optimizer's own state as
 * named vectors (moments, velocity, L-BFGS pairs, last gradient) and named scalars (step counters,
 * line-search step), both kept in name order. Nothing random is kept: optimizers use no randomness.
 *
 * <p>Serializes to JSON ({@link #toJson()}, UTF-8 in {@link #toBytes()}); doubles are written in
 * their shortest round-tripping decimal form ({@link Double#toString(double)}) and non-finite
 * values as strings, so {@code fromJson(s.toJson()).equals(s)} bit for bit.
 */
public final class OptimizerState {
  /** Version of the JSON layout, written as {@code "format"}. */
  public static final int FORMAT = 1;

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFactory FACTORY = MAPPER.getFactory();

  private final String optimizer;
  private final int iteration;
  private final double[] weights;
  private final double loss;
  private final long elapsedMillis;
  private final List<IterationRecord> history;
  private final SortedMap<String, double[]> vectors;
  private final SortedMap<String, Double> scalars;

  private OptimizerState(Builder b) {
    this.optimizer = b.optimizer;
    this.iteration = b.iteration;
    this.weights = b.weights.clone();
    this.loss = b.loss;
    this.elapsedMillis = b.elapsedMillis;
    this.history = List.copyOf(b.history);
    TreeMap<String, double[]> v = new TreeMap<>();
    b.vectors.forEach((k, a) -> v.put(k, a.clone()));
    this.vectors = Collections.unmodifiableSortedMap(v);
    this.scalars = Collections.unmodifiableSortedMap(new TreeMap<>(b.scalars));
  }

  /**
   * Starts a snapshot.
   *
   * @param optimizer the {@code toString()} of the optimizer that takes it; checked on resume
   * @param iteration completed iterations (epochs)
   * @param weights the weights after that iteration; copied
   */
  public static Builder builder(String optimizer, int iteration, double[] weights) {
    return new Builder(optimizer, iteration, weights);
  }

  /** The {@code toString()} of the optimizer that took the snapshot. */
  public String optimizer() {
    return optimizer;
  }

  public int iteration() {
    return iteration;
  }

  public int dimension() {
    return weights.length;
  }

  /** A copy of the weights. */
  public double[] weights() {
    return weights.clone();
  }

  /** The full objective at {@link #weights()} (as in {@link IterationRecord#loss()}). */
  public double loss() {
    return loss;
  }

  public long elapsedMillis() {
    return elapsedMillis;
  }

  public List<IterationRecord> history() {
    return history;
  }

  /** Names of the optimizer's vectors, in order. */
  public List<String> vectorNames() {
    return List.copyOf(vectors.keySet());
  }

  /** Names of the optimizer's scalars, in order. */
  public List<String> scalarNames() {
    return List.copyOf(scalars.keySet());
  }

  /** Whether a vector of that name is present. */
  public boolean hasVector(String name) {
    return vectors.containsKey(name);
  }

  /**
   * A copy of a named vector.
   *
   * @throws IllegalArgumentException when absent
   */
  public double[] vector(String name) {
    double[] v = vectors.get(name);
    if (v == null) {
      throw new IllegalArgumentException(
          "Cannot read optimizer state: no vector '" + name + "' in snapshot of " + optimizer);
    }
    return v.clone();
  }

  /**
   * A named scalar.
   *
   * @throws IllegalArgumentException when absent
   */
  public double scalar(String name) {
    Double v = scalars.get(name);
    if (v == null) {
      throw new IllegalArgumentException(
          "Cannot read optimizer state: no scalar '" + name + "' in snapshot of " + optimizer);
    }
    return v;
  }

  /** The snapshot as one JSON object. */
  public String toJson() {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("format", FORMAT);
      g.writeStringField("optimizer", optimizer);
      g.writeNumberField("iteration", iteration);
      g.writeFieldName("loss");
      g.writeNumber(loss);
      g.writeNumberField("elapsedMillis", elapsedMillis);
      writeArray(g, "weights", weights);
      g.writeObjectFieldStart("vectors");
      for (Map.Entry<String, double[]> e : vectors.entrySet()) {
        writeArray(g, e.getKey(), e.getValue());
      }
      g.writeEndObject();
      g.writeObjectFieldStart("scalars");
      for (Map.Entry<String, Double> e : scalars.entrySet()) {
        g.writeFieldName(e.getKey());
        g.writeNumber(e.getValue());
      }
      g.writeEndObject();
      g.writeArrayFieldStart("history");
      for (IterationRecord r : history) {
        g.writeStartArray();
        g.writeNumber(r.iteration());
        g.writeNumber(r.loss());
        g.writeNumber(r.gradientNorm());
        g.writeNumber(r.stepSize());
        g.writeNumber(r.elapsedMillis());
        g.writeNumber(r.validationMetric());
        g.writeEndArray();
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** {@link #toJson()} as UTF-8 bytes. */
  public byte[] toBytes() {
    return toJson().getBytes(StandardCharsets.UTF_8);
  }

  /** Reads what {@link #toBytes()} wrote. */
  public static OptimizerState fromBytes(byte[] bytes) {
    return fromJson(new String(bytes, StandardCharsets.UTF_8));
  }

  /**
   * Reads what {@link #toJson()} wrote.
   *
   * @throws IllegalArgumentException when the text is not a snapshot of a known format
   */
  public static OptimizerState fromJson(String json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "Cannot read optimizer state: invalid JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("Cannot read optimizer state: not a JSON object");
    }
    int format = required(root, "format").asInt();
    if (format != FORMAT) {
      throw new IllegalArgumentException(
          "Cannot read optimizer state: unsupported format: "
              + format
              + " (expected "
              + FORMAT
              + ")");
    }
    Builder b =
        builder(
            required(root, "optimizer").asText(),
            required(root, "iteration").asInt(),
            readArray(required(root, "weights")));
    b.loss(readDouble(required(root, "loss")));
    b.elapsedMillis(required(root, "elapsedMillis").asLong());
    for (Iterator<Map.Entry<String, JsonNode>> it = required(root, "vectors").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      b.vector(e.getKey(), readArray(e.getValue()));
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = required(root, "scalars").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      b.scalar(e.getKey(), readDouble(e.getValue()));
    }
    List<IterationRecord> history = new ArrayList<>();
    for (JsonNode r : required(root, "history")) {
      history.add(
          new IterationRecord(
              r.get(0).asInt(),
              readDouble(r.get(1)),
              readDouble(r.get(2)),
              readDouble(r.get(3)),
              r.get(4).asLong(),
              readDouble(r.get(5))));
    }
    return b.history(history).build();
  }

  private static JsonNode required(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null) {
      throw new IllegalArgumentException(
          "Cannot read optimizer state: missing field '" + field + "'");
    }
    return v;
  }

  private static void writeArray(JsonGenerator g, String name, double[] values) throws IOException {
    g.writeArrayFieldStart(name);
    for (double v : values) {
      g.writeNumber(v);
    }
    g.writeEndArray();
  }

  private static double[] readArray(JsonNode node) {
    double[] out = new double[node.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = readDouble(node.get(i));
    }
    return out;
  }

  /** Numbers parse exactly (JDK algorithm); non-finite values were written as strings. */
  private static double readDouble(JsonNode node) {
    if (node.isTextual()) {
      return Double.parseDouble(node.asText());
    }
    if (!node.isNumber()) {
      throw new IllegalArgumentException("Cannot read optimizer state: not a number: " + node);
    }
    return node.doubleValue();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof OptimizerState s)) {
      return false;
    }
    if (!(optimizer.equals(s.optimizer)
        && iteration == s.iteration
        && Arrays.equals(weights, s.weights)
        && Double.compare(loss, s.loss) == 0
        && elapsedMillis == s.elapsedMillis
        && history.equals(s.history)
        && scalars.equals(s.scalars)
        && vectors.keySet().equals(s.vectors.keySet()))) {
      return false;
    }
    for (Map.Entry<String, double[]> e : vectors.entrySet()) {
      if (!Arrays.equals(e.getValue(), s.vectors.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return 31 * (31 * optimizer.hashCode() + iteration) + Arrays.hashCode(weights);
  }

  @Override
  public String toString() {
    return "OptimizerState[" + optimizer + ", iteration=" + iteration + ", loss=" + loss + "]";
  }

  /** Collects the parts of a snapshot. Not thread-safe. */
  public static final class Builder {
    private final String optimizer;
    private final int iteration;
    private final double[] weights;
    private double loss = Double.NaN;
    private long elapsedMillis;
    private List<IterationRecord> history = List.of();
    private final SortedMap<String, double[]> vectors = new TreeMap<>();
    private final SortedMap<String, Double> scalars = new TreeMap<>();

    private Builder(String optimizer, int iteration, double[] weights) {
      if (optimizer == null || iteration < 0) {
        throw new IllegalArgumentException(
            "Invalid snapshot: optimizer=" + optimizer + " iteration=" + iteration);
      }
      this.optimizer = optimizer;
      this.iteration = iteration;
      this.weights = weights.clone();
    }

    public Builder loss(double value) {
      this.loss = value;
      return this;
    }

    public Builder elapsedMillis(long value) {
      this.elapsedMillis = value;
      return this;
    }

    public Builder history(List<IterationRecord> value) {
      this.history = List.copyOf(value);
      return this;
    }

    /** Adds a named vector (copied by {@link #build()}); a name may be set once. */
    public Builder vector(String name, double[] value) {
      if (vectors.put(name, value) != null) {
        throw new IllegalStateException("Duplicate vector in optimizer state: " + name);
      }
      return this;
    }

    /** Adds a named scalar; a name may be set once. */
    public Builder scalar(String name, double value) {
      if (scalars.put(name, value) != null) {
        throw new IllegalStateException("Duplicate scalar in optimizer state: " + name);
      }
      return this;
    }

    public OptimizerState build() {
      return new OptimizerState(this);
    }
  }
}
