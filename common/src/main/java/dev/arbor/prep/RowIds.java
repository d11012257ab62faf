package dev.arbor.prep;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.hex;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.lpad;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.xxhash64;

import dev.arbor.ingest.InputColumns;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Row ids. With an id column, the id cast to string. Without one, a deterministic id generated from
 * the row's content: two 64-bit xxHash values over every column of an atomic type (with a null flag
 * per column, so that values moving between columns change the hash), in column-name order, as 32
 * hex digits, then {@code -n} where n numbers identical rows 1, 2, ... Identical rows are
 * interchangeable, so the set of (id, row) pairs is the same on every run, whatever the row order
 * or partitioning. Generated ids change when any column value or the set of columns changes.
 */
final class RowIds {
  private static final String H1 = "__arbor_h1";
  private static final String H2 = "__arbor_h2";

  private RowIds() {}

  /**
   * {@code df} with the working columns {@link Columns#W_ROW_ID} and {@link Columns#W_SPLIT_KEY} (a
   * hash of the id, or of the content for generated ids, and the seed).
   */
  static Dataset<Row> withRowId(Dataset<Row> df, String idColumn, long seed) {
    if (idColumn != null) {
      Column id = InputColumns.ref(idColumn).cast("string");
      return df.withColumn(Columns.W_ROW_ID, id)
          .withColumn(Columns.W_SPLIT_KEY, xxhash64(lit(seed), id));
    }
    Dataset<Row> hashed = withContentHashes(df);
    Column n = row_number().over(Window.partitionBy(col(H1), col(H2)).orderBy(col(H1)));
    return hashed
        .withColumn(
            Columns.W_ROW_ID, concat(hex16(col(H1)), hex16(col(H2)), lit("-"), n.cast("string")))
        .withColumn(Columns.W_SPLIT_KEY, xxhash64(lit(seed), col(H1), col(H2)))
        .drop(H1, H2);
  }

  /**
   * {@code df} with the working column {@link Columns#W_SPLIT_KEY} only: the same split key as
   * {@link #withRowId}, without the row id (no shuffle: the generated ids' numbering of identical
   * rows is not needed for the key).
   */
  static Dataset<Row> withSplitKey(Dataset<Row> df, String idColumn, long seed) {
    if (idColumn != null) {
      Column id = InputColumns.ref(idColumn).cast("string");
      return df.withColumn(Columns.W_SPLIT_KEY, xxhash64(lit(seed), id));
    }
    return withContentHashes(df)
        .withColumn(Columns.W_SPLIT_KEY, xxhash64(lit(seed), col(H1), col(H2)))
        .drop(H1, H2);
  }

  private static Dataset<Row> withContentHashes(Dataset<Row> df) {
    List<Column> parts = contentColumns(df.schema());
    List<Column> first = new ArrayList<>(parts);
    first.add(0, lit("arbor-row-id-1"));
    List<Column> second = new ArrayList<>(parts);
    second.add(0, lit("arbor-row-id-2"));
    return df.withColumn(H1, xxhash64(first.toArray(Column[]::new)))
        .withColumn(H2, xxhash64(second.toArray(Column[]::new)));
  }

  private static Column hex16(Column h) {
    return lpad(lower(hex(h)), 16, "0");
  }

  private static List<Column> contentColumns(StructType schema) {
    List<Column> out = new ArrayList<>();
    StructField[] fields = schema.fields().clone();
    Arrays.sort(fields, (a, b) -> a.name().compareTo(b.name()));
    for (StructField f : fields) {
      if (f.dataType() instanceof ArrayType
          || f.dataType() instanceof MapType
          || f.dataType() instanceof StructType
          || f.name().startsWith("__arbor_")) {
        continue;
      }
      out.add(InputColumns.ref(f.name()));
      out.add(InputColumns.ref(f.name()).isNull());
    }
    return out;
  }
}
