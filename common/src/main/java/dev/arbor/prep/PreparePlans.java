package dev.arbor.prep;

import dev.arbor.ingest.ParquetInput;
import dev.arbor.ingest.ResolvedSchema;
import dev.arbor.ingest.SchemaValidator;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The prepare stage's heavy DataFrame plans for {@code gpu-explain}, built with the stage's own
 * plan builders over the raw input (not executed): the annotation and split of the input (and of
 * the test input), the counts by reason and split, the fit's statistics on the training split and
 * the rejects. The stage runs the later plans over its materialized annotation, a Parquet scan of
 * the same columns. Building them reads the input's footers and runs the schema validator's one
 * small aggregation over the label column.
 */
public final class PreparePlans {
  private PreparePlans() {}

  /** The plans by description, in stage order. */
  public static Map<String, Dataset<Row>> of(
      SparkSession spark, PrepareSettings s, LocalDate runDate) {
    Dataset<Row> raw = ParquetInput.read(spark, s.inputPath(), s.datePartitionColumn(), runDate);
    ResolvedSchema schema = SchemaValidator.validate(raw, s.schema(), s.inputPath());
    Map<String, Dataset<Row>> plans = new LinkedHashMap<>();
    RowAnnotator.Mode mode =
        s.testPath() == null ? RowAnnotator.Mode.SPLIT : RowAnnotator.Mode.SPLIT_WITHOUT_TEST;
    Dataset<Row> annotated = RowAnnotator.annotate(raw, schema, s, mode);
    int width = schema.numericFeatures().size() + schema.categoricalColumns().size();
    plans.put("annotate and split the input (" + width + " feature columns)", annotated);
    Dataset<Row> testAnnotated = null;
    if (s.testPath() != null) {
      Dataset<Row> testRaw = ParquetInput.read(spark, s.testPath(), null, runDate);
      testAnnotated = RowAnnotator.annotate(testRaw, schema, s, RowAnnotator.Mode.ALL_TEST);
      plans.put("annotate the test input", testAnnotated);
    }
    plans.put("count rows by reason and split", PrepareStage.Counts.plan(annotated));
    Dataset<Row> train = PrepareStage.split(annotated, Columns.TRAIN);
    plans.put(
        "numeric statistics of the training split", PrepFitter.numericStatsPlan(train, schema, s));
    if (!schema.categoricalColumns().isEmpty()) {
      plans.put(
          "category counts of the training split", PrepFitter.categoryCountsPlan(train, schema, s));
    }
    plans.put("rejects", PrepareStage.rejectsPlan(annotated, testAnnotated));
    return plans;
  }
}
