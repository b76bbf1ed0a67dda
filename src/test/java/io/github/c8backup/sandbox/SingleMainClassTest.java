package io.github.c8backup.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's first command, {@code ./mvnw spring-boot:test-run}, needs exactly one main class on
 * the test classpath; a second one (a benchmark, a tool) makes it fail with "Unable to find a single
 * main class". Other entry points go through {@link SandboxMain} behind a system property.
 */
class SingleMainClassTest {

  @Test
  void sandboxMainIsTheOnlyMainClassOfTheTests() throws Exception {
    List<Path> withMain;
    try (Stream<Path> files = Files.walk(Path.of("src/test/java"))) {
      withMain = files.filter(f -> f.toString().endsWith(".java")).filter(f -> {
        try {
          return Files.readString(f).matches("(?s).*\\bstatic\\s+void\\s+main\\s*\\(\\s*String\\s*(\\[\\s*\\]|\\.\\.\\.)\\s*\\w+\\s*\\).*");
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).map(f -> f.getFileName()).toList();
    }
    assertThat(withMain).extracting(Path::toString).containsExactly("SandboxMain.java");
  }
}
