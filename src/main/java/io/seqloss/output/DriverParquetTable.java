package io.seqloss.output;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Date;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.lib.output.FileOutputCommitter;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A small table the driver already holds (loss_by_position/, per_group/ of up to 1,000 groups),
 * written as one Parquet file by Parquet's own writer on the driver. Through Spark, a table of ten
 * rows is a job: planning, code generation and a commit at the end of every run (its cost:
 * BENCHMARKS.md). The file is what Spark's writer makes of the same rows: the schema Spark would
 * write (REQUIRED for non-null columns), the session's codec, {@code
 * part-00000-<uuid>-c000.<codec>.parquet} and {@code _SUCCESS} beside it, and Spark's schema in the
 * footer, so Spark, pandas and pyarrow read the same columns and types. It goes to the run's
 * staging directory, which the run's commit publishes with everything else.
 */
public final class DriverParquetTable {
  /** The footer key under which Spark keeps a file's Spark schema (read back as written). */
  static final String SPARK_SCHEMA_KEY = "org.apache.spark.sql.parquet.row.metadata";

  private static final String SPARK_VERSION_KEY = "org.apache.spark.version";

  private DriverParquetTable() {}

  /**
   * Writes {@code rows} of {@code schema} to the directory {@code path}. Columns may be long, int,
   * double, boolean, string or date (a date as an Integer day number, a LocalDate or a
   * java.sql.Date); a null goes only where the column is nullable.
   */
  public static void write(SparkSession spark, StructType schema, List<Row> rows, String path) {
    MessageType type = parquetSchema(schema);
    CompressionCodecName codec =
        codec(spark.conf().get("spark.sql.parquet.compression.codec", "snappy"));
    Configuration conf = spark.sessionState().newHadoopConf();
    Path dir = new Path(path);
    Path file =
        new Path(
            dir, "part-00000-" + UUID.randomUUID() + "-c000" + codec.getExtension() + ".parquet");
    RowWriteSupport support =
        new RowWriteSupport(
            type,
            schema,
            Map.of(SPARK_SCHEMA_KEY, schema.json(), SPARK_VERSION_KEY, spark.version()),
            path);
    try {
      FileSystem fs = dir.getFileSystem(conf);
      fs.mkdirs(dir);
      try (ParquetWriter<Row> writer =
          new RowWriterBuilder(HadoopOutputFile.fromPath(file, conf), support)
              .withConf(conf)
              .withCompressionCodec(codec)
              .withWriteMode(ParquetFileWriter.Mode.CREATE)
              .build()) {
        for (Row row : rows) {
          writer.write(row);
        }
      }
      fs.create(new Path(dir, FileOutputCommitter.SUCCEEDED_FILE_NAME), false).close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the table " + path, e);
    }
  }

  /** Spark's codec names: none and uncompressed are the same, the rest are Parquet's. */
  static CompressionCodecName codec(String name) {
    String upper = name.toUpperCase(Locale.ROOT);
    return upper.equals("NONE")
        ? CompressionCodecName.UNCOMPRESSED
        : CompressionCodecName.valueOf(upper);
  }

  /** The Parquet schema Spark writes for these columns (its message is named spark_schema). */
  static MessageType parquetSchema(StructType schema) {
    Types.MessageTypeBuilder message = Types.buildMessage();
    for (StructField field : schema.fields()) {
      message.addField(ColumnKind.of(field).parquetType(field));
    }
    return message.named("spark_schema");
  }

  /** The column types a driver-written table takes: each one's Parquet type and value. */
  private enum ColumnKind {
    LONG(DataTypes.LongType, PrimitiveTypeName.INT64, null),
    INT(DataTypes.IntegerType, PrimitiveTypeName.INT32, null),
    DOUBLE(DataTypes.DoubleType, PrimitiveTypeName.DOUBLE, null),
    BOOLEAN(DataTypes.BooleanType, PrimitiveTypeName.BOOLEAN, null),
    STRING(DataTypes.StringType, PrimitiveTypeName.BINARY, LogicalTypeAnnotation.stringType()),
    DATE(DataTypes.DateType, PrimitiveTypeName.INT32, LogicalTypeAnnotation.dateType());

