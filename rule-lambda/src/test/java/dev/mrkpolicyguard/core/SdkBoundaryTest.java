package dev.mrkpolicyguard.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The build rule of the application core: only the {@code aws} adapter package imports (or names)
 * the AWS SDK.
 */
class SdkBoundaryTest {
  private static final Path MAIN = Path.of("src/main/java/dev/mrkpolicyguard");
  private static final String SDK_IMPORT = "software.amazon.awssdk.";

  @Test
  void mainSources_outsideTheAdapterPackage_importNoSdk() {
    Set<String> importers = new TreeSet<>();
    for (Path file : sources()) {
      String name = MAIN.relativize(file).toString().replace('\\', '/');
      if (!name.startsWith("aws/") && importsSdk(file)) {
        importers.add(name);
      }
    }

    assertEquals(Set.of(), importers);
  }

  @Test
  void mainSources_adapterPackage_isWhereTheSdkIsImported() {
    long adapters =
        sources().stream()
            .filter(f -> MAIN.relativize(f).toString().startsWith("aws"))
            .filter(SdkBoundaryTest::importsSdk)
            .count();

    assertEquals(true, adapters > 0, "the scan found no adapter; is " + MAIN + " right?");
  }

  private static List<Path> sources() {
    try (Stream<Path> files = Files.walk(MAIN)) {
      return files.filter(f -> f.toString().endsWith(".java")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean importsSdk(Path file) {
    try {
      return Files.readString(file).contains(SDK_IMPORT);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
