package dev.arbor.train;

import dev.arbor.model.TrainingStep;
import java.util.List;

/**
 * What fitting one candidate on one data set produced, in any model family: the weights kept and
 * how the fit went. A family's fitter returns its own implementation (with its weight layout) and
 * gets it back in {@link CandidateFitter#evaluate} and {@link CandidateFitter#model}. Immutable.
 */
public interface CandidateFit {
  /** The weights kept (after early stopping's restore), in the family's own layout. */
  double[] weights();

  /** The regularized training objective of the kept weights. */
  double objective();

  /** How the weights were found, e.g. the optimizer's {@code toString()}. */
  String optimizer();

  /** Why the fit stopped ({@code StopReason} name, or e.g. {@code CLOSED_FORM}). */
  String stopReason();

  /** One entry per iteration (epoch) run. */
  List<TrainingStep> history();
}
