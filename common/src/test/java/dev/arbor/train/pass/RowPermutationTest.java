package dev.arbor.train.pass;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RowPermutationTest {

  @Test
  void isABijectionForEverySize() {
    for (int n : new int[] {1, 2, 3, 4, 5, 7, 16, 17, 100, 1000, 4097, 65_537}) {
      RowPermutation p = new RowPermutation(42, 3, 1, n);
      boolean[] seen = new boolean[n];
      for (int i = 0; i < n; i++) {
        long j = p.apply(i);
        assertThat(j).isBetween(0L, n - 1L);
        assertThat(seen[(int) j]).as("n=%d image %d twice", n, j).isFalse();
        seen[(int) j] = true;
      }
    }
  }

  @Test
  void dependsOnSeedEpochAndPartitionOnly() {
    long[] base = images(new RowPermutation(7, 0, 0, 500), 500);
    assertThat(images(new RowPermutation(7, 0, 0, 500), 500)).containsExactly(base);
    assertThat(images(new RowPermutation(8, 0, 0, 500), 500)).isNotEqualTo(base);
    assertThat(images(new RowPermutation(7, 1, 0, 500), 500)).isNotEqualTo(base);
    assertThat(images(new RowPermutation(7, 0, 1, 500), 500)).isNotEqualTo(base);
  }

  @Test
  void shufflesRatherThanShifts() {
    long[] img = images(new RowPermutation(1, 0, 0, 1000), 1000);
    int fixedPoints = 0;
    int ascendingPairs = 0;
    for (int i = 0; i < img.length; i++) {
      fixedPoints += img[i] == i ? 1 : 0;
      ascendingPairs += i > 0 && img[i] == img[i - 1] + 1 ? 1 : 0;
    }
    // a random permutation of 1000 has ~1 fixed point and ~1 successor pair on average
    assertThat(fixedPoints).isLessThan(10);
    assertThat(ascendingPairs).isLessThan(10);
    long[] sorted = img.clone();
    Arrays.sort(sorted);
    assertThat(sorted).isNotEqualTo(img);
  }

  @Test
  void rejectsIndicesOutsideTheDomain() {
    assertThatThrownBy(() -> new RowPermutation(1, 0, 0, 10).apply(10))
        .hasMessage("Cannot permute index 10: outside [0, 10)");
  }

  private static long[] images(RowPermutation p, int n) {
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      out[i] = p.apply(i);
    }
    return out;
  }
}
