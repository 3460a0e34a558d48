package io.seqloss.input.arrow;

import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.apache.spark.util.SerializableConfiguration;

/** Columnar reads only: the point of the source is to hand Spark the Arrow buffers as they are. */
final class ArrowReaderFactory implements PartitionReaderFactory {
  private static final long serialVersionUID = 1L;

  private final StructType readSchema;
  private final Broadcast<SerializableConfiguration> conf;

  ArrowReaderFactory(StructType readSchema, Broadcast<SerializableConfiguration> conf) {
    this.readSchema = readSchema;
    this.conf = conf;
  }

  @Override
  public boolean supportColumnarReads(InputPartition partition) {
    return true;
  }

  @Override
  public PartitionReader<ColumnarBatch> createColumnarReader(InputPartition partition) {
    return new ArrowBatchReader((ArrowInputPartition) partition, readSchema, conf.value().value());
  }

  @Override
  public PartitionReader<InternalRow> createReader(InputPartition partition) {
    throw new UnsupportedOperationException("the seqloss Arrow source reads columnar batches only");
  }
}
