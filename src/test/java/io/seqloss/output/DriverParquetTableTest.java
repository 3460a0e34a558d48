package io.seqloss.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqloss.testing.SparkTestBase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.FileMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A table written on the driver against the same rows written by Spark's own Parquet writer: the
 * same Parquet schema (required and optional columns, string and date annotations), the same footer
 * metadata, and the same rows and types when Spark reads either back. Run on both Spark lines: each
 * brings its own Parquet.
 */
@Tag("spark-4-line")
class DriverParquetTableTest extends SparkTestBase {
  private static final StructType SCHEMA =
      new StructType()
          .add("step", DataTypes.LongType, false)
          .add("count", DataTypes.IntegerType, true)
          .add("loss", DataTypes.DoubleType, true)
          .add("flag", DataTypes.BooleanType, true)
          .add("name", DataTypes.StringType, true)
          .add("day", DataTypes.DateType, true);

  private static final int DAY = (int) LocalDate.of(2026, 12, 2).toEpochDay();

  /** Rows with dates as day numbers, as the driver builds them, and as LocalDates for Spark. */
  private static List<Row> rows(boolean daysAsNumbers) {
    Object day = daysAsNumbers ? DAY : LocalDate.ofEpochDay(DAY);
    return List.of(
        RowFactory.create(0L, 3, 0.5, true, "domain-00", day),
        RowFactory.create(1L, null, null, null, null, null),
        RowFactory.create(-7L, -1, -0.0, false, "lang=é, 言語", day));
  }

  @Test
  void theFileIsTheOneSparksWriterMakesOfTheSameRows() throws IOException {
    String ours = tmp.resolve("ours").toString();
    String spark = tmp.resolve("spark").toString();
    DriverParquetTable.write(session(), SCHEMA, rows(true), ours);
    session().createDataFrame(rows(false), SCHEMA).coalesce(1).write().parquet(spark);

    Path ourFile = onlyPart(Path.of(ours));
    assertTrue(Files.exists(Path.of(ours, "_SUCCESS")), "a _SUCCESS marker, as Spark writes");
    assertTrue(
        ourFile
            .getFileName()
            .toString()
            .matches("part-00000-[0-9a-f-]{36}-c000\\.snappy\\.parquet"),
        ourFile.toString());
    FileMetaData ourFooter = footer(ourFile);
    FileMetaData sparkFooter = footer(onlyPart(Path.of(spark)));
    assertEquals(sparkFooter.getSchema(), ourFooter.getSchema());
    assertEquals(sparkFooter.getKeyValueMetaData(), ourFooter.getKeyValueMetaData());

    List<Row> readBack = session().read().parquet(ours).collectAsList();
    assertEquals(session().read().parquet(spark).collectAsList(), readBack);
    assertEquals(session().read().parquet(spark).schema(), session().read().parquet(ours).schema());
    assertEquals(LocalDate.ofEpochDay(DAY), readBack.get(0).getDate(5).toLocalDate());
    assertEquals("lang=é, 言語", readBack.get(2).getString(4));
  }

  @Test
  void anEmptyTableStillHasItsSchema() {
    String path = tmp.resolve("empty").toString();
    DriverParquetTable.write(session(), SCHEMA, List.of(), path);
    assertEquals(0, session().read().parquet(path).count());
    assertEquals(
        Arrays.asList(SCHEMA.fieldNames()),
        Arrays.asList(session().read().parquet(path).schema().fieldNames()));
  }

  @Test
  void aNullInANonNullColumnNamesTheRowAndColumn() {
    String path = tmp.resolve("bad").toString();
    List<Row> bad =
        List.of(
            RowFactory.create(0L, 1, 1.0, true, "a", DAY),
            RowFactory.create(null, 1, 1.0, true, "a", DAY));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> DriverParquetTable.write(session(), SCHEMA, bad, path));
    assertTrue(e.getMessage().contains("row 1 of " + path), e.getMessage());
    assertTrue(e.getMessage().contains("'step'"), e.getMessage());
  }

  @Test
  void aColumnOfAnotherTypeIsRefusedByName() {
    StructType arrays =
        new StructType().add("losses", DataTypes.createArrayType(DataTypes.DoubleType), false);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                DriverParquetTable.write(
                    session(), arrays, List.of(), tmp.resolve("arrays").toString()));
    assertTrue(e.getMessage().contains("'losses'"), e.getMessage());
    assertTrue(e.getMessage().contains("array<double>"), e.getMessage());
  }

  @Test
  void sparksCodecNamesMapToParquets() {
    assertEquals(CompressionCodecName.UNCOMPRESSED, DriverParquetTable.codec("none"));
    assertEquals(CompressionCodecName.UNCOMPRESSED, DriverParquetTable.codec("uncompressed"));
    assertEquals(CompressionCodecName.SNAPPY, DriverParquetTable.codec("snappy"));
    assertEquals(CompressionCodecName.ZSTD, DriverParquetTable.codec("zstd"));
    assertEquals(CompressionCodecName.GZIP, DriverParquetTable.codec("GZIP"));
  }

  private static Path onlyPart(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> parts = files.filter(p -> p.getFileName().toString().startsWith("part-")).toList();
      assertEquals(1, parts.size(), parts.toString());
      return parts.get(0);
    }
  }

  private static FileMetaData footer(Path file) throws IOException {
    try (ParquetFileReader reader =
        ParquetFileReader.open(
            HadoopInputFile.fromPath(
                new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))) {
      return reader.getFooter().getFileMetaData();
    }
  }
}
