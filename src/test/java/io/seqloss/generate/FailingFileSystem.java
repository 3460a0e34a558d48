package io.seqloss.generate;

import io.seqloss.testing.SchemedLocalFileSystem;
import java.io.IOException;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

/**
 * The local disk under the scheme {@code failing:}, except that creating a file named {@value
 * #FAILING_FILE}... fails, as a full disk or a lost executor would.
 */
public final class FailingFileSystem extends SchemedLocalFileSystem {
  public static final String SCHEME = "failing";
  static final String FAILING_FILE = "part-00001";

  public FailingFileSystem() {
    super(SCHEME);
  }

  @Override
  public FSDataOutputStream create(
      Path f,
      boolean overwrite,
      int bufferSize,
      short replication,
      long blockSize,
      Progressable progress)
      throws IOException {
    failFor(f);
    return super.create(f, overwrite, bufferSize, replication, blockSize, progress);
  }

  @Override
  public FSDataOutputStream create(
      Path f,
      FsPermission permission,
      boolean overwrite,
      int bufferSize,
      short replication,
      long blockSize,
      Progressable progress)
      throws IOException {
    failFor(f);
    return super.create(f, permission, overwrite, bufferSize, replication, blockSize, progress);
  }

  private static void failFor(Path f) throws IOException {
    if (f.getName().startsWith(FAILING_FILE)) {
      throw new IOException("no space left on device (test): " + f);
    }
  }
}
