package io.seqloss.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seqloss.testing.SparkTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Comparing two checkpoints through ./submit.sh as a user does: generate one corpus's logits for
 * two "checkpoints" (the same seed, so the same ids, targets and weights; B's targets boosted more,
 * so B is better), evaluate both with --per-sequence, then compare.
 */
class CompareIT extends SparkTestBase {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonNode ok(SubmitScriptIT.Result r) throws Exception {
    assertEquals(0, r.exitCode(), r.stderr());
    return JSON.readTree(r.lastLine());
  }

  private String checkpoint(String name, String boost) throws Exception {
    Path corpus = tmp.resolve("corpus-" + name);
    ok(
        SubmitScriptIT.submit(
            "generate",
            "--output",
            corpus.toString(),
            "--sequences",
            "3000",
            "--min-length",
            "3",
            "--max-length",
            "12",
            "--num-classes",
            "6",
            "--padding-share",
            "0.25",
            "--seed",
            "9",
            "--rows-per-file",
            "1000",
            "--target-boost",
            boost));
    Path out = tmp.resolve("eval-" + name);
    ok(
        SubmitScriptIT.submit(
            "--input", corpus.toString(), "--output", out.toString(), "--per-sequence"));
    return out.toString();
  }

  @Test
  void twoCheckpointsComparedThroughSubmit() throws Exception {
    String a = checkpoint("a", "2.0");
    String b = checkpoint("b", "2.3");
    Path out = tmp.resolve("a-vs-b");
    SubmitScriptIT.Result run =
        SubmitScriptIT.submit(
            "compare",
            "--baseline",
            a,
            "--candidate",
            b,
            "--output",
            out.toString(),
            "--bootstrap",
            "200",
            "--bootstrap-seed",
            "3");
    JsonNode r = ok(run);
    assertTrue(run.stderr().contains("seqloss compare: delta = -"), run.stderr());
    assertEquals(r, JSON.readTree(Files.readString(out.resolve("comparison.json"))));
    // the reference: both runs' own summaries (exact corpus sums from another code path), all ids
    // paired
    JsonNode sa = JSON.readTree(Files.readString(Path.of(a, "summary.json")));
    JsonNode sb = JSON.readTree(Files.readString(Path.of(b, "summary.json")));
    assertEquals(sa.get("weight_sum").asDouble(), sb.get("weight_sum").asDouble(), 0.0);
    assertEquals(sa.get("loss").asDouble(), r.get("baseline_loss").asDouble(), 0.0);
    assertEquals(sb.get("loss").asDouble(), r.get("candidate_loss").asDouble(), 0.0);
    assertEquals(
        sb.get("loss").asDouble() - sa.get("loss").asDouble(), r.get("delta").asDouble(), 1e-12);
    assertEquals(3000, r.get("paired_sequences").asLong());
    assertEquals(0, r.get("baseline_only").asLong() + r.get("candidate_only").asLong());
    // a boost of 0.3 more on every target lowers every weighted token's loss: B is better, surely
    assertTrue(r.get("delta").asDouble() < 0, r.toString());
    assertTrue(r.get("confidence_interval").get(1).asDouble() < 0, r.toString());
    assertTrue(r.get("bootstrap").get("interval").get(1).asDouble() < 0, r.toString());
    assertTrue(r.get("p_value").asDouble() < 1e-6, r.toString());
    assertTrue(r.get("candidate_better_share").asDouble() > 0.99, r.toString());

    // the same comparison again replaces the output and gives the same numbers
    JsonNode again =
        ok(
            SubmitScriptIT.submit(
                "compare",
                "--baseline",
                a,
                "--candidate",
                b,
                "--output",
                out.toString(),
                "--bootstrap",
                "200",
                "--bootstrap-seed",
                "3"));
    for (String key :
        new String[] {"delta", "standard_error", "confidence_interval", "p_value", "bootstrap"}) {
      assertEquals(r.get(key), again.get(key), key);
    }
  }

  @Test
  void exitCodesOfRefusedComparisons() throws Exception {
    Path notARun = Files.createDirectories(tmp.resolve("not-a-run"));
    SubmitScriptIT.Result usage =
        SubmitScriptIT.submit(
            "compare",
            "--baseline",
            notARun.toString(),
            "--candidate",
            notARun.toString(),
            "--output",
            tmp.resolve("x").toString());
    assertEquals(2, usage.exitCode(), usage.stderr());
    assertTrue(
        usage.stderr().contains("--baseline " + notARun + " is not a seqloss run's output"),
        usage.stderr());
    assertEquals("failed", JSON.readTree(usage.lastLine()).get("status").asText());
  }
}
