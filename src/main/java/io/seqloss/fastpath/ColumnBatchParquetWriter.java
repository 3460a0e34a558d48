package io.seqloss.fastpath;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.datasources.OutputWriter;
import org.apache.spark.sql.execution.datasources.parquet.ParquetWriteSupport;
import org.apache.spark.sql.types.StructType;

/**
 * A Parquet file of flat rows written a column at a time: rows are buffered per column and handed
 * to Parquet's own column writers in batches, instead of value by value through Spark's write
 * support and Parquet's record consumer (together about as costly as the column writers themselves:
 * a narrow per_sequence run's profile in BENCHMARKS.md).
 *
 * <p>The file is the one Parquet's record writer makes of the same rows, byte for byte: the same
 * schema and key-value metadata (Spark's {@code ParquetWriteSupport.init}), the same properties,
 * and the same pages and row groups, because every batch ends where the record writer would next
 * look at sizes: at the column store's next page-size check (a private field of Parquet's, read
 * once a batch) and at the record writer's next row-group check (its arithmetic, copied in {@link
 * #checkRowGroupSize}). Up to those points, column writers see values in the same order whether
 * they come row by row or column by column.
 */
final class ColumnBatchParquetWriter extends OutputWriter {
  /**
   * Rows a batch holds at most; a batch also ends at Parquet's next size check. (512 measured the
   * same: BENCHMARKS.md, tenth session.)
   */
  static final int BATCH_ROWS = 4096;

  // InternalParquetRecordWriter's constants for its row-group checks.
  private static final long MIN_RECORDS_FOR_CHECK = 100;
  private static final long MAX_RECORDS_FOR_CHECK = 10000;

  private static final AtomicLong FILES = new AtomicLong();

  private final String path;
  private final ParquetFileWriter file;
  private final CodecFactory codecs;
  private final ColumnBatchSettings settings;
  private final MessageType schema;
  private final WriteSupport<InternalRow> writeSupport;
  private final Map<String, String> extraMetadata;
  private final BufferedColumn[] columns;
  private final ColumnDescriptor[] descriptors;

  private ColumnChunkPageWriteStore pages;
  private ColumnWriteStore store;
  private ColumnWriter[] writers;
  private int rowGroupOrdinal;
  private long nextRowGroupSize;
  private long recordCount; // rows in the current row group, as the record writer counts them
  private long recordCountForNextMemCheck = MIN_RECORDS_FOR_CHECK;
  private int buffered;
  private int batchEnd;
  private boolean closed;

  ColumnBatchParquetWriter(
      String path,
      StructType dataSchema,
      BufferedColumn[] columns,
      ColumnBatchSettings settings,
      Configuration conf)
      throws IOException {
    this.path = path;
    this.columns = columns;
    this.settings = settings;
    this.writeSupport = new ParquetWriteSupport();
    WriteSupport.WriteContext context = writeSupport.init(conf);
    this.schema = context.getSchema();
    this.extraMetadata = context.getExtraMetaData();
    List<ColumnDescriptor> all = schema.getColumns();
    if (all.size() != columns.length) {
      throw new IllegalStateException(
          "Spark's Parquet schema " + schema + " has not one column for each of " + dataSchema);
    }
    this.descriptors = all.toArray(new ColumnDescriptor[0]);
    ParquetProperties props = settings.properties();
    this.file =
        new ParquetFileWriter(
            HadoopOutputFile.fromPath(new Path(path), conf),
            schema,
            ParquetFileWriter.Mode.CREATE,
            settings.blockSize(),
            settings.maxPaddingSize(),
            props.getColumnIndexTruncateLength(),
            props.getStatisticsTruncateLength(),
            props.getPageWriteChecksumEnabled());
    file.start();
    this.codecs = new CodecFactory(conf, props.getPageSizeThreshold());
    this.nextRowGroupSize = settings.blockSize();
    startRowGroup();
  }

  @Override
  public void write(InternalRow row) {
    int i = buffered;
    for (BufferedColumn column : columns) {
      column.take(row, i);
    }
    buffered = i + 1;
    if (buffered == batchEnd) {
      writeBatch();
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (buffered > 0) {
        writeBatch();
      }
      flushRowGroup();
      Map<String, String> metadata = new HashMap<>(extraMetadata);
      String model = writeSupport.getName();
      if (model != null) {
        metadata.put(ParquetWriter.OBJECT_MODEL_NAME_PROP, model);
      }
      metadata.putAll(writeSupport.finalizeWrite().getExtraMetaData());
      file.end(metadata);
      FILES.incrementAndGet();
    } catch (IOException e) {
      throw new UncheckedIOException("could not write Parquet file " + path, e);
    } finally {
      codecs.release();
    }
  }

