package dev.mrkpolicyguard.localaws.kms;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mrkpolicyguard.localaws.LocalAwsServer;
import dev.mrkpolicyguard.localaws.TestClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.AlreadyExistsException;
import software.amazon.awssdk.services.kms.model.DisabledException;
import software.amazon.awssdk.services.kms.model.InvalidAliasNameException;
import software.amazon.awssdk.services.kms.model.InvalidMarkerException;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.KmsInvalidStateException;
import software.amazon.awssdk.services.kms.model.LimitExceededException;
import software.amazon.awssdk.services.kms.model.ListKeysResponse;
import software.amazon.awssdk.services.kms.model.MalformedPolicyDocumentException;
import software.amazon.awssdk.services.kms.model.MultiRegionKeyType;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.kms.model.ReplicateKeyResponse;
import software.amazon.awssdk.services.kms.model.ScheduleKeyDeletionResponse;
import software.amazon.awssdk.services.kms.model.Tag;
import software.amazon.awssdk.services.kms.model.UnsupportedOperationException;

class KmsServiceTest {
  private static final String ACCOUNT = "111122223333";
  private static final String POLICY =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Root\",\"Effect\":\"Allow\","
          + "\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},"
          + "\"Action\":\"kms:*\",\"Resource\":\"*\"}]}";
  private static final AtomicReference<LockoutCheck> CHECK = new AtomicReference<>();
  private static LocalAwsServer server;
  private static KmsClient east;
  private static KmsClient west;
  private static KmsClient tokyo;

