package io.seqloss.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;

import io.seqloss.input.Corpus;
import io.seqloss.input.IdKind;
import io.seqloss.input.InputLayout;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Ids that more than one input row carries. Such rows are evaluated as separate sequences, which is
 * what the data says, but a join on id (a comparison of two runs, a notebook) would pair them wrongly,
 * so the run counts them. Spark aggregates the id column on the executors; the driver gets one row.
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
    String id = rows.columns()[InputLayout.ID];
    Row found = rows.select(col(id).as("id")).where(col("id").isNotNull())
        .groupBy("id").count().where(col("count").gt(1))
        .agg(count(lit(1)), sum("count"), min(col("id").cast("string")))
        .first();
    if (found.getLong(0) == 0) {
      return NONE;
    }
    return new DuplicateIds(found.getLong(0), found.getLong(1), Optional.of(found.getString(2)));
  }
}
