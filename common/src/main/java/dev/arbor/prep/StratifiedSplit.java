package dev.arbor.prep;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.shiftright;
import static org.apache.spark.sql.functions.when;

import dev.arbor.spark.ColumnTrees;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * The exact stratified split as per-class thresholds (see {@link RowAnnotator}): within a class,
 * the valid rows of rank ≤ t by (split key, row id) are exactly those whose (key, row id) is ≤ that
 * of the rank-t row. Two small jobs find the rank-t rows: the valid rows counted per (class,
 * bucket), a bucket being the key's top bits (an arithmetic shift, so bucket order is key order),
 * tell which bucket holds each rank-t row and its rank there; the valid rows of those few buckets
 * are ranked by (key, row id) and the rank-t rows collected. The split is then a comparison with
 * literals, row by row: no sort or shuffle of the rows themselves.
 */
public final class StratifiedSplit {
  private static final String LABEL_KEY = "__arbor_label_key";
  private static final String BUCKET = "__arbor_bucket";
  private static final String RANK = "__arbor_rank";
  private static final String KEY = "__arbor_cut_key";
  private static final String ID = "__arbor_cut_id";

  private StratifiedSplit() {}

  /** The bucket of a split key: its top {@code bits} bits, signed, so bucket order = key order. */
  private static Column bucket(Column key, int bits) {
    return shiftright(key, 64 - bits);
  }

  /** The rank-t row of a class (t in 1..n-1): its split key and row id. */
  private record Threshold(long rank, Long key, String rowId) {}

  /**
   * The split of a valid row of {@code annotated} (which has {@link Columns#W_REASON}, {@link
   * Columns#W_SPLIT_KEY} and {@link Columns#W_ROW_ID}): per class, train when (key, row id) ≤ the
   * rank-round(n·train) row's, validation when ≤ the rank-round(n·upToValidation) row's, else test.
   * Runs the two small jobs that find those rows.
   *
   * @param labelKey the class of a row, as a string
   * @param bits split-key bits per bucket (2^bits buckets)
   */
  static Column of(
      Dataset<Row> annotated, Column labelKey, double train, double upToValidation, int bits) {
    Column cut =
        cuts(
            annotated.filter(col(Columns.W_REASON).isNull()),
            labelKey,
            col(Columns.W_SPLIT_KEY),
            col(Columns.W_ROW_ID),
            new double[] {train, upToValidation},
            bits);
    return when(cut.equalTo(lit(0)), lit(Columns.TRAIN))
        .when(cut.equalTo(lit(1)), lit(Columns.VALIDATION))
        .otherwise(lit(Columns.TEST));
  }