    private final DataType sparkType;
    private final PrimitiveTypeName parquetType;
    private final LogicalTypeAnnotation annotation;

    ColumnKind(
        DataType sparkType, PrimitiveTypeName parquetType, LogicalTypeAnnotation annotation) {
      this.sparkType = sparkType;
      this.parquetType = parquetType;
      this.annotation = annotation;
    }

    static ColumnKind of(StructField field) {
      for (ColumnKind kind : values()) {
        if (kind.sparkType.equals(field.dataType())) {
          return kind;
        }
      }
      throw new IllegalArgumentException(
          "column '"
              + field.name()
              + "' has type "
              + field.dataType().simpleString()
              + "; a driver-written table takes long, int, double, boolean, string or date");
    }

    Type parquetType(StructField field) {
      Type.Repetition repetition =
          field.nullable() ? Type.Repetition.OPTIONAL : Type.Repetition.REQUIRED;
      return Types.primitive(parquetType, repetition).as(annotation).named(field.name());
    }

    void add(RecordConsumer consumer, Object v, String column) {
      switch (this) {
        case LONG -> consumer.addLong(((Number) v).longValue());
        case INT -> consumer.addInteger(((Number) v).intValue());
        case DOUBLE -> consumer.addDouble(((Number) v).doubleValue());
        case BOOLEAN -> consumer.addBoolean((Boolean) v);
        case STRING -> consumer.addBinary(Binary.fromString(v.toString()));
        case DATE -> consumer.addInteger(epochDay(v, column)); // days since 1970-01-01
      }
    }
  }

  /** Parquet's builder, handed the write support below. */
  private static final class RowWriterBuilder extends ParquetWriter.Builder<Row, RowWriterBuilder> {
    private final RowWriteSupport support;

    RowWriterBuilder(OutputFile file, RowWriteSupport support) {
      super(file);
      this.support = support;
    }

    @Override
    protected RowWriterBuilder self() {
      return this;
    }

    @Override
    protected WriteSupport<Row> getWriteSupport(Configuration conf) {
      return support;
    }
  }

  /**
   * Rows to Parquet records, a field per non-null value, as Spark's own write support does (which
   * is internal to Spark and takes its internal rows); it names no object model, as Spark's does
   * not, so the footer is the one Spark writes.
   */
  private static final class RowWriteSupport extends WriteSupport<Row> {
    private final MessageType type;
    private final StructType schema;
    private final ColumnKind[] kinds;
    private final Map<String, String> metadata;
    private final String path;
    private RecordConsumer consumer;
    private long rowNumber;

    RowWriteSupport(
        MessageType type, StructType schema, Map<String, String> metadata, String path) {
      this.type = type;
      this.schema = schema;
      this.kinds = Arrays.stream(schema.fields()).map(ColumnKind::of).toArray(ColumnKind[]::new);
      this.metadata = metadata;
      this.path = path;
    }

    @Override
    public WriteContext init(Configuration configuration) {
      return new WriteContext(type, metadata);
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
      consumer = recordConsumer;
    }

    @Override
    public void write(Row row) {
      long r = rowNumber++;
      if (row.size() != schema.size()) {
        throw new IllegalArgumentException(
            "row " + r + " of " + path + " has " + row.size() + " values for " + schema.size());
      }
      consumer.startMessage();
      for (int i = 0; i < row.size(); i++) {
        StructField field = schema.fields()[i];
        if (row.isNullAt(i)) {
          if (!field.nullable()) {
            throw new IllegalArgumentException(
                "row "
                    + r
                    + " of "
                    + path
                    + ": null in the non-null column '"
                    + field.name()
                    + "'");
          }
          continue;
        }
        consumer.startField(field.name(), i);
        kinds[i].add(consumer, row.get(i), field.name());
        consumer.endField(field.name(), i);
      }
      consumer.endMessage();
    }
  }

  private static int epochDay(Object v, String column) {
    if (v instanceof Integer day) {
      return day;
    } else if (v instanceof LocalDate date) {
      return Math.toIntExact(date.toEpochDay());
    } else if (v instanceof Date date) {
      return Math.toIntExact(date.toLocalDate().toEpochDay());
    }
    throw new IllegalArgumentException(
        "date column '" + column + "' holds a " + v.getClass().getName());
  }
}
