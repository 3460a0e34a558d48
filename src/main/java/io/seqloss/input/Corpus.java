package io.seqloss.input;

import io.seqloss.config.InputFormat;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * An evaluation corpus ready for the evaluator: canonical rows in {@link InputLayout}'s column order,
 * and the data files they come from (sorted, so that anything derived from "the first file" is the
 * same whatever order the paths were given in), and their format, to open one of them again.
 */
public record Corpus(Dataset<Row> rows, InputLayout layout, List<String> files, InputFormat format) {
  public Corpus {
    files = List.copyOf(files);
  }

  /** A Parquet corpus (the format callers from before Arrow input meant). */
  public Corpus(Dataset<Row> rows, InputLayout layout, List<String> files) {
    this(rows, layout, files, InputFormat.PARQUET);
  }
}
