package io.seqloss.fastpath;

import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.codec.SnappyCodec;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.spark.TaskContext;
import org.apache.spark.util.TaskCompletionListener;

/**
 * Lets seqloss's own evaluation tasks decompress snappy pages with {@link WholePageSnappyCodec}.
 * Parquet creates each codec once per JVM and keeps it in {@code CodecFactory}'s static table,
 * keyed by codec class name; there is no setting to choose another class for snappy, so ours goes
 * into that table. It stays out of every other read: it decompresses whole pages only on a thread
 * that is running a seqloss evaluation task ({@link #forThisTask}) or seqloss's own V probe ({@link
 * #wholePages}), and hands every other read (another job or session of the same JVM) to Parquet's
 * codec unchanged.
 *
 * <p>Checked before use: the table is there and writable, it holds Parquet's own snappy codec (or
 * nothing yet, or ours), and Parquet then hands out ours. Otherwise the fast path is turned off
 * with a WARN and Parquet's codec stays: the same bytes, decompressed in 64 KB pieces.
 */
public final class SnappyPages {
  private static final String SNAPPY =
      CompressionCodecName.SNAPPY.getHadoopCompressionCodecClassName();
  private static final ThreadLocal<Boolean> IN_SEQLOSS_TASK = ThreadLocal.withInitial(() -> false);
  private static volatile Boolean installed;

  private SnappyPages() {}

  /**
   * Puts the codec into Parquet's table once per JVM, if the table is as expected; whether it is
   * there.
   */
  public static boolean install() {
    Boolean done = installed;
    if (done == null) {
      synchronized (SnappyPages.class) {
        if (installed == null) {
          installed = install(Registry::table, Registry::snappyCodec);
        }
        done = installed;
      }
    }
    return done;
  }

  /**
   * Installs into the given table, then asks the given lookup which codec Parquet now hands out.
   */
  static boolean install(
      java.util.function.Supplier<Map<String, CompressionCodec>> table,
      java.util.function.Supplier<CompressionCodec> lookup) {
    String problem;
    try {
      Map<String, CompressionCodec> codecs = table.get();
      CompressionCodec current = codecs.get(SNAPPY);
      if (current != null
          && current.getClass() != SnappyCodec.class
          && !(current instanceof WholePageSnappyCodec)) {
        problem =
            "Parquet's codec table holds "
                + current.getClass().getName()
                + " for snappy, not Parquet's "
                + SnappyCodec.class.getName();
      } else {
        codecs.put(SNAPPY, new WholePageSnappyCodec(new Configuration()));
        CompressionCodec handedOut = lookup.get();
        problem =
            handedOut instanceof WholePageSnappyCodec
                ? null
                : "Parquet's CodecFactory hands out "
                    + (handedOut == null ? "no codec" : handedOut.getClass().getName())
                    + " for snappy after the codec table was changed";
      }
    } catch (RuntimeException | LinkageError e) {
      problem = "Parquet's CodecFactory codec table is not there as expected (" + e + ")";
    }
    if (problem != null) {
      FastPaths.turnOff(FastPaths.SNAPPY_PAGES, problem);
    }
    return problem == null;
  }

  /**
   * For the rest of the current Spark task, this thread reads snappy pages whole. Called by an
   * evaluation task before its reader decompresses a page; nothing happens when the switch is off
   * or outside a task.
   */
  public static void forThisTask() {
    TaskContext task = TaskContext.get();
    if (task == null || !FastPaths.enabled() || !install()) {
      return;
    }
    IN_SEQLOSS_TASK.set(true);
    task.addTaskCompletionListener((TaskCompletionListener) done -> IN_SEQLOSS_TASK.remove());
  }

  /**
   * Runs one of seqloss's own reads on this thread with whole snappy pages: the V probe's first
   * page on the driver (a large page is slow through Parquet 1.13's decompressor), and tests.
   */
  static <T> T wholePages(java.util.concurrent.Callable<T> read) throws Exception {
    if (!install() || IN_SEQLOSS_TASK.get()) {
      return read.call();
    }
    IN_SEQLOSS_TASK.set(true);
    try {
      return read.call();
    } finally {
      IN_SEQLOSS_TASK.remove();
    }
  }

  /** Whether this thread is running a seqloss task that reads whole pages. */
  static boolean inSeqlossTask() {
    return IN_SEQLOSS_TASK.get();
  }

  /** Only to reach the protected shared table and lookup; never instantiated. */
  private abstract static class Registry extends CodecFactory {
    private Registry() {
      super(new Configuration(false), 0);
    }

    static Map<String, CompressionCodec> table() {
      return CODEC_BY_NAME;
    }

    static CompressionCodec snappyCodec() {
      return new CodecFactory(new Configuration(false), 0) {
        CompressionCodec snappy() {
          return getCodec(CompressionCodecName.SNAPPY);
        }
      }.snappy();
    }
  }
}
