package io.seqloss.input;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

class SnappyPagesTest {

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
}
