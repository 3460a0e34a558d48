package io.seqloss.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputDirectoryTest {
  @TempDir
  Path tmp;

  @Test
  void hiddenDirectoriesOfKilledRunsAreRemovedOnceAbandonedAndNothingElse() throws Exception {
    long old = System.currentTimeMillis() - OutputDirectory.ABANDONED_AFTER.toMillis() - TimeUnit.HOURS.toMillis(1);
    Path oldStaging = hidden(".eval.seqloss-staging-1111", old);
    Path oldPrevious = hidden(".eval.seqloss-previous-2222", old);
    Path recentStaging = hidden(".eval.seqloss-staging-3333", System.currentTimeMillis()); // a live run's
    Path otherOutputs = hidden(".eval-2.seqloss-staging-4444", old); // another output's: not this run's business
    Path unrelated = hidden(".eval.backup", old);

    OutputDirectory out = OutputDirectory.prepare(tmp.resolve("eval").toString(), new Configuration());

    assertFalse(Files.exists(oldStaging));
    assertFalse(Files.exists(oldPrevious));
    for (Path kept : List.of(recentStaging, otherOutputs, unrelated)) {
      assertTrue(Files.exists(kept), kept + " must stay");
    }
    out.writeSummary("{}");
    out.commit();
    assertEquals("{}\n", Files.readString(tmp.resolve("eval").resolve(OutputSchemas.SUMMARY)));
  }

  private Path hidden(String name, long modifiedMillis) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(name));
    Files.writeString(dir.resolve("part-0.parquet"), "x");
    Files.setLastModifiedTime(dir, FileTime.fromMillis(modifiedMillis));
    return dir;
  }
}
