package io.seqloss.fastpath;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.apache.arrow.vector.Float4Vector;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.execution.vectorized.OnHeapColumnVector;
import org.apache.spark.sql.vectorized.ArrowColumnVector;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarArray;
import org.apache.spark.unsafe.Platform;

/**
 * Copies one step's float logits (all non-null) into a double buffer. The fast path reads the
 * memory behind the scan's column vector: the {@code float[]} of Spark's on-heap vector, where the
 * vectorized Parquet reader decodes them, or the data buffer of an Arrow {@code Float4Vector}
 * (Arrow IPC corpora). Through the public API each value was a {@code ColumnarArray.getFloat} call
 * that checks the vector's dictionary; in the job that loop did not compile to a plain array copy
 * and cost 2.7 ns a logit (JFR), as much as the loss itself. Reading the memory directly is a loop
 * that C2 vectorises (0.3–0.5 ns).
 *
 * <p>Spark keeps the on-heap array and the step's offset in private fields, read here through
 * {@link VarHandle}s found once ({@link Handles}). When they are not there (another Spark), when
 * the switch is off, and for any other vector (dictionary-encoded, off-heap, rows), the values come
 * from the public {@link ArrayData#toFloatArray()} (a bulk {@code ColumnVector.getFloats} for a
 * column vector): the same floats, widened the same way. One instance per task (it keeps a buffer).
 */
public final class DirectFloats {
  /**
   * Spark 3.5's and 4.x's field names: {@code ColumnarArray.data}, {@code .offset}, {@code
   * OnHeapColumnVector.floatData}.
   */
  private static final Handles SPARK =
      Handles.find(ColumnarArray.class, "data", "offset", OnHeapColumnVector.class, "floatData");

  // Static final, so that C2 folds each access into a plain field load; read through a handle
  // held in an instance field, every access was a generic VarHandle call (JFR: a narrow run spent
  // 12.7 % of its samples in copyFinite itself, BENCHMARKS.md). Null when SPARK has a problem.
  private static final VarHandle VECTOR = SPARK.vector();
  private static final VarHandle OFFSET = SPARK.offset();
  private static final VarHandle FLOATS = SPARK.floats();

  /** False when the values come through the public API only. */
  private final boolean direct;

  /** Arrow's values, copied out of native memory in one call before they are widened. */
  private float[] arrowValues = new float[0];

  /**
   * The sequence opened by {@link #openSteps}: the vector of its steps (one array of logits a
   * step), its first step's position there, and the floats of every step.
   */
  private OnHeapColumnVector stepVector;

  private int firstStep;
  private float[] stepFloats;

  public DirectFloats() {
    this(FastPaths.enabled() ? SPARK : null);
  }

  /**
   * Reading the memory directly when {@code handles} (Spark's fields, {@link #SPARK}) have no
   * problem; tests give broken ones, or null for the public API only.
   */
  DirectFloats(Handles handles) {
    if (handles != null && handles.problem() != null) {
      FastPaths.turnOff(FastPaths.DIRECT_FLOATS, handles.problem());
    }
    this.direct = handles != null && handles.problem() == null && SPARK.problem() == null;
  }

  /**
   * Checks Spark's fields now (WARN if they are not what this class expects); whether they are
   * usable.
   */
  static boolean available() {
    return new DirectFloats(SPARK).direct;
  }

  /**
   * The private fields, or why they cannot be used: a missing field or one of another type (a Spark
   * that changed them), or a module that does not open them.
   */
  record Handles(VarHandle vector, VarHandle offset, VarHandle floats, String problem) {
    static Handles find(
        Class<?> arrayClass,
        String vectorField,
        String offsetField,
        Class<?> onHeapClass,
        String floatsField) {
      String looking = arrayClass.getSimpleName() + "." + vectorField;
      try {
        MethodHandles.Lookup arrays =
            MethodHandles.privateLookupIn(arrayClass, MethodHandles.lookup());
        VarHandle vector = arrays.findVarHandle(arrayClass, vectorField, ColumnVector.class);
        looking = arrayClass.getSimpleName() + "." + offsetField;
        VarHandle offset = arrays.findVarHandle(arrayClass, offsetField, int.class);
        looking = onHeapClass.getSimpleName() + "." + floatsField;
        VarHandle floats =
            MethodHandles.privateLookupIn(onHeapClass, MethodHandles.lookup())
                .findVarHandle(onHeapClass, floatsField, float[].class);
        return new Handles(vector, offset, floats, null);
      } catch (ReflectiveOperationException | RuntimeException e) {
        return new Handles(
            null,
            null,
            null,
            "Spark's private field " + looking + " is not readable as expected (" + e + ")");
      }
    }
  }

