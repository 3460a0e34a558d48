package io.seqloss.input.arrow;

import io.seqloss.input.UnsupportedLayout;
import java.io.IOException;
import java.util.OptionalInt;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * The length of the first step of an Arrow IPC file's first row that has a non-empty first step
 * ({@code size(element_at(logits, 1)) >= 1}), read on the driver from the file's record batches in
 * order, usually only the first: the V that seqloss uses without {@code --num-classes}, without the
 * cost of planning and running a Spark query for it.
 */
public final class ArrowFirstStep {
  private ArrowFirstStep() {}

  /**
   * The first non-empty first step's length, or empty when no row has one. A file that cannot be
   * read fails as the scan would ({@code InvalidInputException} naming it); a logits column that is
   * not a list of lists is {@link UnsupportedLayout}.
   */
  public static OptionalInt length(String file, String logitsColumn, Configuration conf)
      throws IOException, UnsupportedLayout {
    ArrowIpcFile layout = ArrowIpcFile.scan(file, conf);
    if (layout.schema().getFields().stream().noneMatch(f -> f.getName().equals(logitsColumn))) {
      throw new UnsupportedLayout("no column " + logitsColumn);
    }
    Path path = new Path(file);
    try (BufferAllocator allocator = new RootAllocator(Long.MAX_VALUE);
        HadoopSeekableChannel channel =
            HadoopSeekableChannel.open(path.getFileSystem(conf), path)) {
      for (BatchBlock block : layout.batches()) {
        try (VectorSchemaRoot root = VectorSchemaRoot.create(layout.schema(), allocator)) {
          block.loadInto(root, channel, allocator);
          OptionalInt found =
              firstNonEmptyFirstStep(root.getVector(logitsColumn), root.getRowCount());
          if (found.isPresent()) {
            return found;
          }
        }
      }
    }
    return OptionalInt.empty();
  }

  private static OptionalInt firstNonEmptyFirstStep(FieldVector logits, int rows)
      throws UnsupportedLayout {
    if (!(logits instanceof ListVector sequences
        && sequences.getDataVector() instanceof ListVector steps)) {
      throw new UnsupportedLayout(
          logits.getName() + " is " + logits.getField().getType() + ", not a list of lists");
    }
    for (int row = 0; row < rows; row++) {
      if (sequences.isNull(row)
          || sequences.getElementEndIndex(row) == sequences.getElementStartIndex(row)) {
        continue;
      }
      int first = sequences.getElementStartIndex(row);
      if (!steps.isNull(first)) {
        int length = steps.getElementEndIndex(first) - steps.getElementStartIndex(first);
        if (length > 0) {
          return OptionalInt.of(length);
        }
      }
    }
    return OptionalInt.empty();
  }
}
