package io.seqloss.eval;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.apache.arrow.vector.Float4Vector;
import org.apache.logging.log4j.LogManager;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.execution.vectorized.OnHeapColumnVector;
import org.apache.spark.sql.vectorized.ArrowColumnVector;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarArray;
import org.apache.spark.unsafe.Platform;

/**
 * Copies one step's float logits straight out of the memory behind the scan's column vector: the
 * {@code float[]} of Spark's on-heap vector, where the vectorized Parquet reader decodes them, or the
 * data buffer of an Arrow {@code Float4Vector} (Arrow IPC corpora). Through the public API each value
 * is a {@code ColumnarArray.getFloat} call that checks the vector's dictionary (or Arrow's accessor); in
 * the job that loop did not compile to a plain array copy and cost 2.7 ns a logit (JFR), as much as the
 * loss itself. Reading the memory directly is a loop that C2 vectorises (0.3–0.5 ns a logit).
 *
 * <p>Spark keeps the on-heap array and the step's offset in private fields, read here through
 * {@link VarHandle}s found once. Anything else (dictionary-encoded values, off-heap vectors, another
 * Spark whose fields differ) makes {@link #copyFinite} return NaN, and the caller reads the values
 * through the public API: the same numbers, more slowly. One instance per task (it keeps a buffer).
 */
final class DirectFloats {
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
      LogManager.getLogger(DirectFloats.class).info(
          "reading logits through Spark's public column vector API: {}", e.toString());
      vector = null;
    }
    ARRAY_VECTOR = vector;
    ARRAY_OFFSET = offset;
    FLOAT_DATA = floats;
  }

  /** Arrow's values, copied out of native memory in one call before they are widened. */
  private float[] arrowValues = new float[0];

  /**
   * Copies {@code step[0..n)} into {@code out} when the step is backed by an on-heap float vector without
   * a dictionary or by an Arrow float vector, and returns the largest value when it did and every value
   * is finite; returns NaN when the caller must copy and check the values itself (another kind of
   * vector, or a value to report). The caller has made sure that the values vector holds no null.
   */
  double copyFinite(ArrayData step, int n, double[] out) {
    if (ARRAY_VECTOR == null || !(step instanceof ColumnarArray array)) {
      return Double.NaN;
    }
    Object vector = ARRAY_VECTOR.get(array);
    int offset = (int) ARRAY_OFFSET.get(array);
    float[] values;
    int from;
    if (vector instanceof OnHeapColumnVector onHeap && !onHeap.hasDictionary()) {
      values = (float[]) FLOAT_DATA.get(onHeap);
      from = offset;
      if (values == null || offset < 0 || offset + n > values.length) {
        return Double.NaN;
      }
    } else if (vector instanceof ArrowColumnVector arrow && arrow.getValueVector() instanceof Float4Vector floats) {
      if (offset < 0 || offset + n > floats.getValueCount()) {
        return Double.NaN;
      }
      values = arrowValues(n);
      Platform.copyMemory(null, floats.getDataBuffer().memoryAddress() + (long) Float.BYTES * offset, values,
          Platform.FLOAT_ARRAY_OFFSET, (long) Float.BYTES * n);
      from = 0;
    } else {
      return Double.NaN;
    }
    return copyWithMax(values, from, n, out);
  }

  /**
   * Copies {@code values[from..from + n)} into {@code out}; returns the largest value, or NaN if any
   * value is NaN or infinite. One loop of two min/max reductions, which C2 vectorises: the copy, the
   * finiteness check and the log-sum-exp's search for the maximum in one read of the vector's memory.
   * {@code Math.max} and {@code Math.min} return NaN if either argument is NaN, so a NaN reaches both;
   * an infinity is the max or the min.
   */
  static double copyWithMax(float[] values, int from, int n, double[] out) {
    double max = Double.NEGATIVE_INFINITY;
    double min = Double.POSITIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      double value = values[from + i];
      out[i] = value;
      max = Math.max(max, value);
      min = Math.min(min, value);
    }
    return Double.isFinite(max) && Double.isFinite(min) ? max : Double.NaN;
  }

  private float[] arrowValues(int n) {
    if (arrowValues.length < n) {
      arrowValues = new float[n];
    }
    return arrowValues;
  }
}
