package dev.mrkpolicyguard.engine.rule;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mrkpolicyguard.engine.compare.Comparison;
import dev.mrkpolicyguard.engine.compare.Difference;
import dev.mrkpolicyguard.engine.compare.DifferenceKind;
import dev.mrkpolicyguard.engine.compare.Direction;
import dev.mrkpolicyguard.engine.compare.PolicyComparator;
import dev.mrkpolicyguard.engine.compare.Witness;
import dev.mrkpolicyguard.engine.eval.Caller;
import dev.mrkpolicyguard.engine.eval.KeyContext;
import dev.mrkpolicyguard.engine.parse.ParseResult;
import dev.mrkpolicyguard.engine.parse.PolicyParser;
import dev.mrkpolicyguard.engine.policy.KeyPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FindingWordsTest {
  private static final KeyContext PRIMARY =
      new KeyContext("arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab");

  private static KeyPolicy policy(String file) throws IOException {
    String text = Files.readString(Path.of("../examples/policies/" + file));
    return ((ParseResult.Parsed) new PolicyParser().parse(text)).policy();
  }

  /** The first difference of an example pair whose replica lost AppRole's direct grant. */
  private static Difference lost() throws IOException {
    Comparison c =
        new PolicyComparator()
            .compare(
                policy("replica-default-policy/primary.json"),
                PRIMARY,
                policy("replica-default-policy/replica.json"),
                PRIMARY.inRegion("eu-west-1"));
    return c.differences().get(0);
  }

  @Test
  void witness_differenceTheReplicaLost_saysMayNoLongerWithTheIamPart() throws IOException {
    Difference d = lost();

    assertEquals(Direction.PRIMARY_ONLY, d.direction());
    assertEquals(
        "arn:aws:iam::111122223333:role/AppRole may no longer kms:Decrypt"
            + " (with no IAM policy allowing it)",
        FindingWords.witness(d));
  }

  @Test
  void witness_ofAFindingThatGrantsLess_isTheComparisonsSentence() throws IOException {
    Difference d = lost();

    assertEquals(FindingWords.witness(d), FindingWords.witness(FindingCode.REPLICA_GRANTS_LESS, d));
  }

  @Test
  void request_anyDirection_saysMay() throws IOException {
    assertEquals(
        "arn:aws:iam::111122223333:role/AppRole may kms:Decrypt (with no IAM policy allowing it)",
        FindingWords.request(lost()));
  }

  @Test
  void with_severalKeysAndValues_listsThemInOrder() {
    Map<String, List<String>> context = new java.util.LinkedHashMap<>();
    context.put("aws:RequestedRegion", List.of("eu-west-1"));
    context.put("kms:EncryptionContextKeys", List.of("a", "b"));

    assertEquals(
        " with aws:RequestedRegion=eu-west-1, kms:EncryptionContextKeys=[a, b]",
        FindingWords.with(context));
    assertEquals("", FindingWords.with(Map.of()));
  }

  private static Difference gain(Caller caller) {
    return new Difference(
        Direction.REPLICA_ONLY,
        DifferenceKind.PRINCIPAL,
        new Witness(caller, true, "kms:Decrypt", Map.of()),
        "replica allows it");
  }

  @Test
  void brief_madeUpIdentity_showsOnlyItsAccount() {
    Caller made =
        new Caller.Iam("arn:aws:iam::111122223333:role/ExampleRole", null, /* example= */ true);
    assertEquals("111122223333 may kms:Decrypt", FindingWords.brief(gain(made), true));
  }

  @Test
  void brief_realRoleNamedExampleRole_keepsItsName() {
    Caller real = new Caller.Iam("arn:aws:iam::111122223333:role/ExampleRole", null);
    assertEquals(
        "111122223333:role/ExampleRole may kms:Decrypt", FindingWords.brief(gain(real), true));
  }
}
