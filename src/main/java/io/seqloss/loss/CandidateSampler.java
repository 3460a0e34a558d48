package io.seqloss.loss;

/**
 * The candidate samplers of {@code sampled_softmax} ({@code --sampler}), with TensorFlow's
 * distributions over the class ids {@code [0, V)}: {@code tf.random.log_uniform_candidate_sampler}
 * and {@code tf.random.uniform_candidate_sampler}.
 */
public enum CandidateSampler {
  /**
   * Zipfian over class ids, TensorFlow's default: {@code P(c) = (log(c + 2) - log(c + 1)) / log(V +
   * 1)}. Suits vocabularies sorted by decreasing frequency.
   */
  LOG_UNIFORM("log_uniform") {
    @Override
    int sample(SplitMix64 random, int numClasses) {
      // As TensorFlow's LogUniformSampler: floor(exp(u * log(V + 1))) - 1, folded into [0, V).
      long value = (long) Math.exp(random.nextDouble() * Math.log1p(numClasses)) - 1;
      return (int) (value % numClasses);
    }

    @Override
    double probability(int c, int numClasses) {
      return Math.log((c + 2.0) / (c + 1.0)) / Math.log1p(numClasses);
    }
  },
  /** Every class equally likely: {@code P(c) = 1 / V}. */
  UNIFORM("uniform") {
    @Override
    int sample(SplitMix64 random, int numClasses) {
      return (int) random.nextLong(numClasses);
    }

    @Override
    double probability(int c, int numClasses) {
      return 1.0 / numClasses;
    }
  };

  private final String optionName;

  CandidateSampler(String optionName) {
    this.optionName = optionName;
  }

  /** One draw, with replacement. */
  abstract int sample(SplitMix64 random, int numClasses);

  /** The probability that one draw gives class c. */
  abstract double probability(int c, int numClasses);

  /**
   * TensorFlow's expected count of a class in a unique draw of {@code numSampled} classes that took
   * {@code numTries} draws: {@code 1 - (1 - p)^numTries}, or {@code p * numSampled} when no draw
   * was rejected (TensorFlow's shortcut in {@code ExpectedCountHelper}).
   */
  double expectedCount(int c, int numClasses, int numSampled, long numTries) {
    double p = probability(c, numClasses);
    if (numTries == numSampled) {
      return p * numSampled;
    }
    return -Math.expm1(numTries * Math.log1p(-p));
  }

  public String optionName() {
    return optionName;
  }

  /** As {@code --sampler} spells it (picocli lists these in --help and accepts any case). */
  @Override
  public String toString() {
    return optionName;
  }
}
