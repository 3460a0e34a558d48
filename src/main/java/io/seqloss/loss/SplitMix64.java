package io.seqloss.loss;

/**
 * SplitMix64 (Steele, Lea and Flood 2014): a small, fully specified 64-bit generator, so that a
 * seeded draw is the same on every JVM and Java version. Not thread-safe; reseed it per token.
 */
public final class SplitMix64 {
  static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

  private long state;

  public SplitMix64(long seed) {
    this.state = seed;
  }

  public void reseed(long seed) {
    this.state = seed;
  }

  /** The SplitMix64 finaliser: a bijective mix of all 64 bits. */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  public long nextLong() {
    state += GOLDEN_GAMMA;
    return mix(state);
  }

  /** Uniform in [0, 1), 53 random bits. */
  public double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** Uniform in [0, bound), without modulo bias. */
  public long nextLong(long bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be positive, got " + bound);
    }
    long u = nextLong() >>> 1;
    long r = u % bound;
    while (u + (bound - 1) - r < 0) { // rejects the top, incomplete copy of [0, bound)
      u = nextLong() >>> 1;
      r = u % bound;
    }
    return r;
  }
}
