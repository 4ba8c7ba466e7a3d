package dev.mrkpolicyguard.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The explain core talks to AWS only through its ports: no SDK type appears in it. */
class PureCoreTest {
  private static final Path CORE = Path.of("src/main/java/dev/mrkpolicyguard/explain");

  @Test
  void sources_explainPackage_importNothingFromTheAwsSdk() throws IOException {
    List<String> offending;
    try (Stream<Path> files = Files.list(CORE)) {
      offending =
          files
              .filter(f -> read(f).contains("software.amazon.awssdk"))
              .map(f -> f.getFileName().toString())
              .toList();
    }

    assertEquals(List.of(), offending);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
