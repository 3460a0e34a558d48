package io.seqloss.input.arrow;

import io.seqloss.input.InvalidInputException;
import io.seqloss.input.ReadFailures;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.flatbuf.BodyCompression;
import org.apache.arrow.flatbuf.CompressionType;
import org.apache.arrow.flatbuf.Footer;
import org.apache.arrow.flatbuf.Message;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flatbuf.RecordBatch;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.ipc.message.ArrowFooter;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * The layout of one Arrow IPC file, read from its headers only (never the column buffers): whether
 * it is the stream or the file format, its schema, and where each record batch lies with its row
 * count. Planning needs the row counts so that every split knows the file row index its first row
 * has.
 *
 * <p>Everything wrong with a file is reported here, on the driver, before any task runs: a file
 * that is not Arrow, one cut short (a body running past the end, a file-format file without its
 * footer), or compressed record batches, which Spark's Arrow (no compression codecs) cannot decode.
 */
final class ArrowIpcFile {
  private static final byte[] MAGIC = "ARROW1".getBytes(StandardCharsets.US_ASCII);

  /** File format: magic, 2 bytes padding, then messages laid out as in the stream format. */
  private static final int FILE_HEADER = 8;

  /** File format trailer: footer length (int32) and the magic. */
  private static final int FILE_TRAILER = 4 + MAGIC.length;

  private static final int CONTINUATION = 0xFFFFFFFF;

  private final String path;
  private final ArrowIpcFormat format;
  private final Schema schema;
  private final List<BatchBlock> batches;

  private ArrowIpcFile(
      String path, ArrowIpcFormat format, Schema schema, List<BatchBlock> batches) {
    this.path = path;
    this.format = format;
    this.schema = schema;
    this.batches = List.copyOf(batches);
  }

  String path() {
    return path;
  }

  ArrowIpcFormat format() {
    return format;
  }

  Schema schema() {
    return schema;
  }

  List<BatchBlock> batches() {
    return batches;
  }

  /**
   * Scans a file's headers; every problem becomes an {@link InvalidInputException} naming the file.
   */
  static ArrowIpcFile scan(String file, Configuration conf) {
    Path path = new Path(file);
    try (HadoopSeekableChannel channel =
        HadoopSeekableChannel.open(path.getFileSystem(conf), path)) {
      return scan(file, channel);
    } catch (InvalidInputException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      // flatbuffers and Arrow throw unchecked exceptions (IndexOutOfBounds, IllegalArgument)
      // on garbage
      throw new InvalidInputException(
          ReadFailures.unreadableFile(file, ReadFailures.describe(e)), e);
    }
  }

  private static ArrowIpcFile scan(String file, SeekableByteChannel channel) throws IOException {
    long size = channel.size();
    byte[] start = new byte[MAGIC.length];
    if (size >= MAGIC.length) {
      readFully(channel, 0, ByteBuffer.wrap(start));
    }
    return Arrays.equals(start, MAGIC)
        ? scanFileFormat(file, channel, size)
        : scanStreamFormat(file, channel, size);
  }

  private static ArrowIpcFile scanStreamFormat(String file, SeekableByteChannel channel, long size)
      throws IOException {
    Header first = size == 0 ? null : readHeader(file, channel, 0, size, "the first message");
    if (first == null || first.type() != MessageHeader.Schema) {
      throw corrupt(
          file,
          "it does not start with an Arrow schema message (nor with the ARROW1 magic of the "
              + "file format): it is not an Arrow IPC file");
    }
    Schema schema = MessageSerializer.deserializeSchema(first.message());
    List<BatchBlock> batches = new ArrayList<>();
    long at = first.length();
    for (int n = 1; at < size; n++) {
      Header h = readHeader(file, channel, at, size, "message " + n);
      if (h == null) {
        break; // end-of-stream marker; anything after it is not part of the stream
      }
      if (h.type() == MessageHeader.RecordBatch) {
        batches.add(recordBatch(file, batches.size(), at, h));
      } else if (h.type() != MessageHeader.DictionaryBatch) {
        throw corrupt(
            file,
            String.format(
                "message %d at byte %d is a %s, not a record batch",
                n, at, MessageHeader.name(h.type())));
      }
      // dictionary batches are skipped: a dictionary-encoded column is refused if it is read at all
      at += h.length();
    }
    return new ArrowIpcFile(file, ArrowIpcFormat.STREAM, schema, batches);
  }

