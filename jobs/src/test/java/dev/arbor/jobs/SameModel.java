package dev.arbor.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** Compares two {@code model.json} files as the determinism tests need: bit for bit. */
final class SameModel {
  private SameModel() {}

  /**
   * Every field of the model files is equal except the wall-clock times of the history; the
   * coefficients (a network's weights) are compared bit for bit (JSON doubles are printed
   * round-trip exact, but a -0.0 and 0.0 could compare equal as numbers, so the bits are checked
   * too).
   */
  static void assertSameModel(JsonNode actual, JsonNode expected) {
    if ("mlp".equals(expected.path("family").asText())) {
      assertThat(bits(actual, "weights")).isEqualTo(bits(expected, "weights"));
    } else {
      assertThat(bits(actual, "coefficients")).isEqualTo(bits(expected, "coefficients"));
      assertThat(bits(actual, "intercepts")).isEqualTo(bits(expected, "intercepts"));
    }
    assertThat(withoutClockTimes(actual)).isEqualTo(withoutClockTimes(expected));
  }

  private static List<Long> bits(JsonNode model, String field) {
    List<Long> out = new ArrayList<>();
    collectBits(model.path(field), out);
    assertThat(out).as(field).isNotEmpty();
    return out;
  }

  private static void collectBits(JsonNode node, List<Long> out) {
    if (node.isNumber()) {
      out.add(Double.doubleToRawLongBits(node.asDouble()));
    } else {
      node.forEach(child -> collectBits(child, out));
    }
  }

  private static JsonNode withoutClockTimes(JsonNode model) {
    JsonNode copy = model.deepCopy();
    removeField(copy, "elapsedMillis");
    return copy;
  }

  private static void removeField(JsonNode node, String field) {
    if (node instanceof ObjectNode o) {
      o.remove(field);
    }
    node.forEach(child -> removeField(child, field));
  }
}
