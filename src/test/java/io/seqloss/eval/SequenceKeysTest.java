package io.seqloss.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.seqloss.loss.TokenPosition;
import java.util.List;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;

class SequenceKeysTest {

  @Test
  void stringIdsHashAsTheirDecodedStringDoes() {
    for (String id : List.of("", "seq-0000001", "é±😀 mixed UTF-8", "a".repeat(1000))) {
      assertEquals(TokenPosition.keyOf(id), SequenceKeys.of(UTF8String.fromString(id)), id);
    }
  }

  @Test
  void derivedIdsHashAsFileHashRowDoes() {
    String file = "file:///data/eval corpus/part-00000.parquet";
    for (long row : new long[] {0, 7, 1_000_000_007L, Long.MAX_VALUE}) {
      assertEquals(
          TokenPosition.keyOf(file + "#" + row),
          SequenceKeys.derived(UTF8String.fromString(file), row));
    }
  }

  @Test
  void aSubstringOfALargerBufferHashesOnlyItsOwnBytes() {
    UTF8String whole = UTF8String.fromString("prefix-seq-42-suffix");
    assertEquals(TokenPosition.keyOf("seq-42"), SequenceKeys.of(whole.substring(7, 13)));
  }
}
