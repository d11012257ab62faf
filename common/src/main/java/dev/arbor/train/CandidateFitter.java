package dev.arbor.train;

import dev.arbor.model.Model;

/**
 * Fits candidates of one model family: the estimator of Spark ML's estimator/tuning split, and the
 * seam where a family plugs its training in. {@link ModelSelection} (grid, validation split,
 * k-fold) and {@link Trainer} drive it without knowing the family; the linear family is {@link
 * LinearFitter}.
 *
 * <p>Call order within one run: the family constructs its fitter for the run (with the run's {@link
 * TrainInputs} and {@link TrainingSpec}); then, for each data set ({@link FitData#key()}: the train
 * split, or each cross-validation fold), any number of {@link #fit} calls each followed by {@link
 * #evaluate} calls on that fit, then {@link #release} of the key; {@link #model} for the chosen
 * fit; {@link #close} last (also after a failure). A fit must:
 *
 * <ul>
 *   <li>start its monitor with {@link TrainingMonitors#start} (its initial weights, and its
 *       early-stopping metric of weights on {@link FitData#eval()});
 *   <li>continue from {@link TrainingMonitor#resumeFrom()} when present;
 *   <li>report every completed iteration (epoch) to the monitor ({@link
 *       TrainingMonitor#onIteration}) and stop when it asks to;
 *   <li>end with {@link TrainingMonitor#finish} and keep the weights it returns;
 *   <li>be deterministic: the same inputs, spec and seed give the same weights bit for bit, also
 *       after a task retry or a resume.
 * </ul>
 *
 * <p>Thread-safety: not thread-safe; one instance per run, called from the driver thread only (the
 * Spark jobs it starts run where Spark puts them).
 *
 * @param <F> the family's fit type
 */
public interface CandidateFitter<F extends CandidateFit> extends AutoCloseable {
  /**
   * Fits {@code candidate} on {@code data.train()}.
   *
   * @param monitors where the fit gets its {@link TrainingMonitor}
   * @throws dev.arbor.ArborException (exit 1) when the fit diverged (from {@link
   *     TrainingMonitor#finish}); {@link dev.arbor.ConfigException} or {@link
   *     dev.arbor.DataValidationException} for settings or data the family cannot fit
   */
  F fit(Candidate candidate, FitData data, TrainingMonitors monitors);

  /**
   * The value of {@code metric} for {@code fit} on {@code data.eval()} (the candidate's selection
   * score), NaN when undefined (e.g. a single class for AUC).
   */
  double evaluate(Candidate candidate, F fit, FitData data, ValidationMetric metric);

  /** The model of the chosen {@code fit}, with what the run records about it. */
  Model model(Candidate candidate, F fit, ModelMetadata metadata);

  /** Frees what the fitter cached for the data set {@code key} (e.g. a finished fold). */
  void release(String key);

  /** Frees everything the fitter cached. */
  @Override
  void close();
}
