package io.seqloss.fastpath;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqloss.output.OutputSchemas;
import io.seqloss.testing.SparkTestBase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * per_sequence rows handed to Spark's writer as internal rows make the file that the public API
 * makes of the same values as external rows, byte for byte, whatever the id's bytes; a session
 * class without the internal method turns the fast path off with a WARN.
 */
@Tag("spark-4-line")
class InternalRowFramesTest extends SparkTestBase {
  private static final StructType SCHEMA = OutputSchemas.perSequence(DataTypes.StringType);

  /**
   * Ids as a reader hands them over: ASCII; UTF-8 with 2-, 3- and 4-byte characters; malformed
   * UTF-8 (a lone continuation byte).
   */
  private static final byte[][] ID_BYTES = {
    "row0".getBytes(UTF_8),
    "Zürich-東京-😀".getBytes(UTF_8),
    {'a', (byte) 0x80, 'b'},
    "sequence-0001234".getBytes(UTF_8), // ASCII, two whole words of eight bytes
    "longer-ascii-id-é".getBytes(UTF_8), // é after two words
    {'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', (byte) 0x80, 'n', 'o', 'p'}
  };

  /** The same ids as Java strings, by hand: a decoder replaces a lone byte with U+FFFD. */
  private static final String[] IDS = {
    "row0",
    "Zürich-東京-😀",
    "a\uFFFDb",
    "sequence-0001234",
    "longer-ascii-id-é",
    "abcdefghijkl\uFFFDnop"
  };

  @Test
  void thisSparksSessionHasTheMethod() {
    assertTrue(InternalRowFrames.of(session()).isPresent());
  }

  @Test
  void aSessionClassWithoutTheMethodTurnsTheFastPathOff() {
    assertTrue(InternalRowFrames.find(String.class).isEmpty());
    assertTrue(
        FastPaths.turnedOff()
            .contains(
                "internal-rows: java.lang.String has no internalCreateDataFrame(RDD, StructType,"
                    + " boolean)"),
        FastPaths.turnedOff().toString());
  }

  @Test
  void internalRowsWriteTheBytesTheirExternalRowsWrite() throws IOException {
    List<InternalRow> internal = new ArrayList<>();
    List<Row> external = new ArrayList<>();
    for (int i = 0; i < IDS.length; i++) {
      Object[] numbers = {0.25 * i, 2.0, 3L + i, 0.5, 1.0 / 3, 1.5 * i, 2L};
      Object[] withId = new Object[8];
      System.arraycopy(numbers, 0, withId, 1, numbers.length);
      withId[0] = InternalRowFrames.string(UTF8String.fromBytes(ID_BYTES[i]));
      internal.add(
          new org.apache.spark.sql.catalyst.expressions.GenericInternalRow(withId.clone()));
      withId[0] = IDS[i];
      external.add(RowFactory.create(withId));
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(session().sparkContext());
    Path fast = tmp.resolve("internal");
    Path slow = tmp.resolve("external");
    InternalRowFrames.of(session())
        .orElseThrow()
        .frame(session(), jsc.parallelize(internal, 1), SCHEMA)
        .write()
        .parquet(fast.toString());
    session()
        .createDataFrame(jsc.parallelize(external, 1), SCHEMA)
        .write()
        .parquet(slow.toString());

    assertEquals(-1L, Files.mismatch(partFile(fast), partFile(slow)));
    List<Row> back = session().read().parquet(fast.toString()).collectAsList();
    assertEquals(IDS.length, back.size());
    for (int i = 0; i < IDS.length; i++) {
      assertEquals(IDS[i], back.get(i).getString(0));
      assertEquals(0.25 * i, back.get(i).getDouble(1), 0.0);
      assertEquals(3L + i, back.get(i).getLong(3));
      assertEquals(2L, back.get(i).getLong(7));
    }
  }

  private static Path partFile(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> parts = files.filter(p -> p.getFileName().toString().startsWith("part-")).toList();
      assertEquals(1, parts.size(), parts.toString());
      return parts.get(0);
    }
  }
}
