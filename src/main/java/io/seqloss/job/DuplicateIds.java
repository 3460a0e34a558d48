package io.seqloss.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.xxhash64;

import io.seqloss.input.Corpus;
import io.seqloss.input.IdKind;
import io.seqloss.input.InputLayout;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.api.java.function.ReduceFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;

/**
 * Ids that more than one input row carries. Such rows are evaluated as separate sequences, which is
 * what the data says, but a join on id (a comparison of two runs, a notebook) would pair them
 * wrongly, so the run counts them. Spark aggregates the id column on the executors; the driver gets
 * one row.
 *
 * <p>Grouping millions of unique string ids cost more than the evaluation pass itself on short rows
 * (BENCHMARKS.md, 2026-12-01), so string ids are first grouped by a 64-bit hash: with no hash
 * carried twice (the usual case) no id is. Otherwise only the rows whose hash repeats are grouped
 * by id, which keeps the counts exact whatever the collisions.
 *
 * @param ids distinct ids carried by more than one row
 * @param rows the rows carrying those ids
 * @param example the smallest such id, to look it up
 */
record DuplicateIds(long ids, long rows, Optional<String> example) {
  static final DuplicateIds NONE = new DuplicateIds(0, 0, Optional.empty());

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
