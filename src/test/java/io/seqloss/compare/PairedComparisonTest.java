package io.seqloss.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seqloss.testing.CliRun;
import io.seqloss.testing.Corpora;
import io.seqloss.testing.CorpusRow;
import io.seqloss.testing.SparkTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * compare end to end through the command line, against hand computations. Baseline A: V = 2, every
 * logit 0, so every token's cross-entropy is ln 2. Candidate B: logits [c, 0] with c = (float) ln
 * 3, so a token of target 0 costs ln(1 + e^-c) and one of target 1 costs ln(1 + e^c).
 */
class PairedComparisonTest extends SparkTestBase {
  private static final double C = (float) Math.log(3);
  private static final double LN2 = Math.log(2);
  private static final double GOOD = Math.log1p(Math.exp(-C)); // ≈ ln(4/3)
  private static final double BAD = Math.log1p(Math.exp(C)); // ≈ ln 4
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * id, targets and weights of the four sequences: s1 [0,0] w[1,1]; s2 [1,0] w[1,2]; s3 [1,1]
   * w[.5,1]; s4 [0,1] w[1,0].
   */
  private static List<CorpusRow> corpus(float logit0, List<String> ids, float s2SecondWeight) {
    float[][] step = {{logit0, 0}, {logit0, 0}};
    List<CorpusRow> rows = new ArrayList<>();
    for (String id : ids) {
      rows.add(
          switch (id) {
            case "s1" -> CorpusRow.of(id, step, new int[] {0, 0}, new float[] {1, 1});
            case "s2" -> CorpusRow.of(id, step, new int[] {1, 0}, new float[] {1, s2SecondWeight});
            case "s3" -> CorpusRow.of(id, step, new int[] {1, 1}, new float[] {0.5f, 1});
            case "s4" -> CorpusRow.of(id, step, new int[] {0, 1}, new float[] {1, 0});
            default -> CorpusRow.of(id, step, new int[] {0, 0}, new float[] {2, 2});
          });
    }
    return rows;
  }

  private static final List<String> ALL = List.of("s1", "s2", "s3", "s4");

  private String evaluate(String name, List<CorpusRow> rows, int files, String... options) {
    return evaluate(
        name, Corpora.write(session(), tmp.resolve("corpus-" + name), rows, files), options);
  }

  private String evaluate(String name, Path corpus, String... options) {
    String out = tmp.resolve(name).toString();
    List<String> args =
        new ArrayList<>(List.of("--input", corpus.toString(), "--output", out, "--per-sequence"));
    args.addAll(List.of(options));
    CliRun run = CliRun.of(session(), args.toArray(String[]::new));
    assertEquals(0, run.exitCode(), run.stderr());
    return out;
  }

