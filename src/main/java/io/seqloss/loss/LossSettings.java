package io.seqloss.loss;

import io.seqloss.config.ConfigException;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code --loss} choice and its options, checked when built: each option belongs to one loss,
 * and giving it to another is a usage error rather than silently ignored.
 *
 * @param name a built-in loss name or a fully qualified class name
 * @param numSampled {@code --num-sampled}, sampled_softmax only (required there)
 * @param sampler {@code --sampler}, sampled_softmax only (default log_uniform)
 * @param seed {@code --seed}, sampled_softmax only (default 0)
 * @param labelSmoothing {@code --label-smoothing}, label_smoothed_cross_entropy only (required
 *     there)
 */
public record LossSettings(
    String name, Integer numSampled, CandidateSampler sampler, Long seed, Double labelSmoothing)
    implements Serializable {

  public static final long DEFAULT_SEED = 0L;

  public LossSettings {
    if (name == null || name.isBlank()) {
      throw new ConfigException("--loss must not be blank");
    }
    name = name.trim();
    boolean sampled = name.equals(SampledSoftmax.NAME);
    boolean smoothed = name.equals(LabelSmoothedCrossEntropy.NAME);
    if (sampled) {
      if (numSampled == null) {
        throw new ConfigException(
            "--loss sampled_softmax needs --num-sampled N: how many classes to draw per token");
      }
      if (numSampled < 1) {
        throw new ConfigException("--num-sampled must be at least 1, got " + numSampled);
      }
    } else {
      refuse(numSampled, "--num-sampled", SampledSoftmax.NAME, name);
      refuse(sampler, "--sampler", SampledSoftmax.NAME, name);
      refuse(seed, "--seed", SampledSoftmax.NAME, name);
    }
    if (smoothed) {
      if (labelSmoothing == null) {
        throw new ConfigException(
            "--loss label_smoothed_cross_entropy needs --label-smoothing ε in [0, 1]");
      }
      if (!(labelSmoothing >= 0.0 && labelSmoothing <= 1.0)) {
        throw new ConfigException("--label-smoothing must be in [0, 1], got " + labelSmoothing);
      }
    } else {
      refuse(labelSmoothing, "--label-smoothing", LabelSmoothedCrossEntropy.NAME, name);
    }
  }

  private static void refuse(Object value, String option, String owner, String loss) {
    if (value != null) {
      throw new ConfigException(
          String.format("%s applies only to --loss %s, not to --loss %s", option, owner, loss));
    }
  }

  /** The default loss with no options. */
  public static LossSettings named(String name) {
    return new LossSettings(name, null, null, null, null);
  }

  public static LossSettings crossEntropy() {
    return named(SparseSoftmaxCrossEntropy.NAME);
  }

  public static LossSettings sampledSoftmax(int numSampled, CandidateSampler sampler, long seed) {
    return new LossSettings(SampledSoftmax.NAME, numSampled, sampler, seed, null);
  }

  public static LossSettings labelSmoothed(double epsilon) {
    return new LossSettings(LabelSmoothedCrossEntropy.NAME, null, null, null, epsilon);
  }

  public CandidateSampler samplerOrDefault() {
    return sampler == null ? CandidateSampler.LOG_UNIFORM : sampler;
  }

  public long seedOrDefault() {
    return seed == null ? DEFAULT_SEED : seed;
  }

  /** The options in effect, for summary.json: only those of the chosen loss, defaults filled in. */
  public Map<String, Object> options() {
    Map<String, Object> options = new LinkedHashMap<>();
    if (name.equals(SampledSoftmax.NAME)) {
      options.put("num_sampled", numSampled);
      options.put("sampler", samplerOrDefault().optionName());
      options.put("seed", seedOrDefault());
      options.put("subtract_log_q", true);
      options.put("remove_accidental_hits", true);
    }
    if (name.equals(LabelSmoothedCrossEntropy.NAME)) {
      options.put("label_smoothing", labelSmoothing);
    }
    return options;
  }
}
