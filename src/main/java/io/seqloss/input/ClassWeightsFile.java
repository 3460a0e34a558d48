package io.seqloss.input;

import io.seqloss.config.ConfigException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;

/**
 * Reads {@code --class-weights FILE}: a text file of V numbers, the weight of class 0 first,
 * separated by newlines, spaces or commas; blank lines and text after {@code #} are ignored. Any
 * Hadoop file system path works (a local path, {@code hdfs://}, {@code s3a://}). Every problem is a
 * usage error.
 */
public final class ClassWeightsFile {
  private ClassWeightsFile() {}

  public static double[] read(String file, Configuration hadoopConf) {
    List<Double> weights = new ArrayList<>();
    Path path = new Path(file);
    try (FSDataInputStream in = path.getFileSystem(hadoopConf).open(path);
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      int lineNumber = 0;
      while ((line = reader.readLine()) != null) {
        lineNumber++;
        int comment = line.indexOf('#');
        String content = comment >= 0 ? line.substring(0, comment) : line;
        for (String token : content.trim().split("[\\s,]+")) {
          if (!token.isEmpty()) {
            weights.add(parse(file, lineNumber, token, weights.size()));
          }
        }
      }
    } catch (IOException e) {
      throw new ConfigException("--class-weights " + file + ": cannot read it: " + e, e);
    }
    if (weights.isEmpty()) {
      throw new ConfigException(
          "--class-weights " + file + " holds no weights; expected one number per class");
    }
    return weights.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static double parse(String file, int line, String token, int classId) {
    double w;
    try {
      w = Double.parseDouble(token);
    } catch (NumberFormatException e) {
      throw new ConfigException(
          String.format(
              "--class-weights %s, line %d: '%s' (class %d) is not a number",
              file, line, token, classId));
    }
    if (!Double.isFinite(w) || w < 0) {
      throw new ConfigException(
          String.format(
              "--class-weights %s, line %d: class %d has weight %s; expected a finite number >= 0",
              file, line, classId, token));
    }
    return w;
  }

  /** Checks the file gave one weight per class. */
  public static void checkLength(
      String file, double[] weights, int numClasses, String numClassesSource) {
    if (weights.length != numClasses) {
      throw new ConfigException(
          String.format(
              "--class-weights %s has %d weights; expected one per class, V=%d (%s)",
              file, weights.length, numClasses, numClassesSource));
    }
  }
}
