package io.seqloss.slice;

import io.seqloss.reduce.CorpusTotals;
import io.seqloss.reduce.ExactSum;
import io.seqloss.stats.RatioMoments;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;

/**
 * One group's exact sums, the same as the corpus's: the ratio terms (n, Σx, Σdenominator and the
 * second moments), Σw, metric credits and counts. Merging is exact, so a group split over any
 * partitions sums to the same bits; {@link #toBytes} keeps the partials of a million groups small.
 */
public final class GroupTotals implements Serializable {
  private static final long serialVersionUID = 1L;

  private RatioMoments moments = new RatioMoments();
  private final ExactSum weightSum = new ExactSum();
  private final ExactSum correctSum = new ExactSum();
  private final ExactSum topKSum = new ExactSum();
  private long tokens;
  private long nonzeroWeights;
  private long invalidRows;
  private long zeroDenominator;

  /** Adds one valid sequence, with the same sums the corpus totals get. */
  public void addSequence(
      double lossSum,
      double weight,
      double denominator,
      int length,
      long nonzero,
      double correct,
      double topK) {
    moments.add(lossSum, denominator);
    weightSum.add(weight);
    correctSum.add(correct);
    topKSum.add(topK);
    tokens += length;
    nonzeroWeights += nonzero;
    if (denominator == 0.0) {
      zeroDenominator++;
    }
  }

  /**
   * Adds these sequences' exact sums to {@code corpus}, which counted them itself ({@link
   * CorpusTotals#addSequenceCounts}).
   */
  public void addSumsTo(CorpusTotals corpus) {
    corpus.addSums(moments, weightSum, correctSum, topKSum);
  }

  public void addInvalidRow() {
    invalidRows++;
  }

  public GroupTotals merge(GroupTotals other) {
    moments.merge(other.moments);
    weightSum.merge(other.weightSum);
    correctSum.merge(other.correctSum);
    topKSum.merge(other.topKSum);
    tokens += other.tokens;
    nonzeroWeights += other.nonzeroWeights;
    invalidRows += other.invalidRows;
    zeroDenominator += other.zeroDenominator;
    return this;
  }

  public RatioMoments moments() {
    return moments;
  }

  public double weightSum() {
    return weightSum.value();
  }

  public double correctSum() {
    return correctSum.value();
  }

  public double topKSum() {
    return topKSum.value();
  }

  public long sequences() {
    return moments.count();
  }

  public long tokens() {
    return tokens;
  }

  public long nonzeroWeights() {
    return nonzeroWeights;
  }

  public long invalidRows() {
    return invalidRows;
  }

  public long zeroDenominator() {
    return zeroDenominator;
  }

  /**
   * Java serialization (Spark's shuffle) writes the compact form: a few digits per sum, not 68
   * longs.
   */
  private Object writeReplace() {
    return new Compact(toBytes());
  }

  private record Compact(byte[] bytes) implements Serializable {
    private Object readResolve() {
      return fromBytes(bytes);
    }
  }

  public byte[] toBytes() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      moments.writeTo(out);
      weightSum.writeTo(out);
      correctSum.writeTo(out);
      topKSum.writeTo(out);
      out.writeLong(tokens);
      out.writeLong(nonzeroWeights);
      out.writeLong(invalidRows);
      out.writeLong(zeroDenominator);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  public static GroupTotals fromBytes(byte[] bytes) {
    GroupTotals t = new GroupTotals();
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      t.moments = RatioMoments.readFrom(in);
      t.weightSum.addFrom(in);
      t.correctSum.addFrom(in);
      t.topKSum.addFrom(in);
      t.tokens = in.readLong();
      t.nonzeroWeights = in.readLong();
      t.invalidRows = in.readLong();
      t.zeroDenominator = in.readLong();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return t;
  }
}
