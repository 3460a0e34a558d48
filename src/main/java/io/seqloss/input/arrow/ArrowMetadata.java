package io.seqloss.input.arrow;

import java.nio.charset.StandardCharsets;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.spark.sql.connector.catalog.MetadataColumn;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code _metadata} column of the Arrow source: {@code file_path} and {@code row_index}, named
 * and typed as Spark's file sources name theirs, so that {@code col("_metadata.file_path")} and
 * {@code col("_metadata.row_index")} mean the same for a Parquet and an Arrow corpus. Derived ids
 * and every error message that names a row therefore read the same whatever the format.
 */
final class ArrowMetadata implements MetadataColumn {
  static final String NAME = "_metadata";
  static final String FILE_PATH = "file_path";
  static final String ROW_INDEX = "row_index";
  static final StructType TYPE =
      new StructType()
          .add(FILE_PATH, DataTypes.StringType, false)
          .add(ROW_INDEX, DataTypes.LongType, false);

  static final ArrowMetadata COLUMN = new ArrowMetadata();

  private ArrowMetadata() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public DataType dataType() {
    return TYPE;
  }

  @Override
  public boolean isNullable() {
    return false;
  }

  @Override
  public String comment() {
    return "the file a row comes from and its 0-based index in that file";
  }

  /**
   * The column's Arrow vectors for one batch: the file path repeated, the row indices counted on.
   */
  static final class Vectors implements AutoCloseable {
    private final StructVector struct;
    private final VarCharVector paths;
    private final BigIntVector indices;

    Vectors(BufferAllocator allocator) {
      struct = StructVector.empty(NAME, allocator);
      paths =
          struct.addOrGet(
              FILE_PATH, FieldType.notNullable(ArrowType.Utf8.INSTANCE), VarCharVector.class);
      indices =
          struct.addOrGet(
              ROW_INDEX, FieldType.notNullable(new ArrowType.Int(64, true)), BigIntVector.class);
    }

    /** Sets the vectors to {@code rows} rows of {@code file}, numbered from {@code firstRow}. */
    StructVector fill(String file, long firstRow, int rows) {
      byte[] path = file.getBytes(StandardCharsets.UTF_8);
      struct.setInitialCapacity(rows);
      struct.allocateNew();
      paths.allocateNew((long) path.length * rows, rows);
      indices.allocateNew(rows);
      for (int i = 0; i < rows; i++) {
        paths.setSafe(i, path);
        indices.setSafe(i, firstRow + i);
        struct.setIndexDefined(i);
      }
      paths.setValueCount(rows);
      indices.setValueCount(rows);
      struct.setValueCount(rows);
      return struct;
    }

    @Override
    public void close() {
      struct.close();
    }
  }
}
