package io.seqloss.input.arrow;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqloss.config.InputFormat;
import io.seqloss.input.FormatSources;
import io.seqloss.testing.Corpora;
import io.seqloss.testing.CorpusRow;
import io.seqloss.testing.RandomCorpus;
import io.seqloss.testing.SparkTestBase;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.datasources.v2.BatchScanExec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Arrow source reads what was written, as Parquet would, in columnar batches, without leaks.
 */
class ArrowSourceTest extends SparkTestBase {
  private static final List<CorpusRow> ROWS = RandomCorpus.rows(7L, 23, 6, 5, true);

  @AfterEach
  void resetSplitSize() {
    session().conf().unset("spark.sql.files.maxPartitionBytes");
  }

  private Dataset<Row> open(InputFormat format, Path dir) {
    return FormatSources.open(session(), format, List.of(dir.toString()));
  }

  /** Every column plus the metadata, with the file name's extension and directory left out. */
  private static Column[] comparable() {
    return new Column[] {
      col("id"),
      col("logits"),
      col("targets"),
      col("weights"),
      regexp_replace(col("_metadata.file_path"), "^.*/|\\.[a-z]+$", "").as("file"),
      col("_metadata.row_index").as("row")
    };
  }

  @ParameterizedTest
  @EnumSource(ArrowIpcFormat.class)
  void readsWhatParquetReads(ArrowIpcFormat format) {
    Path parquet = Corpora.write(session(), tmp, ROWS, 3);
    Path arrow = Corpora.writeArrow(tmp, ROWS, 3, format, 4);
    List<Row> expected =
        open(InputFormat.PARQUET, parquet).select(comparable()).orderBy("id").collectAsList();
    List<Row> actual =
        open(InputFormat.ARROW, arrow).select(comparable()).orderBy("id").collectAsList();
    assertEquals(23, actual.size());
    assertEquals(expected, actual);
  }

  @Test
  void schemaIsTheParquetCorpusSchema() {
    Path parquet = Corpora.write(session(), tmp, ROWS, 1);
    Path arrow = Corpora.writeArrow(tmp, ROWS, 1, ArrowIpcFormat.STREAM, 100);
    assertEquals(
        open(InputFormat.PARQUET, parquet).schema(), open(InputFormat.ARROW, arrow).schema());
  }

  @Test
  void splitsFilesBetweenRecordBatches() {
    Path arrow =
        Corpora.writeArrow(tmp, ROWS, 2, ArrowIpcFormat.FILE, 3); // 12 + 11 rows: 4 + 4 batches
    session().conf().set("spark.sql.files.maxPartitionBytes", "1");
    Dataset<Row> rows =
        open(InputFormat.ARROW, arrow)
            .select(
                col("id"),
                col("_metadata.file_path").as("file"),
                col("_metadata.row_index").as("row"));
    assertEquals(8, rows.rdd().getNumPartitions());
    List<Row> collected = rows.orderBy("id").collectAsList();
    for (int i = 0; i < collected.size(); i++) {
      Row r = collected.get(i);
      assertEquals(String.format("seq-%05d", i), r.getString(0));
      assertTrue(
          r.getString(1).endsWith(i < 12 ? "part-000.feather" : "part-001.feather"),
          r.getString(1));
      assertEquals(i < 12 ? i : i - 12, r.getLong(2), "row index in file of " + r);
    }
  }

  @Test
  void smallFilesShareATask() {
    Path arrow = Corpora.writeArrow(tmp, ROWS, 5, ArrowIpcFormat.STREAM, 2);
    assertEquals(1, open(InputFormat.ARROW, arrow).rdd().getNumPartitions());
  }

  @Test
  void handsSparkColumnarBatchesOfArrowColumnVectors() {
    Path arrow = Corpora.writeArrow(tmp, ROWS, 2, ArrowIpcFormat.STREAM, 5);
    Dataset<Row> rows =
        open(InputFormat.ARROW, arrow).select(col("logits"), col("_metadata.row_index"));
    SparkPlan scan = rows.queryExecution().executedPlan().collectLeaves().head();
    assertTrue(scan instanceof BatchScanExec, scan.getClass().getName());
    assertTrue(scan.supportsColumnar());
    List<String> vectorClasses =
        scan.executeColumnar()
            .toJavaRDD()
            .map(
                batch ->
                    batch.column(0).getClass().getSimpleName()
                        + "/"
                        + batch.column(1).getClass().getSimpleName())
            .distinct()
            .collect();
    assertEquals(List.of("ArrowColumnVector/ArrowColumnVector"), vectorClasses);
  }

  @Test
  void everyTaskReleasesItsArrowMemory() {
    Path arrow = Corpora.writeArrow(tmp, ROWS, 3, ArrowIpcFormat.STREAM, 2);
    session().conf().set("spark.sql.files.maxPartitionBytes", "2000");
    ArrowTaskMemory.clear();
    Dataset<Row> rows =
        open(InputFormat.ARROW, arrow).select(col("logits"), col("_metadata.file_path"));
    int partitions = rows.rdd().getNumPartitions();
    assertTrue(partitions > 2, "partitions: " + partitions);
    assertEquals(23, rows.collectAsList().size());
    rows.limit(1).collectAsList(); // a task that stops part-way through its batches
    List<ArrowTaskMemory.Release> releases = ArrowTaskMemory.releases();
    assertTrue(releases.size() > partitions, releases.toString());
    Set<String> tasks = new TreeSet<>();
    for (ArrowTaskMemory.Release r : releases) {
      assertEquals(0, r.outstandingBytes(), r.toString());
      assertTrue(r.peakBytes() > 0, r.toString());
      tasks.add(r.task());
    }
    assertEquals(releases.size(), tasks.size(), "one release per task");
  }

  @Test
  void directoriesContributeOnlyArrowFiles() throws Exception {
    Path arrow = Corpora.writeArrow(tmp, ROWS, 2, ArrowIpcFormat.STREAM, 5);
    // what Hugging Face's save_to_disk leaves beside its data files
    java.nio.file.Files.writeString(arrow.resolve("dataset_info.json"), "{}");
    java.nio.file.Files.writeString(arrow.resolve("state.json"), "{}");
    assertEquals(23, open(InputFormat.ARROW, arrow).count());
    assertFalse(
        open(InputFormat.ARROW, arrow)
            .select(col("_metadata.file_path"))
            .distinct()
            .collectAsList()
            .toString()
            .contains(".json"));
  }
}
