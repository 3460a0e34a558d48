package io.seqloss.testing;

import java.io.File;
import org.apache.hadoop.fs.Path;

/**
 * The local disk under the scheme {@code fulldisk:}, except that a {@code summary.json} in a
 * staging directory is written to {@code /dev/full}: its write fails as on a full disk, with the
 * {@code FSError} (an Error, not an IOException) that Hadoop's local file system raises then.
 */
public final class FullDiskFileSystem extends SchemedLocalFileSystem {
  public static final String SCHEME = "fulldisk";

  public FullDiskFileSystem() {
    super(SCHEME);
  }

  @Override
  public File pathToFile(Path path) {
    Path parent = path.getParent();
    if (path.getName().equals("summary.json")
        && parent != null
        && parent.getName().contains("seqloss-staging")) {
      return new File("/dev/full");
    }
    return super.pathToFile(path);
  }
}
