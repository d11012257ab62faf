package dev.arbor.prep;

import dev.arbor.config.ArborConfig;
import dev.arbor.testing.SparkTestSession;
import dev.arbor.testing.TestConfig;
import dev.arbor.testing.TestPaths;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/** Small helpers shared by the prep tests. */
final class PrepTestSupport {
  private PrepTestSupport() {}

  /** The default config with {@code overrides} applied (keys as in conf/arbor.conf). */
  static ArborConfig config(Map<String, Object> overrides) {
    return TestConfig.of().setAll(overrides).build();
  }

  static PrepareSettings settings(Map<String, Object> overrides) {
    return PrepareSettings.from(config(overrides));
  }

  /** A DataFrame of {@code rows} (arrays of values) with {@code schema}. */
  static Dataset<Row> frame(StructType schema, Object[]... rows) {
    List<Row> list = java.util.Arrays.stream(rows).map(RowFactory::create).toList();
    return SparkTestSession.get().createDataFrame(list, schema);
  }

  /** Writes {@code df} as Parquet to a new temp folder and returns its path. */
  static String parquet(Dataset<Row> df, String prefix) {
    Path dir = TestPaths.newTempDir(prefix).resolve("data");
    df.coalesce(1).write().parquet(dir.toString());
    return dir.toString();
  }
}
