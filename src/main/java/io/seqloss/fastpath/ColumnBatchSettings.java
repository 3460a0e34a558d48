package io.seqloss.fastpath;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.ParquetInputFormat;
import org.apache.parquet.hadoop.ParquetOutputFormat;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * The Parquet settings of one output file, read from the write job's configuration as Parquet's
 * {@code ParquetOutputFormat.getRecordWriter} reads them, for the settings the column-batch writer
 * honours. A job that sets any other {@code parquet.*} key (bloom filters, encryption, per-column
 * settings, validation, ...) gets Spark's own writer instead: {@link #unsupported} names the key.
 */
record ColumnBatchSettings(
    ParquetProperties properties,
    CompressionCodecName codec,
    long blockSize,
    int maxPaddingSize,
    String unsupported) {

  /** Keys whose values this writer applies, as Parquet's record writer does. */
  private static final Set<String> HONOURED =
      Set.of(
          ParquetOutputFormat.BLOCK_SIZE,
          ParquetOutputFormat.PAGE_SIZE,
          ParquetOutputFormat.DICTIONARY_PAGE_SIZE,
          ParquetOutputFormat.ENABLE_DICTIONARY,
          ParquetOutputFormat.COMPRESSION,
          ParquetOutputFormat.WRITER_VERSION,
          ParquetOutputFormat.PAGE_WRITE_CHECKSUM_ENABLED,
          ParquetOutputFormat.MAX_PADDING_BYTES,
          ParquetOutputFormat.MIN_ROW_COUNT_FOR_PAGE_SIZE_CHECK,
          ParquetOutputFormat.MAX_ROW_COUNT_FOR_PAGE_SIZE_CHECK,
          ParquetOutputFormat.ESTIMATE_PAGE_SIZE_CHECK);

  /**
   * Keys this writer leaves alone. The write support and job summaries are the job's (its
   * committer's). The memory pool is Parquet's record writers' own: it shrinks their row groups
   * when the writers open at once in a JVM would buffer more than its share of the heap (95 % by
   * default). This writer does not join it and keeps row groups at the block size, so there, and
   * only there, its files split rows into row groups differently; the values are the same.
   */
  private static final Set<String> NOT_THE_FILES =
      Set.of(
          ParquetOutputFormat.WRITE_SUPPORT_CLASS,
          ParquetOutputFormat.JOB_SUMMARY_LEVEL,
          ParquetOutputFormat.ENABLE_JOB_SUMMARY,
          ParquetOutputFormat.MEMORY_POOL_RATIO,
          ParquetOutputFormat.MIN_MEMORY_ALLOCATION);

  /** Keys of Parquet's reader (its {@code ParquetInputFormat} names them), set for the scan. */
  private static final Set<String> READER_KEYS = readerKeys();

  static ColumnBatchSettings of(Configuration conf) {
    Set<String> others = new TreeSet<>();
    for (Map.Entry<String, String> entry : conf) {
      String key = entry.getKey();
      if (key.startsWith("parquet.")
          && !key.startsWith("parquet.read.")
          && !HONOURED.contains(key)
          && !NOT_THE_FILES.contains(key)
          && !READER_KEYS.contains(key)) {
        others.add(key);
      }
    }
    if (conf.getBoolean(ParquetOutputFormat.VALIDATION, false)) {
      others.add(ParquetOutputFormat.VALIDATION);
    }
    ParquetProperties properties =
        ParquetProperties.builder()
            .withPageSize(ParquetOutputFormat.getPageSize(conf))
            .withDictionaryPageSize(ParquetOutputFormat.getDictionaryPageSize(conf))
            .withDictionaryEncoding(ParquetOutputFormat.getEnableDictionary(conf))
            .withWriterVersion(ParquetOutputFormat.getWriterVersion(conf))
            .estimateRowCountForPageSizeCheck(ParquetOutputFormat.getEstimatePageSizeCheck(conf))
            .withMinRowCountForPageSizeCheck(
                ParquetOutputFormat.getMinRowCountForPageSizeCheck(conf))
            .withMaxRowCountForPageSizeCheck(
                ParquetOutputFormat.getMaxRowCountForPageSizeCheck(conf))
            .withPageWriteChecksumEnabled(ParquetOutputFormat.getPageWriteChecksumEnabled(conf))
            .build();
    return new ColumnBatchSettings(
        properties,
        ParquetOutputFormat.getCompression(conf),
        ParquetOutputFormat.getLongBlockSize(conf),
        conf.getInt(ParquetOutputFormat.MAX_PADDING_BYTES, ParquetWriter.MAX_PADDING_SIZE_DEFAULT),
        others.isEmpty() ? null : "the job sets " + String.join(", ", others));
  }

  private static Set<String> readerKeys() {
    Set<String> keys = new HashSet<>();
    for (Field field : ParquetInputFormat.class.getFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
        try {
          keys.add((String) field.get(null));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException("public constant " + field + " not readable", e);
        }
      }
    }
    return Set.copyOf(keys);
  }
}