  /** Files this JVM has written this way (tests check that a write took this path). */
  static long filesWritten() {
    return FILES.get();
  }

  @Override
  public String path() {
    return path;
  }

  private void startRowGroup() {
    ParquetProperties props = settings.properties();
    pages =
        new ColumnChunkPageWriteStore(
            codecs.getCompressor(settings.codec()),
            schema,
            props.getAllocator(),
            props.getColumnIndexTruncateLength(),
            props.getPageWriteChecksumEnabled(),
            null,
            rowGroupOrdinal);
    store = props.newColumnWriteStore(schema, pages, pages);
    writers = new ColumnWriter[descriptors.length];
    for (int c = 0; c < descriptors.length; c++) {
      writers[c] = store.getColumnWriter(descriptors[c]);
    }
    planBatch();
  }

  /** The next batch ends at the next size check of the page store or of the row group. */
  private void planBatch() {
    long rows = Math.min(BATCH_ROWS, recordCountForNextMemCheck - recordCount);
    long pageCheck = StoreSizeCheck.nextCheck(store) - recordCount;
    if (pageCheck > 0) {
      rows = Math.min(rows, pageCheck);
    }
    batchEnd = (int) Math.max(1, rows);
  }

  private void writeBatch() {
    int count = buffered;
    for (int c = 0; c < columns.length; c++) {
      columns[c].writeTo(writers[c], count);
    }
    for (int i = 0; i < count; i++) {
      store.endRecord();
    }
    recordCount += count;
    buffered = 0;
    try {
      checkRowGroupSize();
    } catch (IOException e) {
      throw new UncheckedIOException("could not write Parquet file " + path, e);
    }
    planBatch();
  }

  /** InternalParquetRecordWriter.checkBlockSizeReached, at the records it would run at. */
  private void checkRowGroupSize() throws IOException {
    if (recordCount < recordCountForNextMemCheck) {
      return;
    }
    long memSize = store.getBufferedSize();
    long recordSize = memSize / recordCount;
    if (memSize > nextRowGroupSize - 2 * recordSize) {
      flushRowGroup();
      startRowGroup();
      recordCountForNextMemCheck =
          Math.min(Math.max(MIN_RECORDS_FOR_CHECK, recordCount / 2), MAX_RECORDS_FOR_CHECK);
    } else {
      recordCountForNextMemCheck =
          Math.min(
              Math.max(
                  MIN_RECORDS_FOR_CHECK,
                  (recordCount + (long) (nextRowGroupSize / ((float) recordSize))) / 2),
              recordCount + MAX_RECORDS_FOR_CHECK);
    }
  }

  private void flushRowGroup() throws IOException {
    if (recordCount > 0) {
      rowGroupOrdinal++;
      file.startBlock(recordCount);
      store.flush();
      pages.flushToFileWriter(file);
      recordCount = 0;
      file.endBlock();
      nextRowGroupSize = Math.min(file.getNextRowGroupSize(), settings.blockSize());
    }
    store.close();
  }

  /**
   * The column store's next page-size check, a private field of Parquet's {@code
   * ColumnWriteStoreBase}, looked up once per JVM; {@link #available} says whether it is there.
   */
  static final class StoreSizeCheck {
    private static final String CLASS = "org.apache.parquet.column.impl.ColumnWriteStoreBase";
    private static final String FIELD = "rowCountForNextSizeCheck";
    private static final VarHandle NEXT_CHECK = find(CLASS, FIELD);

    private StoreSizeCheck() {}

    static boolean available() {
      return NEXT_CHECK != null;
    }

    static long nextCheck(ColumnWriteStore store) {
      return (long) NEXT_CHECK.get(store);
    }

    /** The long field, or null (the fast path turned off, naming both). */
    static VarHandle find(String className, String field) {
      try {
        Class<?> base = Class.forName(className, false, ColumnWriteStore.class.getClassLoader());
        return MethodHandles.privateLookupIn(base, MethodHandles.lookup())
            .findVarHandle(base, field, long.class);
      } catch (ReflectiveOperationException | SecurityException | IllegalArgumentException e) {
        FastPaths.turnOff(FastPaths.COLUMN_BATCH_WRITER, className + " has no long " + field);
        return null;
      }
    }
  }
}
