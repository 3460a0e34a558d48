package io.seqloss.compare;

import io.seqloss.config.ConfigException;
import io.seqloss.input.InvalidInputException;
import java.util.Objects;

/**
 * Whether Δ = L_B − L_A means anything for two runs. Refused as usage errors (exit 2): different
 * denominators (weight sum against non-zero count: two different corpus losses) and different
 * per-token losses or loss options (cross-entropy against Brier, or two label smoothings: two
 * different metrics). Different id types mean different corpora: invalid input (exit 3). The result
 * shapes may differ: both tables hold the same per-sequence sums whatever the shape.
 */
final class Comparability {
  private Comparability() {}

  static void check(RunOutput a, RunOutput b) {
    if (a.denominator() != b.denominator()) {
      throw new ConfigException(
          String.format(
              "%s %s divides by the %s but %s %s by the %s (its reduction "
                  + "flags differ); the two corpus losses are not comparable: evaluate both with the same flags",
              a.option(), a.dir(), name(a), b.option(), b.dir(), name(b)));
    }
    if (!Objects.equals(a.lossFunction(), b.lossFunction())
        || !Objects.equals(a.lossOptions(), b.lossOptions())) {
      throw new ConfigException(
          String.format(
              "%s %s used loss %s %s but %s %s used %s %s; a difference of two "
                  + "different losses means nothing: evaluate both with the same --loss and its options",
              a.option(),
              a.dir(),
              a.lossFunction(),
              a.lossOptions(),
              b.option(),
              b.dir(),
              b.lossFunction(),
              b.lossOptions()));
    }
    if (!a.idType().equals(b.idType())) {
      throw new InvalidInputException(
          String.format(
              "%s %s has %s sequence ids but %s %s has %s ids; the runs "
                  + "are not over the same corpus",
              a.option(),
              a.dir(),
              a.idType().simpleString(),
              b.option(),
              b.dir(),
              b.idType().simpleString()));
    }
  }

  /**
   * The group key columns of per_group_delta/: those of both runs when they were grouped the same
   * way (the same --group-by columns and --length-buckets edges), else none.
   */
  static java.util.List<String> sharedGroups(RunOutput a, RunOutput b) {
    return !a.groupKeys().isEmpty()
            && a.groupKeys().equals(b.groupKeys())
            && a.lengthBuckets().equals(b.lengthBuckets())
        ? a.groupKeys()
        : java.util.List.of();
  }

  static String name(RunOutput run) {
    return switch (run.denominator()) {
      case NONZERO_COUNT -> "count of non-zero weights";
      default -> "weight sum";
    };
  }
}
