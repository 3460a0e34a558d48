package io.seqloss.input.arrow;

import java.util.Map;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableProvider;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * A Spark DataSource V2 for Arrow IPC files (stream and file format): {@code
 * spark.read().format(ArrowSource.class.getName()).load(paths)}.
 *
 * <p>Work is split by file and by record batch; each task streams its record batches one at a time
 * and hands Spark each as a {@code ColumnarBatch} of {@code ArrowColumnVector}s over the Arrow
 * buffers as read, so nothing is converted to rows by the source. See {@link ArrowTable} for the
 * columns.
 */
public final class ArrowSource implements TableProvider, DataSourceRegister {
  /**
   * Spark asks for the schema and then for the table; both need the same listing and first file.
   */
  private ArrowTable opened;

  private Map<String, String> openedWith;

  @Override
  public String shortName() {
    return "seqloss-arrow";
  }

  @Override
  public StructType inferSchema(CaseInsensitiveStringMap options) {
    return table(options.asCaseSensitiveMap()).schema();
  }

  @Override
  public Table getTable(
      StructType schema, Transform[] partitioning, Map<String, String> properties) {
    return table(properties);
  }

  private synchronized ArrowTable table(Map<String, String> options) {
    if (opened == null || !options.equals(openedWith)) {
      opened = ArrowTable.open(options);
      openedWith = Map.copyOf(options);
    }
    return opened;
  }
}
