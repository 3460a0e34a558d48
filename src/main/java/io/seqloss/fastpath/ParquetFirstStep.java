package io.seqloss.fastpath;

import io.seqloss.input.UnsupportedLayout;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.VersionParser;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReaderImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.column.values.rle.RunLengthBitPackingHybridDecoder;
import org.apache.parquet.format.Util;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * The length of the first step of a Parquet file's first row that has a non-empty first step, read
 * from the logits column's repetition and definition levels alone: no value is decoded, no Spark
 * job is run. This is {@code size(element_at(logits, 1)) >= 1} of the first such row, the V that
 * seqloss uses when {@code --num-classes} is not given, at a fraction of a Spark query's cost (the
 * query decodes a whole reader batch of logits and runs a job for it).
 *
 * <p>Levels ({@link FirstStepCounter}): a triplet with repetition level 0 starts a row, 1 starts a
 * step within the row; a triplet is an element of a step (a value or a null value) when its
 * definition level reaches that of the inner repeated field. That holds for the three-level lists
 * Spark and Arrow write and for legacy two-level lists alike; any other shape is {@link
 * UnsupportedLayout}, and the caller asks Spark. The levels of the first data page ({@link
 * FirstDataPage}) settle it for almost every corpus; otherwise the first row groups are read until
 * a row has a non-empty first step.
 *
 * <p>A fast path: it decodes page headers and levels with Parquet's lower-level classes, which are
 * checked first ({@link #PARQUET_API}). If one is missing the fast path is turned off with a WARN,
 * and the caller asks Spark, which finds the same V.
 */
public final class ParquetFirstStep {
  private static final org.apache.logging.log4j.Logger LOG =
      org.apache.logging.log4j.LogManager.getLogger(ParquetFirstStep.class);

  /** A method or constructor this reader calls (a null name is a constructor). */
  record Needed(Class<?> owner, String method, Class<?>... parameters) {
    boolean isThere() {
      try {
        if (method == null) {
          owner.getConstructor(parameters);
        } else {
          owner.getMethod(method, parameters);
        }
        return true;
      } catch (NoSuchMethodException | LinkageError e) {
        return false;
      }
    }

    @Override
    public String toString() {
      return owner.getName() + (method == null ? "" : "." + method) + Arrays.toString(parameters);
    }
  }

  /**
   * Parquet's page and level decoding API as Parquet 1.13 (Spark 3.5) to 1.17 (Spark 4.2) have it.
   */
  static final List<Needed> PARQUET_API =
      List.of(
          new Needed(Util.class, "readPageHeader", InputStream.class),
          new Needed(RunLengthBitPackingHybridDecoder.class, null, int.class, InputStream.class),
          new Needed(
              ColumnReaderImpl.class,
              null,
              ColumnDescriptor.class,
              PageReader.class,
              PrimitiveConverter.class,
              VersionParser.ParsedVersion.class),
          new Needed(ParquetFileReader.class, "readNextRowGroup"));

  private ParquetFirstStep() {}

  /**
   * The first non-empty first step's length (empty inside when no row has one); empty when this
   * reader cannot tell (the switch is off, Parquet's API is not as expected, another layout, an
   * error) and the caller must ask Spark.
   */
  public static Optional<OptionalInt> probe(String file, String logitsColumn, Configuration conf) {
    return FastPaths.enabled() ? probe(file, logitsColumn, conf, PARQUET_API) : Optional.empty();
  }

  static Optional<OptionalInt> probe(
      String file, String logitsColumn, Configuration conf, List<Needed> needed) {
    for (Needed n : needed) {
      if (!n.isThere()) {
        FastPaths.turnOff(FastPaths.PARQUET_FIRST_STEP, "Parquet has no " + n);
        return Optional.empty();
      }
    }
    try {
      return Optional.of(length(file, logitsColumn, conf));
    } catch (LinkageError e) {
      FastPaths.turnOff(
          FastPaths.PARQUET_FIRST_STEP, "Parquet's API is not as expected (" + e + ")");
    } catch (UnsupportedLayout | IOException | RuntimeException e) {
      LOG.debug("probing V of {} with a Spark query: {}", file, e.toString());
    }
    return Optional.empty();
  }

  /** The first non-empty first step's length, or empty when no row of the file has one. */
  public static OptionalInt length(String file, String logitsColumn, Configuration conf)
      throws IOException, UnsupportedLayout {
    try (ParquetFileReader reader =
        ParquetFileReader.open(HadoopInputFile.fromPath(new Path(file), conf))) {
      MessageType schema = reader.getFooter().getFileMetaData().getSchema();
      if (!schema.containsField(logitsColumn)) {
        throw new UnsupportedLayout("no column " + logitsColumn);
      }
      MessageType logitsOnly = new MessageType(schema.getName(), schema.getType(logitsColumn));
      List<ColumnDescriptor> leaves = logitsOnly.getColumns();
      if (leaves.size() != 1 || leaves.get(0).getMaxRepetitionLevel() != 2) {
        throw new UnsupportedLayout(logitsColumn + " is not a list of lists of one primitive");
      }
      ColumnDescriptor leaf = leaves.get(0);
      int elementDefinition = definitionLevelOfInnerList(logitsOnly, leaf);
      OptionalInt fromFirstPage =
          FirstDataPage.firstStepLength(reader, file, conf, leaf, elementDefinition);
      if (fromFirstPage.isPresent()) {
        return fromFirstPage;
      }
      reader.setRequestedSchema(logitsOnly);
      VersionParser.ParsedVersion writer =
          writerVersion(reader.getFooter().getFileMetaData().getCreatedBy());
      PageReadStore rowGroup;
      while ((rowGroup = reader.readNextRowGroup()) != null) {
        ColumnReader levels =
            new ColumnReaderImpl(
                leaf, rowGroup.getPageReader(leaf), new PrimitiveConverter() {}, writer);
        FirstStepCounter counter = new FirstStepCounter(elementDefinition);
        for (long i = levels.getTotalValueCount(); i > 0 && !counter.found(); i--) {
          counter.accept(levels.getCurrentRepetitionLevel(), levels.getCurrentDefinitionLevel());
          levels.consume();
        }
        counter.endOfRows();
        if (counter.found()) {
          return OptionalInt.of(counter.length());
        }
      }
      return OptionalInt.empty();
    }
  }

  /** The definition level at which the inner list holds an element: that of its repeated field. */
  private static int definitionLevelOfInnerList(MessageType schema, ColumnDescriptor leaf)
      throws UnsupportedLayout {
    String[] path = leaf.getPath();
    int definition = 0;
    int repeated = 0;
    for (int depth = 1; depth <= path.length; depth++) {
      Type field = schema.getType(Arrays.copyOf(path, depth));
      if (!field.isRepetition(Type.Repetition.REQUIRED)) {
        definition++;
      }
      if (field.isRepetition(Type.Repetition.REPEATED) && ++repeated == 2) {
        return definition;
      }
    }
    throw new UnsupportedLayout("no second repeated field on the path " + String.join(".", path));
  }

  private static VersionParser.ParsedVersion writerVersion(String createdBy) {
    try {
      return VersionParser.parse(createdBy);
    } catch (VersionParser.VersionParseException | RuntimeException unknownWriter) {
      return null; // only consulted for old writers' statistics bugs, which levels do not involve
    }
  }
}
