package io.seqloss.fastpath;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.seqloss.testing.SparkTestBase;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.List;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

@Tag("spark-4-line")
class SnappyPagesTest extends SparkTestBase {

  /** Reaches CodecFactory's protected lookup, as Parquet's readers do. */
  private static final class Lookup extends CodecFactory {
    Lookup() {
      super(new Configuration(), 0);
    }

    CompressionCodec snappy() {
      return getCodec(CompressionCodecName.SNAPPY);
    }
  }

  @Test
  void parquetReadersGetTheWholePageCodec() {
    SnappyPages.install();
    assertInstanceOf(WholePageSnappyCodec.class, new Lookup().snappy());
  }

  /**
   * In a seqloss task a page is decompressed whole; anywhere else Parquet's own stream does it:
   * same bytes.
   */
  @Test
  void aPageDecompressesToTheBytesParquetCompressedInsideSeqlossTasksAndOut() throws Exception {
    byte[] page = new byte[3 << 20]; // larger than many 64 KB chunks
    Random random = new Random(5);
    for (int i = 0; i < page.length; i++) {
      page[i] = (byte) (random.nextInt(16) * (i % 7));
    }
    byte[] compressed = Snappy.compress(page);
    CompressionCodec codec = new WholePageSnappyCodec(new Configuration());
    SnappyPages.wholePages(
        () -> {
          try (InputStream in =
              codec.createInputStream(
                  new ByteArrayInputStream(compressed), codec.createDecompressor())) {
            assertInstanceOf(WholePageSnappyCodec.PageStream.class, in);
            assertArrayEquals(page, in.readAllBytes());
          }
          return null;
        });
    try (InputStream in =
        codec.createInputStream(new ByteArrayInputStream(compressed), codec.createDecompressor())) {
      org.junit.jupiter.api.Assertions.assertFalse(
          in instanceof WholePageSnappyCodec.PageStream,
          "another read of this JVM is left to Parquet's codec");
      byte[] read =
          new byte[page.length]; // as Parquet reads it: the page's uncompressed size, in one call
      new java.io.DataInputStream(in).readFully(read);
      assertArrayEquals(page, read);
    }
  }

  @Test
  void anEmptySectionDecompressesToNothing() throws Exception {
    CompressionCodec codec = new WholePageSnappyCodec(new Configuration());
    SnappyPages.wholePages(
        () -> {
          try (InputStream in =
              codec.createInputStream(new ByteArrayInputStream(new byte[0]), null)) {
            assertEquals(0, in.readAllBytes().length);
          }
          return null;
        });
  }

  /**
   * Data pages v2 of rows without values have an empty compressed section: they must still read in
   * a task.
   */
  @Test
  void sparkReadsDataPagesV2OfEmptyRowsThroughTheCodec() {
    SnappyPages.install();
    StructType schema =
        new StructType()
            .add(
                "logits",
                DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.FloatType)));
    List<Row> rows =
        List.of(RowFactory.create(List.of()), RowFactory.create(List.of(List.of(1f, 2f))));
    String dir = tmp.resolve("v2").toString();
    session()
        .createDataFrame(rows, schema)
        .coalesce(1)
        .write()
        .option("compression", "snappy")
        .option("parquet.writer.version", "v2")
        .option("parquet.page.row.count.limit", "1")
        .parquet(dir);
    List<String> read =
        session()
            .read()
            .parquet(dir)
            .selectExpr("size(logits)", "try_element_at(try_element_at(logits, 1), 2)")
            .javaRDD()
            .mapPartitions(
                partition -> {
                  SnappyPages
                      .forThisTask(); // as an evaluation task does, before its reader's first page
                  List<String> out = new java.util.ArrayList<>();
                  partition.forEachRemaining(
                      r -> out.add(r + " whole pages: " + SnappyPages.inSeqlossTask()));
                  return out.iterator();
                })
            .collect();
    assertEquals(List.of("[0,null] whole pages: true", "[1,2.0] whole pages: true"), read);
  }

  @Test
  void aCompressedPageIsReadWholeWhateverItsStreamAnnounces() throws Exception {
    byte[] page = new byte[100_000];
    new java.util.Random(3).nextBytes(page);
    org.junit.jupiter.api.Assertions.assertArrayEquals(
        page, WholePageSnappyCodec.readCompressed(new java.io.ByteArrayInputStream(page)));
    for (int announced : new int[] {0, 1, 5_000, 99_999}) {
      java.io.InputStream underAnnouncing =
          new java.io.ByteArrayInputStream(page) {
            @Override
            public synchronized int available() {
              return Math.min(announced, super.available());
            }
          };
      org.junit.jupiter.api.Assertions.assertArrayEquals(
          page, WholePageSnappyCodec.readCompressed(underAnnouncing), "announced " + announced);
    }
    org.junit.jupiter.api.Assertions.assertEquals(
        0,
        WholePageSnappyCodec.readCompressed(new java.io.ByteArrayInputStream(new byte[0])).length);
  }
}
