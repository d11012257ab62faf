package dev.arbor.prep;

import static dev.arbor.ingest.InputColumns.ref;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.arbor.ConfigException;
import dev.arbor.DataValidationException;
import dev.arbor.demo.DemoDataset;
import dev.arbor.ingest.DatasetSchema;
import dev.arbor.ingest.ParquetInput;
import dev.arbor.ingest.ResolvedSchema;
import dev.arbor.ingest.SchemaValidator;
import dev.arbor.spark.PartFiles;
import dev.arbor.spark.ScopedConf;
import dev.arbor.store.StagedOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code prepare} stage: Parquet input in, clean splits out.
 *
 * <ol>
 *   <li>Read the input (the run date's partition when date-partitioned) and validate it against the
 *       schema ({@link SchemaValidator}); with a separate test input, validate that too (same
 *       feature columns, labels inside the input's classes). Failures here write nothing.
 *   <li>Annotate every row with an id and a reject reason ({@link RowAnnotator#withReasons}) and
 *       materialize the result once as Parquet in a scratch folder of the staged output: the input
 *       is read once (twice with an id column: the duplicate ids come from the id column alone),
 *       every later statistic and output reads the materialized rows (a Parquet scan, which RAPIDS
 *       runs on the GPU; Spark's in-memory cache would not). The split ({@link
 *       RowAnnotator#withSplit}) is then a column expression over the materialized rows; the
 *       stratified split's two small jobs that find its thresholds read only their narrow label,
 *       reason, split-key and row-id columns.
 *   <li>Count rows per (reason, split) in one aggregation; fail when the rejected fraction exceeds
 *       {@code prepare.max-rejected-fraction} (the staged output is discarded: nothing visible is
 *       written).
 *   <li>Fit the {@link PrepModel} on the training split only ({@link PrepFitter}).
 *   <li>Write {@code train/}, {@code validation/}, {@code test/} (one job, one scan: {@link
 *       SplitWriter}), {@code rejects/}, {@value PrepModel#FILE_NAME} and {@value
 *       PrepareResult#FILE_NAME}, then commit the folder atomically ({@link StagedOutput}); a
 *       re-run for the same date replaces it.
 * </ol>
 *
 * A separate test input ({@code input.test-path}, read whole, not by partition) replaces the test
 * fraction: the input is split into train and validation only, in the configured proportions, and
 * the test input's valid rows, transformed with the model fitted on the training split, form the
 * test split; its invalid rows go to the rejects with {@code source = test-input}.
 */
public final class PrepareStage {
  private static final Logger LOG = LoggerFactory.getLogger(PrepareStage.class);

  /** Value of the rejects' {@code source} column for rows of the input. */
  public static final String SOURCE_INPUT = "input";

  /** Value of the rejects' {@code source} column for rows of the separate test input. */
  public static final String SOURCE_TEST_INPUT = "test-input";

  private PrepareStage() {}

  /**
   * Runs the stage.
   *
   * @param runDate the logical date: selects the input partition and names the output folder
   * @throws DataValidationException when the input violates the schema or the reject limit
   * @throws ConfigException when the configuration does not fit the input
   */
  public static PrepareResult run(SparkSession spark, PrepareSettings s, LocalDate runDate) {
    long start = System.nanoTime();
    LOG.info("Prepare run date {} with {}", runDate, s);
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    ensureDemoInput(spark, s);
    Dataset<Row> raw = ParquetInput.read(spark, s.inputPath(), s.datePartitionColumn(), runDate);
    ResolvedSchema schema = SchemaValidator.validate(raw, s.schema(), s.inputPath());
    checkImputeOverrides(schema, s);
    Dataset<Row> testRaw = null;
    ResolvedSchema testSchema = null;
    if (s.testPath() != null) {
      testRaw = ParquetInput.read(spark, s.testPath(), null, runDate);
      testSchema = SchemaValidator.validate(testRaw, testInputSchema(schema), s.testPath());
    }

    try (StagedOutput out = StagedOutput.begin(s.outputDir(runDate), conf)) {
      RowAnnotator.Mode mode =
          testRaw == null ? RowAnnotator.Mode.SPLIT : RowAnnotator.Mode.SPLIT_WITHOUT_TEST;
      Steps steps = new Steps();
      Dataset<Row> materialized =
          materialize(spark, RowAnnotator.withReasons(raw, schema, s), out.scratch() + "/input");
      steps.log("annotate and materialize the input");
      Dataset<Row> annotated = RowAnnotator.withSplit(materialized, schema, s, mode);
      steps.log("find the split");
      Counts counts = Counts.of(annotated);
      counts.checkRejectedFraction(s.inputPath(), s.maxRejectedFraction());
      steps.log("count rows by reason and split");
      Dataset<Row> testAnnotated = null;
      Counts testCounts = Counts.EMPTY;
      if (testRaw != null) {
        testAnnotated =
            RowAnnotator.withSplit(
                materialize(
                    spark,
                    RowAnnotator.withReasons(testRaw, testSchema, s),
                    out.scratch() + "/test-input"),
                testSchema,
                s,
                RowAnnotator.Mode.ALL_TEST);
        testCounts = Counts.of(testAnnotated);
        testCounts.checkRejectedFraction(s.testPath(), s.maxRejectedFraction());
      }

      checkSplitsNotEmpty(s, counts, testCounts, testRaw != null);
      checkClassWeights(split(annotated, Columns.TRAIN), schema, s.inputPath());
      PrepModel model = PrepFitter.fit(split(annotated, Columns.TRAIN), schema, s);
      steps.log("fit the prep model");
      SplitWriter.write(spark, model, annotated, testAnnotated, out);
      steps.log("write the splits");
      write(rejectsPlan(annotated, testAnnotated), out.path("rejects"));
      steps.log("write the rejects");
      model.write(out.path(PrepModel.FILE_NAME), conf);

      PrepareResult result =
          new PrepareResult(
              runDate,
              out.target(),
              counts.total(),
              counts.split(Columns.TRAIN),
              counts.split(Columns.VALIDATION),
              counts.split(Columns.TEST) + testCounts.split(Columns.TEST),
              counts.rejected(),
              counts.byReason(),
              testCounts.total(),
              testCounts.rejected(),
              testCounts.byReason(),
              model.features().size(),
              model.constantFeatures(),
              (System.nanoTime() - start) / 1e9);
      writeText(out.path(PrepareResult.FILE_NAME), result.toJson(), conf);
      out.commit();
      LOG.info("Prepare done: {}", result.summaryLine());
      return result;
    }
  }

  /**
   * Writes the demo dataset to {@code input.path} when it does not exist and {@code
   * input.generate-demo-if-missing} applies (what {@link #run} does first); otherwise does nothing.
   * Idempotent.
   */
  public static void ensureDemoInput(SparkSession spark, PrepareSettings s) {
    if (s.generateDemoIfMissing()
        && s.datePartitionColumn() == null
        && !ParquetInput.exists(spark, s.inputPath())) {
      LOG.warn(
          "Input {} does not exist and input.generate-demo-if-missing is true: writing the demo"
              + " dataset there",
          s.inputPath());
      DemoDataset.write(spark, s.inputPath(), s.demo());
    }
  }

  /** The annotated rows of one split. */
  static Dataset<Row> split(Dataset<Row> annotated, String split) {
    return annotated.filter(col(Columns.W_SPLIT).equalTo(lit(split)));
  }

  /**
   * The rejects: {@code reason}, {@code source}, {@code row_id}, then every raw column cast to
   * string (a stable schema whatever the input types; a raw column named like one of the first
   * three is prefixed {@code input_}).
   */
  static Dataset<Row> rejectsPlan(Dataset<Row> annotated, Dataset<Row> testAnnotated) {
    Dataset<Row> rejects = rejectsOf(annotated, SOURCE_INPUT);
    if (testAnnotated != null) {
      rejects = rejects.unionByName(rejectsOf(testAnnotated, SOURCE_TEST_INPUT), true);
    }
    return rejects;
  }

  private static Dataset<Row> rejectsOf(Dataset<Row> annotated, String source) {
    List<Column> cols = new ArrayList<>();
    cols.add(col(Columns.W_REASON).as(Columns.REASON));
    cols.add(lit(source).as(Columns.SOURCE));
    cols.add(col(Columns.W_ROW_ID).as(Columns.ROW_ID));
    for (String c : annotated.columns()) {
      if (c.startsWith(SchemaValidator.RESERVED_PREFIX)) {
        continue;
      }
      boolean clash =
          c.equalsIgnoreCase(Columns.REASON)
              || c.equalsIgnoreCase(Columns.SOURCE)
              || c.equalsIgnoreCase(Columns.ROW_ID);
      cols.add(ref(c).cast("string").as(clash ? "input_" + c : c));
    }
    return annotated.filter(col(Columns.W_REASON).isNotNull()).select(cols.toArray(Column[]::new));
  }

  /** The test input must carry the input's features and only the input's classes. */
  private static DatasetSchema testInputSchema(ResolvedSchema schema) {
    return new DatasetSchema(
        schema.labelColumn(),
        schema.task(),
        schema.numericFeatures(),
        schema.categoricalColumns(),
        schema.weightColumn(),
        schema.idColumn(),
        schema.classes());
  }

  private static void checkImputeOverrides(ResolvedSchema schema, PrepareSettings s) {
    for (String c : new TreeMap<>(s.imputeOverrides()).keySet()) {
      if (!schema.numericFeatures().contains(c)) {
        throw new ConfigException(
            "Invalid config key 'prepare.impute.columns."
                + c
                + "': '"
                + c
                + "' is not a numeric feature column (numeric features: "
                + String.join(", ", schema.numericFeatures())
                + ")");
      }
    }
  }

  /**
   * Logs each step of the stage: its seconds and the CPU seconds the JVM spent meanwhile (all
   * threads: the driver and, in local mode, the executors; the comparable figure when the machine
   * is shared).
   */
  private static final class Steps {
    private long wall = System.nanoTime();
    private long cpu = processCpuNanos();

    void log(String step) {
      long now = System.nanoTime();
      long cpuNow = processCpuNanos();
      LOG.info(
          "Prepare step: {} took {} s (JVM CPU {} s)",
          step,
          String.format(Locale.ROOT, "%.1f", (now - wall) / 1e9),
          String.format(Locale.ROOT, "%.1f", (cpuNow - cpu) / 1e9));
      wall = now;
      cpu = cpuNow;
    }

    private static long processCpuNanos() {
      return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
              instanceof com.sun.management.OperatingSystemMXBean os
          ? os.getProcessCpuTime()
          : 0L;
    }
  }

  /**
   * Writes {@code plan} to the scratch folder {@code path} and returns the scan of it. The scratch
   * copy is read a few times and then deleted: it is written without compression and without
   * dictionary encoding (which mostly fails over to plain encoding on continuous features after
   * trying), cheaper to write and to read than Spark's default Parquet settings. The write runs
   * with generated methods the JIT compiles ({@link ScopedConf#jitSized}).
   */
  private static Dataset<Row> materialize(SparkSession spark, Dataset<Row> plan, String path) {
    ScopedConf.jitSized(
        spark,
        () -> {
          plan.write()
              .option("compression", "none")
              .option("parquet.enable.dictionary", "false")
              .parquet(path);
          return null;
        });
    return PartFiles.read(spark, path);
  }

  private static void write(Dataset<Row> df, String path) {
    df.write().parquet(path);
  }

  private static void writeText(String path, String text, Configuration conf) {
    Path p = new Path(path);
    try (OutputStream o = p.getFileSystem(conf).create(p, false)) {
      o.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * Every split with a positive fraction must get rows: train and evaluate cannot work on an empty
   * split, so a tiny input fails here (exit 4) instead of in a later stage (exit 1).
   */
  private static void checkSplitsNotEmpty(
      PrepareSettings s, Counts counts, Counts testCounts, boolean testInput) {
    Map<String, Double> fractions = new java.util.LinkedHashMap<>();
    fractions.put(Columns.TRAIN, s.split().train());
    fractions.put(Columns.VALIDATION, s.split().validation());
    fractions.put(Columns.TEST, testInput ? 1.0 : s.split().test());
    for (Map.Entry<String, Double> f : fractions.entrySet()) {
      long rows =
          counts.split(f.getKey())
              + (f.getKey().equals(Columns.TEST) ? testCounts.split(Columns.TEST) : 0);
      if (f.getValue() > 0 && rows == 0) {
        throw new DataValidationException(
            String.format(
                java.util.Locale.ROOT,
                "Cannot prepare input %s: the %s split is empty (%d valid rows, split %s; expected"
                    + " enough valid rows for every split with a positive fraction)",
                s.inputPath(),
                f.getKey(),
                counts.total() - counts.rejected(),
                counts.bySplit()));
      }
    }
  }

  /**
   * With a weight column, every class of the training split needs a positive total weight: a class
   * whose rows all weigh 0 cannot be fitted (balanced class weights divide by it) and fails the
   * train stage; it is a property of the input (exit 4), found here with one aggregation.
   */
  private static void checkClassWeights(Dataset<Row> train, ResolvedSchema schema, String source) {
    if (schema.weightColumn() == null || !schema.task().isClassification()) {
      return;
    }
    for (Row r :
        train
            .groupBy(ref(schema.labelColumn()).cast("string").as("class"))
            .agg(org.apache.spark.sql.functions.sum(ref(schema.weightColumn()).cast("double")))
            .collectAsList()) {
      double total = r.isNullAt(1) ? 0.0 : r.getDouble(1);
      if (!(total > 0)) {
        throw new DataValidationException(
            "Cannot prepare input "
                + source
                + ": class '"
                + r.get(0)
                + "' of label column '"
                + schema.labelColumn()
                + "' has total weight "
                + total
                + " in the training split (weight column '"
                + schema.weightColumn()
                + "'; expected a positive total weight for every class)");
      }
    }
  }

  /** Row counts of an annotated input by reason and split, from one aggregation. */
  record Counts(Map<String, Long> byReason, Map<String, Long> bySplit) {
    static final Counts EMPTY = new Counts(Map.of(), Map.of());

    /** The aggregation: one row per (reason, split) pair present, with its count. */
    static Dataset<Row> plan(Dataset<Row> annotated) {
      return annotated.groupBy(col(Columns.W_REASON), col(Columns.W_SPLIT)).count();
    }

    static Counts of(Dataset<Row> annotated) {
      Map<String, Long> byReason = new TreeMap<>();
      Map<String, Long> bySplit = new TreeMap<>();
      for (Row r : plan(annotated).collectAsList()) {
        if (!r.isNullAt(0)) {
          byReason.merge(r.getString(0), r.getLong(2), Long::sum);
        } else {
          bySplit.merge(r.getString(1), r.getLong(2), Long::sum);
        }
      }
      return new Counts(byReason, bySplit);
    }

    long rejected() {
      return byReason.values().stream().mapToLong(Long::longValue).sum();
    }

    long split(String name) {
      return bySplit.getOrDefault(name, 0L);
    }

    long total() {
      return rejected() + bySplit.values().stream().mapToLong(Long::longValue).sum();
    }

    void checkRejectedFraction(String source, double max) {
      long total = total();
      double fraction = total == 0 ? 0.0 : (double) rejected() / total;
      LOG.info(
          "Input {}: {} rows, rejected {} ({}), splits {}",
          source,
          total,
          rejected(),
          byReason,
          bySplit);
      if (fraction > max) {
        throw new DataValidationException(
            String.format(
                java.util.Locale.ROOT,
                "Cannot prepare input %s: %d of %d rows rejected (fraction %.4f, by reason %s),"
                    + " more than prepare.max-rejected-fraction = %s",
                source,
                rejected(),
                total,
                fraction,
                byReason,
                max));
      }
    }
  }
}
