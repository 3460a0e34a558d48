package io.seqloss.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The radix sort against the JDK's sort under the unsigned order, on the shapes id keys take. */
class LongRadixSortTest {
  private static void assertSortsLikeTheJdk(long[] keys) {
    long[] expected = Arrays.stream(keys).map(k -> k ^ Long.MIN_VALUE).sorted().toArray();
    for (int i = 0; i < expected.length; i++) {
      expected[i] ^= Long.MIN_VALUE; // back from the signed order of flipped keys to the keys
    }
    long[] sorted = keys.clone();
    LongRadixSort.sort(sorted);
    assertArrayEquals(expected, sorted);
  }

  @Test
  void sortsHashesSequentialIdsAndRepeats() {
    Random random = new Random(3);
    assertSortsLikeTheJdk(new long[0]);
    assertSortsLikeTheJdk(new long[] {42});
    assertSortsLikeTheJdk(random.longs(100_000).toArray()); // string ids' hashes
    long[] sequential = new long[70_000]; // long ids: high digits all equal, passes skipped
    for (int i = 0; i < sequential.length; i++) {
      sequential[i] = 1_000_000L + (i * 7919L) % sequential.length;
    }
    assertSortsLikeTheJdk(sequential);
    long[] repeats = random.longs(50_000, -5, 5).toArray(); // negative keys and many repeats
    assertSortsLikeTheJdk(repeats);
    long[] same = new long[1000];
    Arrays.fill(same, -1L);
    assertSortsLikeTheJdk(same);
  }
}
