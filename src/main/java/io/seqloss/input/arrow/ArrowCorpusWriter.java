package io.seqloss.input.arrow;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.ArrowWriter;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Writes a corpus as one Arrow IPC file with the input contract's canonical types: optional id
 * (utf8 or int64), {@code logits} list&lt;list&lt;float32&gt;&gt;, {@code targets}
 * list&lt;int32&gt;, optional {@code weights} list&lt;float32&gt;; {@code rowsPerBatch} rows per
 * record batch, and optionally a utf8 group column last (for slicing). Nulls are written where
 * given (a null row array, a null step), so that invalid rows can be produced on purpose. For test
 * corpora and for {@code generate --format arrow}.
 */
public final class ArrowCorpusWriter implements AutoCloseable {
  /** The id column's type, or none. */
  public enum IdType {
    NONE,
    STRING,
    LONG
  }

  private final BufferAllocator allocator = new RootAllocator(Long.MAX_VALUE);
  private final IdType idType;
  private final boolean withWeights;
  private final int rowsPerBatch;
  private final String groupColumn;
  private final VectorSchemaRoot root;
  private final ArrowWriter writer;
  private int rows;

  private ArrowCorpusWriter(
      OutputStream out,
      ArrowIpcFormat format,
      IdType idType,
      boolean withWeights,
      int rowsPerBatch,
      String groupColumn) {
    if (rowsPerBatch < 1) {
      throw new IllegalArgumentException("rowsPerBatch must be at least 1, got " + rowsPerBatch);
    }
    this.idType = idType;
    this.withWeights = withWeights;
    this.rowsPerBatch = rowsPerBatch;
    this.groupColumn = groupColumn;
    this.root = VectorSchemaRoot.create(schema(idType, withWeights, groupColumn), allocator);
    WritableByteChannel channel = Channels.newChannel(out);
    this.writer =
        format == ArrowIpcFormat.FILE
            ? new ArrowFileWriter(root, null, channel)
            : new ArrowStreamWriter(root, null, channel);
    try {
      writer.start();
    } catch (IOException e) {
      writer.close();
      root.close();
      allocator.close();
      throw new UncheckedIOException(e);
    }
    root.allocateNew();
  }

  /** A writer whose rows also carry a utf8 column {@code groupColumn} (null: none). */
  public static ArrowCorpusWriter open(
      OutputStream out,
      ArrowIpcFormat format,
      IdType idType,
      boolean withWeights,
      int rowsPerBatch,
      String groupColumn) {
    return new ArrowCorpusWriter(out, format, idType, withWeights, rowsPerBatch, groupColumn);
  }

  /**
   * The Arrow schema written, in the input contract's column order and names, with a utf8 group
   * column last when {@code groupColumn} is not null.
   */
  public static Schema schema(IdType idType, boolean withWeights, String groupColumn) {
    List<Field> fields = new ArrayList<>();
    if (idType == IdType.STRING) {
      fields.add(Field.nullable("id", ArrowType.Utf8.INSTANCE));
    } else if (idType == IdType.LONG) {
      fields.add(Field.nullable("id", new ArrowType.Int(64, true)));
    }
    ArrowType float32 = new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
    fields.add(list("logits", list("item", Field.nullable("item", float32))));
    fields.add(list("targets", Field.nullable("item", new ArrowType.Int(32, true))));
    if (withWeights) {
      fields.add(list("weights", Field.nullable("item", float32)));
    }
    if (groupColumn != null) {
      fields.add(Field.nullable(groupColumn, ArrowType.Utf8.INSTANCE));
    }
    return new Schema(fields);
  }

  private static Field list(String name, Field element) {
    return new Field(name, FieldType.nullable(ArrowType.List.INSTANCE), List.of(element));
  }

  /**
   * Adds one sequence; {@code id} must match the id type (ignored for NONE), weights may be null.
   */
  public void write(Object id, float[][] logits, int[] targets, float[] weights) {
    write(id, logits, targets, weights, null);
  }

  /** Adds one sequence with its group value (null: a null group, or no group column). */
  public void write(Object id, float[][] logits, int[] targets, float[] weights, String group) {
    int column = 0;
    if (idType != IdType.NONE) {
      FieldVector ids = root.getVector(column++);
      if (id == null) {
        ids.setNull(rows);
      } else if (idType == IdType.STRING) {
        ((VarCharVector) ids).setSafe(rows, id.toString().getBytes(StandardCharsets.UTF_8));
      } else {
        ((BigIntVector) ids).setSafe(rows, ((Number) id).longValue());
      }
    }
    writeLogits((ListVector) root.getVector(column++), logits);
    writeInts((ListVector) root.getVector(column++), targets);
    if (withWeights) {
      writeFloats((ListVector) root.getVector(column++), rows, weights);
    }
    if (groupColumn != null) {
      VarCharVector groups = (VarCharVector) root.getVector(column);
      if (group == null) {
        groups.setNull(rows);
      } else {
        groups.setSafe(rows, group.getBytes(StandardCharsets.UTF_8));
      }
    }
    if (++rows == rowsPerBatch) {
      flush();
    }
  }

  private void writeLogits(ListVector vector, float[][] logits) {
    if (logits == null) {
      vector.setNull(rows);
      return;
    }
    ListVector steps = (ListVector) vector.getDataVector();
    int start = vector.startNewValue(rows);
    for (int t = 0; t < logits.length; t++) {
      writeFloats(steps, start + t, logits[t]);
    }
    vector.endValue(rows, logits.length);
  }

  private static void writeFloats(ListVector vector, int index, float[] values) {
    if (values == null) {
      vector.setNull(index);
      return;
    }
    Float4Vector data = (Float4Vector) vector.getDataVector();
    int start = vector.startNewValue(index);
    for (int i = 0; i < values.length; i++) {
      data.setSafe(start + i, values[i]);
    }
    vector.endValue(index, values.length);
  }

  private void writeInts(ListVector vector, int[] values) {
    if (values == null) {
      vector.setNull(rows);
      return;
    }
    IntVector data = (IntVector) vector.getDataVector();
    int start = vector.startNewValue(rows);
    for (int i = 0; i < values.length; i++) {
      data.setSafe(start + i, values[i]);
    }
    vector.endValue(rows, values.length);
  }

  private void flush() {
    if (rows == 0) {
      return;
    }
    root.setRowCount(rows);
    try {
      writer.writeBatch();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    root.clear();
    root.allocateNew();
    rows = 0;
  }

  /** Writes the last, partial batch and the end of the stream (or the file footer). */
  @Override
  public void close() {
    try {
      flush();
      writer.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.close();
      root.close();
      allocator.close();
    }
  }
}
