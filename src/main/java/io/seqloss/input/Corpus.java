package io.seqloss.input;

import io.seqloss.config.InputFormat;
import java.util.List;
import java.util.OptionalLong;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * An evaluation corpus ready for the evaluator: canonical rows in {@link InputLayout}'s column
 * order, and the data files they come from (sorted, so that anything derived from "the first file"
 * is the same whatever order the paths were given in), and their format, to open one of them again.
 *
 * @param skipped the unreadable files left out under {@code --on-invalid=skip}; their rows are
 *     unknown
 * @param footerRows the number of rows the footers of {@code files} declare, when known (Parquet):
 *     every one of them must come out of the evaluation as a valid or an invalid row
 */
public record Corpus(
    Dataset<Row> rows,
    InputLayout layout,
    List<String> files,
    InputFormat format,
    List<ParquetFooters.Footer> skipped,
    OptionalLong footerRows) {
  public Corpus {
    files = List.copyOf(files);
    skipped = List.copyOf(skipped);
  }

  /**
   * A corpus made from rows directly (tests repartition one): nothing skipped, no row count to
   * check.
   */
  public Corpus(Dataset<Row> rows, InputLayout layout, List<String> files, InputFormat format) {
    this(rows, layout, files, format, List.of(), OptionalLong.empty());
  }

  /** A Parquet corpus (the format callers from before Arrow input meant). */
  public Corpus(Dataset<Row> rows, InputLayout layout, List<String> files) {
    this(rows, layout, files, InputFormat.PARQUET);
  }
}
