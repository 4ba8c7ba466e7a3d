package dev.mrkpolicyguard.aws;

import dev.mrkpolicyguard.engine.rule.Baseline;
import dev.mrkpolicyguard.iac.PrimarySource;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;

/**
 * The AWS side of the CloudFormation hook, built once per container: KMS clients for any Region
 * (the primary is read in its own Region) and the baseline's SSM parameter in the function's
 * Region, both with the default credential chain.
 */
public final class HookClients {
  private final SdkClientFactory clients;
  private final String region;

  private HookClients(SdkClientFactory clients, String region) {
    this.clients = clients;
    this.region = region;
  }

  /**
   * Clients for {@code region} (the function's), every service at {@code endpoint} or AWS's own
   * when {@code null}, with three attempts per call (standard retries): the hook has 30 seconds in
   * all, so a throttled read fails in time to be reported rather than retried past it.
   */
  public static HookClients forRegion(String region, URI endpoint) {
    Objects.requireNonNull(region, "region");
    SdkClientFactory clients =
        new SdkClientFactory(
            region,
            endpoint,
            DefaultCredentialsProvider.builder().build(),
            () -> AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(3).build());
    return new HookClients(clients, region);
  }

  /**
   * Clients over {@code clients} (SnapStart priming: a factory at the loopback stand-in with
   * placeholder credentials).
   */
  public static HookClients over(SdkClientFactory clients, String region) {
    return new HookClients(Objects.requireNonNull(clients, "clients"), region);
  }

  /** A reader of primaries for one invocation; each call may take at most {@code timeout}. */
  public PrimarySource primaries(Duration timeout) {
    return new LivePrimaryReader(r -> clients.kms(r, clients.ownCredentials()), timeout);
  }

  /** The baseline, or why it cannot be used. */
  public BaselineRead baseline(String parameterName) {
    BaselineSource.Lookup loaded =
        BaselineSource.fromSsm(
            clients.ssm(region, clients.ownCredentials()),
            parameterName,
            "BASELINE_PARAMETER_NAME",
            "the hook function's role");
    return loaded instanceof BaselineSource.Lookup.Found found
        ? new BaselineRead(found.baseline(), null)
        : new BaselineRead(null, ((BaselineSource.Lookup.Problem) loaded).reason());
  }

  /** A baseline, or why there is none. */
  public record BaselineRead(Baseline baseline, String problem) {}
}
