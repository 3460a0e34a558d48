package io.seqloss.fastpath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqloss.testing.SparkTestBase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Files written a column at a time are Spark's own Parquet files of the same rows, byte for byte:
 * across many pages and row groups, codecs and dictionary settings, with nulls, dictionary
 * fallback, strings of any bytes and every double; a job with a Parquet option the writer does not
 * apply gets Spark's writer.
 */
@Tag("spark-4-line")
class ColumnBatchParquetFormatTest extends SparkTestBase {
  private static final StructType SCHEMA =
      new StructType()
          .add("id", DataTypes.StringType, true)
          .add("loss", DataTypes.DoubleType, true)
          .add("weight_sum", DataTypes.DoubleType, false)
          .add("tokens", DataTypes.LongType, false)
          .add("bucket", DataTypes.IntegerType, true)
          .add("label", DataTypes.StringType, false);

  private static final double[] SPECIAL = {
    0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE
  };

  /** Rows with unique and repeated values, every 97th value null where the column allows it. */
  private Dataset<Row> rows(int count, int partitions) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      boolean isNull = i % 97 == 5;
      String id = isNull ? null : (i % 3 == 0 ? "seq-" + i : "Zürich-東京-😀-" + i);
      Double loss = isNull ? null : i % 50 == 7 ? SPECIAL[i % SPECIAL.length] : Math.sqrt(i) / 7;
      rows.add(
          RowFactory.create(
              id, loss, (double) (i % 11), (long) i * 31, isNull ? null : i % 13, "l" + i % 4));
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(session().sparkContext());
    return session().createDataFrame(jsc.parallelize(rows, partitions), SCHEMA);
  }

  @Test
  void writesSparksFilesByteForByteOverManyPagesAndRowGroups() throws IOException {
    Dataset<Row> frame = rows(90_000, 3).cache();
    Map<String, String> small =
        Map.of(
            "parquet.block.size", "262144",
            "parquet.page.size", "16384",
            "parquet.dictionary.page.size", "4096");
    List<Map<String, String>> runs =
        List.of(
            Map.of(),
            small,
            Map.of("compression", "zstd"),
            Map.of("compression", "gzip", "parquet.enable.dictionary", "false"));
    for (int run = 0; run < runs.size(); run++) {
      Map<String, String> options = runs.get(run);
      Path spark = tmp.resolve("spark" + run);
      Path batched = tmp.resolve("batched" + run);
      frame.write().options(options).parquet(spark.toString());
      long before = ColumnBatchParquetWriter.filesWritten();
      frame.write().options(options).format(ColumnBatchParquetFormat.NAME).save(batched.toString());

      assertEquals(3, ColumnBatchParquetWriter.filesWritten() - before, "files written by columns");
      List<Path> expected = partFiles(spark);
      List<Path> actual = partFiles(batched);
      assertEquals(3, expected.size());
      assertEquals(expected.size(), actual.size());
      for (int i = 0; i < expected.size(); i++) {
        assertEquals(
            -1L, Files.mismatch(expected.get(i), actual.get(i)), actual.get(i) + " " + options);
      }
      assertEquals(
          session().read().parquet(spark.toString()).collectAsList(),
          session().read().parquet(batched.toString()).collectAsList());
    }
    // the small pages and row groups are there to be matched
    Path first = partFiles(tmp.resolve("batched1")).get(0);
    long rowGroups =
        org.apache.parquet.hadoop.ParquetFileReader.readFooter(
                new org.apache.hadoop.conf.Configuration(),
                new org.apache.hadoop.fs.Path(first.toString()))
            .getBlocks()
            .size();
    assertTrue(rowGroups > 2, rowGroups + " row groups");
  }

  @Test
  void anOptionTheWriterDoesNotApplyGetsSparksWriter() throws IOException {
    Dataset<Row> frame = rows(1000, 1);
    Path batched = tmp.resolve("bloom");
    long before = ColumnBatchParquetWriter.filesWritten();
    frame
        .write()
        .option("parquet.bloom.filter.enabled", "true")
        .format(ColumnBatchParquetFormat.NAME)
        .save(batched.toString());

    assertEquals(0, ColumnBatchParquetWriter.filesWritten() - before);
    assertTrue(
        FastPaths.turnedOff()
            .contains("column-batch-writer: the job sets parquet.bloom.filter.enabled"),
        FastPaths.turnedOff().toString());
    assertEquals(
        frame.collectAsList(), session().read().parquet(batched.toString()).collectAsList());
  }

  @Test
  void aColumnOfAnotherTypeGetsSparksWriter() throws IOException {
    Dataset<Row> frame = rows(100, 1).withColumn("flag", functions.expr("tokens % 2 = 0"));
    Path batched = tmp.resolve("flag");
    long before = ColumnBatchParquetWriter.filesWritten();
    frame.write().format(ColumnBatchParquetFormat.NAME).save(batched.toString());

    assertEquals(0, ColumnBatchParquetWriter.filesWritten() - before);
    assertTrue(
        FastPaths.turnedOff().contains("column-batch-writer: column flag is boolean"),
        FastPaths.turnedOff().toString());
    assertEquals(
        frame.collectAsList(), session().read().parquet(batched.toString()).collectAsList());
  }

  @Test
  void parquetWithoutTheFieldBatchesArePlannedByTurnsTheWriterOff() {
    assertTrue(ColumnBatchParquetWriter.StoreSizeCheck.available());
    assertNull(
        ColumnBatchParquetWriter.StoreSizeCheck.find(
            "java.lang.String", "rowCountForNextSizeCheck"));
    assertTrue(
        FastPaths.turnedOff()
            .contains("column-batch-writer: java.lang.String has no long rowCountForNextSizeCheck"),
        FastPaths.turnedOff().toString());
  }

  private static List<Path> partFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList();
    }
  }
}
