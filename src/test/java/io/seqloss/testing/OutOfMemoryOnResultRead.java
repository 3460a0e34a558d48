package io.seqloss.testing;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.DeserializationStream;
import org.apache.spark.serializer.JavaSerializer;
import org.apache.spark.serializer.SerializationStream;
import org.apache.spark.serializer.SerializerInstance;
import scala.reflect.ClassTag;

/**
 * Spark's Java serializer ({@code --conf spark.serializer=...}), except that the first task result
 * the driver's task-result-getter reads runs it out of memory for real: it asks for an array larger
 * than any test heap, as a result too large for the driver's heap does. Spark lets that thread die,
 * and the job then waits for the lost result forever (issue 11 case 2).
 */
public final class OutOfMemoryOnResultRead extends JavaSerializer {
  private static final long serialVersionUID = 1L;
  private static final AtomicBoolean DONE = new AtomicBoolean();

  public OutOfMemoryOnResultRead(SparkConf conf) {
    super(conf);
  }

  public OutOfMemoryOnResultRead() {
    this(new SparkConf());
  }

  @Override
  public SerializerInstance newInstance() {
    SerializerInstance java = super.newInstance();
    return new SerializerInstance() {
      @Override
      public <T> ByteBuffer serialize(T t, ClassTag<T> tag) {
        return java.serialize(t, tag);
      }

      @Override
      public <T> T deserialize(ByteBuffer bytes, ClassTag<T> tag) {
        runOutOfMemoryInTheResultGetter();
        return java.deserialize(bytes, tag);
      }

      @Override
      public <T> T deserialize(ByteBuffer bytes, ClassLoader loader, ClassTag<T> tag) {
        runOutOfMemoryInTheResultGetter();
        return java.deserialize(bytes, loader, tag);
      }

      @Override
      public SerializationStream serializeStream(OutputStream s) {
        return java.serializeStream(s);
      }

      @Override
      public DeserializationStream deserializeStream(InputStream s) {
        runOutOfMemoryInTheResultGetter(); // how a task result's value is read (SerializerHelper)
        return java.deserializeStream(s);
      }
    };
  }

  private static void runOutOfMemoryInTheResultGetter() {
    if (Thread.currentThread().getName().startsWith("task-result-getter")
        && DONE.compareAndSet(false, true)) {
      long[] tooLarge = new long[Integer.MAX_VALUE - 8]; // 16 GiB: the JVM throws OutOfMemoryError
      tooLarge[tooLarge.length - 1] = 1;
    }
  }
}
