package io.seqloss.input;

import org.apache.hadoop.conf.Configuration;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Makes this JVM's Parquet readers decompress snappy pages with {@link WholePageSnappyCodec}. Parquet
 * creates each codec once per JVM and keeps it in {@code CodecFactory}'s shared table, keyed by codec
 * class name; registering ours under the snappy name before the first snappy read is enough. Called on
 * the driver when a run starts and in every evaluation task (executors); safe to call again. If the
 * table is not there (another Parquet version), Parquet's own codec stays and nothing else changes.
 */
public final class SnappyPages {
  private static final Logger LOG = LogManager.getLogger(SnappyPages.class);
  private static volatile boolean installed;

  private SnappyPages() {}

  public static void install() {
    if (installed) {
      return;
    }
    synchronized (SnappyPages.class) {
      if (!installed) {
        try {
          Registry.put(CompressionCodecName.SNAPPY.getHadoopCompressionCodecClassName(),
              new WholePageSnappyCodec(new Configuration()));
        } catch (RuntimeException | LinkageError e) {
          LOG.debug("keeping Parquet's snappy codec: {}", e.toString());
        }
        installed = true;
      }
    }
  }

  /** Only to reach the protected shared table; never instantiated. */
  private abstract static class Registry extends CodecFactory {
    private Registry() {
      super(new Configuration(false), 0);
    }

    static void put(String codecClassName, org.apache.hadoop.io.compress.CompressionCodec codec) {
      CODEC_BY_NAME.put(codecClassName, codec);
    }
  }
}