  private static ArrowIpcFile scanFileFormat(String file, SeekableByteChannel channel, long size)
      throws IOException {
    ByteBuffer trailer = ByteBuffer.allocate(FILE_TRAILER).order(ByteOrder.LITTLE_ENDIAN);
    if (size < FILE_HEADER + FILE_TRAILER) {
      throw corrupt(
          file,
          "it starts with the Arrow file magic but is only " + size + " bytes long: truncated");
    }
    readFully(channel, size - FILE_TRAILER, trailer);
    byte[] endMagic = Arrays.copyOfRange(trailer.array(), 4, FILE_TRAILER);
    if (!Arrays.equals(endMagic, MAGIC)) {
      throw corrupt(
          file,
          "it starts with the Arrow file magic (ARROW1) but does not end with it, so it has "
              + "no footer: truncated, or still being written");
    }
    int footerLength = trailer.getInt(0);
    long footerStart = size - FILE_TRAILER - footerLength;
    if (footerLength <= 0 || footerStart < FILE_HEADER) {
      throw corrupt(
          file, "its footer length " + footerLength + " does not fit in its " + size + " bytes");
    }
    ByteBuffer footerBytes = ByteBuffer.allocate(footerLength);
    readFully(channel, footerStart, footerBytes);
    footerBytes.flip();
    ArrowFooter footer = new ArrowFooter(Footer.getRootAsFooter(footerBytes));
    List<BatchBlock> batches = new ArrayList<>();
    for (ArrowBlock block : footer.getRecordBatches()) {
      String what = "record batch " + batches.size();
      if (block.getOffset() < FILE_HEADER
          || block.getOffset() + block.getMetadataLength() + block.getBodyLength() > footerStart) {
        throw corrupt(
            file,
            String.format(
                "the footer puts %s at bytes %d..%d, outside the data before the "
                    + "footer (byte %d)",
                what,
                block.getOffset(),
                block.getOffset() + block.getMetadataLength() + block.getBodyLength(),
                footerStart));
      }
      Header h = readHeader(file, channel, block.getOffset(), footerStart, what);
      if (h == null || h.type() != MessageHeader.RecordBatch) {
        throw corrupt(
            file,
            String.format(
                "the footer's %s at byte %d is not a record batch message",
                what, block.getOffset()));
      }
      batches.add(recordBatch(file, batches.size(), block.getOffset(), h));
    }
    return new ArrowIpcFile(file, ArrowIpcFormat.FILE, footer.getSchema(), batches);
  }

  private static BatchBlock recordBatch(String file, int index, long at, Header h) {
    RecordBatch batch = (RecordBatch) h.message().header(new RecordBatch());
    BodyCompression compression = batch.compression();
    if (compression != null) {
      throw new InvalidInputException(
          String.format(
              "file %s: record batch %d is compressed (%s); seqloss reads uncompressed Arrow IPC only, as Spark's "
                  + "Arrow has no compression codecs. Rewrite it uncompressed, e.g. pyarrow.feather.write_feather"
                  + "(table, path, compression='uncompressed')",
              file, index, CompressionType.name(compression.codec())));
    }
    if (batch.length() < 0) {
      throw corrupt(
          file, String.format("record batch %d at byte %d has a negative row count", index, at));
    }
    return new BatchBlock(at, h.metadataLength(), h.bodyLength(), batch.length());
  }

  /** A message header: its flatbuffer, and the bytes of prefix + header and of the body. */
  private record Header(byte type, Message message, int metadataLength, long bodyLength) {
    long length() {
      return metadataLength + bodyLength;
    }
  }

  /**
   * Reads the header of the message starting at {@code at}, checking that it and its body end
   * before {@code limit}; null at an end-of-stream marker. Both the current (continuation token)
   * and the legacy (bare length) prefix are accepted, as Arrow's own reader does. Hand-read rather
   * than {@code MessageSerializer.readMessage}, which allocates whatever length a garbage file
   * declares before checking it against the file size.
   */
  private static Header readHeader(
      String file, SeekableByteChannel channel, long at, long limit, String what)
      throws IOException {
    ByteBuffer word = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
    if (limit - at < 4) {
      throw truncated(file, what, at, limit);
    }
    readFully(channel, at, word);
    int prefix = 4;
    int length = word.getInt(0);
    if (length == CONTINUATION) {
      if (limit - at < 8) {
        throw truncated(file, what, at, limit);
      }
      word.clear();
      readFully(channel, at + 4, word);
      length = word.getInt(0);
      prefix = 8;
    }
    if (length == 0) {
      return null;
    }
    if (length < 0 || at + prefix + length > limit) {
      throw corrupt(
          file,
          String.format(
              "%s at byte %d declares a header of %d bytes, past the end of the data "
                  + "(byte %d): truncated, or not Arrow",
              what, at, length, limit));
    }
    ByteBuffer bytes = ByteBuffer.allocate(length);
    readFully(channel, at + prefix, bytes);
    bytes.flip();
    Message message = Message.getRootAsMessage(bytes);
    long body = message.bodyLength();
    if (body < 0 || at + prefix + length + body > limit) {
      throw corrupt(
          file,
          String.format(
              "%s at byte %d has a body of %d bytes, which runs past the end of the "
                  + "data (byte %d): truncated",
              what, at, body, limit));
    }
    return new Header(message.headerType(), message, prefix + length, body);
  }

  private static void readFully(SeekableByteChannel channel, long at, ByteBuffer into)
      throws IOException {
    channel.position(at);
    while (into.hasRemaining()) {
      if (channel.read(into) < 0) {
        throw new EOFException("end of file at byte " + channel.position());
      }
    }
  }

  private static InvalidInputException truncated(String file, String what, long at, long limit) {
    return corrupt(
        file,
        String.format(
            "%s at byte %d is cut off by the end of the data (byte %d): truncated",
            what, at, limit));
  }

  private static InvalidInputException corrupt(String file, String detail) {
    return new InvalidInputException(ReadFailures.unreadableFile(file, detail));
  }
}
