package io.seqloss.output;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * The content of {@code summary.json} and of the last line of stdout. Field names are snake_case in
 * JSON; {@code loss} and {@code perplexity} are null unless the result is a scalar.
 */
@JsonPropertyOrder(alphabetic = false)
public record RunSummary(
    String status,
    Double loss,
    Double perplexity,
    String resultShape,
    List<Long> resultDims,
    boolean averageAcrossTimesteps,
    boolean averageAcrossBatch,
    boolean sumOverTimesteps,
    boolean sumOverBatch,
    String lossFunction,
    int numClasses,
    String numClassesSource,
    long inputRows,
    long sequences,
    long invalidRows,
    long tokens,
    double lossSum,
    double weightSum,
    long nonzeroWeights,
    long zeroDenominator,
    String zeroDenominatorOf,
    String summation,
    List<String> inputPaths,
    int inputFiles,
    String outputDir,
    Map<String, String> outputs,
    double elapsedSeconds,
    String seqlossVersion,
    String sparkVersion) {}
