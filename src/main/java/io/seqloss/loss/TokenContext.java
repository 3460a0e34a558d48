package io.seqloss.loss;

/**
 * Where a token is, as a {@link TokenLoss} sees it. Every value depends only on the run's {@code
 * --seed}, the token's sequence id and its timestep: never on the partition, the task or the order
 * of rows, so a rerun or another partitioning of the same corpus gives a loss the same inputs.
 */
public interface TokenContext {

  /**
   * A 64-bit key of the token's sequence id: the id itself for integer ids, a 64-bit FNV-1a hash of
   * its UTF-8 bytes for string ids (and for the {@code <file>#<row>} ids derived when there is no
   * id column).
   */
  long sequenceKey();

  /** The token's position in its sequence, from 0. */
  int timestep();

  /** The run's {@code --seed}. */
  long runSeed();

  /**
   * A seed derived from ({@link #runSeed()}, {@link #sequenceKey()}, {@link #timestep()}) by
   * SplitMix64 mixing: different for every token of a corpus (up to hash collisions), the same in
   * every run. Seed a {@link SplitMix64} with it.
   */
  long randomSeed();
}
