package dev.arbor.train;

import dev.arbor.ConfigException;
import dev.arbor.loss.WeightLayout;
import dev.arbor.model.LinearModel;
import dev.arbor.model.Model;
import dev.arbor.model.ModelStore;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The linear family's initial weights ({@code train.warm-start}): zeros, or an earlier linear
 * model's weights moved into today's prepared space. With {@code previous}, a model that does not
 * fit (other features, loss, outputs or family) is skipped with a warning; with an explicit path it
 * is a config error. Stateless apart from its inputs; not thread-safe only as far as the Hadoop
 * configuration is not.
 */
final class WarmStart {
  private static final Logger LOG = LoggerFactory.getLogger(WarmStart.class);

  private final TrainingSpec spec;
  private final TrainInputs in;
  private final Configuration hadoop;

  WarmStart(TrainingSpec spec, TrainInputs in, Configuration hadoop) {
    this.spec = spec;
    this.in = in;
    this.hadoop = hadoop;
  }

  /** The weights candidate {@code c} starts from, in {@code layout}. */
  double[] initialWeights(Candidate c, WeightLayout layout) {
    double[] zeros = new double[layout.dimension()];
    String mode = spec.settings().warmStart();
    if (mode.equalsIgnoreCase("none")) {
      return zeros;
    }
    Optional<String> path =
        spec.settings().warmStartModel(spec.outputRoot(), spec.modelName(), spec.runDate(), hadoop);
    if (path.isEmpty()) {
      LOG.info(
          "Warm start: no model of {} before {}; starting from zeros",
          spec.modelName(),
          spec.runDate());
      return zeros;
    }
    Model read;
    try {
      read = ModelStore.read(path.get(), hadoop);
    } catch (UncheckedIOException | IllegalArgumentException e) {
      throw new ConfigException(
          "Invalid config value for 'train.warm-start': "
              + mode
              + " (cannot read "
              + path.get()
              + ": "
              + e.getMessage()
              + ")",
          e);
    }
    String mismatch = null;
    LinearModel previous = read instanceof LinearModel m ? m : null;
    if (previous == null) {
      mismatch = "it is a " + read.family() + " model";
    } else if (!previous.features().equals(in.features())) {
      mismatch = "its features differ";
    } else if (!previous.loss().equals(c.gradient().loss())) {
      mismatch = "its loss is " + previous.loss();
    } else if (previous.numOutputs() != layout.numOutputs()) {
      mismatch = "it has " + previous.numOutputs() + " outputs";
    }
    if (mismatch != null) {
      if (mode.equalsIgnoreCase("previous")) {
        LOG.warn("Warm start: not using {}: {}; starting from zeros", path.get(), mismatch);
        return zeros;
      }
      throw new ConfigException(
          "Invalid config value for 'train.warm-start': "
              + mode
              + " (cannot warm start from "
              + path.get()
              + ": "
              + mismatch
              + ")");
    }
    // Yesterday's weights in original units, moved into today's prepared space.
    double[] w = zeros.clone();
    for (int k = 0; k < layout.numOutputs(); k++) {
      double b = previous.originalIntercepts()[k];
      for (int j = 0; j < layout.numFeatures(); j++) {
        double raw = previous.originalCoefficients()[k][j];
        w[layout.coefficientIndex(k, j)] = raw * in.scales()[j];
        b += raw * in.centers()[j];
      }
      if (layout.fitIntercept()) {
        w[layout.interceptIndex(k)] = b;
      }
    }
    LOG.info("Warm start from {}", path.get());
    return w;
  }
}
