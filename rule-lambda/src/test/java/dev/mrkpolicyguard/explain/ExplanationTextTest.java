package dev.mrkpolicyguard.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExplanationTextTest {
  @Test
  void render_drift_namesThePrimaryStatementWhatTheReplicaLacksAndRemediate() {
    String text = render("secrets-manager-generate-data-key-denied.json");

    assertEquals(
        """
        the record: kms:GenerateDataKey failed with AccessDeniedException at 2025-06-03T09:14:07Z (event 0a1b2c3d-0008-4000-8000-000000000008)
          caller: arn:aws:sts::111122223333:assumed-role/rotation-lambda/secrets-rotation (its IAM policies do not allow kms:GenerateDataKey)
          key: arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab (replica; primary in us-east-1)
          request: kms:GenerateDataKey with kms:ViaService=secretsmanager.eu-west-1.amazonaws.com, aws:MultiFactorAuthPresent=false, kms:EncryptionContext:SecretARN=arn:aws:secretsmanager:eu-west-1:111122223333:secret:payments/db-AbCdEf, kms:EncryptionContext:SecretVersionId=EXAMPLE1-90ab-cdef-fedc-ba987SECRET1, kms:EncryptionContextKeys=[SecretARN, SecretVersionId]
          from the record: kms:ViaService secretsmanager.eu-west-1.amazonaws.com from invokedBy secretsmanager.amazonaws.com
          from the record: no identity-based policy allows kms:GenerateDataKey, says the errorMessage
        DRIFT_EXPLAINS_DENIAL: the primary's policy (us-east-1) allows the corresponding request; the replica's policy (eu-west-1) does not.
          primary (us-east-1) statement 'Secrets Manager' allows it (kms:EncryptionContext:SecretARN=arn:aws:secretsmanager:us-east-1:111122223333:secret:payments/db-AbCdEf, kms:ViaService=secretsmanager.us-east-1.amazonaws.com)
          replica (eu-west-1) lacks it: statement 'Secrets Manager' requires kms:ViaService StringEquals secretsmanager.us-east-1.amazonaws.com; the request has secretsmanager.eu-west-1.amazonaws.com
          replica (eu-west-1) lacks it: statement 'Enable IAM User Permissions' grants it to the caller's account, which takes effect only where the caller's IAM policies allow kms:GenerateDataKey
          next: java -jar rule-lambda.jar remediate --key-arn arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab (a dry run; add --apply to realign the replica's policy with its primary's)

        1 KMS record: 1 explained.
        """,
        text);
  }

  @Test
  void render_conditional_saysIfAndOtherwise() {
    String text = render("assumed-role-decrypt-no-resource-policy.json");

    assertTrue(
        text.contains(
            "\nDRIFT_EXPLAINS_DENIAL if the caller's IAM policies do not allow kms:Decrypt: "),
        text);
    assertTrue(
        text.contains(
            "\n  otherwise, KEY_POLICY_ALLOWS if the caller's IAM policies allow kms:Decrypt: "),
        text);
  }

  @Test
  void render_keyPolicyAllows_pointsAtWhatTheMessageNames() {
    String text = render("root-decrypt-explicit-deny-in-scp.json");

    assertTrue(
        text.contains(
            "  the record points at: a service control policy (SCP)"
                + " arn:aws:organizations::999988887777:policy/o-exampleorg1/service_control_policy/p-examplescp1\n"),
        text);
  }

  @Test
  void render_controlCharactersInARecord_areEscaped() {
    String record =
        Fixtures.text("assumed-role-decrypt-no-identity-policy.json")
            .replace("payments-worker", "payments\\u001b[2J\\nworker");

    String text = render(RecordFile.read(record));

    assertTrue(text.contains("assumed-role/AppRole/payments\\u001b[2J\\u000aworker"), text);
    assertFalse(text.contains("\u001b"));
  }

  @Test
  void render_unexplained_saysWhy() {
    String text = render("unknown-key-decrypt-denied.json");

    assertTrue(text.contains("\nNOT EXPLAINED: unknown key "), text);
    assertTrue(text.endsWith("1 KMS record: 0 explained, 1 not explained (listed above).\n"), text);
  }

  @Test
  void summary_otherServices_areCounted() {
    ExplainReport report =
        new Explainer(Fixtures.snapshot())
            .explain(Fixtures.entries("log-file-mixed-services.json"));

    assertEquals(
        "3 KMS records: 3 explained; 1 records of other services passed over.",
        ExplanationText.summary(report));
  }

  @Test
  void conditions_alternatives_areJoinedWithOrIf() {
    List<List<Assumption>> when =
        List.of(
            List.of(new Assumption.IdentityPolicy(true)),
            List.of(new Assumption.KeyOther("aws:PrincipalOrgID", List.of("o-1", "o-2"))));

    assertEquals(
        "the caller's IAM policies allow kms:Decrypt; or if aws:PrincipalOrgID is none of [o-1,"
            + " o-2]",
        ExplanationText.conditions(when, "kms:Decrypt"));
  }

  private static String render(String name) {
    return render(RecordFile.read(Fixtures.text(name)));
  }

  private static String render(RecordFile.Result result) {
    return ExplanationText.render(
        new Explainer(Fixtures.snapshot()).explain(((RecordFile.Result.Read) result).entries()));
  }
}
