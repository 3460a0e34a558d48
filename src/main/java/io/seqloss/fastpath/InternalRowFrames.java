package io.seqloss.fastpath;

import java.lang.reflect.Method;
import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Output rows handed to Spark's writer as its internal rows, through the session's {@code
 * internalCreateDataFrame} (public in the bytecode of Spark 3.5 and of 4.x's classic session, but
 * not API). {@code createDataFrame} of external rows runs every row through a generated serializer
 * that checks and converts each value (a string id is decoded to a Java string, then encoded
 * again); generating that serializer in each executor JVM also initialises Scala's runtime
 * reflection (its {@code Invoke} expressions name methods through it), about a second on one core
 * while the other task threads wait for it. Both make the same {@code LogicalRDD} of the same
 * schema, so the files are the same bytes.
 *
 * <p>Checked on the driver: the session's class has the method with the expected parameters and a
 * {@code Dataset} result. If not, or with the switch off, the caller writes external rows through
 * the public API (turned off with a WARN naming the reason, once per JVM).
 */
public final class InternalRowFrames {
  static final String METHOD = "internalCreateDataFrame";

  private final Method create;

  private InternalRowFrames(Method create) {
    this.create = create;
  }

  /** The fast path for this session, or empty (switch off, or the method is not as expected). */
  public static Optional<InternalRowFrames> of(SparkSession spark) {
    return FastPaths.enabled() ? find(spark.getClass()) : Optional.empty();
  }

  static Optional<InternalRowFrames> find(Class<?> session) {
    String problem;
    try {
      Method method = session.getMethod(METHOD, RDD.class, StructType.class, boolean.class);
      if (Dataset.class.isAssignableFrom(method.getReturnType())) {
        return Optional.of(new InternalRowFrames(method));
      }
      problem = session.getName() + "." + METHOD + " returns " + method.getReturnType().getName();
    } catch (NoSuchMethodException | SecurityException e) {
      problem = session.getName() + " has no " + METHOD + "(RDD, StructType, boolean)";
    }
    FastPaths.turnOff(FastPaths.INTERNAL_ROWS, problem);
    return Optional.empty();
  }

  /** The rows as a DataFrame of {@code schema}; each row's values must already be Spark's own. */
  @SuppressWarnings("unchecked")
  public Dataset<Row> frame(SparkSession spark, JavaRDD<InternalRow> rows, StructType schema) {
    try {
      return (Dataset<Row>) create.invoke(spark, rows.rdd(), schema, false);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "Spark's " + METHOD + " failed for schema " + schema.simpleString(), e);
    }
  }

  /** A string in Spark's internal form. */
  public static UTF8String string(String value) {
    return UTF8String.fromString(value);
  }

  /**
   * A string read from a row, as the public API would write it: the same bytes when they are ASCII
   * (most ids); otherwise through a Java string, as external rows take it, so that malformed UTF-8
   * is replaced just as it was there.
   */
  public static UTF8String string(UTF8String value) {
    Object base = value.getBaseObject();
    long offset = value.getBaseOffset();
    for (int i = 0; i < value.numBytes(); i++) {
      if (Platform.getByte(base, offset + i) < 0) {
        return UTF8String.fromString(value.toString());
      }
    }
    return value;
  }
}
