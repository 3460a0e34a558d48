package io.seqloss.fastpath;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import org.apache.hadoop.conf.Configurable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionInputStream;
import org.apache.hadoop.io.compress.CompressionOutputStream;
import org.apache.hadoop.io.compress.Compressor;
import org.apache.hadoop.io.compress.Decompressor;
import org.apache.parquet.hadoop.codec.SnappyCodec;
import org.xerial.snappy.Snappy;

/**
 * Parquet's snappy codec with a reading side that decompresses a page in one call on heap arrays.
 *
 * <p>Why: Parquet (1.13, Spark 3.5's) hands a compressed page to its {@code SnappyDecompressor} in
 * {@code io.file.buffer.size} chunks (64 KB under Spark), and the decompressor grows its direct
 * input buffer to exactly the bytes received so far at every chunk: allocate, copy, free. A page of
 * N bytes costs N/64K native allocations and N²/128K bytes copied the first time a reader meets a
 * page that large, and every file split gets a fresh reader. Pages are small in narrow tables, but
 * Spark checks page size only every 100 rows, so a corpus of wide rows written with Spark's
 * defaults has very large pages, and the allocation and copying then cost more than reading the
 * data (BENCHMARKS.md, Snappy). Writing goes through Parquet's own codec, unchanged.
 *
 * <p>The pages are raw snappy blocks (what {@code SnappyCompressor} writes), so the bytes decoded
 * are the same; only the buffers differ. Only seqloss's own evaluation tasks read this way; every
 * other read in the JVM goes to Parquet's codec ({@link SnappyPages}).
 */
final class WholePageSnappyCodec implements CompressionCodec, Configurable {
  private final SnappyCodec parquets = new SnappyCodec();

  WholePageSnappyCodec(Configuration conf) {
    parquets.setConf(conf);
  }

  @Override
  public CompressionInputStream createInputStream(InputStream in, Decompressor decompressor)
      throws IOException {
    if (!SnappyPages
        .inSeqlossTask()) { // any other read in this JVM: Parquet's own codec, unchanged
      return parquets.createInputStream(in, decompressor);
    }
    byte[] compressed = readCompressed(in);
    // An empty input is an empty page section (a v2 data page of empty or null rows has no values),
    // which Parquet's own stream never reads; Snappy.uncompress would reject it as corrupt.
    return new PageStream(compressed.length == 0 ? compressed : Snappy.uncompress(compressed));
  }

  /**
   * The whole compressed page. Parquet's page streams know how many bytes they hold ({@code
   * available()}), so the page is read into one array of that size; {@code readAllBytes} would
   * gather it in small pieces and copy it once more. Whatever a stream holds beyond what it
   * announced is still read.
   */
  static byte[] readCompressed(InputStream in) throws IOException {
    int announced = in.available();
    if (announced <= 0) {
      return in.readAllBytes();
    }
    byte[] page = new byte[announced];
    int read =
        in.readNBytes(
            page, 0, announced); // straight into the array (readNBytes(n) gathers 8 KB pieces)
    byte[] rest =
        in.readAllBytes(); // empty for Parquet's streams, which announce exactly what they hold
    if (read == announced && rest.length == 0) {
      return page;
    }
    byte[] all = Arrays.copyOf(page, read + rest.length);
    System.arraycopy(rest, 0, all, read, rest.length);
    return all;
  }

  @Override
  public CompressionInputStream createInputStream(InputStream in) throws IOException {
    return SnappyPages.inSeqlossTask()
        ? createInputStream(in, null)
        : parquets.createInputStream(in);
  }

  /** Parquet takes a decompressor from the pool for each reader; seqloss's tasks never feed it. */
  @Override
  public Decompressor createDecompressor() {
    return parquets.createDecompressor();
  }

  @Override
  public Class<? extends Decompressor> getDecompressorType() {
    return parquets.getDecompressorType();
  }

  @Override
  public CompressionOutputStream createOutputStream(OutputStream out) throws IOException {
    return parquets.createOutputStream(out);
  }

  @Override
  public CompressionOutputStream createOutputStream(OutputStream out, Compressor compressor)
      throws IOException {
    return parquets.createOutputStream(out, compressor);
  }

  @Override
  public Class<? extends Compressor> getCompressorType() {
    return parquets.getCompressorType();
  }

  @Override
  public Compressor createCompressor() {
    return parquets.createCompressor();
  }

  @Override
  public String getDefaultExtension() {
    return parquets.getDefaultExtension();
  }

  @Override
  public void setConf(Configuration conf) {
    parquets.setConf(conf);
  }

  @Override
  public Configuration getConf() {
    return parquets.getConf();
  }

  /** A decompressed page. */
  static final class PageStream extends CompressionInputStream {
    PageStream(byte[] page) throws IOException {
      super(new ByteArrayInputStream(page));
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return in.read(b, off, len);
    }

    @Override
    public int read() throws IOException {
      return in.read();
    }

    @Override
    public void resetState() {
      // one page, read once
    }
  }
}
