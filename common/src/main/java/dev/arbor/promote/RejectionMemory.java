package dev.arbor.promote;

import dev.arbor.model.AtomicFiles;
import dev.arbor.model.Model;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/**
 * The gate's memory of a rejection: {@code REJECTED.txt} next to the rejected {@code model.json},
 * holding the fingerprint of the model's weights ({@link Model#weightsFingerprint()}) and the
 * rejection (metric and reason). A model is the same model as long as its features and weights are
 * (the run id is not enough: it changes with the {@code promote} settings, so a rejection on {@code
 * log_loss} would otherwise be undone by evaluating again under {@code auc_roc}). Written
 * atomically; removed when the model is promoted or trained again with other weights (then it no
 * longer matches).
 */
final class RejectionMemory {
  static final String FILE = "REJECTED.txt";

  private final String path;

  private RejectionMemory(String path) {
    this.path = path;
  }

  /** The memory of the model at {@code modelPath} (a {@code model.json}). */
  static RejectionMemory of(String modelPath) {
    int slash = modelPath.lastIndexOf('/');
    return new RejectionMemory((slash < 0 ? "" : modelPath.substring(0, slash + 1)) + FILE);
  }

  /** The earlier rejection of exactly this model ({@code "<metric>: <reason>"}), if any. */
  Optional<String> rejection(Model model, Configuration conf) {
    if (!AtomicFiles.exists(path, conf)) {
      return Optional.empty();
    }
    String text = new String(AtomicFiles.read(path, conf), StandardCharsets.UTF_8);
    int eol = text.indexOf('\n');
    if (eol < 0 || !text.substring(0, eol).equals(model.weightsFingerprint())) {
      return Optional.empty(); // another model was trained since
    }
    return Optional.of(text.substring(eol + 1).strip());
  }

  /** Remembers that {@code model} was rejected. */
  void remember(Model model, String metric, String reason, Configuration conf) {
    String text = model.weightsFingerprint() + "\n" + metric + ": " + reason + "\n";
    AtomicFiles.write(path, text.getBytes(StandardCharsets.UTF_8), conf);
  }

  /** Forgets a rejection (the model was promoted). */
  void forget(Configuration conf) {
    if (AtomicFiles.exists(path, conf)) {
      AtomicFiles.delete(path, conf);
    }
  }
}
