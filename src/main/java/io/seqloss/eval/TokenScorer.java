package io.seqloss.eval;

import io.seqloss.loss.LogSumExp;
import io.seqloss.loss.SparseSoftmaxCrossEntropy;
import io.seqloss.loss.TokenLoss;
import io.seqloss.loss.TokenPosition;
import io.seqloss.metrics.RankCredit;

/**
 * Scores the tokens of one sequence: each token's weight ({@code weights} × the class weight of its
 * target, 0 for an ignored target), its loss and its metric credits, each multiplied by that
 * weight, kept per step and summed in double in timestep order. One instance per task, reused from
 * row to row.
 */
public final class TokenScorer {
  private final TokenLoss loss;
  private final int numClasses;
  private final double[] classWeights; // null: all 1
  private final boolean hasIgnoreIndex;
  private final long ignoreIndex;
  private final TokenPosition position;
  private final RankCredit rank;

  private double[] weightedLosses = new double[64];
  private double[] weights = new double[64];
  private double[] weightedCorrect = new double[64];
  private double[] weightedTopK = new double[64];
  private double[] topProbability = new double[64];

  /**
   * The loss is logsumexp − logit[target], so the top class's probability comes from it at no cost.
   */
  private final boolean lossIsLogSumExp;

  private double lossSum;
  private double weightSum;
  private double correctSum;
  private double topKSum;
  private long nonzeroWeights;

  /**
   * @param classWeights one weight per class, or null
   * @param ignoreIndex the target that means "no target", or null
   * @param seed the run's seed, from which every token's {@link io.seqloss.loss.TokenContext}
   *     derives
   */
  public TokenScorer(
      TokenLoss loss,
      int numClasses,
      double[] classWeights,
      Long ignoreIndex,
      int topK,
      long seed) {
    this.loss = loss;
    this.numClasses = numClasses;
    this.classWeights = classWeights;
    this.hasIgnoreIndex = ignoreIndex != null;
    this.ignoreIndex = ignoreIndex == null ? 0 : ignoreIndex;
    this.position = new TokenPosition(seed);
    this.rank = new RankCredit(topK);
    this.lossIsLogSumExp = loss instanceof SparseSoftmaxCrossEntropy;
  }

  /** True when a target means "no target" (--ignore-index): the token then has weight 0. */
  public boolean isIgnored(long target) {
    return hasIgnoreIndex && target == ignoreIndex;
  }

  /** Starts a sequence of {@code steps} tokens; {@code sequenceKey} seeds its tokens' contexts. */
  public void startSequence(long sequenceKey, int steps) {
    position.startSequence(sequenceKey);
    if (steps > weights.length) {
      int capacity = Math.max(steps, weights.length * 2);
      weightedLosses = new double[capacity];
      weights = new double[capacity];
      weightedCorrect = new double[capacity];
      weightedTopK = new double[capacity];
      topProbability = new double[capacity];
    }
    lossSum = 0.0;
    weightSum = 0.0;
    correctSum = 0.0;
    topKSum = 0.0;
    nonzeroWeights = 0;
  }

  /**
   * Scores step t: {@code logits[0..V)} finite, {@code maxLogit} the largest of them, {@code
   * target} in [0, V) or the ignore index, {@code weight} finite.
   */
  public void score(int t, double[] logits, double maxLogit, long target, double weight) {
    double w;
    double x;
    double correct;
    double topK;
    double top = 0.0;
    if (isIgnored(target)) {
      w = 0.0;
      x = 0.0;
      correct = 0.0;
      topK = 0.0;
    } else {
      int c = (int) target;
      w = classWeights == null ? weight : weight * classWeights[c];
      position.timestep(t);
      double tokenLoss = loss.lossGivenMax(logits, numClasses, maxLogit, c, position);
      x = tokenLoss * w;
      top = topProbability(logits, maxLogit, c, tokenLoss);
      rank.rank(logits, numClasses, c);
      correct = rank.accuracy() * w;
      topK = rank.topKAccuracy() * w;
    }
    weightedLosses[t] = x;
    weights[t] = w;
    weightedCorrect[t] = correct;
    weightedTopK[t] = topK;
    topProbability[t] = top;
    lossSum += x;
    weightSum += w;
    correctSum += correct;
    topKSum += topK;
    if (w != 0.0) {
      nonzeroWeights++;
    }
  }

  /**
   * The softmax probability of the most likely class, exp(max − logsumexp), for calibration: from
   * the loss itself for the softmax cross-entropy, else from one more log-sum-exp over the logits.
   */
  private double topProbability(double[] logits, double maxLogit, int target, double tokenLoss) {
    double logSumExp =
        lossIsLogSumExp ? tokenLoss + logits[target] : LogSumExp.of(logits, numClasses, maxLogit);
    return Math.min(1.0, Math.exp(maxLogit - logSumExp));
  }

  public double lossSum() {
    return lossSum;
  }

  public double weightSum() {
    return weightSum;
  }

  public long nonzeroWeights() {
    return nonzeroWeights;
  }

  /** Σ_t w_t · accuracy credit_t of the sequence. */
  public double correctSum() {
    return correctSum;
  }

  /** Σ_t w_t · top-k credit_t of the sequence. */
  public double topKSum() {
    return topKSum;
  }

  public double weightedLoss(int t) {
    return weightedLosses[t];
  }

  public double weight(int t) {
    return weights[t];
  }

  public double weightedCorrect(int t) {
    return weightedCorrect[t];
  }

  public double weightedTopK(int t) {
    return weightedTopK[t];
  }

  /** The top class's softmax probability at step t (0 for an ignored target). */
  public double topProbability(int t) {
    return topProbability[t];
  }
}
