package io.seqloss.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.xxhash64;

import io.seqloss.eval.IdKeyFiles;
import io.seqloss.input.Corpus;
import io.seqloss.input.IdKind;
import io.seqloss.input.InputLayout;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.api.java.function.ReduceFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Ids that more than one input row carries. Such rows are evaluated as separate sequences, which is
 * what the data says, but a join on id (a comparison of two runs, a notebook) would pair them
 * wrongly, so the run counts them. Spark aggregates the id column on the executors; the driver gets
 * one row.
 *
 * <p>The evaluation pass writes every id's 64-bit key ({@link IdKeyFiles}); a long id is its own
 * key, so its counts come from the keys exactly. A string id's key is a hash: with no key carried
 * twice (the usual case) no id is; otherwise the corpus's id column is grouped again, first by
 * xxhash64 and then exactly for the rows whose hash repeats, which keeps the counts exact whatever
 * the collisions. Reading the keys instead of the corpus's id column removed a second scan
 * (BENCHMARKS.md, issue 15).
 *
 * @param ids distinct ids carried by more than one row
 * @param rows the rows carrying those ids
 * @param example the smallest such id, to look it up
 */
record DuplicateIds(long ids, long rows, Optional<String> example) {
  static final DuplicateIds NONE = new DuplicateIds(0, 0, Optional.empty());

  /**
   * Counts from the keys that the evaluation pass over {@code partitions} partitions wrote, then
   * deletes them.
   */
  static DuplicateIds fromKeys(SparkSession spark, Corpus corpus, IdKeyFiles keys, int partitions) {
    if (corpus.layout().idKind() == IdKind.DERIVED || partitions == 0) {
      return NONE; // ids made from file and row index are unique by construction
    }
    try {
      boolean longIds = corpus.layout().idKind() == IdKind.LONG;
      List<BucketCount> buckets =
          JavaSparkContext.fromSparkContext(spark.sparkContext())
              .parallelize(IntStream.range(0, keys.buckets()).boxed().toList(), keys.buckets())
              .map(b -> BucketCount.of(keys.readBucket(b, partitions), longIds))
              .collect();
      BucketCount all = buckets.stream().reduce(BucketCount.NONE, BucketCount::plus);
      if (all.ids() == 0) {
        return NONE;
      }
      if (!longIds) {
        return of(corpus); // a repeated hash: the ids themselves decide
      }
      return new DuplicateIds(all.ids(), all.rows(), Optional.of(all.example()));
    } finally {
      delete(spark, keys.dir());
    }
  }

  private static void delete(SparkSession spark, String dir) {
    try {
      Path path = new Path(dir);
      path.getFileSystem(spark.sparkContext().hadoopConfiguration()).delete(path, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the id keys " + dir, e);
    }
  }

  /**
   * The keys of one bucket that more than one row carries, and the rows carrying them; for long ids
   * also the smallest such id as a string (the order of {@code min(cast(id as string))}).
   */
  record BucketCount(long ids, long rows, String example) implements Serializable {
    static final BucketCount NONE = new BucketCount(0, 0, null);

    static BucketCount of(long[] keys, boolean longIds) {
      LongRadixSort.sort(keys); // equal keys side by side; the example is the smallest string
      long ids = 0;
      long rows = 0;
      String example = null;
      for (int i = 0; i < keys.length; ) {
        int end = i + 1;
        while (end < keys.length && keys[end] == keys[i]) {
          end++;
        }
        if (end - i > 1) {
          ids++;
          rows += end - i;
          if (longIds) {
            example = smaller(example, Long.toString(keys[i]));
          }
        }
        i = end;
      }
      return new BucketCount(ids, rows, example);
    }

    BucketCount plus(BucketCount other) {
      return new BucketCount(ids + other.ids, rows + other.rows, smaller(example, other.example));
    }

    private static String smaller(String a, String b) {
      return a == null || b != null && b.compareTo(a) < 0 ? b : a;
    }
  }

  static DuplicateIds of(Corpus corpus) {
    if (corpus.layout().idKind() == IdKind.DERIVED) {
      return NONE; // ids made from file and row index are unique by construction
    }
    Dataset<Row> rows = corpus.rows();
    String idName = rows.columns()[InputLayout.ID];
    Dataset<Row> ids = rows.select(col(idName).as("id")).where(col("id").isNotNull());
    if (corpus.layout().idKind() == IdKind.LONG) {
      return exact(ids); // a long id is its own key
    }
    Dataset<Row> keyed = ids.withColumn("key", xxhash64(col("id")));
    // Shuffled by key, then each partition's keys sorted in a long[]: Spark's hash aggregation of
    // millions of unique keys (map side and reduce side) cost several times more.
    long repeated =
        keyed
            .select("key")
            .repartition(col("key"))
            .as(Encoders.LONG())
            .mapPartitions(
                (MapPartitionsFunction<Long, Long>) DuplicateIds::repeatedKeys, Encoders.LONG())
            .reduce((ReduceFunction<Long>) Long::sum);
    if (repeated == 0) {
      return NONE;
    }
    Dataset<Row> repeatedKeys =
        keyed.groupBy("key").count().where(col("count").gt(1)).select("key");
    return exact(keyed.join(repeatedKeys, "key", "left_semi").select("id"));
  }

  /**
   * How many of a partition's keys equal the one before them once sorted (one value per partition).
   */
  private static Iterator<Long> repeatedKeys(Iterator<Long> keys) {
    long[] sorted = new long[1024];
    int n = 0;
    while (keys.hasNext()) {
      if (n == sorted.length) {
        sorted = Arrays.copyOf(sorted, sorted.length * 2);
      }
      sorted[n++] = keys.next();
    }
    Arrays.sort(sorted, 0, n);
    long repeated = 0;
    for (int i = 1; i < n; i++) {
      if (sorted[i] == sorted[i - 1]) {
        repeated++;
      }
    }
    return List.of(repeated).iterator();
  }

  private static DuplicateIds exact(Dataset<Row> ids) {
    Column id = col("id");
    Row found =
        ids.groupBy(id)
            .count()
            .where(col("count").gt(1))
            .agg(count(lit(1)), sum("count"), min(id.cast("string")))
            .first();
    if (found.getLong(0) == 0) {
      return NONE;
    }
    return new DuplicateIds(found.getLong(0), found.getLong(1), Optional.of(found.getString(2)));
  }
}
