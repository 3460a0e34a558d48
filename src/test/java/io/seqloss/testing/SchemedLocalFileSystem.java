package io.seqloss.testing;

import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The local disk under a scheme of its own: the base of test file systems that fail in chosen
 * places, so that a test checks what a failed write leaves behind without a hook in the code under
 * test.
 */
public abstract class SchemedLocalFileSystem extends RawLocalFileSystem {
  private final String scheme;

  protected SchemedLocalFileSystem(String scheme) {
    this.scheme = scheme;
  }

  @Override
  public URI getUri() {
    return URI.create(scheme + ":///");
  }

  @Override
  public String getScheme() {
    return scheme;
  }

  /** Closing it unregisters the file system. */
  public interface Registration extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Makes conf open {@code scheme://} paths with the given file system until the registration is
   * closed.
   */
  public static Registration register(
      Configuration conf, String scheme, Class<? extends SchemedLocalFileSystem> type) {
    conf.set("fs." + scheme + ".impl", type.getName());
    conf.setBoolean("fs." + scheme + ".impl.disable.cache", true);
    return () -> {
      conf.unset("fs." + scheme + ".impl");
      conf.unset("fs." + scheme + ".impl.disable.cache");
    };
  }
}
