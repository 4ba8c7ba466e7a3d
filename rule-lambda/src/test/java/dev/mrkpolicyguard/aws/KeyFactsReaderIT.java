package dev.mrkpolicyguard.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mrkpolicyguard.core.KeyFactsReader;
import dev.mrkpolicyguard.core.KeyReader;
import dev.mrkpolicyguard.core.ReadFailure;
import dev.mrkpolicyguard.engine.rule.KeyFacts;
import dev.mrkpolicyguard.engine.rule.KeyRole;
import dev.mrkpolicyguard.engine.rule.PolicyFact;
import dev.mrkpolicyguard.localaws.LocalAwsServer;
import dev.mrkpolicyguard.localaws.fault.FaultRule;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;

/** Fact gathering against the local stand-in through the real SDK. */
class KeyFactsReaderIT {
  private static final List<String> REPLICA_REGIONS =
      List.of("eu-west-1", "eu-central-1", "ap-southeast-2", "us-west-2", "sa-east-1");

  private final LocalAwsServer server = LocalAwsServer.builder().build().start();
  private final SdkClientFactory clients =
      new SdkClientFactory(
          "us-east-1",
          server.endpoint(),
          StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "x")),
          AwsRetryStrategy::doNotRetry);

  @AfterEach
  void stop() {
    server.stop();
  }

  private KmsClient kms(String region) {
    return clients.kms(region, clients.ownCredentials());
  }

  private KeyFactsReader reader() {
    return new KeyFactsReader(new SdkKmsKeys(this::kms));
  }

  private static KeyFacts facts(KeyReader.Read read) {
    return assertInstanceOf(KeyReader.Read.Facts.class, read).facts();
  }

  @Test
  void read_replicasSharingAPrimaryReadConcurrently_readThePrimaryPolicyOnce() throws Exception {
    KeyMetadata primary = kms("us-east-1").createKey(r -> r.multiRegion(true)).keyMetadata();
    List<String> replicas =
        REPLICA_REGIONS.stream()
            .map(
                region ->
                    kms("us-east-1")
                        .replicateKey(r -> r.keyId(primary.arn()).replicaRegion(region))
                        .replicaKeyMetadata()
                        .arn())
            .toList();
    KeyFactsReader reader = reader();
    ExecutorService pool = Executors.newFixedThreadPool(REPLICA_REGIONS.size());
    try {
      List<Future<KeyReader.Read>> reads =
          replicas.stream().map(arn -> pool.submit(() -> reader.read(arn))).toList();
      for (Future<KeyReader.Read> f : reads) {
        assertInstanceOf(PolicyFact.Known.class, facts(f.get()).primaryPolicy());
      }
    } finally {
      pool.shutdownNow();
    }

    assertEquals(1, server.calls().count("kms", "GetKeyPolicy", "us-east-1"));
    assertEquals(REPLICA_REGIONS.size() + 1, server.calls().count("kms", "GetKeyPolicy"));
  }

  @Test
  void read_replica_reportsRolePrimaryArnAndState() {
    KeyMetadata primary = kms("us-east-1").createKey(r -> r.multiRegion(true)).keyMetadata();
    String replica =
        kms("us-east-1")
            .replicateKey(r -> r.keyId(primary.arn()).replicaRegion("eu-west-1"))
            .replicaKeyMetadata()
            .arn();

    KeyFacts facts = facts(reader().read(replica));

    assertEquals(KeyRole.REPLICA, facts.role());
    assertEquals(primary.arn(), facts.primaryArn());
    assertEquals("Enabled", facts.keyState());
  }

  @Test
  void read_primary_readsOnlyItsOwnPolicy() {
    KeyMetadata primary = kms("us-east-1").createKey(r -> r.multiRegion(true)).keyMetadata();

    KeyFacts facts = facts(reader().read(primary.arn()));

    assertEquals(KeyRole.PRIMARY, facts.role());
    assertInstanceOf(PolicyFact.Known.class, facts.policy());
    assertInstanceOf(PolicyFact.NotNeeded.class, facts.primaryPolicy());
  }

  @Test
  void read_awsManagedKey_readsNoPolicy() {
    String keyId = server.kms().seedAwsManagedKey("111122223333", "us-east-1", "alias/aws/ebs");
    String arn = "arn:aws:kms:us-east-1:111122223333:key/" + keyId;

    KeyFacts facts = facts(reader().read(arn));

    assertTrue(facts.awsManaged());
    assertInstanceOf(PolicyFact.NotNeeded.class, facts.policy());
    assertEquals(0, server.calls().count("kms", "GetKeyPolicy"));
  }

  @Test
  void read_ownPolicyDenied_isAnUnreadableFactNamingThePermission() {
    KeyMetadata primary = kms("us-east-1").createKey(r -> r.multiRegion(true)).keyMetadata();
    server
        .faults()
        .add(FaultRule.errorFor("kms", "GetKeyPolicy", primary.keyId(), "AccessDeniedException"));

    KeyFacts facts = facts(reader().read(primary.arn()));

    PolicyFact.Unreadable unreadable =
        assertInstanceOf(PolicyFact.Unreadable.class, facts.policy());
    assertEquals("AccessDeniedException", unreadable.errorCode());
    assertTrue(
        unreadable.message().startsWith("kms:GetKeyPolicy denied to the rule's role"),
        unreadable.message());
  }

  @Test
  void read_describeDenied_isUnreadableNamingDescribeKey() {
    KeyMetadata primary = kms("us-east-1").createKey(r -> r.multiRegion(true)).keyMetadata();
    server
        .faults()
        .add(FaultRule.errorFor("kms", "DescribeKey", primary.keyId(), "AccessDeniedException"));

    KeyReader.Read read = reader().read(primary.arn());

    var unreadable = assertInstanceOf(KeyReader.Read.Unreadable.class, read);
    assertEquals("DescribeKey", unreadable.failure().operation());
    assertEquals(0, server.calls().count("kms", "GetKeyPolicy"));
  }

  @Test
  void read_describeThrottled_isNotEvaluated() {
    KeyMetadata primary = kms("us-east-1").createKey(r -> r.multiRegion(true)).keyMetadata();
    server
        .faults()
        .add(FaultRule.errorFor("kms", "DescribeKey", primary.keyId(), "ThrottlingException"));

    KeyReader.Read read = reader().read(primary.arn());

    var notEvaluated = assertInstanceOf(KeyReader.Read.NotEvaluated.class, read);
    assertEquals("ThrottlingException", notEvaluated.failure().code());
    assertEquals(ReadFailure.Reason.THROTTLED, notEvaluated.failure().reason());
  }

  @Test
  void read_ownPolicyServerError_isNotEvaluatedNotAnUnreadablePolicy() {
    KeyMetadata primary = kms("us-east-1").createKey(r -> r.multiRegion(true)).keyMetadata();
    server.faults().add(FaultRule.serverError("kms", "GetKeyPolicy", 503, 1.0));

    KeyReader.Read read = reader().read(primary.arn());

    var notEvaluated = assertInstanceOf(KeyReader.Read.NotEvaluated.class, read);
    assertEquals("GetKeyPolicy", notEvaluated.failure().operation());
  }

  @Test
  void read_primaryPolicyThrottledThenReadable_isRetriedForTheNextReplica() {
    KeyMetadata primary = kms("us-east-1").createKey(r -> r.multiRegion(true)).keyMetadata();
    String first =
        kms("us-east-1")
            .replicateKey(r -> r.keyId(primary.arn()).replicaRegion("eu-west-1"))
            .replicaKeyMetadata()
            .arn();
    String second =
        kms("us-east-1")
            .replicateKey(r -> r.keyId(primary.arn()).replicaRegion("us-west-2"))
            .replicaKeyMetadata()
            .arn();
    KeyFactsReader reader = reader();
    server
        .faults()
        .add(
            FaultRule.errorFor("kms", "GetKeyPolicy", primary.keyId(), "ThrottlingException")
                .inRegion("us-east-1"));

    assertInstanceOf(KeyReader.Read.NotEvaluated.class, reader.read(first));
    server.faults().clear();
    KeyFacts facts = facts(reader.read(second));

    assertInstanceOf(PolicyFact.Known.class, facts.primaryPolicy());
  }
}
