package io.seqloss.input.arrow;

import java.io.Serializable;
import org.apache.arrow.vector.ipc.message.ArrowBlock;

/**
 * Where one record batch lies in an Arrow IPC file and how many rows it holds: the unit by which
 * files are split into Spark partitions, and by which a task streams its part of a file.
 *
 * @param offset first byte of the batch's message (its length prefix)
 * @param metadataLength bytes of the prefix and the padded flatbuffer header
 * @param bodyLength bytes of the body (the column buffers)
 * @param rows rows in the batch
 */
record BatchBlock(long offset, int metadataLength, long bodyLength, long rows) implements Serializable {
  long bytes() {
    return metadataLength + bodyLength;
  }

  ArrowBlock toArrowBlock() {
    return new ArrowBlock(offset, metadataLength, bodyLength);
  }
}
