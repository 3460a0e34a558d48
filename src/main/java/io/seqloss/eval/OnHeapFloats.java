package io.seqloss.eval;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.apache.logging.log4j.LogManager;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.execution.vectorized.OnHeapColumnVector;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarArray;

/**
 * Copies one step's float logits straight out of the {@code float[]} behind Spark's on-heap column
 * vector, where the vectorized Parquet reader decodes them. Through the public API each value is a
 * {@code ColumnarArray.getFloat} call that checks the vector's dictionary; in the job that loop did not
 * compile to a plain array copy and cost 2.7 ns a logit (JFR), as much as the loss itself. Reading the
 * array directly is a loop that C2 vectorises (0.3–0.5 ns a logit).
 *
 * <p>Spark keeps the array and the step's offset in private fields, read here through {@link VarHandle}s
 * found once. Anything else (dictionary-encoded values, off-heap or Arrow vectors, another Spark whose
 * fields differ) makes {@link #copyFinite} return false, and the caller reads the values through the
 * public API: the same numbers, more slowly.
 */
final class OnHeapFloats {
  private static final VarHandle ARRAY_VECTOR;
  private static final VarHandle ARRAY_OFFSET;
  private static final VarHandle FLOAT_DATA;

  static {
    VarHandle vector = null;
    VarHandle offset = null;
    VarHandle floats = null;
    try {
      MethodHandles.Lookup arrays = MethodHandles.privateLookupIn(ColumnarArray.class, MethodHandles.lookup());
      vector = arrays.findVarHandle(ColumnarArray.class, "data", ColumnVector.class);
      offset = arrays.findVarHandle(ColumnarArray.class, "offset", int.class);
      floats = MethodHandles.privateLookupIn(OnHeapColumnVector.class, MethodHandles.lookup())
          .findVarHandle(OnHeapColumnVector.class, "floatData", float[].class);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LogManager.getLogger(OnHeapFloats.class).info(
          "reading logits through Spark's public column vector API: {}", e.toString());
      vector = null;
    }
    ARRAY_VECTOR = vector;
    ARRAY_OFFSET = offset;
    FLOAT_DATA = floats;
  }

  private OnHeapFloats() {}

  /**
   * Copies {@code step[0..n)} into {@code out} when the step is backed by an on-heap float vector without
   * a dictionary. True when it did and every value is finite; false when the caller must copy and check
   * the values itself (another kind of vector, or a value to report).
   */
  static boolean copyFinite(ArrayData step, int n, double[] out) {
    if (ARRAY_VECTOR == null || !(step instanceof ColumnarArray array)) {
      return false;
    }
    if (!(ARRAY_VECTOR.get(array) instanceof OnHeapColumnVector vector) || vector.hasDictionary()) {
      return false;
    }
    float[] values = (float[]) FLOAT_DATA.get(vector);
    int offset = (int) ARRAY_OFFSET.get(array);
    if (values == null || offset < 0 || offset + n > values.length) {
      return false;
    }
    boolean allFinite = true;
    for (int i = 0; i < n; i++) {
      double value = values[offset + i];
      out[i] = value;
      allFinite &= value - value == 0.0; // false for NaN and both infinities
    }
    return allFinite;
  }
}