  /**
   * Exact per-group cuts by rank, without sorting the rows: within a group of n rows of {@code
   * rows}, ranked by (key, id), a row of rank r gets the first j with r ≤ round(n·fractions[j]),
   * else {@code fractions.length}. The stratified split uses it with the train and validation
   * shares; k-fold cross-validation with the fractions 1/k … (k−1)/k (fold sizes within a group
   * then differ by less than 1 from n/k). A row outside {@code rows} (another group, or filtered
   * out) gets {@code fractions.length} (its group unknown) or the cut its (key, id) falls in. Runs
   * two small jobs (counts per (group, bucket), then the ranks in the few buckets holding a cut
   * row).
   *
   * @param group a row's group as a non-null string (e.g. its class; one literal for one group)
   * @param key a LONG column, evenly spread (a hash): its top bits form the buckets
   * @param id a STRING column, unique among {@code rows}: the tie-breaker
   * @param fractions ascending, in [0, 1]
   * @param bits key bits per bucket (2^bits buckets)
   * @return an INT column in 0..fractions.length, to be evaluated on rows that have the columns
   *     {@code group}, {@code key} and {@code id} refer to
   */
  public static Column cuts(
      Dataset<Row> rows, Column group, Column key, Column id, double[] fractions, int bits) {
    Dataset<Row> valid =
        rows.select(group.as(LABEL_KEY), bucket(key, bits).as(BUCKET), key.as(KEY), id.as(ID));
    // Rows per (group, bucket): which bucket holds each group's rank-t rows.
    Map<String, TreeMap<Long, Long>> counts = new TreeMap<>();
    for (Row r : valid.groupBy(col(LABEL_KEY), col(BUCKET)).count().collectAsList()) {
      counts.computeIfAbsent(r.getString(0), c -> new TreeMap<>()).put(r.getLong(1), r.getLong(2));
    }
    // Per group the targets (rank t in the group) and where they are (bucket, rank in bucket).
    Map<String, long[]> targets = new TreeMap<>();
    List<Column> where = new ArrayList<>();
    Map<String, Long> bucketRank = new HashMap<>();
    for (Map.Entry<String, TreeMap<Long, Long>> c : counts.entrySet()) {
      long n = c.getValue().values().stream().mapToLong(Long::longValue).sum();
      long[] t = new long[fractions.length];
      for (int j = 0; j < t.length; j++) {
        t[j] = roundedShare(n, fractions[j]);
      }
      targets.put(c.getKey(), t);
      for (long rank : t) {
        if (rank <= 0 || rank >= n) {
          continue;
        }
        long before = 0;
        for (Map.Entry<Long, Long> b : c.getValue().entrySet()) {
          if (rank <= before + b.getValue()) {
            bucketRank.put(c.getKey() + "\u0000" + b.getKey() + "\u0000" + (rank - before), rank);
            where.add(
                col(LABEL_KEY).equalTo(lit(c.getKey())).and(col(BUCKET).equalTo(lit(b.getKey()))));
            break;
          }
          before += b.getValue();
        }
      }
    }
    // The rank-t rows: rank the rows of those buckets by (key, id), keep the targets.
    Map<String, Map<Long, Threshold>> thresholds = new TreeMap<>();
    if (!where.isEmpty()) {
      Column inBucket =
          row_number()
              .over(Window.partitionBy(col(LABEL_KEY), col(BUCKET)).orderBy(col(KEY), col(ID)));
      List<Row> ranked =
          valid.filter(ColumnTrees.or(where)).withColumn(RANK, inBucket).collectAsList();
      for (Row r : ranked) {
        String at = r.getString(0) + "\u0000" + r.getLong(1) + "\u0000" + r.getInt(4);
        Long rank = bucketRank.get(at);
        if (rank != null) {
          thresholds
              .computeIfAbsent(r.getString(0), c -> new TreeMap<>())
              .put(rank, new Threshold(rank, r.getLong(2), r.getString(3)));
        }
      }
    }
    Column cut = null;
    for (Map.Entry<String, long[]> c : targets.entrySet()) {
      long n = counts.get(c.getKey()).values().stream().mapToLong(Long::longValue).sum();
      Map<Long, Threshold> found = thresholds.getOrDefault(c.getKey(), Map.of());
      Column inGroup = group.equalTo(lit(c.getKey()));
      for (int j = 0; j < c.getValue().length; j++) {
        Column below = inGroup.and(atOrBelow(c.getValue()[j], n, found, key, id));
        cut = cut == null ? when(below, lit(j)) : cut.when(below, lit(j));
      }
    }
    return cut == null ? lit(fractions.length) : cut.otherwise(lit(fractions.length));
  }

  /** Whether a row of the class has rank ≤ {@code rank} (of {@code n}): compares (key, row id). */
  private static Column atOrBelow(
      long rank, long n, Map<Long, Threshold> found, Column key, Column id) {
    if (rank <= 0) {
      return lit(false);
    }
    if (rank >= n) {
      return lit(true);
    }
    Threshold t = found.get(rank);
    if (t == null) {
      throw new IllegalStateException("Cannot split: no row of rank " + rank + " found");
    }
    return key.lt(lit(t.key())).or(key.equalTo(lit(t.key())).and(id.leq(lit(t.rowId()))));
  }

  /** round(n · fraction), half up; exactly n for fraction 1. */
  static long roundedShare(long n, double fraction) {
    if (fraction >= 1.0) {
      return n;
    }
    return (long) Math.floor((double) n * fraction + 0.5);
  }
}
