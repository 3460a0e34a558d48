package io.seqloss.input.arrow;

import io.seqloss.input.InvalidInputException;
import io.seqloss.input.ReadFailures;
import java.io.IOException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.vectorized.ArrowColumnVector;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;

/**
 * Streams one task's record batches. Only one batch is in memory at a time: the previous batch's
 * buffers are released before the next one is read, so a file of any size is read in the memory of
 * its largest record batch. The task's own allocator must be empty when the task ends; a leak fails
 * the task rather than going unnoticed.
 *
 * <p>Every batch gets vectors of its own: Spark closes the column vectors of a batch it has
 * consumed ({@code ColumnarBatch.closeIfFreeable}), and closing an {@code ArrowColumnVector} closes
 * the Arrow vector under it, so vectors cannot be reused from batch to batch. Closing twice is
 * harmless, so the reader also closes each batch's vectors itself, including the columns Spark
 * never saw.
 */
final class ArrowBatchReader implements PartitionReader<ColumnarBatch> {
  private static final Logger LOG = LogManager.getLogger(ArrowBatchReader.class);

  private final ArrowInputPartition partition;
  private final StructType readSchema;
  private final Configuration conf;
  private final BufferAllocator allocator;
  private final String taskName;

  private int segmentIndex = -1;
  private ArrowSegment segment;
  private int blockIndex;
  private long nextRow;
  private HadoopSeekableChannel channel;
  private Schema schema;
  private VectorSchemaRoot root;
  private ArrowMetadata.Vectors metadata;
  private ColumnarBatch current;

  ArrowBatchReader(ArrowInputPartition partition, StructType readSchema, Configuration conf) {
    this.partition = partition;
    this.readSchema = readSchema;
    this.conf = conf;
    TaskContext task = TaskContext.get();
    this.taskName = task == null ? "arrow-read" : "arrow-read-task-" + task.taskAttemptId();
    this.allocator = new RootAllocator(Long.MAX_VALUE);
  }

  @Override
  public boolean next() throws IOException {
    while (true) {
      if (segment != null && blockIndex < segment.blocks().size()) {
        current = loadNextBlock();
        return true;
      }
      closeSegment();
      if (++segmentIndex >= partition.segments().size()) {
        current = null;
        return false;
      }
      openSegment(partition.segments().get(segmentIndex));
    }
  }

  @Override
  public ColumnarBatch get() {
    return current;
  }

  private void openSegment(ArrowSegment next) throws IOException {
    Path path = new Path(next.file());
    try {
      channel = HadoopSeekableChannel.open(path.getFileSystem(conf), path);
    } catch (IOException e) {
      throw new InvalidInputException(
          ReadFailures.unreadableFile(next.file(), ReadFailures.describe(e)), e);
    }
    segment = next;
    blockIndex = 0;
    nextRow = next.firstRow();
    schema = Schema.fromJSON(next.schemaJson());
  }

  private ColumnarBatch loadNextBlock() {
    BatchBlock block = segment.blocks().get(blockIndex);
    // Release the previous batch first: at most one batch's buffers are held at any time.
    closeBatch();
    root = VectorSchemaRoot.create(schema, allocator);
    try {
      block.loadInto(root, channel, allocator);
    } catch (IOException | RuntimeException e) {
      throw new InvalidInputException(
          ReadFailures.unreadableFile(
              segment.file(),
              String.format(
                  "record batch at byte %d (file rows %d..%d): %s",
                  block.offset(), nextRow, nextRow + block.rows() - 1, ReadFailures.describe(e))),
          e);
    }
    int rows = root.getRowCount();
    if (rows != block.rows()) {
      throw new InvalidInputException(
          ReadFailures.unreadableFile(
              segment.file(),
              String.format(
                  "record batch at byte %d holds %d rows, its header said %d",
                  block.offset(), rows, block.rows())));
    }
    ColumnVector[] columns = new ColumnVector[readSchema.size()];
    for (int i = 0; i < columns.length; i++) {
      int index = segment.columns()[i];
      if (index < 0) {
        metadata = new ArrowMetadata.Vectors(allocator);
        columns[i] = new ArrowColumnVector(metadata.fill(segment.file(), nextRow, rows));
      } else {
        columns[i] = new ArrowColumnVector(root.getVector(index));
      }
    }
    blockIndex++;
    nextRow += rows;
    return new ColumnarBatch(columns, rows);
  }

  private void closeBatch() {
    if (root != null) {
      root.close();
      root = null;
    }
    if (metadata != null) {
      metadata.close();
      metadata = null;
    }
  }

  private void closeSegment() throws IOException {
    closeBatch();
    if (channel != null) {
      channel.close();
      channel = null;
    }
    segment = null;
  }

  @Override
  public void close() throws IOException {
    current = null;
    try {
      closeSegment();
    } catch (Throwable failure) {
      // A leak found while closing after a failure must not hide that failure.
      IllegalStateException leak = releaseAllocator();
      if (leak != null) {
        failure.addSuppressed(leak);
      }
      throw failure;
    }
    IllegalStateException leak = releaseAllocator();
    if (leak != null) {
      throw leak;
    }
  }

  /** Records the task's Arrow memory and closes the allocator; the error when memory leaked. */
  private IllegalStateException releaseAllocator() {
    long outstanding = allocator.getAllocatedMemory();
    long peak = allocator.getPeakMemoryAllocation();
    ArrowTaskMemory.record(new ArrowTaskMemory.Release(taskName, peak, outstanding));
    LOG.debug(
        "{}: Arrow allocator peak {} bytes, {} bytes outstanding at close",
        taskName,
        peak,
        outstanding);
    if (outstanding != 0) {
      return new IllegalStateException(
          String.format(
              "seqloss bug: %s ends with %d bytes of Arrow memory not released",
              taskName, outstanding));
    }
    allocator.close();
    return null;
  }
}
