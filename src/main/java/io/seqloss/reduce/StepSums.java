package io.seqloss.reduce;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The sums of one timestep over the sequences that reach it: exact sums of weighted losses, weights
 * and weighted metric credits, the count of non-zero weights and of sequences. Shares of a step
 * travel between Spark tasks as compact bytes ({@link #toShare()}, {@link #tokenShare}), and adding
 * them in any order and grouping gives the same exact sums.
 */
public final class StepSums {
  private static final byte SUMS = 0;
  private static final byte TOKEN = 1;

  private final ExactSum lossSum = new ExactSum();
  private final ExactSum weightSum = new ExactSum();
  private final ExactSum correctSum = new ExactSum();
  private final ExactSum topKSum = new ExactSum();
  private long nonzeroWeights;
  private long sequences;

  /** Adds one sequence's token at this step. */
  public void addToken(
      double weightedLoss, double weight, double weightedCorrect, double weightedTopK) {
    lossSum.add(weightedLoss);
    weightSum.add(weight);
    correctSum.add(weightedCorrect);
    topKSum.add(weightedTopK);
    if (weight != 0.0) {
      nonzeroWeights++;
    }
    sequences++;
  }

  /**
   * These sums as a share for {@link #addShare}: a few dozen bytes where the sums in memory take 2
   * KB.
   */
  public byte[] toShare() {
    return write(
        out -> {
          out.writeByte(SUMS);
          lossSum.writeTo(out);
          weightSum.writeTo(out);
          correctSum.writeTo(out);
          topKSum.writeTo(out);
          out.writeLong(nonzeroWeights);
          out.writeLong(sequences);
        });
  }

  /** One token as a share: what {@link #addToken} would add, without building the sums. */
  public static byte[] tokenShare(
      double weightedLoss, double weight, double weightedCorrect, double weightedTopK) {
    return write(
        out -> {
          out.writeByte(TOKEN);
          out.writeDouble(weightedLoss);
          out.writeDouble(weight);
          out.writeDouble(weightedCorrect);
          out.writeDouble(weightedTopK);
        });
  }

  /** Adds a share made by {@link #toShare()} or {@link #tokenShare}, exactly. */
  public void addShare(byte[] share) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(share))) {
      byte kind = in.readByte();
      if (kind == TOKEN) {
        addToken(in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble());
        return;
      }
      lossSum.addFrom(in);
      weightSum.addFrom(in);
      correctSum.addFrom(in);
      topKSum.addFrom(in);
      nonzeroWeights += in.readLong();
      sequences += in.readLong();
    } catch (IOException e) {
      throw new UncheckedIOException("corrupt per-timestep share of " + share.length + " bytes", e);
    }
  }

  public double lossSum() {
    return lossSum.value();
  }

  public double weightSum() {
    return weightSum.value();
  }

  /** Σ w · accuracy credit at this step. */
  public double correctSum() {
    return correctSum.value();
  }

  /** Σ w · top-k credit at this step. */
  public double topKSum() {
    return topKSum.value();
  }

  public long nonzeroWeights() {
    return nonzeroWeights;
  }

  public long sequences() {
    return sequences;
  }

  private interface Writer {
    void write(DataOutputStream out) throws IOException;
  }

  private static byte[] write(Writer writer) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      writer.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array stream does not fail
    }
    return bytes.toByteArray();
  }
}
