package dev.arbor.train;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.stddev_pop;

import dev.arbor.prep.Feature;
import dev.arbor.prep.NumericColumn;
import dev.arbor.prep.PrepModel;
import dev.arbor.prep.ScaleMethod;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The prep model's scaling refitted on the training folds of one cross-validation fold, so that a
 * fold's model sees no statistic of its held-out rows. The prepared split holds {@code x' = (x −
 * c)/s} with the whole train split's center c and scale s (s > 0); scaling is affine, so
 * standardizing (or min-max scaling) x' with the mean and population standard deviation (minimum
 * and range) of the training folds' x' gives exactly the values the same scaling fitted on the
 * training folds' raw x gives: {@code (x' − mean(x'))/std(x') = (x − mean(x))/std(x)}, up to
 * rounding. As in {@code PrepFitter}: unweighted statistics, and a constant column (maximum =
 * minimum) gets scale 1. One-hot columns are never scaled; with {@code prepare.scale = none}
 * nothing is refitted.
 *
 * <p>Imputation is not refitted: an imputed cell of the prepared split holds the whole train
 * split's impute value and is not marked as imputed, so it cannot be told from a present value (see
 * {@link #imputedColumns}).
 *
 * @param method the prep model's scale method
 * @param features the numeric (scaled) feature columns, in feature order
 * @param imputedColumns input columns with missing values in the train split (imputed with the
 *     whole split's statistic)
 */
record FoldScaling(ScaleMethod method, List<String> features, List<String> imputedColumns) {

  FoldScaling {
    features = List.copyOf(features);
    imputedColumns = List.copyOf(imputedColumns);
  }

  /** No refit (features used as given, e.g. {@link TrainInputs#unscaled}). */
  static FoldScaling none() {
    return new FoldScaling(ScaleMethod.NONE, List.of(), List.of());
  }

  /** The scaling of {@code prep}'s numeric features. */
  static FoldScaling of(PrepModel prep) {
    return new FoldScaling(
        prep.scale(),
        prep.features().stream()
            .filter(f -> f.origin() == Feature.Origin.NUMERIC)
            .map(Feature::name)
            .toList(),
        prep.numericColumns().stream()
            .filter(c -> c.missingInTrain() > 0)
            .map(NumericColumn::column)
            .toList());
  }

  /** Whether {@link #fit} refits anything. */
  boolean refits() {
    return method != ScaleMethod.NONE && !features.isEmpty();
  }

  /**
   * A fold's scaling in prepared units: {@code x_fold = (x' − centers[i]) / scales[i]} for the i-th
   * of {@link #features()}.
   */
  record Fitted(List<String> features, double[] centers, double[] scales) {

    /** {@code df} with the features rescaled (other columns and the column order unchanged). */
    Dataset<Row> apply(Dataset<Row> df) {
      List<Column> out = new ArrayList<>();
      for (String c : df.columns()) {
        int i = features.indexOf(c);
        if (i < 0) {
          out.add(col(c));
        } else {
          Column v = col(c);
          if (centers[i] != 0.0) {
            v = v.minus(lit(centers[i]));
          }
          out.add((scales[i] == 1.0 ? v : v.divide(lit(scales[i]))).as(c));
        }
      }
      return df.select(out.toArray(Column[]::new));
    }

    /**
     * The same scaling in the raw input's units, given the prep model's center and scale of each
     * feature: center {@code c + centers[i]·s}, scale {@code scales[i]·s}.
     *
     * @return per feature {center, scale}
     */
    double[][] inRawUnits(double[] prepCenters, double[] prepScales) {
      double[][] out = new double[features.size()][];
      for (int i = 0; i < out.length; i++) {
        out[i] =
            new double[] {prepCenters[i] + centers[i] * prepScales[i], scales[i] * prepScales[i]};
      }
      return out;
    }
  }

  /** Fits the scaling on {@code train} (the fold's training rows) with one aggregation. */
  Fitted fit(Dataset<Row> train) {
    int k = features.size();
    double[] centers = new double[k];
    double[] scales = new double[k];
    java.util.Arrays.fill(scales, 1.0);
    if (!refits()) {
      return new Fitted(features, centers, scales);
    }
    List<Column> aggs = new ArrayList<>();
    for (String f : features) {
      aggs.add(avg(col(f)));
      aggs.add(stddev_pop(col(f)));
      aggs.add(min(col(f)));
      aggs.add(max(col(f)));
    }
    Row r = train.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new)).first();
    for (int i = 0; i < k; i++) {
      if (r.isNullAt(4 * i)) {
        continue; // no training rows: nothing to fit
      }
      double mean = r.getDouble(4 * i);
      double std = r.getDouble(4 * i + 1);
      double lo = r.getDouble(4 * i + 2);
      double hi = r.getDouble(4 * i + 3);
      boolean constant = hi == lo;
      if (method == ScaleMethod.STANDARDIZE) {
        centers[i] = mean;
        scales[i] = constant || !(std > 0) ? 1.0 : std;
      } else {
        centers[i] = lo;
        scales[i] = constant ? 1.0 : hi - lo;
      }
    }
    return new Fitted(features, centers, scales);
  }
}
