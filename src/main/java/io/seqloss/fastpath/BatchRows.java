package io.seqloss.fastpath;

import io.seqloss.eval.CanonicalRows;
import io.seqloss.input.InputLayout;
import java.util.Collections;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.vectorized.ConstantColumnVector;
import org.apache.spark.sql.execution.vectorized.WritableColumnVector;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.vectorized.ArrowColumnVector;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;

/**
 * The rows of a scan's columnar batches, in canonical column order: each batch's vectors are put in
 * {@link InputLayout}'s order (no data is copied) and read through {@link
 * ColumnarBatch#rowIterator()}. The scan reuses its batch and vectors, so a batch is fully consumed
 * before the next is asked for. Part of the columnar scan fast path ({@link ColumnarScan}): the
 * null vectors and the dictionary ids of a group column ({@link #groupDictionaryId}) are Spark
 * internals.
 */
final class BatchRows implements CanonicalRows {
  private static final DataType NULL_ID_TYPE = DataTypes.StringType;
  private static final DataType NULL_WEIGHTS_TYPE = DataTypes.createArrayType(DataTypes.DoubleType);

  private final Iterator<ColumnarBatch> batches;
  private final int[] columnOfCanonical;
  private final int[] fieldOfCanonical;
  private final ColumnVector[] canonical;
  private Iterator<InternalRow> rows = Collections.emptyIterator();
  private boolean logitValuesMayBeNull = true;

  /** The dictionary ids of the batch's first group column, or null (see {@link #open}). */
  private ColumnVector groupIds;

  private int rowInBatch;
  private long batchNumber;

  BatchRows(Iterator<ColumnarBatch> batches, ColumnarScan.BatchLayout layout) {
    this.batches = batches;
    this.columnOfCanonical = layout.columnOfCanonical();
    this.fieldOfCanonical = layout.fieldOfCanonical();
    this.canonical =
        new ColumnVector[columnOfCanonical.length]; // canonical columns, then carried ones
    // Absent columns (derived ids, no weights) read as null; the evaluator does not look at them.
    canonical[InputLayout.ID] = nullVector(NULL_ID_TYPE);
    canonical[InputLayout.WEIGHTS] = nullVector(NULL_WEIGHTS_TYPE);
  }

  @Override
  public boolean hasNext() {
    while (!rows.hasNext()) {
      if (!batches.hasNext()) {
        return false;
      }
      open(batches.next());
    }
    return true;
  }

  @Override
  public InternalRow next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    rowInBatch++;
    return rows.next();
  }

  @Override
  public int groupDictionaryId() {
    return groupIds == null || canonical[InputLayout.WIDTH].isNullAt(rowInBatch)
        ? -1
        : groupIds.getInt(rowInBatch);
  }

  @Override
  public long dictionaryEpoch() {
    return batchNumber;
  }

  @Override
  public boolean logitValuesMayBeNull() {
    return logitValuesMayBeNull;
  }

  private void open(ColumnarBatch batch) {
    for (int c = 0; c < canonical.length; c++) {
      int column = columnOfCanonical[c];
      if (column >= 0) {
        int field = fieldOfCanonical[c];
        canonical[c] = field < 0 ? batch.column(column) : batch.column(column).getChild(field);
      }
    }
    logitValuesMayBeNull = mayHaveNullValues(canonical[InputLayout.LOGITS]);
    rows = new ColumnarBatch(canonical.clone(), batch.numRows()).rowIterator();
    rowInBatch = -1;
    batchNumber++;
    groupIds = groupDictionaryIds(canonical);
  }

  /**
   * The dictionary ids of a first group column that Spark's Parquet reader left encoded: it does so
   * for a batch only when every value of the batch is in the column chunk's one dictionary, so an
   * id stands for one value throughout the batch. Null otherwise (no group column, plain pages,
   * Arrow vectors): the group key is then read from the row.
   */
  private static ColumnVector groupDictionaryIds(ColumnVector[] canonical) {
    return canonical.length > InputLayout.WIDTH
            && canonical[InputLayout.WIDTH] instanceof WritableColumnVector vector
            && vector.hasDictionary()
        ? vector.getDictionaryIds()
        : null;
  }

  /**
   * Whether the innermost vector of array&lt;array&lt;float|double&gt;&gt; logits may hold a null.
   * Vectors that do not expose their element vector (getChild returns null or fails) are assumed
   * to.
   */
  private static boolean mayHaveNullValues(ColumnVector logits) {
    if (logits
        instanceof
        ArrowColumnVector arrow) { // Spark's Arrow vectors expose list children only this way
      return !(arrow.getValueVector() instanceof ListVector steps
              && steps.getDataVector() instanceof ListVector values)
          || values.getDataVector().getNullCount() > 0;
    }
    try {
      ColumnVector steps = logits.getChild(0);
      ColumnVector values = steps == null ? null : steps.getChild(0);
      return values == null || values.hasNull();
    } catch (RuntimeException notExposed) {
      return true;
    }
  }

  private static ColumnVector nullVector(DataType type) {
    ConstantColumnVector vector = new ConstantColumnVector(1, type);
    vector.setNull();
    return vector;
  }
}
