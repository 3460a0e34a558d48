package io.seqloss.report;

import io.seqloss.output.RunSummary;
import io.seqloss.stats.RunStatistics;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Writes report.html beside summary.json, through Hadoop's file system like every other output. */
public final class RunReportFile {
  public static final String NAME = "report.html";

  private RunReportFile() {}

  public static void write(
      String path, RunSummary summary, RunStatistics statistics, Configuration hadoopConf) {
    writePage(path, RunReportPage.render(summary, statistics), hadoopConf);
  }

  /** Writes a rendered page (a run's or a comparison's) to {@code path}, replacing any file. */
  public static void writePage(String path, String html, Configuration hadoopConf) {
    Path file = new Path(path);
    try {
      FileSystem fs = file.getFileSystem(hadoopConf);
      try (OutputStream out = fs.create(file, true)) {
        out.write(html.getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + NAME + " to " + path, e);
    }
  }
}
