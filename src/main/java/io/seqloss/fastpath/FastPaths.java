package io.seqloss.fastpath;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.SparkEnv;

/**
 * The switch for every shortcut seqloss takes through Spark or Parquet internals, and the record of
 * the ones turned off. Each fast path in this package checks that the internals it needs are what
 * it expects; if not, it is turned off with one WARN per JVM naming it and why, and the run goes on
 * through public APIs, which give the same bits, only more slowly. {@code --conf
 * spark.seqloss.fastPath=false} turns all of them off (a Spark conf, so that executors see it too).
 */
public final class FastPaths {
  public static final String SWITCH = "spark.seqloss.fastPath";

  /** The fast paths, by the name the WARN gives. */
  public static final String DIRECT_FLOATS = "direct-floats";

  public static final String COLUMNAR_SCAN = "columnar-scan";
  public static final String SNAPPY_PAGES = "snappy-pages";
  public static final String PARQUET_FIRST_STEP = "parquet-first-step";
  public static final String INTERNAL_ROWS = "internal-rows";
  public static final String COLUMN_BATCH_WRITER = "column-batch-writer";
  public static final String COMMITTED_WRITE = "committed-write";

  private static final Logger LOG = LogManager.getLogger(FastPaths.class);

  /** "name: why" of every fast path turned off in this JVM; each is logged once. */
  private static final Set<String> TURNED_OFF = ConcurrentHashMap.newKeySet();

  private FastPaths() {}

  /** Whether the switch allows fast paths in this JVM (on unless {@value #SWITCH} is false). */
  public static boolean enabled() {
    SparkEnv env = SparkEnv.get();
    return env == null || env.conf().getBoolean(SWITCH, true);
  }

  /**
   * At a run's start on the driver: each fast path checks its internals now, so that a WARN is in
   * the driver's log before any task runs (executors check again, each in its own JVM).
   */
  public static void checkAtStartUp() {
    if (!enabled()) {
      LOG.info("fast paths are off ({}=false): Spark's public APIs only", SWITCH);
      return;
    }
    DirectFloats.available();
    SnappyPages.install();
  }

  /**
   * Records that a fast path is off (for this JVM, or for one query); logs at WARN the first time.
   */
  static void turnOff(String fastPath, String why) {
    if (TURNED_OFF.add(fastPath + ": " + why)) {
      LOG.warn(
          "fast path {} turned off: {}; going on through Spark's public API with the same results, more "
              + "slowly (--conf {}=false turns every fast path off)",
          fastPath,
          why,
          SWITCH);
    }
  }

  /** The fast paths turned off in this JVM, each as "name: why" (for tests). */
  public static Set<String> turnedOff() {
    return Set.copyOf(TURNED_OFF);
  }
}
