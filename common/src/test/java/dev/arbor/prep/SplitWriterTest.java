package dev.arbor.prep;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arbor.demo.DemoDataset;
import dev.arbor.ingest.ResolvedSchema;
import dev.arbor.ingest.SchemaValidator;
import dev.arbor.store.StagedOutput;
import dev.arbor.testing.SparkTestSession;
import dev.arbor.testing.TestPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The one-job split write gives the files three filtered writes give: per split the same files
 * (each a task's rows in input order, compared as row-id sequences) with the same columns; an empty
 * split is a readable folder with the prepared schema.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("spark")
class SplitWriterTest {
  private final SparkSession spark = SparkTestSession.get();
  private Path root;
  private Dataset<Row> annotated;
  private PrepModel model;

  @BeforeAll
  void annotate() {
    root = TestPaths.newTempDir("split-writer");
    PrepareSettings s =
        PrepTestSupport.settings(
            Map.of("input.path", root.resolve("in").toString(), "demo.rows", 1500));
    DemoDataset.write(spark, s.inputPath(), s.demo());
    Dataset<Row> raw = spark.read().parquet(s.inputPath());
    ResolvedSchema schema = SchemaValidator.validate(raw, s.schema(), s.inputPath());
    // Three input files, so that every split is written by several tasks.
    String scratch = root.resolve("annotated").toString();
    RowAnnotator.withReasons(raw, schema, s).repartition(3).write().parquet(scratch);
    annotated =
        RowAnnotator.withSplit(spark.read().parquet(scratch), schema, s, RowAnnotator.Mode.SPLIT);
    model = PrepFitter.fit(PrepareStage.split(annotated, Columns.TRAIN), schema, s);
  }

  @Test
  void oneJobWritesTheFilesOfThreeFilteredWrites() throws IOException {
    Path reference = root.resolve("reference");
    String writers = spark.conf().get(SplitWriter.MAX_WRITERS_KEY);
    try (StagedOutput out = StagedOutput.begin(root.resolve("one-job").toString(), conf())) {
      SplitWriter.write(spark, model, annotated, null, out);
      for (String split : List.of(Columns.TRAIN, Columns.VALIDATION, Columns.TEST)) {
        String expected = reference.resolve(split).toString();
        model.project(PrepareStage.split(annotated, split)).write().parquet(expected);
        Path written = Path.of(java.net.URI.create(out.path(split)));
        assertThat(fileRowIds(written)).as(split).isEqualTo(fileRowIds(Path.of(expected)));
        assertThat(fileRowIds(written)).as(split).hasSizeGreaterThan(1);
        assertThat(spark.read().parquet(written.toString()).schema())
            .as(split)
            .isEqualTo(spark.read().parquet(expected).schema());
      }
      assertThat(spark.conf().get(SplitWriter.MAX_WRITERS_KEY)).isEqualTo(writers);
    }
  }

  @Test
  void anEmptySplitIsAReadableFolderWithThePreparedColumns() {
    Dataset<Row> noTest =
        annotated.filter(
            col(Columns.W_SPLIT).isNull().or(col(Columns.W_SPLIT).notEqual(lit(Columns.TEST))));
    try (StagedOutput out = StagedOutput.begin(root.resolve("no-test").toString(), conf())) {
      SplitWriter.write(spark, model, noTest, null, out);
      Dataset<Row> test = spark.read().parquet(out.path(Columns.TEST));
      assertThat(test.count()).isZero();
      assertThat(test.schema()).isEqualTo(spark.read().parquet(out.path(Columns.TRAIN)).schema());
      assertThat(spark.read().parquet(out.path(Columns.TRAIN)).count())
          .isEqualTo(PrepareStage.split(annotated, Columns.TRAIN).count());
    }
  }

  /** Per Parquet file of {@code folder}, its row ids in file order; as a set of sequences. */
  private Set<List<String>> fileRowIds(Path folder) throws IOException {
    Set<List<String>> out = new HashSet<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".parquet")).sorted().toList()) {
        List<String> ids = new ArrayList<>();
        spark
            .read()
            .parquet(f.toString())
            .select(Columns.ROW_ID)
            .collectAsList()
            .forEach(r -> ids.add(r.getString(0)));
        out.add(ids);
      }
    }
    return out;
  }

  private org.apache.hadoop.conf.Configuration conf() {
    return spark.sparkContext().hadoopConfiguration();
  }
}
