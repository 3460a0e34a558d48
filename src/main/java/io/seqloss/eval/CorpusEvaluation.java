package io.seqloss.eval;

import io.seqloss.input.Corpus;
import io.seqloss.input.ReaderBatchSize;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.vectorized.ColumnarBatch;

/**
 * How a corpus's rows reach the {@link PartitionEvaluator}: straight from the Parquet scan's columnar
 * batches when the plan allows it (the fast path), else as the query's rows. Both paths hand the
 * evaluator the same canonical rows, so results, errors and invalid-row listings are the same.
 */
public final class CorpusEvaluation {
  private static final Logger LOG = LogManager.getLogger(CorpusEvaluation.class);

  private final Corpus corpus;
  private final Optional<ColumnarScan> columnar;
  private final String reason;
  private final OptionalInt batchRows;

  private CorpusEvaluation(Corpus corpus, Optional<ColumnarScan> columnar, String reason, OptionalInt batchRows) {
    this.corpus = corpus;
    this.columnar = columnar;
    this.reason = reason;
    this.batchRows = batchRows;
  }

  public static CorpusEvaluation plan(Corpus corpus) {
    ColumnarScan.Found found = ColumnarScan.find(corpus.rows(), corpus.layout());
    LOG.info("reading the corpus {}: {}", found.scan().isPresent() ? "as columnar batches" : "row by row",
        found.reason());
    OptionalInt batchRows = ReaderBatchSize.choose(corpus.rows().sparkSession(), corpus.files());
    return new CorpusEvaluation(corpus, found.scan(), found.reason(), batchRows);
  }

  public boolean isColumnar() {
    return columnar.isPresent();
  }

  /** Why the path was chosen, for logs and tests. */
  public String reason() {
    return reason;
  }

  /** One lazy pass of the evaluator over every row of the corpus. */
  public JavaRDD<Row> evaluate(PartitionEvaluator evaluator) {
    SparkSession spark = corpus.rows().sparkSession();
    if (columnar.isPresent()) {
      ColumnarScan.BatchLayout layout = columnar.get().layout();
      JavaRDD<ColumnarBatch> batches = ReaderBatchSize.with(spark, batchRows, columnar.get()::batches);
      return batches.mapPartitions(input -> evaluator.evaluate(new BatchRows(input, layout)));
    }
    JavaRDD<InternalRow> rows = ReaderBatchSize.with(spark, batchRows,
        () -> corpus.rows().queryExecution().toRdd().toJavaRDD());
    return rows.mapPartitions(evaluator);
  }
}
