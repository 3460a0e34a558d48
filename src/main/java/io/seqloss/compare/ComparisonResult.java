package io.seqloss.compare;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.seqloss.output.RunSummary;
import java.util.List;
import java.util.Map;

/**
 * The content of {@code comparison.json} and of compare's last stdout line. Δ = L_B − L_A over the
 * paired sequences, L = Σ loss_sum / Σ denominator; the sequence is the sampling unit of its error
 * bars. {@code group_by} and {@code groups}: the key columns and number of per_group_delta/'s rows,
 * when both runs were grouped the same way (else null).
 */
@JsonPropertyOrder({
  "status",
  "delta",
  "baseline_loss",
  "candidate_loss",
  "standard_error",
  "confidence_level",
  "confidence_interval",
  "p_value",
  "p_value_method",
  "bootstrap",
  "candidate_better_share",
  "candidate_better",
  "ties",
  "baseline_better",
  "paired_sequences",
  "baseline_only",
  "candidate_only",
  "denominator",
  "paired_denominator_sum",
  "baseline_loss_sum",
  "candidate_loss_sum",
  "loss_function",
  "baseline_reduction",
  "candidate_reduction",
  "group_by",
  "groups",
  "delta_histogram",
  "largest_increases",
  "baseline",
  "candidate",
  "output_dir",
  "outputs",
  "elapsed_seconds",
  "seqloss_version",
  "spark_version"
})
public record ComparisonResult(
    String status,
    double delta,
    double baselineLoss,
    double candidateLoss,
    Double standardError,
    double confidenceLevel,
    List<Double> confidenceInterval,
    Double pValue,
    String pValueMethod,
    Bootstrap bootstrap,
    double candidateBetterShare,
    long candidateBetter,
    long ties,
    long baselineBetter,
    long pairedSequences,
    long baselineOnly,
    long candidateOnly,
    String denominator,
    double pairedDenominatorSum,
    double baselineLossSum,
    double candidateLossSum,
    String lossFunction,
    RunSummary.ReductionFlags baselineReduction,
    RunSummary.ReductionFlags candidateReduction,
    List<String> groupBy,
    Long groups,
    DeltaHistogram deltaHistogram,
    List<Increase> largestIncreases,
    String baseline,
    String candidate,
    String outputDir,
    Map<String, String> outputs,
    double elapsedSeconds,
    String seqlossVersion,
    String sparkVersion) {

  static final String P_VALUE_METHOD =
      "two-sided, normal approximation: 2 * Phi(-|delta| / standard_error)";

  /** {@code --bootstrap B}: the percentile interval and standard deviation of the replicates' Δ. */
  @JsonPropertyOrder({"replicates", "seed", "interval", "standard_error", "undefined_replicates"})
  public record Bootstrap(
      int replicates,
      long seed,
      List<Double> interval,
      Double standardError,
      int undefinedReplicates) {}

  /**
   * The exact histogram of the paired sequences' L_B − L_A: bars of {@code bin_width} from the
   * 0.1th to the 99.9th percentile's bin (pd.DataFrame(r["delta_histogram"]["bins"]) reads them),
   * the pairs beyond either end ({@code below}, {@code above}) and those without a difference (NaN:
   * no weight) counted apart; {@code sequences}: all binned pairs.
   */
  @JsonPropertyOrder({"bin_width", "bins", "below", "above", "undefined", "sequences"})
  public record DeltaHistogram(
      double binWidth, List<Bin> bins, long below, long above, long undefined, long sequences) {}

  /** One bar: pairs whose L_B − L_A lies in [lower, upper). */
  @JsonPropertyOrder({"lower", "upper", "sequences"})
  public record Bin(double lower, double upper, long sequences) {}

  /**
   * A paired sequence among those whose loss rose most from A to B: its id, L_B − L_A, both losses
   * and its weight sum (the same in both runs).
   */
  @JsonPropertyOrder({"id", "delta", "baseline_loss", "candidate_loss", "weight_sum"})
  public record Increase(
      Object id, double delta, double baselineLoss, double candidateLoss, double weightSum)
      implements java.io.Serializable {}

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public String toJson() {
    try {
      return MAPPER.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise the comparison", e);
    }
  }

  public static ComparisonResult fromJson(String json) {
    try {
      return MAPPER.readValue(json, ComparisonResult.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a seqloss comparison: " + e.getOriginalMessage(), e);
    }
  }

  /** The one line a person reads on stderr. */
  public String humanLine() {
    StringBuilder line =
        new StringBuilder(
            String.format(
                "seqloss compare: delta = %+.10f (candidate %.10f - " + "baseline %.10f)",
                delta, candidateLoss, baselineLoss));
    if (confidenceInterval != null) {
      line.append(
          String.format(
              ", %.0f%% interval [%+.6g, %+.6g], %s",
              100 * confidenceLevel,
              confidenceInterval.get(0),
              confidenceInterval.get(1),
              pValue < 1e-6 ? "p < 1e-6" : String.format("p = %.3g", pValue)));
    }
    if (bootstrap != null && bootstrap.interval() != null) {
      line.append(
          String.format(
              ", bootstrap [%+.6g, %+.6g]",
              bootstrap.interval().get(0), bootstrap.interval().get(1)));
    }
    line.append(
        String.format(
            "; candidate better on %.1f%% of %d paired sequences (%d ties)",
            100 * candidateBetterShare, pairedSequences, ties));
    if (groups != null) {
      line.append(String.format("; %d groups by %s in per_group_delta/", groups, groupBy));
    }
    if (baselineOnly + candidateOnly > 0) {
      line.append(
          String.format(
              "; %d id(s) only in the baseline, %d only in the candidate (see unpaired_ids/)",
              baselineOnly, candidateOnly));
    }
    return line.append("; output in ").append(outputDir).toString();
  }
}
