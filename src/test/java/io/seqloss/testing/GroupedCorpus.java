package io.seqloss.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A test corpus whose rows carry extra columns beside the canonical ones (group columns such as
 * {@code domain}), written as Parquet files with {@link Corpora}'s canonical types.
 */
public final class GroupedCorpus {
  private GroupedCorpus() {}

  /** A row and its extra column values, in the order of the extra fields. */
  public record Labelled(CorpusRow row, List<Object> extras) {}

  public static Path write(
      SparkSession spark,
      Path dir,
      String name,
      List<Labelled> rows,
      List<StructField> extras,
      int files) {
    List<StructField> fields =
        new ArrayList<>(List.of(Corpora.schema(true, DataTypes.StringType, true).fields()));
    fields.addAll(extras);
    StructType schema = new StructType(fields.toArray(StructField[]::new));
    List<Row> out = new ArrayList<>();
    for (Labelled l : rows) {
      CorpusRow r = l.row();
      List<Object> values = new ArrayList<>();
      values.add(r.id());
      values.add(r.logits() == null ? null : Corpora.toNested(r.logits()));
      values.add(Corpora.boxed(r.targets()));
      values.add(Corpora.boxed(r.weights()));
      values.addAll(l.extras());
      out.add(RowFactory.create(values.toArray()));
    }
    Path corpus = dir.resolve(name);
    int per = (out.size() + files - 1) / files;
    for (int f = 0; f < files; f++) {
      List<Row> part =
          out.subList(Math.min(f * per, out.size()), Math.min((f + 1) * per, out.size()));
      Corpora.writeOneFile(
          spark, part, schema, corpus.resolve(String.format("part-%03d.parquet", f)));
    }
    return corpus;
  }

  public static StructField field(String name, DataType type) {
    return DataTypes.createStructField(name, type, true);
  }
}
