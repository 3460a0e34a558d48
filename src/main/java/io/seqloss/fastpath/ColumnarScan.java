package io.seqloss.fastpath;

import io.seqloss.eval.CanonicalRows;
import io.seqloss.input.DeclaredRows;
import io.seqloss.input.IdKind;
import io.seqloss.input.InputLayout;
import java.io.Serializable;
import java.util.Iterator;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.execution.ColumnarToRowExec;
import org.apache.spark.sql.execution.FileSourceScanExec;
import org.apache.spark.sql.execution.InputAdapter;
import org.apache.spark.sql.execution.ProjectExec;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.WholeStageCodegenExec;
import org.apache.spark.sql.execution.datasources.v2.DataSourceV2ScanExecBase;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import scala.collection.Seq;

/**
 * The scan under a corpus's canonical query, used directly when its columnar batches can stand for
 * the query's rows. Spark plans the canonical selection as projections over {@code
 * ColumnarToRow(scan)}: the projections only pick and rename columns and build or open the {@code
 * _metadata} struct, while {@code ColumnarToRow} exists only to feed them rows. Reading the scan's
 * batches ourselves skips that conversion and the copy of every logits array into an {@code
 * UnsafeRow}; the evaluator reads the same values through Spark's {@code ColumnarRow} and {@code
 * ColumnarArray}, which implement the row and array interfaces it already uses. Two scans qualify:
 * Spark's Parquet scan ({@code FileSourceScanExec}, which hands {@code _metadata}'s fields as flat
 * columns) and a data source V2 scan such as the Arrow source ({@code BatchScanExec}, which hands
 * the {@code _metadata} struct).
 *
 * <p>This leans on Spark's physical plan classes and on the metadata keys that mark {@code
 * _metadata}'s columns. Any other plan (a filter, a repartitioned corpus) or unmarked metadata
 * columns turn it off for that query with a WARN; a row-based reader (vectorized reading switched
 * off) or the switch ({@link FastPaths}) leave it off with an INFO line. The caller then keeps the
 * row path, which gives the same results.
 */
public final class ColumnarScan {
  private final SparkPlan scan;
  private final BatchLayout layout;

  private ColumnarScan(SparkPlan scan, BatchLayout layout) {
    this.scan = scan;
    this.layout = layout;
  }

  /**
   * Where each canonical column is in the scan's batches: a column, -1 for a column that is absent
   * (null), and a field of that column when it is a struct (the {@code _metadata} struct of a data
   * source V2 scan), else -1.
   */
  public record BatchLayout(int[] columnOfCanonical, int[] fieldOfCanonical)
      implements Serializable {
    /** The canonical rows of a partition's batches. */
    public CanonicalRows rows(Iterator<ColumnarBatch> batches) {
      return new BatchRows(batches, this);
    }
  }

  /** What came of looking for a columnar scan: the scan, or why the row path is taken. */
  public record Found(Optional<ColumnarScan> scan, String reason) {}

  /**
   * The metadata keys with which Spark marks the columns of {@code _metadata}'s fields in a file
   * scan's output (the same in Spark 3.5 and 4.x): a data column of the same name is not marked.
   */
  record MetadataMarkers(String fileSourceKey, String fieldKey) {
    static final MetadataMarkers SPARK =
        new MetadataMarkers("__file_source_metadata_col", "__metadata_col");
  }

  public static Found find(Dataset<Row> canonical, InputLayout inputLayout) {
    if (!FastPaths.enabled()) {
      return new Found(Optional.empty(), "fast paths are off (" + FastPaths.SWITCH + "=false)");
    }
    return find(canonical, inputLayout, MetadataMarkers.SPARK);
  }

