package dev.mrkpolicyguard.engine.rule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.mrkpolicyguard.engine.Policies;
import dev.mrkpolicyguard.engine.policy.KeyPolicy;
import dev.mrkpolicyguard.engine.policy.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

class PublicAccessCeilingTest {
  private static final String NAMED_ONLY =
      """
      {"Sid": "Root", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
       "Action": "kms:*", "Resource": "*"},
      {"Sid": "App", "Effect": "Allow",
       "Principal": {"AWS": ["arn:aws:iam::111122223333:role/App", "444455556666"]},
       "Action": "kms:Decrypt", "Resource": "*"},
      {"Sid": "Logs", "Effect": "Allow", "Principal": {"Service": "logs.us-east-1.amazonaws.com"},
       "Action": "kms:Encrypt*", "Resource": "*"}
      """;

  private static KeyPolicy policy(String statements) {
    return Policies.parse("{\"Version\": \"2012-10-17\", \"Statement\": [" + statements + "]}");
  }

  private static List<String> sids(KeyPolicy policy) {
    return policy.statements().stream().map(Statement::sid).toList();
  }

  @Test
  void beyondNamedAccounts_onlyAccountsRolesAndServices_nothingLeft() {
    assertNull(Baseline.beyondNamedAccounts(policy(NAMED_ONLY)));
  }

  @Test
  void beyondNamedAccounts_anyoneWithConditions_keepsThatStatementOnly() {
    KeyPolicy checked =
        policy(
            NAMED_ONLY
                + """
                ,{"Sid": "ViaEc2", "Effect": "Allow", "Principal": {"AWS": "*"},
                  "Action": "kms:Decrypt", "Resource": "*",
                  "Condition": {"StringEquals": {"kms:ViaService": "ec2.us-east-1.amazonaws.com"}}}
                """);

    assertEquals(List.of("ViaEc2"), sids(Baseline.beyondNamedAccounts(checked)));
  }

  @Test
  void beyondNamedAccounts_denyAndUnnamedPrincipals_kept() {
    KeyPolicy checked =
        policy(
            NAMED_ONLY
                + """
                ,{"Sid": "Deny", "Effect": "Deny", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
                  "Action": "kms:ScheduleKeyDeletion", "Resource": "*"},
                 {"Sid": "Web", "Effect": "Allow",
                  "Principal": {"Federated": "cognito-identity.amazonaws.com"},
                  "Action": "kms:Decrypt", "Resource": "*"},
                 {"Sid": "NotAlice", "Effect": "Allow",
                  "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:user/Alice"},
                  "Action": "kms:Decrypt", "Resource": "*"}
                """);

    assertEquals(List.of("Deny", "Web", "NotAlice"), sids(Baseline.beyondNamedAccounts(checked)));
  }

  @Test
  void beyondNamedAccounts_onlyDenyLeft_nothingCanExceed() {
    KeyPolicy checked =
        policy(
            NAMED_ONLY
                + """
                ,{"Sid": "Deny", "Effect": "Deny", "Principal": "*",
                  "Action": "kms:*", "Resource": "*",
                  "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
                """);

    assertNull(Baseline.beyondNamedAccounts(checked));
  }

  @Test
  void beyondNamedAccounts_nothingToDrop_theSamePolicy() {
    KeyPolicy checked =
        policy(
            """
            {"Sid": "Anyone", "Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt",
             "Resource": "*"}
            """);

    assertSame(checked, Baseline.beyondNamedAccounts(checked));
  }
}
