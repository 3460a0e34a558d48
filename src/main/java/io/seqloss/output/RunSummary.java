package io.seqloss.output;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.seqloss.stats.CalibrationBins;
import java.util.List;
import java.util.Map;

/**
 * The content of {@code summary.json} and of the last line of stdout, as one section per concern.
 * The sections are unwrapped into one flat JSON object (snake_case names) so that readers keep
 * {@code summary["loss"]}; a field added to one section cannot shift another's.
 */
public record RunSummary(
    String status,
    @JsonUnwrapped Result result,
    @JsonUnwrapped Uncertainty uncertainty,
    @JsonUnwrapped Slices slices,
    @JsonUnwrapped ReductionFlags reduction,
    @JsonUnwrapped LossSpec lossSpec,
    @JsonUnwrapped Totals totals,
    @JsonUnwrapped Calibration calibration,
    @JsonUnwrapped InputFacts input,
    @JsonUnwrapped OutputFacts output,
    @JsonUnwrapped RunFacts run) {

  /**
   * The reduced numbers. {@code loss}, {@code accuracy} and {@code top_k_accuracy} are null unless
   * the result is a scalar, {@code perplexity} and {@code bits_per_token} also unless the loss is
   * the full cross-entropy and the denominator is not zero (all weights 0 give loss 0, by
   * TensorFlow's guard, which is no perplexity of 1).
   */
  // Jackson puts renamed properties first unless told the record's order.
  @JsonPropertyOrder({
    "loss",
    "perplexity",
    "bits_per_token",
    "accuracy",
    "top_k",
    "top_k_accuracy",
    "result_shape",
    "result_dims"
  })
  public record Result(
      Double loss,
      Double perplexity,
      Double bitsPerToken,
      Double accuracy,
      int topK,
      @JsonProperty("top_k_accuracy") Double topKAccuracy,
      String resultShape,
      List<Long> resultDims) {}

  /**
   * The error bars of the scalar result, the sequence being the sampling unit: the delta-method
   * standard error and its normal interval at {@code confidence_level}, and the Poisson bootstrap's
   * percentile interval when asked for. Null values when the result is not a scalar.
   */
  @JsonPropertyOrder({"standard_error", "confidence_level", "confidence_interval", "bootstrap"})
  public record Uncertainty(
      Double standardError,
      double confidenceLevel,
      List<Double> confidenceInterval,
      Bootstrap bootstrap) {}

  /** {@code --bootstrap B}: B replicates, their percentile interval and standard deviation. */
  @JsonPropertyOrder({"replicates", "interval", "seed", "standard_error"})
  public record Bootstrap(int replicates, List<Double> interval, long seed, Double standardError) {}

  /**
   * The slices of {@code --group-by} and {@code --length-buckets}: the number of groups (all in
   * {@code per_group/}), and each group's numbers here when there are at most 1,000 of them (else
   * null).
   */
  @JsonPropertyOrder({"group_by", "length_buckets", "groups", "group_results"})
  public record Slices(
      List<String> groupBy,
      List<Integer> lengthBuckets,
      Long groups,
      List<GroupResult> groupResults) {
    public static final Slices NONE = new Slices(null, null, null, null);
  }

  /**
   * One group's scalar result and sums, with the columns of per_group/ ({@code group}: column to
   * value).
   */
  @JsonPropertyOrder({
    "group",
    "loss",
    "standard_error",
    "confidence_interval",
    "perplexity",
    "accuracy",
    "top_k_accuracy",
    "sequences",
    "invalid_rows",
    "tokens",
    "loss_sum",
    "weight_sum",
    "nonzero_weights"
  })
  public record GroupResult(
      Map<String, Object> group,
      double loss,
      Double standardError,
      List<Double> confidenceInterval,
      Double perplexity,
      double accuracy,
      @JsonProperty("top_k_accuracy") double topKAccuracy,
      long sequences,
      long invalidRows,
      long tokens,
      double lossSum,
      double weightSum,
      long nonzeroWeights) {}

  /** TensorFlow's four reduction flags as given. */
  public record ReductionFlags(
      boolean averageAcrossTimesteps,
      boolean averageAcrossBatch,
      boolean sumOverTimesteps,
      boolean sumOverBatch) {}

  /** The per-token loss and what decided V. */
  public record LossSpec(
      String lossFunction,
      Map<String, Object> lossOptions,
      Long ignoreIndex,
      String classWeights,
      int numClasses,
      String numClassesSource) {}

  /**
   * The exact corpus sums. {@code correct_sum} and {@code top_k_sum} are Σ w · credit of the
   * accuracy and top-k metrics (see {@link io.seqloss.metrics.RankCredit}), the numerators beside
   * {@code loss_sum}. {@code input_rows} is every row of the files read, valid or not; {@code
   * duplicate_ids} the ids that more than one row carries (each row is still its own sequence).
   */
  @JsonPropertyOrder({
    "input_rows",
    "sequences",
    "invalid_rows",
    "duplicate_ids",
    "tokens",
    "loss_sum",
    "weight_sum",
    "nonzero_weights",
    "correct_sum",
    "top_k_sum",
    "zero_denominator",
    "zero_denominator_of",
    "summation"
  })
  public record Totals(
      long inputRows,
      long sequences,
      long invalidRows,
      long duplicateIds,
      long tokens,
      double lossSum,
      double weightSum,
      long nonzeroWeights,
      double correctSum,
      @JsonProperty("top_k_sum") double topKSum,
      long zeroDenominator,
      String zeroDenominatorOf,
      String summation) {}

  /**
   * Calibration of the top-1 prediction: the expected calibration error over 15 equal-width bins of
   * the most likely class's softmax probability, token-weighted, and the bins (see {@link
   * CalibrationBins}). {@code ece} is null when no token has weight.
   */
  @JsonPropertyOrder({"ece", "calibration_bins"})
  public record Calibration(Double ece, List<CalibrationBins.Bin> calibrationBins) {}

  /**
   * What was read. {@code all_input_rows_counted} is false when unreadable files were skipped,
   * whose rows nobody could count.
   */
  public record InputFacts(
      List<String> inputPaths,
      int inputFiles,
      List<SkippedFile> skippedFiles,
      boolean allInputRowsCounted) {}

  /** Where the results are: the output directory and each result's path relative to it. */
  public record OutputFacts(String outputDir, Map<String, String> outputs) {}

  /** The run itself. */
  public record RunFacts(double elapsedSeconds, String seqlossVersion, String sparkVersion) {}

  /** An input file left out because it cannot be read (with {@code --on-invalid=skip}). */
  public record SkippedFile(String file, String reason) {}
}
