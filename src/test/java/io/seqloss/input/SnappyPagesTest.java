package io.seqloss.input;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;
import io.seqloss.testing.SparkTestBase;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.xerial.snappy.Snappy;

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

  @Test
  void aPageDecompressesToTheBytesParquetCompressed() throws Exception {
    byte[] page = new byte[3 << 20]; // larger than many 64 KB chunks
    Random random = new Random(5);
    for (int i = 0; i < page.length; i++) {
      page[i] = (byte) (random.nextInt(16) * (i % 7));
    }
    CompressionCodec codec = new WholePageSnappyCodec(new Configuration());
    try (InputStream in = codec.createInputStream(new ByteArrayInputStream(Snappy.compress(page)),
        codec.createDecompressor())) {
      assertArrayEquals(page, in.readAllBytes());
    }
  }

  @Test
  void anEmptySectionDecompressesToNothing() throws Exception {
    CompressionCodec codec = new WholePageSnappyCodec(new Configuration());
    try (InputStream in = codec.createInputStream(new ByteArrayInputStream(new byte[0]), null)) {
      assertEquals(0, in.readAllBytes().length);
    }
  }

  /** Data pages v2 of rows without values have an empty compressed section: they must still read. */
  @Test
  void sparkReadsDataPagesV2OfEmptyRowsThroughTheCodec() {
    SnappyPages.install();
    StructType schema = new StructType().add("logits",
        DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.FloatType)));
    List<Row> rows = List.of(RowFactory.create(List.of()), RowFactory.create(List.of(List.of(1f, 2f))));
    String dir = tmp.resolve("v2").toString();
    session().createDataFrame(rows, schema).coalesce(1).write().option("compression", "snappy")
        .option("parquet.writer.version", "v2").option("parquet.page.row.count.limit", "1").parquet(dir);
    List<Row> read = session().read().parquet(dir)
        .selectExpr("size(logits)", "element_at(element_at(logits, 1), 2)").collectAsList();
    assertEquals(List.of(RowFactory.create(0, null), RowFactory.create(1, 2f)), read);
  }

  @Test
  void aCompressedPageIsReadWholeWhateverItsStreamAnnounces() throws Exception {
    byte[] page = new byte[100_000];
    new java.util.Random(3).nextBytes(page);
    org.junit.jupiter.api.Assertions.assertArrayEquals(page,
        WholePageSnappyCodec.readCompressed(new java.io.ByteArrayInputStream(page)));
    for (int announced : new int[] {0, 1, 5_000, 99_999}) {
      java.io.InputStream underAnnouncing = new java.io.ByteArrayInputStream(page) {
        @Override
        public synchronized int available() {
          return Math.min(announced, super.available());
        }
      };
      org.junit.jupiter.api.Assertions.assertArrayEquals(page, WholePageSnappyCodec.readCompressed(underAnnouncing),
          "announced " + announced);
    }
    org.junit.jupiter.api.Assertions.assertEquals(0,
        WholePageSnappyCodec.readCompressed(new java.io.ByteArrayInputStream(new byte[0])).length);
  }
}
