package io.seqloss.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/** The benchmark harness ships in its own jar, never in the application jar users submit. */
class PackagingIT {

  private static List<String> entries(String property) throws IOException {
    try (JarFile jar = new JarFile(System.getProperty(property))) {
      return jar.stream().map(ZipEntry::getName).toList();
    }
  }

  @Test
  void theApplicationJarHoldsNoBenchmarkCode() throws IOException {
    List<String> app = entries("seqloss.jar");
    assertTrue(app.contains("io/seqloss/cli/Main.class"), "not the application jar");
    assertEquals(List.of(), app.stream().filter(e -> e.startsWith("io/seqloss/bench/")).toList());
  }

  @Test
  void theBenchJarHoldsTheHarnessAndNoTests() throws IOException {
    List<String> bench = entries("seqloss.benchJar");
    for (String main : List.of("BenchmarkRunner", "BaselineCommand", "LogitCost")) {
      assertTrue(bench.contains("io/seqloss/bench/" + main + ".class"), main + ": " + bench);
    }
    assertEquals(
        List.of(),
        bench.stream()
            .filter(e -> e.endsWith(".class") && !e.startsWith("io/seqloss/bench/"))
            .toList());
    assertEquals(List.of(), bench.stream().filter(e -> e.contains("Test")).toList());
  }
}
