package io.seqloss.input.arrow;

import io.seqloss.input.DeclaredRows;
import io.seqloss.input.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.read.Batch;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;

/**
 * Plans a read: scans every file's headers on the driver (so corrupt, truncated or mismatched files
 * fail here, naming the file, before any task starts) and splits the record batches into tasks.
 */
final class ArrowScan implements Scan, Batch, DeclaredRows {
  private final ArrowTable table;
  private final StructType readSchema;

  /**
   * Set when the partitions are planned: the rows the record batch headers of the files declare.
   */
  private volatile OptionalLong declaredRows = OptionalLong.empty();

  ArrowScan(ArrowTable table, StructType readSchema) {
    this.table = table;
    this.readSchema = readSchema;
  }

  @Override
  public StructType readSchema() {
    return readSchema;
  }

  @Override
  public String description() {
    return String.format(
        "seqloss Arrow IPC scan of %d file(s), columns %s",
        table.files().size(), String.join(", ", readSchema.fieldNames()));
  }

  @Override
  public Batch toBatch() {
    return this;
  }

  @Override
  public InputPartition[] planInputPartitions() {
    Configuration conf = ArrowTable.hadoopConf();
    List<ArrowSplits.FilePlan> plans = new ArrayList<>();
    long rows = 0;
    for (String file : table.files()) {
      ArrowIpcFile scanned =
          file.equals(table.first().path()) ? table.first() : ArrowIpcFile.scan(file, conf);
      plans.add(
          new ArrowSplits.FilePlan(scanned, scanned.schema().toJson(), columnIndices(scanned)));
      rows += scanned.batches().stream().mapToLong(BatchBlock::rows).sum();
    }
    declaredRows = OptionalLong.of(rows);
    SQLConf sql = SQLConf.get();
    return ArrowSplits.plan(plans, sql.filesMaxPartitionBytes(), sql.filesOpenCostInBytes())
        .toArray(InputPartition[]::new);
  }

  /**
   * Where each read column is in this file, checking that it is there with the first file's type.
   */
  private int[] columnIndices(ArrowIpcFile file) {
    List<Field> fields = file.schema().getFields();
    int[] indices = new int[readSchema.size()];
    for (int i = 0; i < indices.length; i++) {
      StructField wanted = readSchema.fields()[i];
      if (wanted.name().equals(ArrowMetadata.NAME)) {
        indices[i] = -1;
        continue;
      }
      if (wanted.metadata().contains(ArrowTable.UNREADABLE_TYPE)) {
        throw new InvalidInputException(
            String.format(
                "file %s: column '%s' has type %s, which Spark cannot read from Arrow in place",
                file.path(),
                wanted.name(),
                wanted.metadata().getString(ArrowTable.UNREADABLE_TYPE)));
      }
      indices[i] = indexOf(fields, wanted.name());
      DataType found = indices[i] < 0 ? null : ArrowSparkTypes.sparkType(fields.get(indices[i]));
      if (!wanted.dataType().equals(found)) {
        String foundText =
            indices[i] < 0
                ? "no such column"
                : found == null
                    ? "type " + ArrowSparkTypes.describe(fields.get(indices[i])) + " (Arrow)"
                    : "type " + found.simpleString();
        throw new InvalidInputException(
            String.format(
                "file %s: column '%s' has %s, but type %s in %s; all files of a corpus must share the schema",
                file.path(),
                wanted.name(),
                foundText,
                wanted.dataType().simpleString(),
                table.first().path()));
      }
    }
    return indices;
  }

  private static int indexOf(List<Field> fields, String name) {
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).getName().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public OptionalLong declaredRows() {
    return declaredRows;
  }

  @Override
  public PartitionReaderFactory createReaderFactory() {
    // One copy of the Hadoop configuration per executor, not one per task.
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(SparkSession.active().sparkContext());
    Broadcast<SerializableConfiguration> conf =
        jsc.broadcast(new SerializableConfiguration(ArrowTable.hadoopConf()));
    return new ArrowReaderFactory(readSchema, conf);
  }
}
