package io.seqloss.input.arrow;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqloss.config.InputFormat;
import io.seqloss.input.FormatSources;
import io.seqloss.testing.Corpora;
import io.seqloss.testing.CorpusRow;
import io.seqloss.testing.SparkTestBase;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class ArrowSourceTest extends SparkTestBase {
  @Test
  void smoke() {
    List<CorpusRow> rows = Corpora.workedExample();
    Path arrow = Corpora.writeArrow(tmp, rows, 1, ArrowIpcFormat.STREAM, 1);
    Path parquet = Corpora.write(session(), tmp, rows, 1);
    Dataset<Row> a = FormatSources.open(session(), InputFormat.ARROW, List.of(arrow.toString()));
    a.printSchema();
    Dataset<Row> sel = a.select(col("id"), col("logits"), col("_metadata.file_path"), col("_metadata.row_index"));
    sel.explain(true);
    sel.show(false);
    FormatSources.open(session(), InputFormat.PARQUET, List.of(parquet.toString()))
        .select(col("id"), col("_metadata.file_path"), col("_metadata.row_index")).show(false);
    System.out.println(ArrowTaskMemory.releases());
  }
}