  static Found find(Dataset<Row> canonical, InputLayout inputLayout, MetadataMarkers markers) {
    SparkPlan plan = canonical.queryExecution().executedPlan();
    SparkPlan node = plan;
    while (!(node instanceof FileSourceScanExec) && !(node instanceof DataSourceV2ScanExecBase)) {
      boolean passThrough =
          node instanceof WholeStageCodegenExec
              || node instanceof InputAdapter
              || node instanceof ProjectExec
              || node instanceof ColumnarToRowExec;
      if (!passThrough || node.children().size() != 1) {
        return unexpected("the query plan has a " + node.nodeName() + " step");
      }
      node = node.children().head();
    }
    SparkPlan scan = node;
    if (!scan.supportsColumnar()) {
      return new Found(
          Optional.empty(),
          "the scan is not columnar for this schema (for Parquet, check "
              + "spark.sql.parquet.enableVectorizedReader and spark.sql.parquet.enableNestedColumnVectorizedReader)");
    }
    Seq<Attribute> wanted = plan.output();
    Seq<Attribute> scanned = scan.output();
    int[] columns =
        new int[wanted.size()]; // the canonical columns, then any carried along (group columns)
    columns[InputLayout.ID] =
        inputLayout.idKind() == IdKind.DERIVED
            ? -1
            : sameAttribute(scanned, wanted.apply(InputLayout.ID));
    columns[InputLayout.LOGITS] = sameAttribute(scanned, wanted.apply(InputLayout.LOGITS));
    columns[InputLayout.TARGETS] = sameAttribute(scanned, wanted.apply(InputLayout.TARGETS));
    columns[InputLayout.WEIGHTS] =
        inputLayout.hasWeights() ? sameAttribute(scanned, wanted.apply(InputLayout.WEIGHTS)) : -1;
    for (int c = InputLayout.WIDTH; c < columns.length; c++) {
      columns[c] = sameAttribute(scanned, wanted.apply(c));
    }
    int[] fields = new int[columns.length];
    java.util.Arrays.fill(fields, -1);
    for (int c : new int[] {InputLayout.FILE, InputLayout.ROW}) {
      String field = c == InputLayout.FILE ? "file_path" : "row_index";
      columns[c] = metadataColumn(scanned, field, markers);
      if (columns[c] < 0) { // a data source V2 scan hands the whole _metadata struct
        columns[c] = metadataStruct(scanned);
        fields[c] = columns[c] < 0 ? -1 : fieldIndex(scanned.apply(columns[c]), field);
        if (fields[c] < 0) {
          columns[c] = -1;
        }
      }
    }
    for (int c = 0; c < columns.length; c++) {
      boolean optional =
          c == InputLayout.ID && inputLayout.idKind() == IdKind.DERIVED
              || c == InputLayout.WEIGHTS && !inputLayout.hasWeights();
      if (columns[c] < 0 && !optional) {
        String why = "canonical column " + wanted.apply(c).name() + " is not a column of the scan";
        return c == InputLayout.FILE
                || c == InputLayout.ROW // Spark marks them: unmarked, it has changed
            ? unexpected(why + " marked " + markers.fieldKey())
            : new Found(Optional.empty(), why);
      }
    }
    return new Found(
        Optional.of(new ColumnarScan(scan, new BatchLayout(columns, fields))),
        (scan instanceof FileSourceScanExec ? "the Parquet scan" : "the data source V2 scan")
            + " is columnar");
  }

  private static Found unexpected(String why) {
    FastPaths.turnOff(FastPaths.COLUMNAR_SCAN, why);
    return new Found(Optional.empty(), why);
  }

  /** The scan's batches; the reader's settings (batch size) are taken from the session now. */
  public JavaRDD<ColumnarBatch> batches() {
    return scan.executeColumnar().toJavaRDD();
  }

  public BatchLayout layout() {
    return layout;
  }

  /** The rows the scanned files declare, when the scan knows it (see {@link DeclaredRows}). */
  public OptionalLong declaredRows() {
    return scan instanceof DataSourceV2ScanExecBase v2 && v2.scan() instanceof DeclaredRows declared
        ? declared.declaredRows()
        : OptionalLong.empty();
  }

  /** The scan column that is the {@code _metadata} struct of a data source V2 scan, or -1. */
  private static int metadataStruct(Seq<Attribute> scanned) {
    for (int i = 0; i < scanned.size(); i++) {
      if (scanned.apply(i).name().equals("_metadata")
          && scanned.apply(i).dataType() instanceof StructType) {
        return i;
      }
    }
    return -1;
  }

  private static int fieldIndex(Attribute struct, String field) {
    StructType type = (StructType) struct.dataType();
    return java.util.Arrays.asList(type.fieldNames()).indexOf(field);
  }

  /**
   * The scan column that is the query's column (same expression id: it passes through unchanged).
   */
  private static int sameAttribute(Seq<Attribute> scanned, Attribute wanted) {
    for (int i = 0; i < scanned.size(); i++) {
      if (scanned.apply(i).exprId().equals(wanted.exprId())) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The scan column holding a field of {@code _metadata}: Spark adds {@code file_path} as a
   * constant per file and {@code row_index} as a column the Parquet reader generates, both marked
   * in their metadata (a data column of the same name is not).
   */
  private static int metadataColumn(Seq<Attribute> scanned, String field, MetadataMarkers markers) {
    for (int i = 0; i < scanned.size(); i++) {
      Metadata m = scanned.apply(i).metadata();
      if (m.contains(markers.fileSourceKey())
          && m.contains(markers.fieldKey())
          && field.equals(m.getString(markers.fieldKey()))) {
        return i;
      }
    }
    return -1;
  }
}
