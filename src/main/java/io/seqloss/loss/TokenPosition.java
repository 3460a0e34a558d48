package io.seqloss.loss;

import java.nio.charset.StandardCharsets;

/**
 * The {@link TokenContext} seqloss passes to a loss: one mutable instance per task, moved from
 * token to token by the evaluator (losses only read it).
 */
public final class TokenPosition implements TokenContext {
  /**
   * FNV-1a's start value; {@link #hashByte} adds a byte. Public so that ids can be hashed in place.
   */
  public static final long FNV_OFFSET = 0xcbf29ce484222325L;

  private static final long FNV_PRIME = 0x100000001b3L;

  private final long runSeed;
  private final long runHash;
  private long sequenceKey;
  private long sequenceHash;
  private int timestep;

  public TokenPosition(long runSeed) {
    this.runSeed = runSeed;
    this.runHash = SplitMix64.mix(runSeed ^ SplitMix64.GOLDEN_GAMMA);
    at(0L, 0);
  }

  /** The sequence key of an id as {@link TokenContext#sequenceKey()} documents it. */
  public static long keyOf(Object id) {
    if (id instanceof Long l) {
      return l;
    }
    if (id instanceof Integer i) {
      return i;
    }
    long hash = FNV_OFFSET;
    for (byte b : String.valueOf(id).getBytes(StandardCharsets.UTF_8)) {
      hash = hashByte(hash, b);
    }
    return hash;
  }

  /** One FNV-1a step: the hash of the bytes so far followed by {@code b}. */
  public static long hashByte(long hash, byte b) {
    return (hash ^ (b & 0xff)) * FNV_PRIME;
  }

  /** Moves to the first token of a sequence. */
  public void startSequence(long key) {
    this.sequenceKey = key;
    this.sequenceHash = SplitMix64.mix(runHash ^ key);
    this.timestep = 0;
  }

  /** Moves to a token. */
  public void at(long key, int t) {
    startSequence(key);
    this.timestep = t;
  }

  public void timestep(int t) {
    this.timestep = t;
  }

  @Override
  public long sequenceKey() {
    return sequenceKey;
  }

  @Override
  public int timestep() {
    return timestep;
  }

  @Override
  public long runSeed() {
    return runSeed;
  }

  @Override
  public long randomSeed() {
    return SplitMix64.mix(sequenceHash ^ (timestep * SplitMix64.GOLDEN_GAMMA + 1));
  }
}
