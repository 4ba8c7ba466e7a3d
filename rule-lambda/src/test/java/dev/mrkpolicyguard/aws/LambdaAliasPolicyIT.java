package dev.mrkpolicyguard.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mrkpolicyguard.localaws.LocalAwsServer;
import dev.mrkpolicyguard.reconcile.AliasPolicy;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.retries.DefaultRetryStrategy;

/**
 * The Lambda adapter's answers over real HTTP against the stand-in: the SDK's lambda module reads
 * the stand-in's REST-JSON errors as the service's modeled exceptions.
 */
class LambdaAliasPolicyIT {
  private static final String ALIAS =
      "arn:aws:lambda:eu-west-1:111122223333:function:mrk-policy-guard-rule:live";

  private final LocalAwsServer server =
      LocalAwsServer.builder().lambdaFunction("mrk-policy-guard-rule", "live").build().start();
  private final SdkClientFactory clients =
      new SdkClientFactory(
          "eu-west-1",
          server.endpoint(),
          StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "x")),
          () -> DefaultRetryStrategy.doNotRetry());
  private final LambdaAliasPolicy policy =
      new LambdaAliasPolicy(clients.lambda("eu-west-1", clients.ownCredentials()), ALIAS);

  @AfterEach
  void stop() {
    server.stop();
  }

  @Test
  void read_noPolicyYet_empty() {
    assertEquals(Optional.empty(), policy.read());
  }

  @Test
  void add_sameIdTwice_secondIsAlreadyThere() {
    assertInstanceOf(
        AliasPolicy.Added.Done.class, policy.add("config-444455556666", "444455556666"));

    assertInstanceOf(
        AliasPolicy.Added.AlreadyThere.class, policy.add("config-444455556666", "444455556666"));
    assertTrue(policy.read().orElseThrow().contains("\"AWS:SourceAccount\":\"444455556666\""));
  }

  @Test
  void add_pastTwentyKilobytes_tooLarge() {
    AliasPolicy.Added last = null;
    for (int i = 0; i < 200; i++) {
      last =
          policy.add(
              "config-" + String.format("30000000%04d", i), String.format("30000000%04d", i));
      if (!(last instanceof AliasPolicy.Added.Done)) {
        break;
      }
    }

    assertInstanceOf(AliasPolicy.Added.TooLarge.class, last);
    assertTrue(policy.read().orElseThrow().length() <= 20 * 1024);
  }

  @Test
  void remove_unknownId_alreadyGone() {
    policy.add("config-444455556666", "444455556666");

    assertInstanceOf(AliasPolicy.Removed.AlreadyGone.class, policy.remove("config-555566667777"));
    assertInstanceOf(AliasPolicy.Removed.Done.class, policy.remove("config-444455556666"));
    assertEquals(Optional.empty(), policy.read());
  }

  @Test
  void read_unknownAlias_failsWithTheServicesCode() {
    LambdaAliasPolicy other =
        new LambdaAliasPolicy(
            clients.lambda("eu-west-1", clients.ownCredentials()),
            "arn:aws:lambda:eu-west-1:111122223333:function:mrk-policy-guard-rule:other");

    // An unknown alias is ResourceNotFoundException too: read as "no policy", and the add that
    // follows says what is missing.
    assertEquals(Optional.empty(), other.read());
    AliasPolicy.Added added = other.add("config-444455556666", "444455556666");
    AliasPolicy.Added.Failed failed = assertInstanceOf(AliasPolicy.Added.Failed.class, added);
    assertEquals("ResourceNotFoundException", failed.code());
    assertTrue(failed.message().contains("mrk-policy-guard-rule:other"), failed.message());
  }

  @Test
  void constructor_notAnAliasArn_saysWhatItTakes() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new LambdaAliasPolicy(
                    clients.lambda("eu-west-1", clients.ownCredentials()),
                    "arn:aws:lambda:eu-west-1:111122223333:function:mrk-policy-guard-rule"));
    assertTrue(e.getMessage().startsWith("not a Lambda alias ARN"), e.getMessage());
  }
}
