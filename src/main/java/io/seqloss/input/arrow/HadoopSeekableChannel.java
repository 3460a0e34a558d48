package io.seqloss.input.arrow;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A read-only {@link SeekableByteChannel} over a Hadoop file, so that Arrow's IPC readers can seek
 * to one record batch of a file on any Hadoop file system (local, HDFS, S3A, GCS) without reading
 * the bytes before it.
 */
final class HadoopSeekableChannel implements SeekableByteChannel {
  /** Arrow reads into direct buffers; Hadoop streams copy through this much heap at a time. */
  private static final int COPY_CHUNK = 1 << 16;

  private final FSDataInputStream in;
  private final long size;
  private byte[] chunk;
  private boolean open = true;

  private HadoopSeekableChannel(FSDataInputStream in, long size) {
    this.in = in;
    this.size = size;
  }

  static HadoopSeekableChannel open(FileSystem fs, Path path) throws IOException {
    long size = fs.getFileStatus(path).getLen();
    return new HadoopSeekableChannel(fs.open(path), size);
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    if (!dst.hasRemaining()) {
      return 0;
    }
    if (in.getPos() >= size) {
      return -1;
    }
    if (dst.hasArray()) {
      int n = in.read(dst.array(), dst.arrayOffset() + dst.position(), dst.remaining());
      if (n > 0) {
        dst.position(dst.position() + n);
      }
      return n;
    }
    if (chunk == null) {
      chunk = new byte[COPY_CHUNK];
    }
    int n = in.read(chunk, 0, Math.min(chunk.length, dst.remaining()));
    if (n > 0) {
      dst.put(chunk, 0, n);
    }
    return n;
  }

  @Override
  public long position() throws IOException {
    return in.getPos();
  }

  @Override
  public SeekableByteChannel position(long newPosition) throws IOException {
    in.seek(newPosition);
    return this;
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public int write(ByteBuffer src) {
    throw new NonWritableChannelException();
  }

  @Override
  public SeekableByteChannel truncate(long newSize) {
    throw new NonWritableChannelException();
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void close() throws IOException {
    open = false;
    in.close();
  }
}
