package io.seqloss.eval;

import io.seqloss.fastpath.ColumnarScan;
import io.seqloss.input.Corpus;
import java.io.Serializable;
import java.util.Iterator;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.vectorized.ColumnarBatch;

/**
 * How a corpus's rows reach the {@link PartitionEvaluator}: straight from the scan's columnar
 * batches when the plan allows it (the fast path, {@link ColumnarScan}), else as the query's rows.
 * Both paths hand the evaluator the same canonical rows, so results, errors and invalid-row
 * listings are the same.
 */
public final class CorpusEvaluation {
  private static final Logger LOG = LogManager.getLogger(CorpusEvaluation.class);

  private final Corpus corpus;
  private final Optional<ColumnarScan> columnar;
  private final String reason;

  private CorpusEvaluation(Corpus corpus, Optional<ColumnarScan> columnar, String reason) {
    this.corpus = corpus;
    this.columnar = columnar;
    this.reason = reason;
  }

  public static CorpusEvaluation plan(Corpus corpus) {
    ColumnarScan.Found found = ColumnarScan.find(corpus.rows(), corpus.layout());
    LOG.info(
        "reading the corpus {}: {}",
        found.scan().isPresent() ? "as columnar batches" : "row by row",
        found.reason());
    return new CorpusEvaluation(corpus, found.scan(), found.reason());
  }

  public boolean isColumnar() {
    return columnar.isPresent();
  }

  /** Why the path was chosen, for logs and tests. */
  public String reason() {
    return reason;
  }

  /**
   * The rows the corpus's files declare: their Parquet footers' counts, read when the corpus was
   * opened, or, for a scan that reads its files' headers while planning (Arrow), that scan's count
   * once a pass has run. Empty when neither is known (a corpus built in a test from rows).
   */
  public OptionalLong declaredRows() {
    if (corpus.footerRows().isPresent()) {
      return corpus.footerRows();
    }
    return columnar.map(ColumnarScan::declaredRows).orElse(OptionalLong.empty());
  }

  /** One lazy pass of the evaluator over every row of the corpus. */
  public JavaRDD<Row> evaluate(PartitionEvaluator evaluator) {
    return pass(evaluator::evaluate);
  }

  /** As {@link #evaluate}, for an evaluator made with {@link PartitionEvaluator#toInternalRows}. */
  public JavaRDD<InternalRow> evaluateToInternalRows(PartitionEvaluator evaluator) {
    return pass(evaluator::evaluateToInternalRows);
  }

  /** How a partition's canonical rows become output rows (serializable: it goes to tasks). */
  private interface Pass<T> extends Serializable {
    Iterator<T> over(CanonicalRows rows);
  }

  private <T> JavaRDD<T> pass(Pass<T> evaluate) {
    if (columnar.isPresent()) {
      ColumnarScan.BatchLayout layout = columnar.get().layout();
      JavaRDD<ColumnarBatch> batches = columnar.get().batches();
      return batches.mapPartitions(input -> evaluate.over(layout.rows(input)));
    }
    JavaRDD<InternalRow> rows = corpus.rows().queryExecution().toRdd().toJavaRDD();
    return rows.mapPartitions(input -> evaluate.over(CanonicalRows.of(input)));
  }
}
