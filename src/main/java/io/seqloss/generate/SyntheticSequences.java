package io.seqloss.generate;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The content of sequence number {@code i} of a synthetic corpus, a pure function of (seed, i): the
 * same corpus comes out whatever the number of files, tasks or machines. Logits are uniform in [-4,
 * 4) with the target's logit raised by 2 (the spec's target boost), so the loss is that of a model
 * that is somewhat right; a larger boost changes no other value, so it is a better model of the
 * same corpus; the last {@code round(paddingShare * T)} steps of each sequence are padding (weight
 * 0). An optional group column ({@link GroupColumn}) adds a string per sequence without touching
 * these values.
 */
public final class SyntheticSequences implements Serializable {
  private static final long serialVersionUID = 1L;

  private final SyntheticCorpusSpec spec;

  public SyntheticSequences(SyntheticCorpusSpec spec) {
    this.spec = spec;
  }

  /** The rows' Spark schema: Spark's usual float/int types, the id column as asked. */
  public StructType schema() {
    StructType schema = new StructType();
    schema =
        switch (spec.idType()) {
          case STRING -> schema.add("id", DataTypes.StringType, false);
          case LONG -> schema.add("id", DataTypes.LongType, false);
          case NONE -> schema;
        };
    schema =
        schema
            .add(
                "logits",
                DataTypes.createArrayType(
                    DataTypes.createArrayType(DataTypes.FloatType, false), false),
                false)
            .add("targets", DataTypes.createArrayType(DataTypes.IntegerType, false), false)
            .add("weights", DataTypes.createArrayType(DataTypes.FloatType, false), false);
    if (spec.groupColumn() != null) {
      schema = schema.add(spec.groupColumn().name(), DataTypes.StringType, false);
    }
    return schema;
  }

  /**
   * Sequence {@code index}: its id (a String, a Long, or null for no id column), arrays, and group
   * (null without a group column).
   */
  public record Sequence(
      Object id, float[][] logits, int[] targets, float[] weights, String group) {}

  /** Sequence {@code index} as a row of {@link #schema()}. */
  public Row row(long index) {
    Sequence s = sequence(index);
    List<Object> values = new ArrayList<>(5);
    if (spec.idType() != SyntheticCorpusSpec.IdType.NONE) {
      values.add(s.id());
    }
    values.addAll(List.of(s.logits(), s.targets(), s.weights()));
    if (s.group() != null) {
      values.add(s.group());
    }
    return RowFactory.create(values.toArray());
  }

  public Sequence sequence(long index) {
    SplittableRandom random = new SplittableRandom(mix(spec.seed(), index));
    int span = spec.maxLength() - spec.minLength() + 1;
    int length = spec.minLength() + (span == 1 ? 0 : random.nextInt(span));
    int padded = (int) Math.round(spec.paddingShare() * length);
    int numClasses = spec.numClasses();
    float[][] logits = new float[length][numClasses];
    int[] targets = new int[length];
    float[] weights = new float[length];
    for (int t = 0; t < length; t++) {
      float[] step = logits[t];
      for (int v = 0; v < numClasses; v++) {
        step[v] = (float) (random.nextDouble() * 8.0 - 4.0);
      }
      targets[t] = random.nextInt(numClasses);
      step[targets[t]] += spec.targetBoost();
      weights[t] = t < length - padded ? 1.0f : 0.0f;
    }
    Object id =
        switch (spec.idType()) {
          case STRING -> String.format("seq-%012d", index);
          case LONG -> index;
          case NONE -> null;
        };
    GroupColumn group = spec.groupColumn();
    return new Sequence(
        id, logits, targets, weights, group == null ? null : group.valueOf(spec.seed(), index));
  }

  /** SplitMix64's finaliser over (seed, index): neighbouring rows get unrelated random streams. */
  static long mix(long seed, long index) {
    long z = seed * 0x9E3779B97F4A7C15L + index;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
