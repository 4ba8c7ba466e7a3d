package dev.mrkpolicyguard.iac;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The deploy-time checks and the hook's decision talk to AWS only through their ports. */
class PureCoreTest {
  @Test
  void sources_ofIacAndHook_importNoSdkType() throws IOException {
    List<String> offenders;
    try (Stream<Path> files =
        Stream.of("iac", "hook")
            .map(p -> Path.of("src/main/java/dev/mrkpolicyguard", p))
            .flatMap(PureCoreTest::list)) {
      offenders = files.filter(PureCoreTest::importsSdk).map(Path::toString).toList();
    }

    assertEquals(List.of(), offenders);
  }

  private static Stream<Path> list(Path dir) {
    try {
      return Files.list(dir).filter(p -> p.toString().endsWith(".java")).toList().stream();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean importsSdk(Path file) {
    try {
      return Files.readString(file).contains("import software.amazon.awssdk");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
