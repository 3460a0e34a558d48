package io.seqloss.fastpath;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.datasources.OutputWriter;
import org.apache.spark.sql.execution.datasources.OutputWriterFactory;
import org.apache.spark.sql.execution.datasources.parquet.ParquetFileFormat;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Spark's Parquet data source with one change: files of flat long, int, double and string columns
 * are written by {@link ColumnBatchParquetWriter}, a column at a time, to the bytes Spark's own
 * writer makes of them. Named in {@code DataFrameWriter.format}, it keeps Spark's write job, its
 * commit protocol and the job's Parquet configuration ({@code prepareWrite} is Spark's).
 *
 * <p>Each file checks on its executor that it can be written so: the fast-path switch is on, every
 * column has one of those types, the job sets no Parquet option this writer does not apply, and
 * Parquet's column store has the field the batches are planned by. If not, the file is written by
 * Spark's writer, and the first such file in a JVM logs a WARN naming the reason.
 */
public class ColumnBatchParquetFormat extends ParquetFileFormat {
  private static final long serialVersionUID = 1L;

  /** The name to give {@code DataFrameWriter.format}. */
  public static final String NAME = ColumnBatchParquetFormat.class.getName();

  @Override
  public OutputWriterFactory prepareWrite(
      SparkSession sparkSession,
      Job job,
      scala.collection.immutable.Map<String, String> options,
      StructType dataSchema) {
    return new Factory(super.prepareWrite(sparkSession, job, options, dataSchema));
  }

  /** Spark's factory for the files this writer cannot make; this writer for the rest. */
  static final class Factory extends OutputWriterFactory {
    private static final long serialVersionUID = 1L;

    private final OutputWriterFactory spark;

    Factory(OutputWriterFactory spark) {
      this.spark = spark;
    }

    @Override
    public String getFileExtension(TaskAttemptContext context) {
      return spark.getFileExtension(context);
    }

    @Override
    public OutputWriter newInstance(
        String path, StructType dataSchema, TaskAttemptContext context) {
      if (FastPaths.enabled() && ColumnBatchParquetWriter.StoreSizeCheck.available()) {
        BufferedColumn[] columns = columns(dataSchema);
        if (columns != null) {
          Configuration conf = context.getConfiguration();
          ColumnBatchSettings settings = ColumnBatchSettings.of(conf);
          if (settings.unsupported() == null) {
            try {
              return new ColumnBatchParquetWriter(path, dataSchema, columns, settings, conf);
            } catch (IOException e) {
              throw new UncheckedIOException("could not create Parquet file " + path, e);
            }
          }
          FastPaths.turnOff(FastPaths.COLUMN_BATCH_WRITER, settings.unsupported());
        }
      }
      return spark.newInstance(path, dataSchema, context);
    }

    /** A buffer for each column, or null (turned off, naming the column) for a type not taken. */
    private static BufferedColumn[] columns(StructType dataSchema) {
      StructField[] fields = dataSchema.fields();
      BufferedColumn[] columns = new BufferedColumn[fields.length];
      for (int c = 0; c < fields.length; c++) {
        columns[c] =
            BufferedColumn.of(fields[c].dataType(), c, ColumnBatchParquetWriter.BATCH_ROWS);
        if (columns[c] == null) {
          FastPaths.turnOff(
              FastPaths.COLUMN_BATCH_WRITER,
              "column " + fields[c].name() + " is " + fields[c].dataType().simpleString());
          return null;
        }
      }
      return columns;
    }
  }
}
