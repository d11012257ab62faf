package dev.arbor.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbor.ingest.ParquetInput;
import dev.arbor.testing.SparkTestSession;
import dev.arbor.testing.TestPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A folder Arbor wrote is read in the order its part files were written, whatever the listing. */
@Tag("spark")
class PartFilesTest {
  private static final int PARTS = 24;
  private static final int ROWS = 500;

  private final SparkSession spark = SparkTestSession.get();

  /**
   * Files of equal length (the same number of fixed-width values, no compression) keep the listing
   * order in Spark's scan, and two writes of the same rows list their files in different orders.
   * Read through {@link PartFiles}, both writes give the rows in part order.
   */
  @Test
  void equalLengthFilesAreReadInPartOrderInEveryWriteOfTheSameRows() {
    List<Long> expected = LongStream.range(0, (long) PARTS * ROWS).boxed().toList();
    for (int write = 0; write < 2; write++) {
      String folder = TestPaths.newTempDir("part-files").resolve("rows").toString();
      spark
          .range(0, (long) PARTS * ROWS, 1, PARTS)
          .write()
          .option("compression", "none")
          .option("parquet.enable.dictionary", "false")
          .parquet(folder);

      Dataset<Row> rows = PartFiles.read(spark, folder);
      Dataset<Row> input = ParquetInput.read(spark, folder, null, LocalDate.of(2024, 1, 1));

      assertThat(ids(rows)).as("rows of write %d", write).isEqualTo(expected);
      assertThat(ids(input)).as("rows of write %d as the input", write).isEqualTo(expected);
    }
  }

  private static List<Long> ids(Dataset<Row> rows) {
    return rows.collectAsList().stream().map(r -> r.getLong(0)).toList();
  }

  @Test
  void anInputFolderWithAGlobCharacterInAFileNameIsStillReadWhole() throws IOException {
    Path folder = TestPaths.newTempDir("part-files").resolve("in");
    spark.range(0, 100, 1, 2).write().parquet(folder.toString());
    try (Stream<Path> files = Files.list(folder)) {
      Path first =
          files
              .filter(f -> f.getFileName().toString().startsWith("part-"))
              .sorted()
              .findFirst()
              .orElseThrow();
      Files.move(first, folder.resolve("rows[1].parquet"));
    }

    Dataset<Row> input =
        ParquetInput.read(spark, folder.toString(), null, LocalDate.of(2024, 1, 1));

    assertThat(input.count()).isEqualTo(100);
  }

  @Test
  void anEmptyWriteIsReadEmptyWithItsColumns() {
    String folder = TestPaths.newTempDir("part-files").resolve("empty").toString();
    spark.range(0).write().parquet(folder);

    assertThat(PartFiles.read(spark, folder).count()).isZero();
    assertThat(PartFiles.read(spark, folder).columns()).containsExactly("id");
  }
}
