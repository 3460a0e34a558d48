package io.seqloss.loss;

import java.util.Arrays;

/**
 * {@code tf.nn.sampled_softmax_loss} applied to stored full logits, one token at a time:
 *
 * <ol>
 *   <li>draw {@code numSampled} distinct classes with the {@link CandidateSampler} (sampling
 *       without replacement, TensorFlow's {@code unique=True}), seeded by {@link
 *       TokenContext#randomSeed()};
 *   <li>remove candidates equal to the target ({@code remove_accidental_hits}; TensorFlow adds
 *       {@code -FLT_MAX} to them, which makes their softmax weight exactly 0);
 *   <li>correct every logit of the set {target} ∪ candidates by {@code -log Q(c)}, Q being the
 *       class's expected count in the draw ({@code subtract_log_q});
 *   <li>return the cross-entropy of the target over that set: {@code logsumexp_{c in set}(l_c - log
 *       Q(c)) - (l_target - log Q(target))}.
 * </ol>
 *
 * Unlike TensorFlow, which shares one draw among all rows of a batch, every token gets its own
 * draw, so the result does not depend on how the corpus is batched or partitioned. The generator is
 * {@link SplitMix64}, not TensorFlow's Philox: draws differ from TensorFlow's, their distribution
 * does not.
 *
 * <p>The set is summed in class order and the corrections are taken relative to the target's, so
 * when every class is drawn with the same expected count (the {@code uniform} sampler with {@code
 * numSampled = V}) the corrected logits equal the logits bit for bit and the loss is {@link
 * SparseSoftmaxCrossEntropy}'s exactly.
 */
public final class SampledSoftmax implements TokenLoss {
  private static final long serialVersionUID = 1L;
  public static final String NAME = "sampled_softmax";

  private final int numSampled;
  private final CandidateSampler sampler;
  private transient SplitMix64 random;
  private transient int[] seenStamp;
  private transient int stamp;
  private transient int[] candidates;
  private transient int[] set;
  private transient double[] corrected;

  public SampledSoftmax(int numSampled, CandidateSampler sampler) {
    if (numSampled < 1) {
      throw new IllegalArgumentException("numSampled must be at least 1, got " + numSampled);
    }
    this.numSampled = numSampled;
    this.sampler = sampler;
  }

  @Override
  public double loss(double[] logits, int numClasses, int target, TokenContext token) {
    if (numSampled > numClasses) {
      throw new IllegalArgumentException(
          String.format("num_sampled %d exceeds the number of classes %d", numSampled, numClasses));
    }
    ensureBuffers(numClasses);
    random.reseed(token.randomSeed());
    long tries = drawUnique(numClasses);
    return lossOver(logits, numClasses, target, candidates, numSampled, tries);
  }

  /**
   * Draws {@code numSampled} distinct classes into {@code candidates}; returns the number of draws.
   */
  private long drawUnique(int numClasses) {
    if (++stamp == Integer.MAX_VALUE) {
      Arrays.fill(seenStamp, 0);
      stamp = 1;
    }
    long tries = 0;
    int picked = 0;
    while (picked < numSampled) {
      tries++;
      int c = sampler.sample(random, numClasses);
      if (seenStamp[c] != stamp) {
        seenStamp[c] = stamp;
        candidates[picked++] = c;
      }
    }
    return tries;
  }

  /**
   * The loss for a given draw: {@code drawn[0..count)} distinct classes that took {@code tries}
   * draws. Package-private so that tests can check a fixed draw against a value computed by hand.
   */
  double lossOver(double[] logits, int numClasses, int target, int[] drawn, int count, long tries) {
    ensureBuffers(numClasses);
    int n = 0;
    for (int i = 0; i < count; i++) {
      if (drawn[i] != target) { // remove_accidental_hits
        set[n++] = drawn[i];
      }
    }
    set[n++] = target;
    Arrays.sort(set, 0, n);
    double logQTarget = Math.log(sampler.expectedCount(target, numClasses, numSampled, tries));
    for (int i = 0; i < n; i++) {
      int c = set[i];
      double logQ =
          c == target
              ? logQTarget
              : Math.log(sampler.expectedCount(c, numClasses, numSampled, tries));
      corrected[i] = logits[c] - (logQ - logQTarget); // subtract_log_q, relative to the target's
    }
    return LogSumExp.of(corrected, n) - logits[target];
  }

  private void ensureBuffers(int numClasses) {
    if (seenStamp == null || seenStamp.length < numClasses) {
      random = new SplitMix64(0);
      seenStamp = new int[numClasses];
      stamp = 0;
      candidates = new int[numSampled];
      set = new int[numSampled + 1];
      corrected = new double[numSampled + 1];
    }
  }

  public int numSampled() {
    return numSampled;
  }

  public CandidateSampler sampler() {
    return sampler;
  }
}
