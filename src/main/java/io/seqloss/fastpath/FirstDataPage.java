package io.seqloss.fastpath;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.OptionalInt;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.bytes.BytesUtils;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.values.rle.RunLengthBitPackingHybridDecoder;
import org.apache.parquet.format.DataPageHeaderV2;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.PageType;
import org.apache.parquet.format.Util;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ColumnPath;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * V from the levels of the logits column's first data page alone. Reading a whole row group for one
 * step would fetch its whole column chunk (from an object store too); the first page is one row of
 * that (Parquet writers end pages at row boundaries). Only RLE levels of data pages v1 and v2 are
 * decoded; anything else, or a first page that ends before the step does, gives empty, and the
 * caller reads row groups instead.
 */
final class FirstDataPage {
  private FirstDataPage() {}

  static OptionalInt firstStepLength(
      ParquetFileReader reader,
      String file,
      Configuration conf,
      ColumnDescriptor leaf,
      int elementDefinition)
      throws IOException {
    ColumnChunkMetaData chunk = firstChunk(reader, leaf);
    if (chunk == null) {
      return OptionalInt.empty();
    }
    try (SeekableInputStream in = HadoopInputFile.fromPath(new Path(file), conf).newStream()) {
      in.seek(chunk.getStartingPos());
      PageHeader header = Util.readPageHeader(in);
      if (header.getType() == PageType.DICTIONARY_PAGE) {
        in.seek(in.getPos() + header.getCompressed_page_size());
        header = Util.readPageHeader(in);
      }
      byte[] page = new byte[header.getCompressed_page_size()];
      in.readFully(page);
      FirstStepCounter counter = new FirstStepCounter(elementDefinition);
      if (header.getType() == PageType.DATA_PAGE_V2) {
        readV2(header.getData_page_header_v2(), page, leaf, counter);
      } else if (header.getType() == PageType.DATA_PAGE
          && header.getData_page_header().getRepetition_level_encoding() == Encoding.RLE
          && header.getData_page_header().getDefinition_level_encoding() == Encoding.RLE) {
        byte[] data = decompress(page, header.getUncompressed_page_size(), chunk, conf);
        readV1(header.getData_page_header().getNum_values(), data, leaf, counter);
      }
      return counter.found() ? OptionalInt.of(counter.length()) : OptionalInt.empty();
    }
  }

  private static ColumnChunkMetaData firstChunk(ParquetFileReader reader, ColumnDescriptor leaf) {
    ColumnPath path = ColumnPath.get(leaf.getPath());
    for (BlockMetaData rowGroup : reader.getFooter().getBlocks()) {
      if (rowGroup.getRowCount() == 0) {
        continue;
      }
      for (ColumnChunkMetaData chunk : rowGroup.getColumns()) {
        if (chunk.getPath().equals(path)) {
          return chunk;
        }
      }
      return null;
    }
    return null;
  }

  /** v1: the levels are inside the compressed page, each run prefixed with its length. */
  private static void readV1(
      int values, byte[] data, ColumnDescriptor leaf, FirstStepCounter counter) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
    RunLengthBitPackingHybridDecoder repetition = prefixed(in, leaf.getMaxRepetitionLevel());
    RunLengthBitPackingHybridDecoder definition = prefixed(in, leaf.getMaxDefinitionLevel());
    feed(values, repetition, definition, counter);
  }

  /** v2: the levels come first, uncompressed, their lengths in the header. */
  private static void readV2(
      DataPageHeaderV2 header, byte[] page, ColumnDescriptor leaf, FirstStepCounter counter)
      throws IOException {
    int repetitionBytes = header.getRepetition_levels_byte_length();
    RunLengthBitPackingHybridDecoder repetition =
        decoder(leaf.getMaxRepetitionLevel(), new ByteArrayInputStream(page, 0, repetitionBytes));
    RunLengthBitPackingHybridDecoder definition =
        decoder(
            leaf.getMaxDefinitionLevel(),
            new ByteArrayInputStream(
                page, repetitionBytes, header.getDefinition_levels_byte_length()));
    feed(header.getNum_values(), repetition, definition, counter);
  }

  private static void feed(
      int values,
      RunLengthBitPackingHybridDecoder repetition,
      RunLengthBitPackingHybridDecoder definition,
      FirstStepCounter counter)
      throws IOException {
    for (int i = 0; i < values && !counter.found(); i++) {
      counter.accept(repetition.readInt(), definition.readInt());
    }
  }

  private static RunLengthBitPackingHybridDecoder prefixed(DataInputStream in, int maxLevel)
      throws IOException {
    int length = Integer.reverseBytes(in.readInt()); // little-endian
    byte[] levels = new byte[length];
    in.readFully(levels);
    return decoder(maxLevel, new ByteArrayInputStream(levels));
  }

  private static RunLengthBitPackingHybridDecoder decoder(int maxLevel, InputStream levels) {
    return new RunLengthBitPackingHybridDecoder(BytesUtils.getWidthFromMaxInt(maxLevel), levels);
  }

  /**
   * Snappy pages whole ({@link SnappyPages#wholePages}): the first page of a wide corpus is large.
   */
  private static byte[] decompress(
      byte[] page, int uncompressedSize, ColumnChunkMetaData chunk, Configuration conf)
      throws IOException {
    CodecFactory codecs = new CodecFactory(conf, 0);
    try {
      return SnappyPages.wholePages(
          () ->
              codecs
                  .getDecompressor(chunk.getCodec())
                  .decompress(BytesInput.from(page), uncompressedSize)
                  .toByteArray());
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(e);
    } finally {
      codecs.release();
    }
  }
}
