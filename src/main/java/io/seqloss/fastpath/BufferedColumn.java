package io.seqloss.fastpath;

import java.util.Arrays;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.io.api.Binary;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * One top-level column's values for a batch of rows, taken from each row as it comes and written to
 * Parquet's column writer a batch at a time: the values Spark's {@code ParquetWriteSupport} would
 * pass through the record consumer, in the same order, with the same definition levels (a top-level
 * column is optional in Spark's files: level 1 for a value, 0 for a null).
 */
abstract sealed class BufferedColumn {
  final int ordinal;
  private final boolean[] nulls;

  BufferedColumn(int ordinal, int capacity) {
    this.ordinal = ordinal;
    this.nulls = new boolean[capacity];
  }

  /** The buffer for a column of this type, or null for a type this writer does not take. */
  static BufferedColumn of(DataType type, int ordinal, int capacity) {
    if (type.equals(DataTypes.LongType)) {
      return new Longs(ordinal, capacity);
    } else if (type.equals(DataTypes.IntegerType)) {
      return new Ints(ordinal, capacity);
    } else if (type.equals(DataTypes.DoubleType)) {
      return new Doubles(ordinal, capacity);
    } else if (type.equals(DataTypes.StringType)) {
      return new Strings(ordinal, capacity);
    }
    return null;
  }

  /** Keeps the row's value as value {@code i} of the batch. */
  final void take(InternalRow row, int i) {
    boolean isNull = row.isNullAt(ordinal);
    nulls[i] = isNull;
    if (!isNull) {
      takeValue(row, i);
    }
  }

  /** Writes the batch's first {@code count} values, then forgets them. */
  final void writeTo(ColumnWriter writer, int count) {
    for (int i = 0; i < count; i++) {
      if (nulls[i]) {
        writer.writeNull(0, 0);
      } else {
        writeValue(writer, i);
      }
    }
    reset();
  }

  abstract void takeValue(InternalRow row, int i);

  abstract void writeValue(ColumnWriter writer, int i);

  void reset() {}

  static final class Longs extends BufferedColumn {
    private final long[] values;

    Longs(int ordinal, int capacity) {
      super(ordinal, capacity);
      values = new long[capacity];
    }

    @Override
    void takeValue(InternalRow row, int i) {
      values[i] = row.getLong(ordinal);
    }

    @Override
    void writeValue(ColumnWriter writer, int i) {
      writer.write(values[i], 0, 1);
    }
  }

  static final class Ints extends BufferedColumn {
    private final int[] values;

    Ints(int ordinal, int capacity) {
      super(ordinal, capacity);
      values = new int[capacity];
    }

    @Override
    void takeValue(InternalRow row, int i) {
      values[i] = row.getInt(ordinal);
    }

    @Override
    void writeValue(ColumnWriter writer, int i) {
      writer.write(values[i], 0, 1);
    }
  }

  static final class Doubles extends BufferedColumn {
    private final double[] values;

    Doubles(int ordinal, int capacity) {
      super(ordinal, capacity);
      values = new double[capacity];
    }

    @Override
    void takeValue(InternalRow row, int i) {
      values[i] = row.getDouble(ordinal);
    }

    @Override
    void writeValue(ColumnWriter writer, int i) {
      writer.write(values[i], 0, 1);
    }
  }

  /**
   * Strings as their UTF-8 bytes, copied end to end into one array (the row's own bytes are reused
   * by the next row). Parquet gets them as reused bytes, so it copies whatever it keeps (dictionary
   * entries, statistics), as it does for Spark's writer.
   */
  static final class Strings extends BufferedColumn {
    private final int[] starts;
    private byte[] bytes = new byte[1 << 16];
    private int used;

    Strings(int ordinal, int capacity) {
      super(ordinal, capacity);
      starts = new int[capacity + 1];
    }

    @Override
    void takeValue(InternalRow row, int i) {
      UTF8String value = row.getUTF8String(ordinal);
      int length = value.numBytes();
      if (used + length > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, used + length));
      }
      value.writeToMemory(bytes, org.apache.spark.unsafe.Platform.BYTE_ARRAY_OFFSET + used);
      starts[i] = used;
      used += length;
      starts[i + 1] = used;
    }

    @Override
    void writeValue(ColumnWriter writer, int i) {
      writer.write(Binary.fromReusedByteArray(bytes, starts[i], starts[i + 1] - starts[i]), 0, 1);
    }

    @Override
    void reset() {
      used = 0;
    }
  }
}
