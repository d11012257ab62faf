package dev.arbor.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;

import dev.arbor.model.CandidateResult;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Model selection over the candidates of a run, for any family (Spark ML's {@code
 * TrainValidationSplit} and {@code CrossValidator}): each candidate is fitted on the train split
 * and scored on the validation split, or, with {@code train.cv-folds = k}, fitted and scored on
 * each of k folds of the train split (a row's fold is {@code xxhash64(row_id, train.seed) mod k};
 * each fold's data is shared by every candidate) with the mean score, and the best is refit on the
 * whole train split. Ties keep the earlier candidate. Not thread-safe; one per run.
 *
 * @param <F> the family's fit type
 */
final class ModelSelection<F extends CandidateFit> {
  private static final Logger LOG = LoggerFactory.getLogger(ModelSelection.class);

  /** Column that assigns train rows to cross-validation folds. */
  private static final String FOLD = "__arbor_fold";

  private final CandidateFitter<F> fitter;
  private final TrainingMonitors monitors;
  private final int folds;
  private final long seed;
  private final UnaryOperator<Dataset<Row>> cache;

  /** The chosen candidate, its fit on the whole train split, and every candidate's result. */
  record Selected<F>(Candidate candidate, F fit, List<CandidateResult> results) {}

  /**
   * @param cache caches a data set for the rest of the run (unpersisted when the run ends)
   */
  ModelSelection(
      CandidateFitter<F> fitter,
      TrainingMonitors monitors,
      int folds,
      long seed,
      UnaryOperator<Dataset<Row>> cache) {
    this.fitter = fitter;
    this.monitors = monitors;
    this.folds = folds;
    this.seed = seed;
    this.cache = cache;
  }

  /**
   * Fits and scores the candidates and returns the best.
   *
   * @param train the train split
   * @param validation the cached validation split ({@code validationRows} rows)
   */
  Selected<F> select(
      List<Candidate> candidates,
      ValidationMetric selection,
      Dataset<Row> train,
      Dataset<Row> validation,
      long validationRows) {
    List<CandidateResult> results = new ArrayList<>();
    List<F> fits = new ArrayList<>();
    FitData whole = new FitData("train", -1, train, validation);
    if (folds > 0) {
      crossValidate(candidates, selection, train, results, fits);
    } else {
      for (Candidate c : candidates) {
        F fit = fitter.fit(c, whole, monitors);
        double s = validationRows > 0 ? fitter.evaluate(c, fit, whole, selection) : Double.NaN;
        results.add(result(c, selection, s, List.of(), fit.objective(), fit.history().size()));
        fits.add(fit);
        log(c, selection, s);
      }
    }
    int best = 0;
    for (int i = 1; i < results.size(); i++) {
      if (selection.isBetter(results.get(i).score(), results.get(best).score())) {
        best = i;
      }
    }
    Candidate chosen = candidates.get(best);
    F fit = fits.get(best);
    CandidateResult r = results.get(best);
    if (fit == null) {
      LOG.info("Refitting candidate {} on the whole train split", best);
      fit = fitter.fit(chosen, whole, monitors);
      r = withFit(r, fit.objective(), fit.history().size());
    }
    results.set(
        best,
        new CandidateResult(
            r.index(),
            r.overrides(),
            r.metric(),
            r.score(),
            r.foldScores(),
            r.trainObjective(),
            r.iterations(),
            true));
    LOG.info("Selected candidate {} ({} = {})", best, selection.configName(), r.score());
    return new Selected<>(chosen, fit, List.copyOf(results));
  }

  /**
   * k-fold cross-validation: adds one result per candidate (the mean over the folds) and a null fit
   * (the chosen candidate is refit on the whole train split).
   */
  private void crossValidate(
      List<Candidate> candidates,
      ValidationMetric selection,
      Dataset<Row> train,
      List<CandidateResult> results,
      List<F> fits) {
    Dataset<Row> assigned =
        cache.apply(
            train.withColumn(FOLD, pmod(xxhash64(col("row_id"), lit(seed)), lit((long) folds))));
    double[][] scores = new double[candidates.size()][folds];
    for (int f = 0; f < folds; f++) {
      Dataset<Row> fitPart =
          assigned
              .filter(col(FOLD).notEqual(lit((long) f)))
              .drop(FOLD)
              .persist(StorageLevel.MEMORY_AND_DISK());
      Dataset<Row> heldOut =
          assigned
              .filter(col(FOLD).equalTo(lit((long) f)))
              .drop(FOLD)
              .persist(StorageLevel.MEMORY_AND_DISK());
      FitData data = new FitData("fold-" + f, f, fitPart, heldOut);
      for (Candidate c : candidates) {
        F fit = fitter.fit(c, data, monitors);
        scores[c.index()][f] = fitter.evaluate(c, fit, data, selection);
      }
      fitter.release(data.key());
      fitPart.unpersist();
      heldOut.unpersist();
    }
    for (Candidate c : candidates) {
      List<Double> foldScores = new ArrayList<>();
      for (double v : scores[c.index()]) {
        foldScores.add(v);
      }
      double mean =
          foldScores.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
      results.add(result(c, selection, mean, foldScores, Double.NaN, 0));
      fits.add(null);
      log(c, selection, mean);
    }
  }

  private static CandidateResult result(
      Candidate c,
      ValidationMetric selection,
      double score,
      List<Double> foldScores,
      double objective,
      int iterations) {
    return new CandidateResult(
        c.index(),
        c.overrideStrings(),
        selection.configName(),
        score,
        foldScores,
        objective,
        iterations,
        false);
  }

  private static CandidateResult withFit(CandidateResult r, double objective, int iterations) {
    return new CandidateResult(
        r.index(),
        r.overrides(),
        r.metric(),
        r.score(),
        r.foldScores(),
        objective,
        iterations,
        false);
  }

  private static void log(Candidate c, ValidationMetric selection, double score) {
    LOG.info(
        "Candidate {} {}: {} = {}", c.index(), c.overrideStrings(), selection.configName(), score);
  }
}
