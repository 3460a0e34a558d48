package io.seqloss.eval;

import java.io.DataOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.util.SerializableConfiguration;

/**
 * The 64-bit id keys of an evaluation pass ({@link SequenceKeys}; a long id is its own key), one
 * file a partition, so that counting duplicate ids does not read the corpus a second time. A file
 * holds its keys split into {@code buckets} by a mix of the key, each bucket's keys contiguous: the
 * count reads one bucket of every file per task.
 *
 * <p>Format: {@code buckets + 1} ints (the first key of each bucket, then the total), then the keys
 * as longs. Every attempt of a partition writes the same keys, so the first attempt's file is kept
 * (written under its attempt's name, then renamed).
 */
public final class IdKeyFiles implements Serializable {
  private static final long serialVersionUID = 1L;

  private static final int BLOCK_KEYS = 8192;

  private final String dir;
  private final int buckets;
  private final SerializableConfiguration conf;

  public IdKeyFiles(String dir, int buckets, Configuration conf) {
    if (buckets < 1) {
      throw new IllegalArgumentException("buckets must be positive: " + buckets);
    }
    this.dir = dir;
    this.buckets = buckets;
    this.conf = new SerializableConfiguration(conf);
  }

  public int buckets() {
    return buckets;
  }

  public String dir() {
    return dir;
  }

  /** The bucket of a key: a multiplicative mix, so that consecutive long ids spread too. */
  static int bucketOf(long key, int buckets) {
    long mixed = (key * 0x9E3779B97F4A7C15L) >>> 33; // 31 bits
    return (int) ((mixed * buckets) >>> 31);
  }

  /** A partition's keys, in the order rows are read. */
  public static final class Collector {
    private long[] keys = new long[1024];
    private int size;

    public void add(long key) {
      if (size == keys.length) {
        keys = Arrays.copyOf(keys, keys.length * 2);
      }
      keys[size++] = key;
    }
  }

  /** Writes a partition's keys, grouped by bucket. */
  public void write(int partition, Collector collected) {
    int[] starts = new int[buckets + 1];
    int[] bucket = new int[collected.size];
    for (int i = 0; i < collected.size; i++) {
      bucket[i] = bucketOf(collected.keys[i], buckets);
      starts[bucket[i] + 1]++;
    }
    for (int b = 0; b < buckets; b++) {
      starts[b + 1] += starts[b];
    }
    long[] grouped = new long[collected.size];
    int[] next = Arrays.copyOf(starts, buckets);
    for (int i = 0; i < collected.size; i++) {
      grouped[next[bucket[i]]++] = collected.keys[i];
    }
    Path file = file(partition);
    Path attempt = new Path(dir, "." + file.getName() + "-" + System.nanoTime() + ".tmp");
    try {
      FileSystem fs = file.getFileSystem(conf.value());
      try (DataOutputStream out = fs.create(attempt, true)) {
        for (int start : starts) {
          out.writeInt(start);
        }
        // In blocks, not a writeLong each (a stream call per key); big-endian, as writeLong.
        ByteBuffer block = ByteBuffer.allocate(8 * BLOCK_KEYS);
        for (int from = 0; from < grouped.length; from += BLOCK_KEYS) {
          int n = Math.min(BLOCK_KEYS, grouped.length - from);
          block.clear();
          block.asLongBuffer().put(grouped, from, n);
          out.write(block.array(), 0, 8 * n);
        }
      }
      if (!fs.rename(attempt, file)) { // another attempt's file is there already: the same keys
        fs.delete(attempt, false);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the id keys of partition " + partition, e);
    }
  }

  /** The keys of one bucket over the files of partitions 0 to {@code partitions - 1}. */
  public long[] readBucket(int bucketIndex, int partitions) {
    long[] keys = new long[0];
    int size = 0;
    byte[] block = new byte[8 * BLOCK_KEYS];
    try {
      FileSystem fs = new Path(dir).getFileSystem(conf.value());
      for (int p = 0; p < partitions; p++) {
        try (FSDataInputStream in = fs.open(file(p))) {
          in.seek(4L * bucketIndex);
          int from = in.readInt();
          int to = in.readInt();
          in.seek(4L * (buckets + 1) + 8L * from);
          if (size + (to - from) > keys.length) {
            keys = Arrays.copyOf(keys, Math.max(2 * keys.length, size + to - from));
          }
          // In blocks, not a readLong each (a stream call per key); big-endian, as written.
          for (int left = to - from; left > 0; ) {
            int n = Math.min(left, BLOCK_KEYS);
            in.readFully(block, 0, 8 * n);
            ByteBuffer.wrap(block, 0, 8 * n).asLongBuffer().get(keys, size, n);
            size += n;
            left -= n;
          }
        } catch (FileNotFoundException e) {
          throw new IllegalStateException(
              "the id keys of partition " + p + " are missing from " + dir, e);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the id keys in " + dir, e);
    }
    return Arrays.copyOf(keys, size);
  }

  private Path file(int partition) {
    return new Path(dir, String.format("part-%05d", partition));
  }
}
