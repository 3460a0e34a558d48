package io.seqloss.input.arrow;

import java.io.IOException;
import java.io.Serializable;
import java.nio.channels.SeekableByteChannel;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.SeekableReadChannel;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.MessageSerializer;

/**
 * Where one record batch lies in an Arrow IPC file and how many rows it holds: the unit by which
 * files are split into Spark partitions, and by which a task streams its part of a file.
 *
 * @param offset first byte of the batch's message (its length prefix)
 * @param metadataLength bytes of the prefix and the padded flatbuffer header
 * @param bodyLength bytes of the body (the column buffers)
 * @param rows rows in the batch
 */
record BatchBlock(long offset, int metadataLength, long bodyLength, long rows)
    implements Serializable {
  long bytes() {
    return metadataLength + bodyLength;
  }

  ArrowBlock toArrowBlock() {
    return new ArrowBlock(offset, metadataLength, bodyLength);
  }

  /**
   * Reads this batch from the file into {@code root}'s vectors, with buffers from {@code
   * allocator}.
   */
  void loadInto(VectorSchemaRoot root, SeekableByteChannel file, BufferAllocator allocator)
      throws IOException {
    SeekableReadChannel in = new SeekableReadChannel(file);
    in.setPosition(offset);
    try (ArrowRecordBatch batch =
        MessageSerializer.deserializeRecordBatch(in, toArrowBlock(), allocator)) {
      new VectorLoader(root).load(batch);
    }
  }
}
