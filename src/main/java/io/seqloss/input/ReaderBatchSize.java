package io.seqloss.input;

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
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.SparkSession;

/**
 * Rows per columnar batch of Spark's vectorized Parquet reader, chosen from the corpus's own row size.
 * Spark's default, 4096 rows, is sized for narrow tables: a batch of wide sequences (V = 32000, T = 64
 * is 8 MB a row) would ask for gigabytes of vector memory, and the reader's vectors double as they grow.
 * seqloss sizes batches to about {@link #BUDGET_BYTES} of decoded values instead, from the row groups'
 * uncompressed size per row in the first files' footers (no data is read). A value the user set for
 * {@value #KEY} is left alone.
 */
public final class ReaderBatchSize {
  private static final Logger LOG = LogManager.getLogger(ReaderBatchSize.class);
  public static final String KEY = "spark.sql.parquet.columnarReaderBatchSize";
  /** Decoded bytes one batch may hold; the reader may reserve up to twice this while growing. */
  static final long BUDGET_BYTES = 8L << 20;
  static final int SPARK_DEFAULT = 4096;
  private static final int FOOTERS_TO_READ = 4;

  private ReaderBatchSize() {}

  /** The rows per batch to use, or empty when the user chose it (or the footers cannot be read). */
  public static OptionalInt choose(SparkSession spark, List<String> files) {
    if (spark.conf().contains(KEY)) {
      return OptionalInt.empty();
    }
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    double widestRow = 0;
    for (String file : files.subList(0, Math.min(files.size(), FOOTERS_TO_READ))) {
      try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(new Path(file), conf))) {
        for (BlockMetaData rowGroup : reader.getFooter().getBlocks()) {
          if (rowGroup.getRowCount() > 0) {
            widestRow = Math.max(widestRow, (double) rowGroup.getTotalByteSize() / rowGroup.getRowCount());
          }
        }
      } catch (IOException | RuntimeException e) {
        LOG.debug("cannot read the footer of {} to size reader batches: {}", file, e.toString());
        return OptionalInt.empty(); // the scan itself will report an unreadable file
      }
    }
    int rows = rowsFor(widestRow);
    LOG.info("Parquet reader batches of {} rows (about {} bytes a row)", rows, Math.round(widestRow));
    return OptionalInt.of(rows);
  }

  static int rowsFor(double bytesPerRow) {
    if (bytesPerRow <= 0) {
      return SPARK_DEFAULT;
    }
    return (int) Math.max(1, Math.min(SPARK_DEFAULT, BUDGET_BYTES / bytesPerRow));
  }

  /**
   * Runs {@code body} (which must create the scan's RDD: the reader takes the batch size from the
   * session when its RDD is made) with the batch size set, then restores the session's setting.
   */
  public static <T> T with(SparkSession spark, OptionalInt rows, Supplier<T> body) {
    if (rows.isEmpty()) {
      return body.get();
    }
    spark.conf().set(KEY, rows.getAsInt());
    try {
      return body.get();
    } finally {
      spark.conf().unset(KEY);
    }
  }
}