  /**
   * Copies {@code step[0..n)} into {@code out} and returns the largest value when every value is
   * finite; returns NaN when one is not, for the caller's per-value checks that name it. The caller
   * has made sure that the step holds no null. For a step {@link #openSteps} declined: an Arrow
   * {@code Float4Vector}'s memory is read directly, anything else through the public API (Spark's
   * on-heap vectors are read by {@link #copyStep}).
   */
  public double copyFinite(ArrayData step, int n, double[] out) {
    if (direct && step instanceof ColumnarArray array) {
      // each access with its field's exact types, which lets the handle skip its type adaptation
      ColumnVector vector = (ColumnVector) VECTOR.get(array);
      int offset = (int) OFFSET.get(array);
      if (vector instanceof ArrowColumnVector arrow
          && arrow.getValueVector() instanceof Float4Vector floats
          && offset >= 0
          && offset + n <= floats.getValueCount()) {
        float[] values = arrowValues(n);
        Platform.copyMemory(
            null,
            floats.getDataBuffer().memoryAddress() + (long) Float.BYTES * offset,
            values,
            Platform.FLOAT_ARRAY_OFFSET,
            (long) Float.BYTES * n);
        return copyWithMax(values, 0, n, out);
      }
    }
    return copyWithMax(step.toFloatArray(), 0, n, out);
  }

  /**
   * Opens a sequence's logits (an array of T steps of V floats, none of them null) for {@link
   * #stepIsNull}, {@link #stepLength} and {@link #copyStep}, which read a step's place and its
   * floats from the scan's vectors. {@code logits.getArray(t)} made a {@code ColumnarArray} for
   * every step, the one allocation a token made on short rows (BENCHMARKS.md, sixth session), and
   * looking the step's vector up again for each step. False when the logits are not in Spark's
   * on-heap vectors (Arrow, rows, dictionary-encoded floats) or the fast path is off: the caller
   * then reads each step through the public API.
   */
  public boolean openSteps(ArrayData logits) {
    stepVector = null;
    stepFloats = null;
    if (!direct || !(logits instanceof ColumnarArray array)) {
      return false;
    }
    if (!((ColumnVector) VECTOR.get(array) instanceof OnHeapColumnVector steps)
        || !(steps.getChild(0) instanceof OnHeapColumnVector values)
        || values.hasDictionary()) {
      return false;
    }
    float[] floats = (float[]) FLOATS.get(values);
    if (floats == null) {
      return false;
    }
    stepVector = steps;
    firstStep = (int) OFFSET.get(array);
    stepFloats = floats;
    return true;
  }

  /** Whether step t of the opened sequence is null (rather than an array of logits). */
  public boolean stepIsNull(int t) {
    return stepVector.isNullAt(firstStep + t);
  }

  /** The number of logits of step t of the opened sequence. */
  public int stepLength(int t) {
    return stepVector.getArrayLength(firstStep + t);
  }

  /**
   * {@link #copyFinite} for step t of the opened sequence, which holds {@code n} logits. NaN too
   * when its floats are not where the vector says (the caller then reads the step through the
   * public API, whose checks name any bad value).
   */
  public double copyStep(int t, int n, double[] out) {
    int offset = stepVector.getArrayOffset(firstStep + t);
    if (offset < 0 || offset + n > stepFloats.length) {
      return Double.NaN;
    }
    return copyWithMax(stepFloats, offset, n, out);
  }

  /**
   * Copies {@code values[from..from + n)} into {@code out}; returns the largest value, or NaN if
   * any value is NaN or infinite. One loop of two min/max reductions, which C2 vectorises: the
   * copy, the finiteness check and the log-sum-exp's search for the maximum in one read of the
   * vector's memory. {@code Math.max} and {@code Math.min} return NaN if either argument is NaN, so
   * a NaN reaches both; an infinity is the max or the min.
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
