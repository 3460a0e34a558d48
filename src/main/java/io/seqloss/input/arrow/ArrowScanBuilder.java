package io.seqloss.input.arrow;

import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.connector.read.SupportsPushDownRequiredColumns;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Keeps the top-level columns a query uses. Nested pruning is not applied: a kept column is read
 * whole, with its full type (Spark re-resolves nested fields by name), since the record batch body
 * is read whole anyway.
 */
final class ArrowScanBuilder implements ScanBuilder, SupportsPushDownRequiredColumns {
  private final ArrowTable table;
  private StructType required;

  ArrowScanBuilder(ArrowTable table) {
    this.table = table;
    this.required = table.schema();
  }

  @Override
  public void pruneColumns(StructType requiredSchema) {
    this.required = requiredSchema;
  }

  @Override
  public Scan build() {
    StructType read = new StructType();
    for (StructField field : required.fields()) {
      if (field.name().equals(ArrowMetadata.NAME)) {
        read = read.add(ArrowMetadata.NAME, ArrowMetadata.TYPE, false);
      } else {
        read = read.add(table.schema().apply(field.name()));
      }
    }
    return new ArrowScan(table, read);
  }
}
