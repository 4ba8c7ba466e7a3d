package dev.mrkpolicyguard.engine.compare;

import static dev.mrkpolicyguard.engine.Policies.PRIMARY_KEY;
import static dev.mrkpolicyguard.engine.Policies.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mrkpolicyguard.engine.eval.KeyContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Facts of the request that tie values together or to a Region: a VPC endpoint serves its own
 * Region's KMS only (KMS Developer Guide, "Connect to AWS KMS through a VPC endpoint"), and {@code
 * aws:CalledViaFirst}/{@code aws:CalledViaLast} are the ends of the {@code aws:CalledVia} chain
 * (IAM User Guide, global condition context keys).
 */
class RegionalFactsTest {
  private static final KeyContext REPLICA = PRIMARY_KEY.inRegion("eu-west-1");
  private final PolicyComparator comparator = new PolicyComparator();

  private static final String ADMIN =
      """
      {"Sid": "Admin", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
       "Action": "kms:*", "Resource": "*"}""";

  private static String policy(String... statements) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}";
  }

  private static String vpceDeny(String endpoint) {
    return """
        {"Sid": "Only through the endpoint", "Effect": "Deny", "Principal": "*",
         "Action": "kms:Decrypt", "Resource": "*",
         "Condition": {"StringNotEquals": {"aws:SourceVpce": "%s"}}}"""
        .formatted(endpoint);
  }

  @Test
  void compare_endpointNamedOnBothKeys_isUndecidedWithTheEndpoint() {
    String text = policy(ADMIN, vpceDeny("vpce-0a1b2c3d4e5f67890"));
    Comparison c = comparator.compare(parse(text), PRIMARY_KEY, parse(text), REPLICA);
    assertEquals(Verdict.UNDECIDED, c.verdict());
    assertTrue(c.reason().contains("vpce-0a1b2c3d4e5f67890"), c.reason());
  }

  @Test
  void compare_endpointDenyMissingOnReplica_keepsTheDifferenceFound() {
    Comparison c =
        comparator.compare(
            parse(policy(ADMIN, vpceDeny("vpce-0a1b2c3d4e5f67890"))),
            PRIMARY_KEY,
            parse(policy(ADMIN)),
            REPLICA);
    assertEquals(Verdict.UNDECIDED, c.verdict());
    assertFalse(c.differences().isEmpty(), "the replica broader without any endpoint stays shown");
    assertEquals(Direction.REPLICA_ONLY, c.differences().get(0).direction());
  }

  @Test
  void compareForKey_endpointOnOneKey_isDecided() {
    String text = policy(ADMIN, vpceDeny("vpce-0a1b2c3d4e5f67890"));
    assertEquals(
        Verdict.EQUIVALENT,
        comparator.compareForKey(parse(text), parse(text), PRIMARY_KEY).verdict());
  }

  @Test
  void compare_anyEndpointPattern_isDecided() {
    String anyEndpoint =
        """
        {"Sid": "Only through an endpoint", "Effect": "Deny", "Principal": "*",
         "Action": "kms:Decrypt", "Resource": "*",
         "Condition": {"StringNotLike": {"aws:SourceVpce": "vpce-*"}}}""";
    String text = policy(ADMIN, anyEndpoint);
    assertEquals(
        Verdict.EQUIVALENT,
        comparator.compare(parse(text), PRIMARY_KEY, parse(text), REPLICA).verdict());
  }

  @Test
  void compare_firstServiceOnlyOnPrimary_witnessCarriesARealChain() {
    String first =
        """
        {"Sid": "Through Athena", "Effect": "Allow",
         "Principal": {"AWS": "arn:aws:iam::111122223333:role/AppRole"}, "Action": "kms:Decrypt",
         "Resource": "*",
         "Condition": {"StringEquals": {"aws:CalledViaFirst": "athena.amazonaws.com"},
                       "ForAnyValue:StringEquals": {"aws:CalledVia": "glue.amazonaws.com"}}}""";
    Comparison c =
        comparator.compare(parse(policy(ADMIN, first)), PRIMARY_KEY, parse(policy(ADMIN)), REPLICA);
    assertEquals(Verdict.REPLICA_NARROWER, c.verdict());
    Map<String, List<String>> context = c.differences().get(0).witness().context();
    assertTrue(CalledViaChain.consistent(context), context::toString);
  }

  @Test
  void consistent_firstServiceNotFirstInChain_isFalse() {
    assertFalse(
        CalledViaChain.consistent(
            Map.of(
                "aws:CalledVia", List.of("cloudformation.amazonaws.com", "athena.amazonaws.com"),
                "aws:CalledViaFirst", List.of("athena.amazonaws.com"))));
    assertFalse(
        CalledViaChain.consistent(Map.of("aws:CalledViaFirst", List.of("athena.amazonaws.com"))));
    assertTrue(CalledViaChain.consistent(Map.of("kms:ViaService", List.of("x"))));
  }

  @Test
  void realistic_firstAndChainApart_putsTheFirstServiceFirst() {
    Map<String, List<String>> real =
        CalledViaChain.realistic(
            Map.of(
                "aws:CalledVia", List.of("glue.amazonaws.com"),
                "aws:CalledViaFirst", List.of("athena.amazonaws.com")));
    assertEquals(List.of("athena.amazonaws.com", "glue.amazonaws.com"), real.get("aws:CalledVia"));
    assertEquals(List.of("athena.amazonaws.com"), real.get("aws:CalledViaFirst"));
    assertEquals(List.of("glue.amazonaws.com"), real.get("aws:CalledViaLast"));
    assertTrue(CalledViaChain.consistent(real));
  }

  @Test
  void realistic_twoFirstServices_isNull() {
    assertNull(
        CalledViaChain.realistic(
            Map.of("aws:CalledViaFirst", List.of("a.amazonaws.com", "b.amazonaws.com"))));
  }
}
