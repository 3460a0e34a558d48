package io.seqloss.output;

import java.io.IOException;
import java.net.URI;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * The local disk under the scheme {@code readonly:}, where mkdirs of a new directory returns false
 * instead of throwing, as Hadoop's local file system does for an immutable ({@code chattr +i})
 * parent: root ignores permissions, so a test cannot make a real directory unwritable.
 */
public final class ReadOnlyFileSystem extends RawLocalFileSystem {
  public static final String SCHEME = "readonly";

  @Override
  public URI getUri() {
    return URI.create(SCHEME + ":///");
  }

  @Override
  public String getScheme() {
    return SCHEME;
  }

  @Override
  public boolean mkdirs(Path f) throws IOException {
    return exists(f) && getFileStatus(f).isDirectory();
  }

  @Override
  public boolean mkdirs(Path f, FsPermission permission) throws IOException {
    return mkdirs(f);
  }
}
