package io.seqloss.input;

import io.seqloss.config.InputFormat;
import java.io.IOException;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.SparkSession;

/**
 * Two settings of Spark's vectorized Parquet reader, chosen from the sizes in the first files'
 * footers (no data is read), for the reads of one run. A value the user set for either is left
 * alone.
 *
 * <ul>
 *   <li><b>Rows per columnar batch</b> ({@value #BATCH_ROWS_KEY}). Spark's default, 4096 rows, is
 *       sized for narrow tables: a batch of wide sequences would ask for gigabytes of vector
 *       memory, and the reader's vectors double as they grow. seqloss sizes batches to about {@link
 *       #BATCH_BUDGET_BYTES} of decoded values, from the row groups' uncompressed size per row.
 *   <li><b>Read buffer size</b> ({@value #ALLOCATION_KEY}). Parquet reads a row group's column
 *       chunk into buffers of at most this size (default 8 MB) and gives each page to the decoder
 *       as a slice of them; a page that straddles two buffers is copied into a new array first.
 *       Pages of wide rows are about as large as the buffers, so nearly every page straddled, and
 *       every logit was copied once more (BENCHMARKS.md, Memory). When a chunk is larger than the
 *       default, seqloss reads it into buffers of the largest chunk's size, up to {@link
 *       #MAX_ALLOCATION_BYTES} and an eighth of an executor's heap: the chunk takes as many bytes
 *       as before, in one array, and no page is copied. (The caps keep a single array small enough
 *       to place in a small heap; a chunk above them is read in a few pieces, and only the pages
 *       that straddle two pieces are copied.)
 * </ul>
 */
public record ReaderSettings(OptionalInt batchRows, OptionalInt allocationBytes) {
  private static final Logger LOG = LogManager.getLogger(ReaderSettings.class);
  public static final String BATCH_ROWS_KEY = "spark.sql.parquet.columnarReaderBatchSize";

  /**
   * Parquet's key; the session's SQL settings reach the Hadoop configuration of Spark's file scans.
   */
  public static final String ALLOCATION_KEY = "parquet.read.allocation.size";

  /** Decoded bytes one batch may hold; the reader may reserve up to twice this while growing. */
  static final long BATCH_BUDGET_BYTES = 8L << 20;

  static final int SPARK_DEFAULT_BATCH_ROWS = 4096;
  static final int PARQUET_DEFAULT_ALLOCATION_BYTES = 8 << 20;

  /**
   * Larger chunks are read in pieces of this size: one contiguous array of gigabytes is harder to
   * place.
   */
  static final int MAX_ALLOCATION_BYTES = 256 << 20;

  private static final int FOOTERS_TO_READ = 4;

  /** Leaves both settings as the session has them. */
  public static final ReaderSettings SPARK_DEFAULTS =
      new ReaderSettings(OptionalInt.empty(), OptionalInt.empty());

  /**
   * The settings every read of a corpus uses: sized to its files for Parquet ({@link #choose}),
   * Spark's own for Arrow, whose batches are the files' record batches.
   */
  public static ReaderSettings forCorpus(SparkSession spark, Corpus corpus) {
    return corpus.format() == InputFormat.PARQUET ? choose(spark, corpus.files()) : SPARK_DEFAULTS;
  }

  /**
   * The settings for a corpus of these Parquet files; empty for those the user set or when a footer
   * is unreadable.
   */
  public static ReaderSettings choose(SparkSession spark, List<String> files) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    double widestRow = 0;
    long largestChunk = 0;
    for (String file : files.subList(0, Math.min(files.size(), FOOTERS_TO_READ))) {
      try (ParquetFileReader reader =
          ParquetFileReader.open(HadoopInputFile.fromPath(new Path(file), conf))) {
        for (BlockMetaData rowGroup : reader.getFooter().getBlocks()) {
          if (rowGroup.getRowCount() > 0) {
            widestRow =
                Math.max(widestRow, (double) rowGroup.getTotalByteSize() / rowGroup.getRowCount());
          }
          for (ColumnChunkMetaData chunk : rowGroup.getColumns()) {
            largestChunk = Math.max(largestChunk, chunk.getTotalSize());
          }
        }
      } catch (IOException | RuntimeException e) {
        LOG.debug(
            "cannot read the footer of {} to size the reader's batches and buffers: {}",
            file,
            e.toString());
        return SPARK_DEFAULTS; // the scan itself will report an unreadable file
      }
    }
    OptionalInt rows =
        spark.conf().contains(BATCH_ROWS_KEY)
            ? OptionalInt.empty()
            : OptionalInt.of(rowsFor(widestRow));
    boolean allocationSet =
        spark.conf().contains(ALLOCATION_KEY) || conf.get(ALLOCATION_KEY) != null;
    OptionalInt allocation =
        allocationSet ? OptionalInt.empty() : allocationFor(largestChunk, executorHeapBytes(spark));
    LOG.info(
        "Parquet reader: {} (about {} bytes a row); {} (largest column chunk {} bytes)",
        rows.isPresent() ? "batches of " + rows.getAsInt() + " rows" : "batch size as set",
        Math.round(widestRow),
        allocation.isPresent()
            ? "read buffers of " + allocation.getAsInt() + " bytes"
            : allocationSet ? "read buffer size as set" : "Parquet's default read buffers",
        largestChunk);
    return new ReaderSettings(rows, allocation);
  }

  static int rowsFor(double bytesPerRow) {
    if (bytesPerRow <= 0) {
      return SPARK_DEFAULT_BATCH_ROWS;
    }
    return (int) Math.max(1, Math.min(SPARK_DEFAULT_BATCH_ROWS, BATCH_BUDGET_BYTES / bytesPerRow));
  }

  /**
   * Empty (Parquet's default) when every chunk fits one default buffer, or the caps allow no more.
   */
  static OptionalInt allocationFor(long largestChunkBytes, long executorHeapBytes) {
    long bytes = Math.min(largestChunkBytes, Math.min(MAX_ALLOCATION_BYTES, executorHeapBytes / 8));
    return bytes <= PARQUET_DEFAULT_ALLOCATION_BYTES
        ? OptionalInt.empty()
        : OptionalInt.of((int) bytes);
  }

  /**
   * An executor's heap: the driver's own in local mode (where it is the executor), else
   * spark.executor.memory.
   */
  private static long executorHeapBytes(SparkSession spark) {
    if (spark.sparkContext().isLocal()) {
      return Runtime.getRuntime().maxMemory();
    }
    return (long) spark.sparkContext().executorMemory() << 20;
  }

  /**
   * The batch size alone: how the benchmark's plain-Spark baselines read (they fail without it).
   */
  public ReaderSettings batchRowsOnly() {
    return new ReaderSettings(batchRows, OptionalInt.empty());
  }

  /**
   * Runs {@code body} (which must create the scan's RDD: the reader takes its settings from the
   * session when its RDD is made) with the settings in the session, then removes them again.
   */
  public <T> T applyTo(SparkSession spark, Supplier<T> body) {
    batchRows.ifPresent(rows -> spark.conf().set(BATCH_ROWS_KEY, rows));
    allocationBytes.ifPresent(bytes -> spark.conf().set(ALLOCATION_KEY, bytes));
    try {
      return body.get();
    } finally {
      batchRows.ifPresent(rows -> spark.conf().unset(BATCH_ROWS_KEY));
      allocationBytes.ifPresent(bytes -> spark.conf().unset(ALLOCATION_KEY));
    }
  }
}
