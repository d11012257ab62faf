package dev.arbor.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class DemoDatasetTest {
  private static final List<Row> ROWS = DemoDataset.rows(new DemoSettings(20_000, 7));

  @Test
  void sameSeedSameRowsOtherSeedOtherRows() {
    assertThat(DemoDataset.rows(new DemoSettings(20_000, 7))).isEqualTo(ROWS);
    assertThat(DemoDataset.rows(new DemoSettings(20_000, 8))).isNotEqualTo(ROWS);
    assertThat(ROWS).hasSize(20_000);
    assertThat(ROWS.get(0).size()).isEqualTo(DemoDataset.SCHEMA.size());
  }

  @Test
  void invalidRowsAreWhereTheDocumentationSays() {
    long nullLabels = ROWS.stream().filter(r -> r.isNullAt(8)).count();
    long nanScores = ROWS.stream().filter(r -> Double.isNaN(r.getDouble(3))).count();
    long infIncomes =
        ROWS.stream().filter(r -> !r.isNullAt(2) && Double.isInfinite(r.getDouble(2))).count();
    long distinctIds = ROWS.stream().map(r -> r.getLong(0)).distinct().count();
    assertThat(nullLabels).isEqualTo(20);
    assertThat(nanScores).isEqualTo(10);
    assertThat(infIncomes).isEqualTo(5);
    assertThat(distinctIds).isEqualTo(20_000 - 10);
  }

  @Test
  void missingValuesAndCategoriesHaveTheDocumentedShape() {
    double ageMissing = ROWS.stream().filter(r -> r.isNullAt(1)).count() / 20_000.0;
    double incomeMissing = ROWS.stream().filter(r -> r.isNullAt(2)).count() / 20_000.0;
    double segmentMissing = ROWS.stream().filter(r -> r.isNullAt(5)).count() / 20_000.0;
    // binomial standard deviations at n = 20,000: 0.001, 0.0012, 0.0007; allow 4
    assertThat(ageMissing).isBetween(0.016, 0.024);
    assertThat(incomeMissing).isBetween(0.025, 0.035);
    assertThat(segmentMissing).isBetween(0.007, 0.013);
    assertThat(ROWS.stream().map(r -> r.getString(6)).distinct().count())
        .isEqualTo(DemoDataset.REGIONS);
  }

  @Test
  void labelFollowsTheLogisticModel() {
    // mean of sigmoid(z) over the rows with a label ≈ the label rate (a calibration check of the
    // documented coefficients); z is recomputed only where every value is present.
    double sumP = 0;
    double sumY = 0;
    int n = 0;
    for (Row r : ROWS) {
      if (r.isNullAt(8)
          || r.isNullAt(1)
          || r.isNullAt(2)
          || r.isNullAt(5)
          || !Double.isFinite(r.getDouble(2))
          || Double.isNaN(r.getDouble(3))) {
        continue;
      }
      double z =
          DemoDataset.INTERCEPT
              + DemoDataset.COEF_AGE * (r.getInt(1) - 45)
              + DemoDataset.COEF_INCOME * (r.getDouble(2) - 50)
              + DemoDataset.COEF_SCORE * r.getDouble(3)
              + DemoDataset.COEF_TENURE * (r.getInt(4) - 60)
              + DemoDataset.SEGMENT_EFFECT.get(r.getString(5))
              + DemoDataset.CHANNEL_EFFECT.get(r.getInt(7));
      sumP += 1 / (1 + Math.exp(-z));
      sumY += r.getInt(8);
      n++;
    }
    // the label sum is a sum of independent Bernoullis: sd ≤ sqrt(n / 4) ≈ 70; allow 4 sd
    assertThat(sumY).isCloseTo(sumP, org.assertj.core.api.Assertions.within(280.0));
    assertThat(sumY / n).isBetween(0.2, 0.8);
  }
}
