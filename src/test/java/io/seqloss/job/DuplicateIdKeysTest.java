package io.seqloss.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.seqloss.eval.IdKeyFiles;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.LongStream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The duplicate-id count's parts below Spark: the key files and the count of one bucket. */
class DuplicateIdKeysTest {
  @TempDir Path tmp;

  @Test
  void repeatedKeysAreCountedWithTheirRowsAndTheSmallestIdAsAString() {
    // 9 three times, 10 twice, -5 twice, 100 once: by string, "-5" < "10" < "9"
    long[] keys = {10, 9, 100, 9, -5, 10, 9, -5};
    DuplicateIds.BucketCount count = DuplicateIds.BucketCount.of(keys, true);
    assertEquals(3, count.ids());
    assertEquals(7, count.rows());
    assertEquals("-5", count.example());
  }

  @Test
  void hashKeysCarryNoExampleAndBucketsAdd() {
    DuplicateIds.BucketCount a = DuplicateIds.BucketCount.of(new long[] {3, 1, 3}, false);
    assertNull(a.example()); // a string id's key is a hash, not the id
    DuplicateIds.BucketCount b = DuplicateIds.BucketCount.of(new long[] {42, 7, 42, 42}, true);
    DuplicateIds.BucketCount c = DuplicateIds.BucketCount.of(new long[] {100, 100}, true);
    DuplicateIds.BucketCount sum = a.plus(b).plus(c);
    assertEquals(3, sum.ids());
    assertEquals(7, sum.rows());
    assertEquals("100", sum.example()); // "100" < "42" as strings
    assertEquals(0, DuplicateIds.BucketCount.of(new long[] {5, 6, 7}, true).ids());
  }

  @Test
  void eachKeyIsReadBackFromExactlyOneBucket() {
    IdKeyFiles files = new IdKeyFiles(tmp.resolve("keys").toString(), 3, new Configuration());
    long[][] partitions = {{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, Long.MIN_VALUE, -1}, {}, {5, 5, 42}};
    long[] expected = {Long.MIN_VALUE, -1, 0, 1, 2, 3, 4, 5, 5, 5, 6, 7, 8, 9, 42};
    assertArrayEquals(expected, writeAndReadEveryBucket(files, 3, partitions));
  }

  @Test
  void bucketsOfManyBlocksAreReadBackWhole() {
    // More keys than one block of the files' bulk reads and writes (8,192 keys), in two buckets.
    IdKeyFiles files = new IdKeyFiles(tmp.resolve("many").toString(), 2, new Configuration());
    java.util.Random random = new java.util.Random(11);
    long[][] partitions = {random.longs(40_000).toArray(), {7, 7}, random.longs(8_193).toArray()};
    long[] expected = Arrays.stream(partitions).flatMapToLong(Arrays::stream).sorted().toArray();
    assertArrayEquals(expected, writeAndReadEveryBucket(files, 2, partitions));
  }

  /** Writes each partition's keys, then reads every bucket back: all the keys, sorted. */
  private static long[] writeAndReadEveryBucket(
      IdKeyFiles files, int buckets, long[][] partitions) {
    for (int p = 0; p < partitions.length; p++) {
      IdKeyFiles.Collector collector = new IdKeyFiles.Collector();
      for (long key : partitions[p]) {
        collector.add(key);
      }
      files.write(p, collector);
    }
    return LongStream.range(0, buckets)
        .flatMap(b -> Arrays.stream(files.readBucket((int) b, partitions.length)))
        .sorted()
        .toArray();
  }
}