  private CliRun compare(String a, String b, String out, String... options) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "compare",
                "--baseline",
                a,
                "--candidate",
                b,
                "--output",
                tmp.resolve(out).toString()));
    args.addAll(List.of(options));
    return CliRun.of(session(), args.toArray(String[]::new));
  }

  private static JsonNode json(CliRun run) throws Exception {
    assertEquals(0, run.exitCode(), run.stderr());
    return JSON.readTree(run.lastStdoutLine());
  }

  /** The delta-method standard error by its formula, from the pairs (d_i, w_i). */
  private static double standardError(double[] d, double[] w) {
    double sd = 0;
    double sw = 0;
    for (int i = 0; i < d.length; i++) {
      sd += d[i];
      sw += w[i];
    }
    double delta = sd / sw;
    double squares = 0;
    for (int i = 0; i < d.length; i++) {
      squares += (d[i] - delta * w[i]) * (d[i] - delta * w[i]);
    }
    int n = d.length;
    return Math.sqrt((double) n / (n - 1) * squares / (sw * sw));
  }

  @Test
  void aRunComparedWithItselfHasDeltaZeroAndZeroWidthIntervals() throws Exception {
    String a = evaluate("a", corpus(0, ALL, 2), 2);
    JsonNode r = json(compare(a, a, "self", "--bootstrap", "20"));
    assertEquals(0.0, r.get("delta").asDouble(), 0.0);
    assertEquals(0.0, r.get("standard_error").asDouble(), 0.0);
    assertEquals(
        List.of(0.0, 0.0),
        List.of(
            r.get("confidence_interval").get(0).asDouble(),
            r.get("confidence_interval").get(1).asDouble()));
    assertEquals(0.0, r.get("bootstrap").get("interval").get(0).asDouble(), 0.0);
    assertEquals(0.0, r.get("bootstrap").get("interval").get(1).asDouble(), 0.0);
    assertEquals(1.0, r.get("p_value").asDouble(), 0.0);
    assertEquals(4, r.get("ties").asLong());
    assertEquals(0.0, r.get("candidate_better_share").asDouble(), 0.0);
    // the paired loss is the run's own loss when every sequence pairs: 7.5 ln 2 / 7.5
    assertEquals(LN2, r.get("baseline_loss").asDouble(), 1e-7);
    JsonNode summary = JSON.readTree(Files.readString(Path.of(a, "summary.json")));
    assertEquals(summary.get("loss").asDouble(), r.get("baseline_loss").asDouble(), 0.0);
  }

  @Test
  void twoCheckpointsGiveTheHandComputedDelta() throws Exception {
    String a = evaluate("a", corpus(0, ALL, 2), 1);
    String b = evaluate("b", corpus((float) C, ALL, 2), 3);
    CliRun run = compare(a, b, "cmp");
    JsonNode r = json(run);
    // x_A = ln2 · weight sum; x_B by target: s1 2 GOOD, s2 BAD + 2 GOOD, s3 1.5 BAD, s4 GOOD
    double[] w = {2, 3, 1.5, 1};
    double[] xa = {2 * LN2, 3 * LN2, 1.5 * LN2, LN2};
    double[] xb = {2 * GOOD, BAD + 2 * GOOD, 1.5 * BAD, GOOD};
    double[] d = new double[4];
    for (int i = 0; i < 4; i++) {
      d[i] = xb[i] - xa[i];
    }
    double delta = (d[0] + d[1] + d[2] + d[3]) / 7.5;
    assertEquals(delta, r.get("delta").asDouble(), 1e-7);
    assertEquals((xb[0] + xb[1] + xb[2] + xb[3]) / 7.5, r.get("candidate_loss").asDouble(), 1e-7);
    double se = standardError(d, w);
    assertEquals(se, r.get("standard_error").asDouble(), 1e-7);
    assertEquals(
        delta - 1.959963984540054 * se, r.get("confidence_interval").get(0).asDouble(), 1e-6);
    assertEquals(
        delta + 1.959963984540054 * se, r.get("confidence_interval").get(1).asDouble(), 1e-6);
    assertEquals(
        2 * new NormalDistribution().cumulativeProbability(-Math.abs(delta) / se),
        r.get("p_value").asDouble(),
        1e-6);
    // per sequence: s1, s2 (0.654 < 0.693) and s4 are better under B, s3 worse
    assertEquals(3, r.get("candidate_better").asLong());
    assertEquals(1, r.get("baseline_better").asLong());
    assertEquals(0.75, r.get("candidate_better_share").asDouble(), 0.0);
    assertEquals(4, r.get("paired_sequences").asLong());
    assertEquals("weight_sum", r.get("denominator").asText());
    assertEquals(7.5, r.get("paired_denominator_sum").asDouble(), 0.0);
    assertTrue(run.stderr().contains("seqloss compare: delta = "), run.stderr());
    assertEquals(r, JSON.readTree(Files.readString(tmp.resolve("cmp").resolve("comparison.json"))));
    assertEquals(
        0, session().read().parquet(tmp.resolve("cmp").resolve("unpaired_ids").toString()).count());

    // per-sequence differences L_B − L_A (every L_A is ln 2): s1 and s4 GOOD − ln 2, s2
    // (BAD + 2 GOOD)/3 − ln 2, s3 BAD − ln 2
    double[] diff = {GOOD - LN2, (BAD + 2 * GOOD) / 3 - LN2, BAD - LN2, GOOD - LN2};
    // 4 pairs: no tail is cut; bins of 1/256 joined by doubling until the range [s1's, s3's]
    // fits 60 bars: 35.x bars of width 1/32
    JsonNode h = r.get("delta_histogram");
    assertEquals(1.0 / 32, h.get("bin_width").asDouble(), 0.0);
    long first = (long) Math.floor(diff[0] * 32);
    assertEquals(first / 32.0, h.get("bins").get(0).get("lower").asDouble(), 0.0);
    long[] expected = new long[(int) (Math.floor(diff[2] * 32) - first + 1)];
    for (double x : diff) {
      expected[(int) (Math.floor(x * 32) - first)]++;
    }
    assertEquals(expected.length, h.get("bins").size(), h.toString());
    for (int i = 0; i < expected.length; i++) {
      JsonNode bin = h.get("bins").get(i);
      assertEquals(expected[i], bin.get("sequences").asLong(), "bar " + i);
      assertEquals((first + i) / 32.0, bin.get("lower").asDouble(), 0.0);
      assertEquals((first + i + 1) / 32.0, bin.get("upper").asDouble(), 0.0);
    }
    assertEquals(
        List.of(0L, 0L, 0L, 4L),
        List.of(
            h.get("below").asLong(),
            h.get("above").asLong(),
            h.get("undefined").asLong(),
            h.get("sequences").asLong()));
    // largest increase first: s3, s2, then s1 and s4 (the same difference) in id order
    JsonNode worst = r.get("largest_increases");
    assertEquals(
        List.of("s3", "s2", "s1", "s4"),
        List.of(
            worst.get(0).get("id").asText(),
            worst.get(1).get("id").asText(),
            worst.get(2).get("id").asText(),
            worst.get(3).get("id").asText()));
    int[] order = {2, 1, 0, 3};
    double[] weights = {2, 3, 1.5, 1};
    for (int i = 0; i < 4; i++) {
      assertEquals(diff[order[i]], worst.get(i).get("delta").asDouble(), 1e-7);
      assertEquals(LN2, worst.get(i).get("baseline_loss").asDouble(), 1e-7);
      assertEquals(weights[order[i]], worst.get(i).get("weight_sum").asDouble(), 0.0);
    }
    assertEquals("report.html", r.get("outputs").get("report").asText());
    assertTrue(Files.size(tmp.resolve("cmp").resolve("report.html")) > 5_000);

    // --report-worst 2 lists two; --no-report writes no page but keeps both fields
    JsonNode two = json(compare(a, b, "cmp-two", "--report-worst", "2", "--no-report"));
    assertEquals(2, two.get("largest_increases").size());
    assertEquals(worst.get(0), two.get("largest_increases").get(0));
    assertEquals(h, two.get("delta_histogram"));
    assertFalse(Files.exists(tmp.resolve("cmp-two").resolve("report.html")));
    assertFalse(two.get("outputs").has("report"));
  }

  /**
   * Runs without loss_by_position/ (written before it existed, or with --no-report): the report
   * says the curve is not available, and the comparison succeeds.
   */
  @Test
  void aRunWithoutItsCurveStillGetsAReport() throws Exception {
    String a = evaluate("a", corpus(0, ALL, 2), 1, "--no-report");
    String b = evaluate("b", corpus((float) C, ALL, 2), 1);
    assertTrue(Files.isDirectory(Path.of(b, "loss_by_position")));
    JsonNode r = json(compare(a, b, "cmp"));
    String page = Files.readString(tmp.resolve("cmp").resolve("report.html"));
    assertTrue(page.contains("id=\"position-unavailable\""), "no curve for A");
    assertTrue(page.contains("the baseline has no loss_by_position/"), "names the run");
    assertFalse(page.contains("id=\"chart-position\""));
    assertTrue(page.contains("id=\"chart-differences\""));
    assertEquals(4, r.get("paired_sequences").asLong());
    // both runs with their curve: both drawn
    String a2 = evaluate("a2", corpus(0, ALL, 2), 1);
    json(compare(a2, b, "cmp2"));
    String both = Files.readString(tmp.resolve("cmp2").resolve("report.html"));
    assertTrue(both.contains("id=\"chart-position\""));
    assertTrue(both.contains("class=\"curve-a\"") && both.contains("class=\"curve-b\""));
  }

  @Test
  void sumOverFlagsDivideByTheNonZeroCounts() throws Exception {
    String[] flags = {
      "--average-across-timesteps",
      "false",
      "--average-across-batch",
      "false",
      "--sum-over-timesteps",
      "true",
      "--sum-over-batch",
      "true"
    };
    String a = evaluate("a", corpus(0, ALL, 2), 1, flags);
    String b = evaluate("b", corpus((float) C, ALL, 2), 1, flags);
    JsonNode r = json(compare(a, b, "cmp"));
    // non-zero weights: 2, 2, 2, 1
    double delta = (2 * GOOD + BAD + 2 * GOOD + 1.5 * BAD + GOOD - 7.5 * LN2) / 7;
    assertEquals(delta, r.get("delta").asDouble(), 1e-7);
    assertEquals("nonzero_weights", r.get("denominator").asText());
    assertEquals(7.0, r.get("paired_denominator_sum").asDouble(), 0.0);
  }

  @Test
  void idsInOneRunOnlyAreCountedAndListed() throws Exception {
    String a = evaluate("a", corpus(0, ALL, 2), 1);
    String b = evaluate("b", corpus((float) C, List.of("s1", "s2", "s3", "s5"), 2), 1);
    JsonNode r = json(compare(a, b, "cmp"));
    assertEquals(3, r.get("paired_sequences").asLong());
    assertEquals(1, r.get("baseline_only").asLong());
    assertEquals(1, r.get("candidate_only").asLong());
    // Δ over s1..s3 only: weight 6.5
    double delta = (2 * GOOD + BAD + 2 * GOOD + 1.5 * BAD - 6.5 * LN2) / 6.5;
    assertEquals(delta, r.get("delta").asDouble(), 1e-7);
    List<String> unpaired =
        session()
            .read()
            .parquet(tmp.resolve("cmp").resolve("unpaired_ids").toString())
            .orderBy("id")
            .collectAsList()
            .stream()
            .map(row -> row.getString(0) + ":" + row.getString(1))
            .toList();
    assertEquals(List.of("s4:baseline", "s5:candidate"), unpaired);
  }

  @Test
  void differentWeightsForAPairAreInvalidInputNamingAnId() {
    String a = evaluate("a", corpus(0, ALL, 2), 1);
    String b = evaluate("b", corpus((float) C, ALL, 3), 1);
    CliRun run = compare(a, b, "cmp");
    assertEquals(3, run.exitCode(), run.stderr());
    assertTrue(run.stderr().contains("1 sequence(s) have different weights"), run.stderr());
    assertTrue(
        run.stderr().contains("for example id 's2' (weight_sum 3.0 against 4.0"), run.stderr());
    assertFalse(Files.exists(tmp.resolve("cmp")), "a refused comparison writes nothing");
  }

  @Test
  void duplicateIdsOrNoIdInCommonAreInvalidInput() {
    String a = evaluate("a", corpus(0, ALL, 2), 1);
    List<CorpusRow> twice = new ArrayList<>(corpus(0, ALL, 2));
    twice.add(corpus(0, List.of("s1"), 2).get(0));
    String duplicated = evaluate("dup", twice, 1);
    CliRun run = compare(a, duplicated, "x");
    assertEquals(3, run.exitCode(), run.stderr());
    assertTrue(
        run.stderr()
            .contains(
                "--candidate "
                    + duplicated
                    + ": 1 sequence id(s) of its corpus are carried by "
                    + "more than one row"),
        run.stderr());
    String others = evaluate("others", corpus(0, List.of("t1", "t2"), 2), 1);
    run = compare(a, others, "x");
    assertEquals(3, run.exitCode(), run.stderr());
    assertTrue(
        run.stderr()
            .contains(
                "no sequence id is in both "
                    + a
                    + " and "
                    + others
                    + " (4 only in the first, "
                    + "2 only in the second)"),
        run.stderr());
  }

  @Test
  void runsThatCannotBeComparedAreUsageErrorsNamingTheDirectory() throws Exception {
    String a = evaluate("a", corpus(0, ALL, 2), 1);
    String count =
        evaluate(
            "count",
            corpus(0, ALL, 2),
            1,
            "--average-across-timesteps",
            "false",
            "--average-across-batch",
            "false",
            "--sum-over-timesteps",
            "true",
            "--sum-over-batch",
            "true");
    String brier = evaluate("brier", corpus(0, ALL, 2), 1, "--loss", "brier");
    Path noTable = tmp.resolve("no-table");
    Path corpus = Corpora.write(session(), tmp.resolve("corpus-plain"), corpus(0, ALL, 2), 1);
    assertEquals(
        0,
        CliRun.of(session(), "--input", corpus.toString(), "--output", noTable.toString())
            .exitCode());
    Path empty = Files.createDirectories(tmp.resolve("empty"));

    CliRun run = compare(a, count, "x");
    assertEquals(2, run.exitCode(), run.stderr());
    assertTrue(
        run.stderr()
            .contains(
                "divides by the weight sum but --candidate "
                    + count
                    + " by the count of non-zero weights"),
        run.stderr());
    run = compare(a, brier, "x");
    assertEquals(2, run.exitCode(), run.stderr());
    assertTrue(run.stderr().contains("used loss sparse_softmax_cross_entropy"), run.stderr());
    run = compare(a, noTable.toString(), "x");
    assertEquals(2, run.exitCode(), run.stderr());
    assertTrue(
        run.stderr()
            .contains(
                "--candidate "
                    + noTable
                    + " has no per_sequence/ table to pair: rerun that "
                    + "evaluation with --per-sequence"),
        run.stderr());
    run = compare(empty.toString(), a, "x");
    assertEquals(2, run.exitCode(), run.stderr());
    assertTrue(
        run.stderr()
            .contains(
                "--baseline "
                    + empty
                    + " is not a seqloss run's output: it has no "
                    + "summary.json"),
        run.stderr());
    run = CliRun.of(session(), "compare", "--baseline", a, "--candidate", a, "--output", a);
    assertEquals(2, run.exitCode(), run.stderr());
    assertTrue(run.stderr().contains("overlaps the run directory"), run.stderr());
    assertTrue(Files.exists(Path.of(a, "per_sequence")), "the run survives");
  }

  @Test
  void resultsAreTheSameBitsForAnyPartitioningAndOnARerun() throws Exception {
    List<CorpusRow> rowsA = new ArrayList<>();
    List<CorpusRow> rowsB = new ArrayList<>();
    java.util.Random random = new java.util.Random(7);
    for (int i = 0; i < 300; i++) {
      int length = 1 + random.nextInt(6);
      float[][] la = new float[length][3];
      float[][] lb = new float[length][3];
      int[] targets = new int[length];
      float[] weights = new float[length];
      for (int t = 0; t < length; t++) {
        for (int v = 0; v < 3; v++) {
          la[t][v] = (float) random.nextGaussian();
          lb[t][v] = la[t][v] + (float) (0.3 * random.nextGaussian());
        }
        targets[t] = random.nextInt(3);
        weights[t] = random.nextInt(4) * 0.25f;
      }
      rowsA.add(CorpusRow.of((long) i, la, targets, weights));
      rowsB.add(CorpusRow.of((long) i, lb, targets, weights));
    }
    String a1 = evaluate("a1", rowsA, 1);
    String a5 = evaluate("a5", rowsA, 5);
    String b1 = evaluate("b1", rowsB, 1);
    String b7 = evaluate("b7", rowsB, 7);
    List<String> results = new ArrayList<>();
    List<JsonNode> first = new ArrayList<>();
    List<String> pages = new ArrayList<>();
    for (String[] pair :
        List.of(new String[] {a1, b1}, new String[] {a5, b7}, new String[] {a5, b7})) {
      for (String partitions : List.of("1", "3", "17")) {
        session().conf().set("spark.sql.shuffle.partitions", partitions);
        try {
          JsonNode r =
              json(compare(pair[0], pair[1], "cmp", "--bootstrap", "50", "--bootstrap-seed", "11"));
          first.add(r);
          // the page too, once its elapsed time is left out
          pages.add(
              Files.readString(tmp.resolve("cmp").resolve("report.html"))
                  .replaceAll("data-key=\"elapsed_seconds\"[^<]*<", "")
                  .replace(pair[0], "A")
                  .replace(pair[1], "B"));
          results.add(
              Stream.of(
                      "delta",
                      "baseline_loss",
                      "candidate_loss",
                      "standard_error",
                      "confidence_interval",
                      "p_value",
                      "bootstrap",
                      "candidate_better",
                      "ties",
                      "paired_sequences",
                      "delta_histogram",
                      "largest_increases")
                  .map(k -> k + "=" + r.get(k))
                  .toList()
                  .toString());
        } finally {
          session().conf().set("spark.sql.shuffle.partitions", "4");
        }
      }
    }
    assertEquals(1, results.stream().distinct().count(), String.join("\n", results));
    assertEquals(1, pages.stream().distinct().count(), "report.html differs");
    assertEquals(20, first.get(0).get("largest_increases").size());
    JsonNode boot = first.get(0).get("bootstrap");
    assertEquals(50, boot.get("replicates").asInt());
    assertTrue(
        boot.get("interval").get(0).asDouble() < boot.get("interval").get(1).asDouble(),
        boot.toString());
    assertEquals(300, first.get(0).get("paired_sequences").asLong());
  }

  /** Evaluates the four sequences with a domain column: news for s1 and s2, web for s3 and s4. */
  private String evaluateWithDomains(String name, float logit0, String... options) {
    Path plain = Corpora.write(session(), tmp.resolve("plain-" + name), corpus(logit0, ALL, 2), 1);
    Path corpus = tmp.resolve("corpus-" + name);
    session()
        .read()
        .parquet(plain.toString())
        .withColumn(
            "domain",
            org.apache
                .spark
                .sql
                .functions
                .when(org.apache.spark.sql.functions.col("id").isin("s1", "s2"), "news")
                .otherwise("web"))
        .write()
        .parquet(corpus.toString());
    return evaluate(name, corpus, options);
  }

  @Test
  void runsGroupedTheSameWayGetADeltaPerGroup() throws Exception {
    String a = evaluateWithDomains("a", 0, "--group-by", "domain");
    String b = evaluateWithDomains("b", (float) C, "--group-by", "domain");
    JsonNode r = json(compare(a, b, "cmp"));
    assertEquals("[\"domain\"]", r.get("group_by").toString());
    assertEquals(2, r.get("groups").asLong());
    List<Row> groups =
        session()
            .read()
            .parquet(tmp.resolve("cmp").resolve("per_group_delta").toString())
            .orderBy("domain")
            .collectAsList();
    Row news = groups.get(0);
    Row web = groups.get(1);
    assertEquals("news", news.getString(0));
    // news: s1 and s2, weight 5; web: s3 and s4, weight 2.5
    assertEquals((4 * GOOD + BAD - 5 * LN2) / 5, news.getDouble(news.fieldIndex("delta")), 1e-7);
    assertEquals(
        (1.5 * BAD + GOOD - 2.5 * LN2) / 2.5, web.getDouble(web.fieldIndex("delta")), 1e-7);
    assertEquals(2L, news.getLong(news.fieldIndex("paired_sequences")));
    assertEquals(2L, news.getLong(news.fieldIndex("candidate_better")));
    assertEquals(1L, web.getLong(web.fieldIndex("baseline_better")));
    assertEquals(5.0, news.getDouble(news.fieldIndex("denominator_sum")), 0.0);
    double[] d = {2 * GOOD - 2 * LN2, BAD + 2 * GOOD - 3 * LN2};
    assertEquals(
        standardError(d, new double[] {2, 3}),
        news.getDouble(news.fieldIndex("standard_error")),
        1e-7);
    // the whole comparison is unchanged by the grouping
    assertEquals(
        (4 * GOOD + BAD + 1.5 * BAD + GOOD - 7.5 * LN2) / 7.5, r.get("delta").asDouble(), 1e-7);

    // grouped differently (the candidate not at all): no per-group deltas
    String plain = evaluate("plain", corpus((float) C, ALL, 2), 1);
    JsonNode ungrouped = json(compare(a, plain, "cmp2"));
    assertTrue(ungrouped.get("group_by").isNull(), ungrouped.toString());
    assertFalse(Files.exists(tmp.resolve("cmp2").resolve("per_group_delta")));
  }

  @Test
  void bothPerTimestepCurvesAreJoined() throws Exception {
    String[] flags = {"--average-across-timesteps", "false"};
    String a = evaluate("a", corpus(0, ALL, 2), 1, flags);
    String b = evaluate("b", corpus((float) C, ALL, 2), 1, flags);
    JsonNode r = json(compare(a, b, "cmp"));
    assertEquals("per_timestep/", r.get("outputs").get("per_timestep").asText());
    List<Row> steps =
        session()
            .read()
            .parquet(tmp.resolve("cmp").resolve("per_timestep").toString())
            .orderBy("timestep")
            .collectAsList();
    assertEquals(2, steps.size());
    // step 0: weights 1, 1, 0.5, 1 on targets 0, 1, 1, 0 -> B: (2 GOOD + 1.5 BAD) / 3.5
    assertEquals(LN2, steps.get(0).getDouble(1), 1e-7);
    assertEquals((2 * GOOD + 1.5 * BAD) / 3.5, steps.get(0).getDouble(2), 1e-7);
    assertEquals((2 * GOOD + 1.5 * BAD) / 3.5 - LN2, steps.get(0).getDouble(3), 1e-7);
    assertEquals(3.5, steps.get(0).getDouble(4), 0.0);
  }
}
