package dev.mrkpolicyguard.engine.compare;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mrkpolicyguard.engine.Policies;
import dev.mrkpolicyguard.engine.eval.KeyContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Key-policy pairs modelled on examples of the KMS Developer Guide and the IAM User Guide, each
 * with the verdict those documents imply (decided from the documentation, not from this engine).
 * One JSON file per case under {@code src/test/resources/doc-cases/}.
 */
class DocumentedCasesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One documented case.
   *
   * @param name what the case shows, also its file name
   * @param source the documentation page the policies are modelled on
   * @param primaryArn the primary key's ARN
   * @param replicaRegion the replica's Region
   * @param keyUsage the keys' KeyUsage (shared by related multi-Region keys)
   * @param keySpec the keys' KeySpec (shared by related multi-Region keys)
   * @param primary the primary's key policy
   * @param replica the replica's key policy
   * @param expected the verdict the documentation implies
   * @param why the request that shows it, or why none exists
   * @param engineLimit where the engine knowingly answers UNDECIDED instead (a documented limit),
   *     the reason; the case then asserts UNDECIDED, never another verdict
   * @param knownAnswer where the engine knowingly answers a difference instead of the documented
   *     EQUIVALENT (a false alarm, a documented limit: docs/semantics.md): the case then asserts
   *     that answer, so that a change shows; never EQUIVALENT and never with another expectation
   */
  record DocumentedCase(
      String name,
      String source,
      String primaryArn,
      String replicaRegion,
      String keyUsage,
      String keySpec,
      JsonNode primary,
      JsonNode replica,
      Verdict expected,
      String why,
      String engineLimit,
      Verdict knownAnswer) {}

  static List<Named<DocumentedCase>> documentedCases() throws IOException, URISyntaxException {
    Path dir = Path.of(DocumentedCasesTest.class.getResource("/doc-cases").toURI());
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(file -> file.toString().endsWith(".json"))
          .sorted()
          .map(DocumentedCasesTest::read)
          .map(c -> Named.of(c.name(), c))
          .toList();
    }
  }

  private static DocumentedCase read(Path file) {
    try {
      return JSON.readValue(file.toFile(), DocumentedCase.class);
    } catch (IOException e) {
      throw new UncheckedIOException(file.toString(), e);
    }
  }

  /**
   * The engine's answer for a case: the primary's policy judged on the primary key, the replica's
   * on the replica key (same key ID in the replica's Region). The one place that calls the
   * comparator, so that the key's usage and spec can be passed in when its API takes them.
   */
  static Comparison comparisonOf(DocumentedCase c) {
    KeyContext primaryKey = new KeyContext(c.primaryArn()).withUsage(c.keyUsage(), c.keySpec());
    KeyContext replicaKey = primaryKey.inRegion(c.replicaRegion());
    return new PolicyComparator()
        .compare(
            Policies.parse(c.primary().toString()),
            primaryKey,
            Policies.parse(c.replica().toString()),
            replicaKey);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("documentedCases")
  void compare_documentedPolicyPair_givesDocumentedVerdict(DocumentedCase c) {
    Comparison comparison = comparisonOf(c);
    Verdict verdict = comparison.verdict();
    if (c.engineLimit() != null) {
      assertEquals(Verdict.UNDECIDED, verdict, c.engineLimit());
      return;
    }
    if (c.knownAnswer() != null) {
      assertEquals(
          Verdict.EQUIVALENT, c.expected(), "a known answer stands only for a false alarm");
      assertNotEquals(Verdict.EQUIVALENT, c.knownAnswer(), "a known answer is never EQUIVALENT");
      assertEquals(c.knownAnswer(), verdict, c.why());
      return;
    }
    boolean differs = verdict != Verdict.EQUIVALENT && verdict != Verdict.UNDECIDED;
    assertAll(
        () ->
            assertEquals(
                c.expected(),
                verdict,
                () ->
                    "%s (%s)%s"
                        .formatted(
                            c.why(),
                            c.source(),
                            comparison.reason() == null
                                ? ""
                                : "; undecided: " + comparison.reason())),
        () ->
            assertFalse(
                differs && comparison.differences().isEmpty(),
                () -> verdict + " without any difference"));
  }
}
