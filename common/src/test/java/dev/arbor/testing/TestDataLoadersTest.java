package dev.arbor.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** The shared-dataset loaders parse what the datasets README describes. */
@SharedDatasets
class TestDataLoadersTest {
  @Test
  void a9aHas32561RowsOf14ActiveFeatures() {
    List<Row> rows = LibSvm.parse(TestPaths.dataset("libsvm/a9a"), 123);
    assertThat(rows).hasSize(32_561);
    Row first = rows.get(0);
    assertThat(first.getString(0)).isEqualTo("a9a:000001");
    assertThat(first.getDouble(1)).isEqualTo(0.0);
    assertThat(first.getDouble(2)).isEqualTo(1.0);
    double active = 0;
    for (int j = 3; j < first.size(); j++) {
      active += first.getDouble(j);
    }
    assertThat(active).isEqualTo(14);
    assertThat(first.getDouble(2 + 3)).isEqualTo(1.0);
    long positives = rows.stream().filter(r -> r.getDouble(1) == 1.0).count();
    assertThat(positives).isEqualTo(7_841);
  }

  @Test
  void nistParsesCertifiedValuesAndData() {
    NistStrd norris = NistStrd.load("Norris");
    assertThat(norris.coefficients()).containsExactly(-0.262323073774029, 1.00211681802045);
    assertThat(norris.x()[0]).containsExactly(0.2);
    assertThat(norris.y()[0]).isEqualTo(0.1);
    assertThat(NistStrd.digits(1.0000001, 1.0)).isCloseTo(7, within(1e-6));
  }

  @Test
  void prostateIsStandardizedOverAll97Rows() {
    Prostate p = Prostate.load();
    double[] sum = new double[8];
    double[] sq = new double[8];
    for (List<Row> part : List.of(p.trainRows(), p.testRows())) {
      for (Row r : part) {
        for (int j = 0; j < 8; j++) {
          sum[j] += r.getDouble(3 + j);
          sq[j] += r.getDouble(3 + j) * r.getDouble(3 + j);
        }
      }
    }
    for (int j = 0; j < 8; j++) {
      assertThat(sum[j] / 97).isCloseTo(0, within(1e-12));
      assertThat(sq[j] / 97).isCloseTo(1, within(1e-12));
    }
    assertThat(p.mean()[0]).isCloseTo(1.35001, within(1e-5));
  }
}