  @BeforeAll
  static void start() {
    server =
        LocalAwsServer.builder()
            .lockoutCheck(
                (policy, caller, key) -> CHECK.get().allowsPutKeyPolicy(policy, caller, key))
            .accessKeyAccount("AKIDOTHER", "444455556666")
            .build()
            .start();
    east = TestClients.kms(server, "us-east-1");
    west = TestClients.kms(server, "eu-west-1");
    tokyo = TestClients.kms(server, "ap-northeast-1");
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  @BeforeEach
  void reset() {
    server.reset();
    CHECK.set(PermissiveLockoutCheck.INSTANCE);
  }

  private static String newPrimary() {
    return east.createKey(r -> r.multiRegion(true)).keyMetadata().keyId();
  }

  @Test
  void createKey_multiRegion_returnsMrkIdAndPrimaryConfiguration() {
    KeyMetadata key = east.createKey(r -> r.multiRegion(true).description("d")).keyMetadata();
    assertAll(
        () -> assertTrue(key.keyId().matches("mrk-[0-9a-f]{32}"), key.keyId()),
        () -> assertEquals("arn:aws:kms:us-east-1:" + ACCOUNT + ":key/" + key.keyId(), key.arn()),
        () ->
            assertEquals(
                MultiRegionKeyType.PRIMARY, key.multiRegionConfiguration().multiRegionKeyType()),
        () -> assertEquals("us-east-1", key.multiRegionConfiguration().primaryKey().region()),
        () -> assertEquals(List.of(), key.multiRegionConfiguration().replicaKeys()),
        () -> assertEquals(KeyState.ENABLED, key.keyState()),
        () -> assertEquals("d", key.description()),
        () -> assertEquals(ACCOUNT, key.awsAccountId()));
  }

  @Test
  void createKey_singleRegion_returnsUuidWithoutMultiRegionConfiguration() {
    KeyMetadata key = east.createKey(r -> r.description("plain")).keyMetadata();
    assertTrue(key.keyId().matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"));
    assertFalse(key.multiRegion());
    assertNull(key.multiRegionConfiguration());
  }

  @Test
  void createKey_withPolicy_storesPolicyVerbatim() {
    String keyId = east.createKey(r -> r.policy(POLICY)).keyMetadata().keyId();
    assertEquals(POLICY, east.getKeyPolicy(r -> r.keyId(keyId)).policy());
  }

  @Test
  void createKey_withoutPolicy_getsDefaultKeyPolicy() {
    String keyId = newPrimary();
    String policy = east.getKeyPolicy(r -> r.keyId(keyId)).policy();
    assertEquals(KeyPolicies.defaultPolicy(ACCOUNT), policy);
    assertTrue(policy.contains("\"Sid\" : \"Enable IAM User Permissions\""));
    assertTrue(policy.contains("arn:aws:iam::111122223333:root"));
  }

  @Test
  void createKey_awsTagPrefix_throwsTagException() {
    KmsException e =
        assertThrows(
            KmsException.class,
            () -> east.createKey(r -> r.tags(Tag.builder().tagKey("aws:x").tagValue("v").build())));
    assertEquals("TagException", e.awsErrorDetails().errorCode());
  }

  @Test
  void createKey_hmacSpecWithDefaultUsage_throwsValidationException() {
    KmsException e =
        assertThrows(KmsException.class, () -> east.createKey(r -> r.keySpec("HMAC_256")));
    assertEquals("ValidationException", e.awsErrorDetails().errorCode());
    assertEquals(400, e.statusCode());
  }

  @Test
  void replicateKey_withoutPolicy_replicaGetsDefaultPolicyNotPrimarys() {
    String keyId = east.createKey(r -> r.multiRegion(true).policy(POLICY)).keyMetadata().keyId();
    ReplicateKeyResponse replica =
        east.replicateKey(r -> r.keyId(keyId).replicaRegion("eu-west-1"));
    assertEquals(KeyPolicies.defaultPolicy(ACCOUNT), replica.replicaPolicy());
    assertEquals(replica.replicaPolicy(), west.getKeyPolicy(r -> r.keyId(keyId)).policy());
  }

  @Test
  void replicateKey_withPolicyAndTags_replicaHasThem() {
    String keyId = newPrimary();
    Tag tag = Tag.builder().tagKey("team").tagValue("sec").build();
    ReplicateKeyResponse replica =
        east.replicateKey(
            r ->
                r.keyId(keyId)
                    .replicaRegion("eu-west-1")
                    .policy(POLICY)
                    .tags(tag)
                    .description("r"));
    assertAll(
        () -> assertEquals(POLICY, replica.replicaPolicy()),
        () -> assertEquals(List.of(tag), replica.replicaTags()),
        () -> assertEquals("r", replica.replicaKeyMetadata().description()),
        () ->
            assertEquals(
                MultiRegionKeyType.REPLICA,
                replica.replicaKeyMetadata().multiRegionConfiguration().multiRegionKeyType()),
        () -> assertEquals("eu-west-1", replica.replicaKeyMetadata().arn().split(":")[3]),
        () -> assertEquals(POLICY, west.getKeyPolicy(r -> r.keyId(keyId)).policy()));
  }

  @Test
  void replicateKey_secondReplicaInSameRegion_throwsAlreadyExists() {
    String keyId = newPrimary();
    east.replicateKey(r -> r.keyId(keyId).replicaRegion("eu-west-1"));
    assertThrows(
        AlreadyExistsException.class,
        () -> east.replicateKey(r -> r.keyId(keyId).replicaRegion("eu-west-1")));
  }

  @Test
  void replicateKey_singleRegionKey_throwsUnsupportedOperation() {
    String keyId = east.createKey(r -> r.description("x")).keyMetadata().keyId();
    assertThrows(
        UnsupportedOperationException.class,
        () -> east.replicateKey(r -> r.keyId(keyId).replicaRegion("eu-west-1")));
  }

  @Test
  void replicateKey_disabledPrimary_throwsDisabledException() {
    String keyId = newPrimary();
    east.disableKey(r -> r.keyId(keyId));
    assertThrows(
        DisabledException.class,
        () -> east.replicateKey(r -> r.keyId(keyId).replicaRegion("eu-west-1")));
  }

  @Test
  void replicateKey_badRegionName_throwsValidationException() {
    String keyId = newPrimary();
    KmsException e =
        assertThrows(
            KmsException.class, () -> east.replicateKey(r -> r.keyId(keyId).replicaRegion("EU")));
    assertEquals("ValidationException", e.awsErrorDetails().errorCode());
  }

  @Test
  void describeKey_afterTwoReplicas_everyRelatedKeyListsAllReplicas() {
    String keyId = newPrimary();
    east.replicateKey(r -> r.keyId(keyId).replicaRegion("eu-west-1"));
    east.replicateKey(r -> r.keyId(keyId).replicaRegion("ap-northeast-1"));
    for (KmsClient client : List.of(east, west, tokyo)) {
      var config = client.describeKey(r -> r.keyId(keyId)).keyMetadata().multiRegionConfiguration();
      assertEquals("us-east-1", config.primaryKey().region());
      assertEquals(
          List.of("eu-west-1", "ap-northeast-1"),
          config.replicaKeys().stream().map(k -> k.region()).toList());
    }
  }

  @Test
  void describeKey_byAliasNameAndArns_resolvesSameKey() {
    String keyId = newPrimary();
    east.createAlias(r -> r.aliasName("alias/app").targetKeyId(keyId));
    String arn = "arn:aws:kms:us-east-1:" + ACCOUNT + ":";
    for (String id : List.of(keyId, arn + "key/" + keyId, "alias/app", arn + "alias/app")) {
      assertEquals(keyId, east.describeKey(r -> r.keyId(id)).keyMetadata().keyId(), id);
    }
  }

  @Test
  void describeKey_unknownKey_throwsNotFound() {
    NotFoundException e =
        assertThrows(NotFoundException.class, () -> east.describeKey(r -> r.keyId("mrk-00")));
    assertEquals(400, e.statusCode());
  }

  @Test
  void describeKey_keyOfOtherRegion_throwsNotFound() {
    String keyId = newPrimary();
    assertThrows(NotFoundException.class, () -> west.describeKey(r -> r.keyId(keyId)));
  }

  @Test
  void describeKey_otherAccountsKeyId_throwsNotFound() {
    String keyId = newPrimary();
    KmsClient other =
        TestClients.kms(server, "us-east-1", AwsBasicCredentials.create("AKIDOTHER", "x"));
    assertThrows(NotFoundException.class, () -> other.describeKey(r -> r.keyId(keyId)));
  }

  @Test
  void getKeyPolicy_explicitDefaultName_returnsPolicyAndName() {
    String keyId = newPrimary();
    var response = east.getKeyPolicy(r -> r.keyId(keyId).policyName("default"));
    assertEquals("default", response.policyName());
  }

  @Test
  void getKeyPolicy_otherPolicyName_throwsNotFound() {
    String keyId = newPrimary();
    assertThrows(
        NotFoundException.class, () -> east.getKeyPolicy(r -> r.keyId(keyId).policyName("other")));
  }

  @Test
  void putKeyPolicy_withoutPolicyName_replacesPolicy() {
    String keyId = newPrimary();
    east.putKeyPolicy(r -> r.keyId(keyId).policy(POLICY));
    assertEquals(POLICY, east.getKeyPolicy(r -> r.keyId(keyId)).policy());
  }

  @Test
  void putKeyPolicy_replica_leavesPrimaryPolicyAlone() {
    String keyId = newPrimary();
    east.replicateKey(r -> r.keyId(keyId).replicaRegion("eu-west-1"));
    west.putKeyPolicy(r -> r.keyId(keyId).policy(POLICY));
    assertEquals(
        KeyPolicies.defaultPolicy(ACCOUNT), east.getKeyPolicy(r -> r.keyId(keyId)).policy());
  }

  @Test
  void putKeyPolicy_malformedJson_throwsMalformedPolicyDocument() {
    String keyId = newPrimary();
    assertThrows(
        MalformedPolicyDocumentException.class,
        () -> east.putKeyPolicy(r -> r.keyId(keyId).policy("{\"Statement\": [")));
  }

  @Test
  void putKeyPolicy_statementWithoutPrincipal_throwsMalformedPolicyDocument() {
    String keyId = newPrimary();
    String policy =
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"kms:*\",\"Resource\":\"*\"}]}";
    assertThrows(
        MalformedPolicyDocumentException.class,
        () -> east.putKeyPolicy(r -> r.keyId(keyId).policy(policy)));
  }

  @Test
  void putKeyPolicy_characterAboveLatin1_throwsMalformedPolicyDocument() {
    String keyId = newPrimary();
    String policy = POLICY.replace("Root", "Root\u20ac");
    assertThrows(
        MalformedPolicyDocumentException.class,
        () -> east.putKeyPolicy(r -> r.keyId(keyId).policy(policy)));
  }

  @Test
  void putKeyPolicy_latin1Character_isAccepted() {
    String keyId = newPrimary();
    String policy = POLICY.replace("Root", "R\u00e9sum\u00e9 root");
    east.putKeyPolicy(r -> r.keyId(keyId).policy(policy));
    assertEquals(policy, east.getKeyPolicy(r -> r.keyId(keyId)).policy());
  }

  @Test
  void putKeyPolicy_over32768Bytes_throwsLimitExceeded() {
    String keyId = newPrimary();
    String policy = POLICY.replace("Root", "x".repeat(32_768));
    assertThrows(
        LimitExceededException.class, () -> east.putKeyPolicy(r -> r.keyId(keyId).policy(policy)));
  }

  @Test
  void putKeyPolicy_lockoutCheckRejects_throwsMalformedPolicyDocument() {
    String keyId = newPrimary();
    CHECK.set((policy, caller, key) -> false);
    MalformedPolicyDocumentException e =
        assertThrows(
            MalformedPolicyDocumentException.class,
            () -> east.putKeyPolicy(r -> r.keyId(keyId).policy(POLICY)));
    assertTrue(e.getMessage().contains("will not allow you to update the key policy"));
  }

  @Test
  void putKeyPolicy_lockoutCheckRejectsButBypassed_replacesPolicy() {
    String keyId = newPrimary();
    CHECK.set((policy, caller, key) -> false);
    east.putKeyPolicy(r -> r.keyId(keyId).policy(POLICY).bypassPolicyLockoutSafetyCheck(true));
    assertEquals(POLICY, east.getKeyPolicy(r -> r.keyId(keyId)).policy());
  }

  @Test
  void putKeyPolicy_lockoutCheck_receivesPolicyCallerAndKeyArn() {
    String keyId = newPrimary();
    List<String> seen = new ArrayList<>();
    CHECK.set(
        (policy, caller, key) -> {
          seen.addAll(List.of(policy, caller, key));
          return true;
        });
    east.putKeyPolicy(r -> r.keyId(keyId).policy(POLICY));
    assertEquals(
        List.of(
            POLICY,
            "arn:aws:iam::" + ACCOUNT + ":root",
            "arn:aws:kms:us-east-1:" + ACCOUNT + ":key/" + keyId),
        seen);
  }

  @Test
  void createKey_lockoutCheckRejects_throwsMalformedPolicyDocument() {
    CHECK.set((policy, caller, key) -> false);
    assertThrows(
        MalformedPolicyDocumentException.class, () -> east.createKey(r -> r.policy(POLICY)));
  }

  @Test
  void replicateKey_lockoutCheckRejects_throwsMalformedPolicyDocument() {
    String keyId = newPrimary();
    CHECK.set((policy, caller, key) -> !key.contains("eu-west-1"));
    assertThrows(
        MalformedPolicyDocumentException.class,
        () -> east.replicateKey(r -> r.keyId(keyId).replicaRegion("eu-west-1").policy(POLICY)));
  }

  @Test
  void putKeyPolicy_awsManagedKey_throwsAccessDenied() {
    String keyId = server.kms().seedAwsManagedKey(ACCOUNT, "us-east-1", "alias/aws/ebs");
    KmsException e =
        assertThrows(
            KmsException.class, () -> east.putKeyPolicy(r -> r.keyId(keyId).policy(POLICY)));
    assertEquals("AccessDeniedException", e.awsErrorDetails().errorCode());
    assertEquals(
        "AWS", east.describeKey(r -> r.keyId("alias/aws/ebs")).keyMetadata().keyManagerAsString());
  }

  @Test
  void listKeys_limitTwoOverFiveKeys_pagesThroughAllInOrder() {
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      created.add(east.createKey(r -> r.description("k")).keyMetadata().keyId());
    }
    List<String> listed = new ArrayList<>();
    String marker = null;
    int pages = 0;
    do {
      String current = marker;
      ListKeysResponse page = east.listKeys(r -> r.limit(2).marker(current));
      page.keys().forEach(k -> listed.add(k.keyId()));
      marker = page.truncated() ? page.nextMarker() : null;
      pages++;
    } while (marker != null);
    assertEquals(created, listed);
    assertEquals(3, pages);
  }

  @Test
  void listKeys_keysInTwoRegions_listsOnlyRequestRegion() {
    String keyId = newPrimary();
    east.replicateKey(r -> r.keyId(keyId).replicaRegion("eu-west-1"));
    west.createKey(r -> r.description("west only"));
    assertEquals(1, east.listKeys(r -> r.limit(10)).keys().size());
    assertEquals(2, west.listKeys(r -> r.limit(10)).keys().size());
  }

  @Test
  void listKeys_limitZero_throwsValidationException() {
    KmsException e = assertThrows(KmsException.class, () -> east.listKeys(r -> r.limit(0)));
    assertEquals("ValidationException", e.awsErrorDetails().errorCode());
  }

  @Test
  void listKeys_garbageMarker_throwsInvalidMarker() {
    assertThrows(InvalidMarkerException.class, () -> east.listKeys(r -> r.marker("bm9wZQ")));
  }

  @Test
  void listAliases_byKeyId_returnsOnlyThatKeysAliases() {
    String a = newPrimary();
    String b = newPrimary();
    east.createAlias(r -> r.aliasName("alias/a").targetKeyId(a));
    east.createAlias(r -> r.aliasName("alias/b").targetKeyId(b));
    var aliases = east.listAliases(r -> r.keyId(a)).aliases();
    assertEquals(1, aliases.size());
    assertEquals("alias/a", aliases.get(0).aliasName());
    assertEquals("arn:aws:kms:us-east-1:" + ACCOUNT + ":alias/a", aliases.get(0).aliasArn());
    assertEquals(a, aliases.get(0).targetKeyId());
  }

  @Test
  void createAlias_existingName_throwsAlreadyExists() {
    String keyId = newPrimary();
    east.createAlias(r -> r.aliasName("alias/x").targetKeyId(keyId));
    assertThrows(
        AlreadyExistsException.class,
        () -> east.createAlias(r -> r.aliasName("alias/x").targetKeyId(keyId)));
  }

  @Test
  void createAlias_reservedOrMissingPrefix_throwsInvalidAliasName() {
    String keyId = newPrimary();
    for (String name : List.of("alias/aws/mine", "mine")) {
      assertThrows(
          InvalidAliasNameException.class,
          () -> east.createAlias(r -> r.aliasName(name).targetKeyId(keyId)),
          name);
    }
  }

  @Test
  void tagResource_thenListResourceTags_returnsTagsInOrder() {
    String keyId = newPrimary();
    Tag a = Tag.builder().tagKey("a").tagValue("1").build();
    Tag b = Tag.builder().tagKey("b").tagValue("2").build();
    east.tagResource(r -> r.keyId(keyId).tags(a, b));
    var page = east.listResourceTags(r -> r.keyId(keyId).limit(1));
    assertEquals(List.of(a), page.tags());
    assertTrue(page.truncated());
    var rest = east.listResourceTags(r -> r.keyId(keyId).marker(page.nextMarker()));
    assertEquals(List.of(b), rest.tags());
  }

  @Test
  void disableKey_thenEnableKey_togglesStateIndependentlyOfReplica() {
    String keyId = newPrimary();
    east.replicateKey(r -> r.keyId(keyId).replicaRegion("eu-west-1"));
    west.disableKey(r -> r.keyId(keyId));
    assertEquals(KeyState.DISABLED, west.describeKey(r -> r.keyId(keyId)).keyMetadata().keyState());
    assertEquals(KeyState.ENABLED, east.describeKey(r -> r.keyId(keyId)).keyMetadata().keyState());
    west.enableKey(r -> r.keyId(keyId));
    assertTrue(west.describeKey(r -> r.keyId(keyId)).keyMetadata().enabled());
  }

  @Test
  void enableKey_pendingDeletion_throwsInvalidState() {
    String keyId = east.createKey(r -> r.description("x")).keyMetadata().keyId();
    east.scheduleKeyDeletion(r -> r.keyId(keyId).pendingWindowInDays(7));
    assertThrows(KmsInvalidStateException.class, () -> east.enableKey(r -> r.keyId(keyId)));
  }

  @Test
  void scheduleKeyDeletion_defaultWindow_isThirtyDaysWithDeletionDate() {
    String keyId = east.createKey(r -> r.description("x")).keyMetadata().keyId();
    ScheduleKeyDeletionResponse response = east.scheduleKeyDeletion(r -> r.keyId(keyId));
    assertEquals(30, response.pendingWindowInDays());
    assertEquals(KeyState.PENDING_DELETION, response.keyState());
    assertTrue(response.keyId().startsWith("arn:aws:kms:us-east-1:"));
    KeyMetadata key = east.describeKey(r -> r.keyId(keyId)).keyMetadata();
    assertEquals(
        key.creationDate().plus(Duration.ofDays(30)).getEpochSecond(),
        key.deletionDate().getEpochSecond(),
        5);
  }

  @Test
  void scheduleKeyDeletion_windowOutsideSevenToThirty_throwsValidationException() {
    String keyId = newPrimary();
    for (int days : List.of(6, 31)) {
      KmsException e =
          assertThrows(
              KmsException.class,
              () -> east.scheduleKeyDeletion(r -> r.keyId(keyId).pendingWindowInDays(days)));
      assertEquals("ValidationException", e.awsErrorDetails().errorCode());
    }
  }

  @Test
  void scheduleKeyDeletion_primaryWithReplica_isPendingReplicaDeletionWithoutDate() {
    String keyId = newPrimary();
    east.replicateKey(r -> r.keyId(keyId).replicaRegion("eu-west-1"));
    ScheduleKeyDeletionResponse response =
        east.scheduleKeyDeletion(r -> r.keyId(keyId).pendingWindowInDays(7));
    KeyMetadata key = east.describeKey(r -> r.keyId(keyId)).keyMetadata();
    assertAll(
        () -> assertEquals(KeyState.PENDING_REPLICA_DELETION, response.keyState()),
        () -> assertNull(response.deletionDate()),
        () -> assertEquals(KeyState.PENDING_REPLICA_DELETION, key.keyState()),
        () -> assertEquals(7, key.pendingDeletionWindowInDays()),
        () -> assertNull(key.deletionDate()));
  }

  @Test
  void scheduleKeyDeletion_replicaDeletedAfterWindow_primaryMovesToPendingDeletion() {
    String keyId = newPrimary();
    east.replicateKey(r -> r.keyId(keyId).replicaRegion("eu-west-1"));
    east.scheduleKeyDeletion(r -> r.keyId(keyId).pendingWindowInDays(7));
    west.scheduleKeyDeletion(r -> r.keyId(keyId).pendingWindowInDays(7));
    server.advanceClock(Duration.ofDays(8));
    assertThrows(NotFoundException.class, () -> west.describeKey(r -> r.keyId(keyId)));
    KeyMetadata primary = east.describeKey(r -> r.keyId(keyId)).keyMetadata();
    assertEquals(KeyState.PENDING_DELETION, primary.keyState());
    assertEquals(List.of(), primary.multiRegionConfiguration().replicaKeys());
  }

  @Test
  void scheduleKeyDeletion_replicaStillPending_primaryStaysPendingReplicaDeletion() {
    String keyId = newPrimary();
    east.replicateKey(r -> r.keyId(keyId).replicaRegion("eu-west-1"));
    east.scheduleKeyDeletion(r -> r.keyId(keyId).pendingWindowInDays(7));
    west.scheduleKeyDeletion(r -> r.keyId(keyId).pendingWindowInDays(30));
    server.advanceClock(Duration.ofDays(8));
    assertEquals(
        KeyState.PENDING_REPLICA_DELETION,
        east.describeKey(r -> r.keyId(keyId)).keyMetadata().keyState());
  }

  @Test
  void cancelKeyDeletion_pendingKey_leavesItDisabled() {
    String keyId = newPrimary();
    east.scheduleKeyDeletion(r -> r.keyId(keyId));
    east.cancelKeyDeletion(r -> r.keyId(keyId));
    KeyMetadata key = east.describeKey(r -> r.keyId(keyId)).keyMetadata();
    assertEquals(KeyState.DISABLED, key.keyState());
    assertNull(key.deletionDate());
  }

  @Test
  void cancelKeyDeletion_enabledKey_throwsInvalidState() {
    String keyId = newPrimary();
    assertThrows(KmsInvalidStateException.class, () -> east.cancelKeyDeletion(r -> r.keyId(keyId)));
  }

  @Test
  void updatePrimaryRegion_toReplica_swapsRolesOnAllRelatedKeys() {
    String keyId = newPrimary();
    east.replicateKey(r -> r.keyId(keyId).replicaRegion("eu-west-1"));
    east.replicateKey(r -> r.keyId(keyId).replicaRegion("ap-northeast-1"));
    east.updatePrimaryRegion(r -> r.keyId(keyId).primaryRegion("eu-west-1"));
    for (KmsClient client : List.of(east, west, tokyo)) {
      var config = client.describeKey(r -> r.keyId(keyId)).keyMetadata().multiRegionConfiguration();
      assertEquals("eu-west-1", config.primaryKey().region());
      assertEquals(
          List.of("us-east-1", "ap-northeast-1"),
          config.replicaKeys().stream().map(k -> k.region()).toList());
    }
    assertEquals(
        MultiRegionKeyType.PRIMARY,
        west.describeKey(r -> r.keyId(keyId))
            .keyMetadata()
            .multiRegionConfiguration()
            .multiRegionKeyType());
  }

  @Test
  void updatePrimaryRegion_regionWithoutReplica_throwsNotFound() {
    String keyId = newPrimary();
    assertThrows(
        NotFoundException.class,
        () -> east.updatePrimaryRegion(r -> r.keyId(keyId).primaryRegion("eu-west-1")));
  }

  @Test
  void kmsStore_policyOfOtherAccount_isSeparateState() {
    KmsClient other =
        TestClients.kms(server, "us-east-1", AwsBasicCredentials.create("AKIDOTHER", "x"));
    String keyId = other.createKey(r -> r.multiRegion(true)).keyMetadata().keyId();
    assertTrue(
        server
            .kms()
            .policy("444455556666", "us-east-1", keyId)
            .orElseThrow()
            .contains("444455556666"));
    assertTrue(server.kms().policy(ACCOUNT, "us-east-1", keyId).isEmpty());
  }

  @Test
  void describeKey_otherAccountsKeyArn_resolvesAcrossAccounts() {
    KmsClient other =
        TestClients.kms(server, "us-east-1", AwsBasicCredentials.create("AKIDOTHER", "x"));
    String arn = other.createKey(r -> r.multiRegion(true)).keyMetadata().arn();
    assertEquals("444455556666", east.describeKey(r -> r.keyId(arn)).keyMetadata().awsAccountId());
    assertThrows(NotFoundException.class, () -> east.getKeyPolicy(r -> r.keyId(arn)));
  }

  @Test
  void describeKey_keyArnOfOtherRegion_throwsNotFound() {
    String arn = east.createKey(r -> r.multiRegion(true)).keyMetadata().arn();
    assertThrows(NotFoundException.class, () -> west.describeKey(r -> r.keyId(arn)));
  }

  @Test
  void getKeyPolicy_aliasName_throwsNotFound() {
    String keyId = newPrimary();
    east.createAlias(r -> r.aliasName("alias/app").targetKeyId(keyId));
    assertThrows(NotFoundException.class, () -> east.getKeyPolicy(r -> r.keyId("alias/app")));
  }

  @Test
  void listAliases_unknownKeyId_throwsNotFound() {
    assertThrows(NotFoundException.class, () -> east.listAliases(r -> r.keyId("mrk-none")));
  }

  @Test
  void untagResource_oneOfTwoTags_keepsTheOther() {
    String keyId = newPrimary();
    Tag keep = Tag.builder().tagKey("keep").tagValue("1").build();
    east.tagResource(
        r -> r.keyId(keyId).tags(keep, Tag.builder().tagKey("drop").tagValue("2").build()));
    east.untagResource(r -> r.keyId(keyId).tagKeys("drop"));
    assertEquals(List.of(keep), east.listResourceTags(r -> r.keyId(keyId)).tags());
  }

  @Test
  void tagResource_pendingDeletion_throwsInvalidState() {
    String keyId = newPrimary();
    east.scheduleKeyDeletion(r -> r.keyId(keyId));
    Tag tag = Tag.builder().tagKey("a").tagValue("1").build();
    assertThrows(
        KmsInvalidStateException.class, () -> east.tagResource(r -> r.keyId(keyId).tags(tag)));
  }

  @Test
  void createAlias_targetPendingDeletion_throwsInvalidState() {
    String keyId = newPrimary();
    east.scheduleKeyDeletion(r -> r.keyId(keyId));
    assertThrows(
        KmsInvalidStateException.class,
        () -> east.createAlias(r -> r.aliasName("alias/late").targetKeyId(keyId)));
  }

  @Test
  void scheduleKeyDeletion_afterWindow_deletesKeyAndItsAliases() {
    String keyId = newPrimary();
    east.createAlias(r -> r.aliasName("alias/gone").targetKeyId(keyId));
    east.scheduleKeyDeletion(r -> r.keyId(keyId).pendingWindowInDays(7));
    server.advanceClock(Duration.ofDays(7).plusSeconds(1));
    assertEquals(List.of(), east.listKeys().keys());
    assertEquals(List.of(), east.listAliases().aliases());
  }

  @Test
  void getKeyPolicy_pendingDeletion_stillReturnsPolicy() {
    String keyId = newPrimary();
    east.scheduleKeyDeletion(r -> r.keyId(keyId));
    assertEquals(
        KeyPolicies.defaultPolicy(ACCOUNT), east.getKeyPolicy(r -> r.keyId(keyId)).policy());
  }

  @Test
  void createKey_externalOrigin_isPendingImport() {
    KeyMetadata key = east.createKey(r -> r.origin("EXTERNAL")).keyMetadata();
    assertEquals(KeyState.PENDING_IMPORT, key.keyState());
    assertFalse(key.enabled());
  }
}
