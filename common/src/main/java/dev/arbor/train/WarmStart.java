package dev.arbor.train;

import dev.arbor.ConfigException;
import dev.arbor.loss.WeightLayout;
import dev.arbor.model.LinearModel;
import dev.arbor.model.Model;
import dev.arbor.model.ModelStore;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.function.Function;
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
    return fromEarlierModel(
        spec,
        hadoop,
        new double[layout.dimension()],
        "zeros",
        read -> {
          if (!(read instanceof LinearModel previous)) {
            return "it is a " + read.family() + " model";
          } else if (!previous.features().equals(in.features())) {
            return "its features differ";
          } else if (!previous.loss().equals(c.gradient().loss())) {
            return "its loss is " + previous.loss();
          } else if (previous.numOutputs() != layout.numOutputs()) {
            return "it has " + previous.numOutputs() + " outputs";
          }
          return null;
        },
        read -> {
          // Yesterday's weights in original units, moved into today's prepared space.
          LinearModel previous = (LinearModel) read;
          double[] w = new double[layout.dimension()];
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
          return w;
        });
  }

  /**
   * What every family's warm start shares: {@code start} with {@code train.warm-start = none} or
   * when there is no earlier model; else the model {@code train.warm-start} names, read, checked
   * with {@code mismatch} (why it does not fit, or {@code null}) and turned into weights with
   * {@code weights}. A model that does not fit is skipped with a warning under {@code previous} and
   * is a config error for an explicit path.
   *
   * @param startName what {@code start} is called in the log (e.g. {@code zeros})
   * @throws ConfigException naming {@code train.warm-start} when the model cannot be read or (for
   *     an explicit path) does not fit
   */
  static double[] fromEarlierModel(
      TrainingSpec spec,
      Configuration hadoop,
      double[] start,
      String startName,
      Function<Model, String> mismatch,
      Function<Model, double[]> weights) {
    String mode = spec.settings().warmStart();
    if (mode.equalsIgnoreCase("none")) {
      return start;
    }
    Optional<String> path =
        spec.settings().warmStartModel(spec.outputRoot(), spec.modelName(), spec.runDate(), hadoop);
    if (path.isEmpty()) {
      LOG.info(
          "Warm start: no model of {} before {}; starting from {}",
          spec.modelName(),
          spec.runDate(),
          startName);
      return start;
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
    String why = mismatch.apply(read);
    if (why != null) {
      if (mode.equalsIgnoreCase("previous")) {
        LOG.warn("Warm start: not using {}: {}; starting from {}", path.get(), why, startName);
        return start;
      }
      throw new ConfigException(
          "Invalid config value for 'train.warm-start': "
              + mode
              + " (cannot warm start from "
              + path.get()
              + ": "
              + why
              + ")");
    }
    LOG.info("Warm start from {}", path.get());
    return weights.apply(read);
  }
}
