package io.seqloss.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seed's headline example through ./submit.sh, as the README shows it. */
class HeadlineExampleIT {
  @TempDir Path tmp;

  @Test
  void sampledSoftmaxOverTheBundledHeadlineCorpus() throws Exception {
    List<String> args =
        List.of(
            "--input",
            "examples/headline/headlines.parquet",
            "--output",
            tmp.resolve("headline").toString(),
            "--loss",
            "sampled_softmax",
            "--num-sampled",
            "64",
            "--seed",
            "7");
    SubmitScriptIT.Result first = SubmitScriptIT.submit(args.toArray(String[]::new));
    assertEquals(0, first.exitCode(), first.toString());
    Map<?, ?> s = new ObjectMapper().readValue(first.lastLine(), Map.class);
    assertEquals("sampled_softmax", s.get("loss_function"));
    assertEquals(
        Map.of(
            "num_sampled",
            64,
            "sampler",
            "log_uniform",
            "seed",
            7,
            "subtract_log_q",
            true,
            "remove_accidental_hits",
            true),
        s.get("loss_options"));
    assertEquals(3, s.get("sequences"));
    assertEquals(18, s.get("tokens"));
    assertEquals(10000, s.get("num_classes"));
    assertEquals(12.0 / 18, ((Number) s.get("accuracy")).doubleValue(), 1e-12);
    assertEquals(5, s.get("top_k"));
    assertTrue(
        s.containsKey("top_k_accuracy")
            && s.containsKey("top_k_sum")
            && s.containsKey("correct_sum"),
        s.toString());
    assertEquals(null, s.get("perplexity"));
    double loss = ((Number) s.get("loss")).doubleValue();
    assertTrue(loss > 0 && Double.isFinite(loss), "loss " + loss);
    assertTrue(first.stderr().contains("seqloss: loss = "), first.stderr());

    SubmitScriptIT.Result rerun = SubmitScriptIT.submit(args.toArray(String[]::new));
    assertEquals(0, rerun.exitCode(), rerun.toString());
    assertEquals(
        loss,
        new ObjectMapper().readValue(rerun.lastLine(), Map.class).get("loss"),
        "a rerun, in another JVM, draws the same samples");
  }
}
