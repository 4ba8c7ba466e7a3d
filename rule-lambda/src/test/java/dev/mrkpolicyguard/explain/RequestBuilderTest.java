package dev.mrkpolicyguard.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mrkpolicyguard.engine.eval.Caller;
import dev.mrkpolicyguard.explain.RequestBuilder.Reconstruction;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestBuilderTest {
  private static final String KEY =
      "arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab";

  private final RequestBuilder builder = new RequestBuilder();

  @Test
  void build_iamUser_callerIsTheUserWithItsUserName() {
    RebuiltRequest r = rebuilt(Fixtures.record("iam-user-encrypt-no-identity-policy.json"));

    assertEquals(new Caller.Iam("arn:aws:iam::111122223333:user/Alice", null), r.caller());
    assertEquals(List.of("Alice"), r.value("aws:username"));
    assertEquals(List.of("AIDAEXAMPLEUSERID0001"), r.value("aws:userid"));
  }

  @Test
  void build_assumedRoleWithPath_callerIsTheRoleArnWithPathAndTheSession() {
    RebuiltRequest r = rebuilt(Fixtures.record("secrets-manager-generate-data-key-denied.json"));

    assertEquals(
        new Caller.Iam(
            "arn:aws:iam::111122223333:role/service-role/rotation-lambda", "secrets-rotation"),
        r.caller());
  }

  @Test
  void build_root_callerIsTheAccountRoot() {
    RebuiltRequest r = rebuilt(Fixtures.record("root-decrypt-explicit-deny-in-scp.json"));

    assertEquals(new Caller.Iam("arn:aws:iam::111122223333:root", null), r.caller());
    assertEquals(List.of("true"), r.value("aws:multifactorauthpresent"));
  }

  @Test
  void build_awsService_callerIsTheServicePrincipalWithoutViaService() {
    RebuiltRequest r =
        rebuilt(Fixtures.record("aws-service-cloudtrail-generate-data-key-denied.json"));

    assertEquals(new Caller.Service("cloudtrail.amazonaws.com"), r.caller());
    assertNull(r.value("kms:viaservice"));
    assertTrue(r.tells("kms:viaservice"));
    assertTrue(r.tells("aws:principalorgid"));
  }

  @Test
  void build_awsAccount_namesOnlyTheAccountWithTheRoleSessionOfItsPrincipalId() {
    RebuiltRequest r = rebuilt(Fixtures.record("cross-account-decrypt-opaque-message.json"));

    assertNull(r.caller());
    assertEquals("444455556666", r.callerAccount());
    assertEquals("role", r.callerHint());
    assertEquals("batch-7", r.sessionName());
  }

  @Test
  void build_awsAccountNamedInTheMessage_callerIsThatPrincipal() {
    RebuiltRequest r = rebuilt(Fixtures.record("cross-account-decrypt-caller-in-message.json"));

    assertEquals(new Caller.Iam("arn:aws:iam::444455556666:role/Partner", "batch-7"), r.caller());
  }

  @Test
  void build_federatedUser_callerIsTheFederatedUser() {
    RebuiltRequest r =
        rebuilt(
            record(
                """
                {"type": "FederatedUser", "principalId": "111122223333:Bob",
                 "arn": "arn:aws:sts::111122223333:federated-user/Bob", "accountId": "111122223333"}""",
                ""));

    assertEquals("arn:aws:sts::111122223333:federated-user/Bob", r.caller().text());
  }

  @Test
  void build_samlUser_isUnusableSayingHowKmsCallsAppear() {
    Reconstruction r =
        builder.build(record("{\"type\": \"SAMLUser\", \"principalId\": \"x\"}", ""));

    assertEquals(
        new Reconstruction.Unusable(
            "userIdentity type SAMLUser is recorded for sign-in and federation calls; KMS calls"
                + " of such users are recorded as AssumedRole"),
        r);
  }

  @Test
  void build_ebsCall_viaServiceIsEc2InTheKeysRegion() {
    RebuiltRequest r = rebuilt(Fixtures.record("ebs-decrypt-explicit-deny-in-scp.json"));

    assertEquals(List.of("ec2.eu-west-1.amazonaws.com"), r.value("kms:viaservice"));
    assertEquals(List.of("vol-0abcdef1234567890"), r.value("kms:encryptioncontext:aws:ebs:id"));
    assertEquals(List.of("true"), r.value("aws:viaawsservice"));
  }

  @Test
  void build_serviceDnsNameAsSourceIp_hasNoSourceIp() {
    RebuiltRequest r = rebuilt(Fixtures.record("secrets-manager-generate-data-key-denied.json"));

    assertNull(r.value("aws:sourceip"));
    assertTrue(r.tells("aws:sourceip"));
  }

  @Test
  void build_addressAsSourceIp_isTheSourceIp() {
    RebuiltRequest r = rebuilt(Fixtures.record("iam-user-encrypt-no-identity-policy.json"));

    assertEquals(List.of("198.51.100.24"), r.value("aws:sourceip"));
  }

  @Test
  void build_vpcEndpoint_isSourceVpceWithTheAddressAsVpcSourceIp() {
    RebuiltRequest r =
        rebuilt(Fixtures.record("vpc-endpoint-encrypt-explicit-deny-in-endpoint-policy.json"));

    assertEquals(List.of("vpce-0a1b2c3d4e5f67890"), r.value("aws:sourcevpce"));
    assertEquals(List.of("10.0.12.34"), r.value("aws:vpcsourceip"));
    assertNull(r.value("aws:sourceip"));
  }

  @Test
  void build_encryptionContext_isEachKeyAndTheKeyList() {
    RebuiltRequest r =
        rebuilt(Fixtures.record("aws-service-cloudtrail-generate-data-key-denied.json"));

    assertEquals(List.of("aws:cloudtrail:arn", "aws:s3:arn"), r.value("kms:encryptioncontextkeys"));
  }

  @Test
  void build_noEncryptionContext_showsTheContextKeysAbsent() {
    RebuiltRequest r = rebuilt(Fixtures.record("replica-only-deny-encrypt-without-context.json"));

    assertTrue(r.tells("kms:encryptioncontext:department"));
    assertNull(r.value("kms:encryptioncontext:department"));
  }

  @Test
  void build_aliasAsKeyId_isTheRequestAlias() {
    RebuiltRequest r = rebuilt(Fixtures.record("iam-user-encrypt-no-identity-policy.json"));

    assertEquals(List.of("alias/payments"), r.value("kms:requestalias"));
  }

  @Test
  void build_eventTime_isCurrentTimeAndEpochTime() {
    RebuiltRequest r = rebuilt(Fixtures.record("iam-user-encrypt-no-identity-policy.json"));

    assertEquals(List.of("2025-06-03T09:14:07Z"), r.value("aws:currenttime"));
    assertEquals(List.of("1748942047"), r.value("aws:epochtime"));
  }

  @Test
  void build_keyOnlyAsBareKeyId_isTheArnInTheRecordsRegionAndAccount() {
    TrailRecord record =
        new TrailRecord(
            json(
                """
                {"eventSource": "kms.amazonaws.com", "eventName": "Decrypt",
                 "awsRegion": "eu-west-1", "recipientAccountId": "111122223333",
                 "requestParameters": {"keyId": "mrk-1234abcd12ab34cd56ef1234567890ab"}}"""));

    assertEquals(KEY, RequestBuilder.keyArn(record).orElseThrow());
  }

  @Test
  void build_athenaRowWithLowerCaseNamesAndStringParameters_isRebuiltTheSame() {
    TrailRecord record =
        new TrailRecord(
            json(
                """
                {"eventsource": "kms.amazonaws.com", "eventname": "Decrypt",
                 "eventtime": "2025-06-03 09:14:07.000", "awsregion": "eu-west-1",
                 "sourceipaddress": "198.51.100.24",
                 "useridentity": {"type": "IAMUser", "arn": "arn:aws:iam::111122223333:user/Alice",
                   "accountid": "111122223333", "principalid": "AIDAEXAMPLEUSERID0001"},
                 "requestparameters": "{\\"keyId\\": \\"%s\\", \\"encryptionContext\\": {\\"Department\\": \\"Finance\\"}}",
                 "resources": [{"arn": "%s", "accountid": "111122223333", "type": "AWS::KMS::Key"}]}"""
                    .formatted(KEY, KEY)));

    RebuiltRequest r = rebuilt(record);

    assertEquals(KEY, r.keyArn());
    assertEquals(List.of("Finance"), r.value("kms:encryptioncontext:department"));
    assertEquals(List.of("2025-06-03T09:14:07Z"), r.value("aws:currenttime"));
  }

  @Test
  void build_createKey_isNotAKeyPolicyAction() {
    assertEquals(
        Reconstruction.NotKeyPolicy.class,
        builder.build(Fixtures.record("create-key-denied.json")).getClass());
  }

  @Test
  void build_kmsServiceEvent_isNotAKeyPolicyAction() {
    TrailRecord record =
        new TrailRecord(
            json(
                """
                {"eventSource": "kms.amazonaws.com", "eventName": "RotateKey",
                 "eventType": "AwsServiceEvent", "userIdentity": {"accountId": "111122223333",
                 "invokedBy": "kms.amazonaws.com"}}"""));

    assertEquals(
        new Reconstruction.NotKeyPolicy(
            "kms:RotateKey",
            null,
            "a KMS event of type AwsServiceEvent, not a request made to KMS; no policy decided it"),
        builder.build(record));
  }

  @Test
  void build_awsInternalCall_isNotAKeyPolicyAction() {
    TrailRecord record =
        new TrailRecord(
            json(
                """
                {"eventSource": "kms.amazonaws.com", "eventName": "SynchronizeMultiRegionKey",
                 "userIdentity": {"accountId": "111122223333", "invokedBy": "AWS Internal"}}"""));

    assertEquals(
        new Reconstruction.NotKeyPolicy(
            "kms:SynchronizeMultiRegionKey",
            null,
            "KMS made this call itself (invokedBy \"AWS Internal\")"),
        builder.build(record));
  }

  @Test
  void build_otherService_isOtherService() {
    TrailRecord record = new TrailRecord(json("{\"eventSource\": \"s3.amazonaws.com\"}"));

    assertEquals(new Reconstruction.OtherService("s3.amazonaws.com"), builder.build(record));
  }

  @Test
  void build_noKeyAnywhere_isUnusable() {
    TrailRecord record =
        new TrailRecord(
            json(
                """
                {"eventSource": "kms.amazonaws.com", "eventName": "Decrypt",
                 "userIdentity": {"type": "Root", "accountId": "111122223333"},
                 "requestParameters": {"encryptionAlgorithm": "SYMMETRIC_DEFAULT"}}"""));

    assertEquals(
        new Reconstruction.Unusable(
            "the record names no key ARN (in resources, responseElements.keyId or"
                + " requestParameters.keyId)"),
        builder.build(record));
  }

  @Test
  void isAddress_ipv4Ipv6AndNames_areToldApart() {
    assertEquals(
        List.of(true, true, false, false),
        List.of(
            RequestBuilder.isAddress("198.51.100.24"),
            RequestBuilder.isAddress("2001:db8::1"),
            RequestBuilder.isAddress("ec2.amazonaws.com"),
            RequestBuilder.isAddress("AWS Internal")));
  }

  private RebuiltRequest rebuilt(TrailRecord record) {
    return ((Reconstruction.Rebuilt) builder.build(record)).request();
  }

  private static TrailRecord record(String identity, String extra) {
    return new TrailRecord(
        json(
            """
            {"eventSource": "kms.amazonaws.com", "eventName": "Decrypt",
             "eventTime": "2025-06-03T09:14:07Z", "awsRegion": "eu-west-1",
             "userIdentity": %s,
             "resources": [{"ARN": "%s", "type": "AWS::KMS::Key"}]%s}"""
                .formatted(identity, KEY, extra)));
  }

  private static com.fasterxml.jackson.databind.JsonNode json(String text) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
