package dev.arbor.train;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.xxhash64;

import dev.arbor.model.CandidateResult;
import dev.arbor.prep.StratifiedSplit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Model selection over the candidates of a run, for any family (Spark ML's {@code
 * TrainValidationSplit} and {@code CrossValidator}): each candidate is fitted on the train split
 * and scored on the validation split, or, with {@code train.cv-folds = k}, fitted and scored on
 * each of k folds of the train split (see {@link #crossValidate}; each fold's data is shared by
 * every candidate) with the fold-size-weighted mean score, and the best is refit on the whole train
 * split. Ties keep the earlier candidate. Not thread-safe; one per run.
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
  private final int classes;
  private final FoldScaling scaling;
  private final UnaryOperator<Dataset<Row>> cache;

  /** The chosen candidate, its fit on the whole train split, and every candidate's result. */
  record Selected<F>(Candidate candidate, F fit, List<CandidateResult> results) {}

  /**
   * @param classes the task's classes (0 for regression): folds keep the class proportions of a
   *     classification task, only the sizes of a regression
   * @param scaling the prep scaling refitted per fold
   * @param cache caches a data set for the rest of the run (unpersisted when the run ends)
   */
  ModelSelection(
      CandidateFitter<F> fitter,
      TrainingMonitors monitors,
      int folds,
      long seed,
      int classes,
      FoldScaling scaling,
      UnaryOperator<Dataset<Row>> cache) {
    this.fitter = fitter;
    this.monitors = monitors;
    this.folds = folds;
    this.seed = seed;
    this.classes = classes;
    this.scaling = scaling;
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
   * The fold of a train row, in 0..k−1 (an INT column): per class (one group for regression) the
   * rows ranked by (xxhash64(row_id, seed), row_id) and cut into k contiguous runs of round(n·f/k)
   * rows ({@link StratifiedSplit#cuts}), so a fold holds within less than one row of n/k rows of
   * every class. Deterministic for the data and seed; two small jobs, no sort of the rows.
   */
  static Column foldOf(Dataset<Row> train, int k, long seed, int classes) {
    double[] fractions = new double[k - 1];
    for (int f = 1; f < k; f++) {
      fractions[f - 1] = (double) f / k;
    }
    Column group = classes > 0 ? coalesce(col("label").cast("string"), lit("")) : lit("");
    long groups = Math.max(1, classes);
    int bits = Math.max(6, Math.min(16, 63 - Long.numberOfLeadingZeros((1L << 17) / groups)));
    return StratifiedSplit.cuts(
        train, group, xxhash64(col("row_id"), lit(seed)), col("row_id"), fractions, bits);
  }

  /**
   * Σ w_f·s_f / Σ w_f over the folds of positive weight (w_f: the held-out fold's summed row
   * weight); NaN when no fold has weight.
   */
  static double weightedMean(double[] scores, double[] weights) {
    double num = 0;
    double den = 0;
    for (int f = 0; f < scores.length; f++) {
      if (weights[f] > 0) {
        num += weights[f] * scores[f];
        den += weights[f];
      }
    }
    return den > 0 ? num / den : Double.NaN;
  }

  /**
   * k-fold cross-validation: adds one result per candidate (the fold scores' mean weighted by the
   * held-out folds' summed row weights) and a null fit (the chosen candidate is refit on the whole
   * train split). Folds are stratified ({@link #foldOf}); each fold's numeric features are rescaled
   * with statistics of its training folds only ({@link FoldScaling}).
   */
  private void crossValidate(
      List<Candidate> candidates,
      ValidationMetric selection,
      Dataset<Row> train,
      List<CandidateResult> results,
      List<F> fits) {
    Dataset<Row> cachedTrain = cache.apply(train);
    Dataset<Row> assigned =
        cache.apply(cachedTrain.withColumn(FOLD, foldOf(cachedTrain, folds, seed, classes)));
    double[] weights = new double[folds];
    for (Row r : assigned.groupBy(col(FOLD)).agg(sum(col("weight"))).collectAsList()) {
      weights[r.getInt(0)] = r.isNullAt(1) ? 0.0 : r.getDouble(1);
    }
    LOG.info("Cross-validation folds (summed row weight): {}", java.util.Arrays.toString(weights));
    if (scaling.refits() && !scaling.imputedColumns().isEmpty()) {
      LOG.info(
          "Cross-validation refits the scaling per fold, not the imputation of {} (imputed cells"
              + " keep the whole train split's value)",
          scaling.imputedColumns());
    }
    double[][] scores = new double[candidates.size()][folds];
    for (int f = 0; f < folds; f++) {
      Dataset<Row> fitRows = assigned.filter(col(FOLD).notEqual(lit(f))).drop(FOLD);
      FoldScaling.Fitted s = scaling.fit(fitRows);
      Dataset<Row> fitPart = s.apply(fitRows).persist(StorageLevel.MEMORY_AND_DISK());
      Dataset<Row> heldOut =
          s.apply(assigned.filter(col(FOLD).equalTo(lit(f))).drop(FOLD))
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
      double mean = weightedMean(scores[c.index()], weights);
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
