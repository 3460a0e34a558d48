package io.seqloss.config;

/**
 * The four flags of TensorFlow (Addons) {@code sequence_loss} and the result shape they choose.
 * Built only through {@link #of}, which rejects the combinations TensorFlow either forbids or
 * silently ignores, so a run never computes something other than what its flags say.
 */
public final class Reduction implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  /** What one result value is taken over; the Parquet output and summary shape follow from it. */
  public enum Shape {
    SCALAR("[]"),
    PER_SEQUENCE("[B]"),
    PER_TIMESTEP("[T]"),
    PER_TOKEN("[B,T]");

    private final String notation;

    Shape(String notation) {
      this.notation = notation;
    }

    public String notation() {
      return notation;
    }
  }

  /**
   * How one reduced axis is divided: by the sum of weights, or by the count of non-zero weights.
   */
  public enum Denominator {
    NONE,
    WEIGHT_SUM,
    NONZERO_COUNT
  }

  private final boolean averageAcrossTimesteps;
  private final boolean averageAcrossBatch;
  private final boolean sumOverTimesteps;
  private final boolean sumOverBatch;

  private Reduction(boolean avgT, boolean avgB, boolean sumT, boolean sumB) {
    this.averageAcrossTimesteps = avgT;
    this.averageAcrossBatch = avgB;
    this.sumOverTimesteps = sumT;
    this.sumOverBatch = sumB;
  }

  public static Reduction of(boolean avgT, boolean avgB, boolean sumT, boolean sumB) {
    if (avgT && sumT) {
      throw new ConfigException(
          "--average-across-timesteps and --sum-over-timesteps are both true; at most one may be set "
              + "for the timestep axis (TensorFlow Addons raises the same error)");
    }
    if (avgB && sumB) {
      throw new ConfigException(
          "--average-across-batch and --sum-over-batch are both true; at most one may be set "
              + "for the batch axis (TensorFlow Addons raises the same error)");
    }
    if ((avgT && sumB) || (sumT && avgB)) {
      throw new ConfigException(
          String.format(
              "average_across_timesteps=%s, average_across_batch=%s, sum_over_timesteps=%s, sum_over_batch=%s "
                  + "mixes an average on one axis with a sum_over on the other; TensorFlow Addons silently "
                  + "ignores the sum_over flag there, seqloss refuses. Use both --average-* flags or both "
                  + "--sum-over-* flags (with the --average-* flags set to false)",
              avgT, avgB, sumT, sumB));
    }
    return new Reduction(avgT, avgB, sumT, sumB);
  }

  public static Reduction tensorflowDefault() {
    return new Reduction(true, true, false, false);
  }

  public boolean reducesTimesteps() {
    return averageAcrossTimesteps || sumOverTimesteps;
  }

  public boolean reducesBatch() {
    return averageAcrossBatch || sumOverBatch;
  }

  public Shape shape() {
    if (reducesTimesteps()) {
      return reducesBatch() ? Shape.SCALAR : Shape.PER_SEQUENCE;
    }
    return reducesBatch() ? Shape.PER_TIMESTEP : Shape.PER_TOKEN;
  }

  /**
   * The divisor of a reduced result. Both reduced axes always agree (mixed combinations are
   * rejected in {@link #of}), so one kind describes the whole reduction.
   */
  public Denominator denominator() {
    if (averageAcrossTimesteps || averageAcrossBatch) {
      return Denominator.WEIGHT_SUM;
    }
    if (sumOverTimesteps || sumOverBatch) {
      return Denominator.NONZERO_COUNT;
    }
    return Denominator.NONE;
  }

  /** True for the {@code sum_over_*} flags: results divide by the count of non-zero weights. */
  public boolean dividesByCount() {
    return denominator() == Denominator.NONZERO_COUNT;
  }

  public boolean averageAcrossTimesteps() {
    return averageAcrossTimesteps;
  }

  public boolean averageAcrossBatch() {
    return averageAcrossBatch;
  }

  public boolean sumOverTimesteps() {
    return sumOverTimesteps;
  }

  public boolean sumOverBatch() {
    return sumOverBatch;
  }

  @Override
  public String toString() {
    return String.format(
        "Reduction[average_across_timesteps=%s, average_across_batch=%s, "
            + "sum_over_timesteps=%s, sum_over_batch=%s -> %s]",
        averageAcrossTimesteps, averageAcrossBatch, sumOverTimesteps, sumOverBatch, shape());
  }
}
