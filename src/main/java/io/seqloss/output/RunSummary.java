package io.seqloss.output;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * The content of {@code summary.json} and of the last line of stdout. Field names are snake_case in
 * JSON; {@code loss}, {@code accuracy} and {@code top_k_accuracy} are null unless the result is a scalar,
 * {@code perplexity} and {@code bits_per_token} also unless the loss is the full cross-entropy.
 * {@code correct_sum} and {@code top_k_sum} are Σ w · credit of the accuracy and top-k metrics (see
 * {@link io.seqloss.metrics.RankCredit}), the numerators beside {@code loss_sum}. {@code inputRows} is
 * every row of the files read, valid or not; {@code allInputRowsCounted} is false when unreadable
 * files were skipped, whose rows nobody could count.
 */
// The order of the record, so that status and loss lead the line (Jackson puts renamed properties first).
@JsonPropertyOrder({"status", "loss", "perplexity", "bits_per_token", "accuracy", "top_k", "top_k_accuracy",
    "result_shape", "result_dims", "average_across_timesteps", "average_across_batch", "sum_over_timesteps",
    "sum_over_batch", "loss_function", "loss_options", "ignore_index", "class_weights", "num_classes",
    "num_classes_source", "input_rows", "sequences", "invalid_rows", "tokens", "loss_sum", "weight_sum",
    "nonzero_weights", "correct_sum", "top_k_sum", "zero_denominator", "zero_denominator_of", "summation",
    "input_paths", "input_files", "skipped_files", "all_input_rows_counted", "output_dir", "outputs",
    "elapsed_seconds", "seqloss_version", "spark_version"})
public record RunSummary(
    String status,
    Double loss,
    Double perplexity,
    Double bitsPerToken,
    Double accuracy,
    int topK,
    @JsonProperty("top_k_accuracy") Double topKAccuracy,
    String resultShape,
    List<Long> resultDims,
    boolean averageAcrossTimesteps,
    boolean averageAcrossBatch,
    boolean sumOverTimesteps,
    boolean sumOverBatch,
    String lossFunction,
    Map<String, Object> lossOptions,
    Long ignoreIndex,
    String classWeights,
    int numClasses,
    String numClassesSource,
    long inputRows,
    long sequences,
    long invalidRows,
    long tokens,
    double lossSum,
    double weightSum,
    long nonzeroWeights,
    double correctSum,
    @JsonProperty("top_k_sum") double topKSum,
    long zeroDenominator,
    String zeroDenominatorOf,
    String summation,
    List<String> inputPaths,
    int inputFiles,
    List<SkippedFile> skippedFiles,
    boolean allInputRowsCounted,
    String outputDir,
    Map<String, String> outputs,
    double elapsedSeconds,
    String seqlossVersion,
    String sparkVersion) {

  /** An input file left out because it cannot be read (with {@code --on-invalid=skip}). */
  public record SkippedFile(String file, String reason) {}
}
