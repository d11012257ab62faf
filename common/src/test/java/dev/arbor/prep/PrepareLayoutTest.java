package dev.arbor.prep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arbor.demo.DemoDataset;
import dev.arbor.spark.PartFiles;
import dev.arbor.testing.SparkTestSession;
import dev.arbor.testing.TestPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two runs of prepare on the same input write the same prep model and the same rows in the same
 * files, also when the scratch copy's files are cut into splits of equal length (as a 20M-row
 * input's are at the default 128 MB; here a 16 KB limit does it on 4,000 rows in 8 files).
 * Equal-length splits keep the file system's listing order, which differs between the two runs'
 * scratch copies.
 */
@Tag("spark")
class PrepareLayoutTest {
  private static final LocalDate DAY = LocalDate.of(2024, 5, 6);
  private static final String MAX_PARTITION_BYTES = "spark.sql.files.maxPartitionBytes";

  private final SparkSession spark = SparkTestSession.get();

  @Test
  void twoRunsWithSplitScratchFilesGiveTheSameModelAndLayout() throws IOException {
    String root = TestPaths.newTempDir("prepare-layout").toString();
    List<Path> outs = List.of(Path.of(root, "out1"), Path.of(root, "out2"));
    for (Path out : outs) {
      PrepareSettings s =
          PrepTestSupport.settings(
              Map.of("input.path", root + "/in", "output.root", out.toString(), "demo.rows", 4000));
      if (!Files.exists(Path.of(root, "in"))) {
        // Eight input files, so the scratch copy has eight files (one per task that read rows).
        DemoDataset.write(spark, root + "/demo", s.demo());
        spark.read().parquet(root + "/demo").repartition(8).write().parquet(root + "/in");
      }
      String previous = spark.conf().get(MAX_PARTITION_BYTES);
      spark.conf().set(MAX_PARTITION_BYTES, "16k");
      try {
        PrepareStage.run(spark, s, DAY);
      } finally {
        spark.conf().set(MAX_PARTITION_BYTES, previous);
      }
    }
    Path[] dirs =
        outs.stream().map(o -> o.resolve("prepared/demo/run_date=2024-05-06")).toArray(Path[]::new);

    assertThat(Files.readString(dirs[1].resolve(PrepModel.FILE_NAME)))
        .isEqualTo(Files.readString(dirs[0].resolve(PrepModel.FILE_NAME)));
    for (String split : List.of("train", "validation", "test")) {
      assertThat(rowIds(dirs[1].resolve(split)))
          .as("row ids of %s, in file order", split)
          .isEqualTo(rowIds(dirs[0].resolve(split)));
    }
  }

  private List<String> rowIds(Path split) {
    return PartFiles.read(spark, split.toString())
        .select("row_id")
        .as(org.apache.spark.sql.Encoders.STRING())
        .collectAsList();
  }
}
