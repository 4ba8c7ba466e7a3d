package dev.mrkpolicyguard.aws;

import dev.mrkpolicyguard.remediation.BackupStore;
import dev.mrkpolicyguard.remediation.RemediationSettings;
import dev.mrkpolicyguard.remediation.Remediator;
import java.net.URI;
import java.time.Clock;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * Remediation's ports over the SDK, with the function's (or the CLI's) own credentials: KMS for the
 * policies, S3 for backups, SSM for the baseline.
 */
public final class SdkRemediation {
  private final ClientFactory clients;
  private final String region;

  /** The adapters over {@code clients}, with buckets and the baseline in {@code region}. */
  public SdkRemediation(ClientFactory clients, String region) {
    this.clients = clients;
    this.region = region;
  }

  /** The adapters over AWS (or {@code endpoint}) with the default credential chain. */
  public static SdkRemediation forAws(String region, URI endpoint) {
    return new SdkRemediation(SdkClientFactory.forAws(region, endpoint), region);
  }

  /** The remediation function's remediator: backups to {@code settings}' bucket. */
  public Remediator remediator(RemediationSettings settings) {
    return new Remediator(
        new KmsKeyPolicies(r -> clients.kms(r, own()), settings.writeTimeout()),
        s3Backups(settings.backupBucket()),
        settings.clock());
  }

  /** A remediator saving backups to {@code backups}, with the default write timeout. */
  public Remediator remediator(BackupStore backups, Clock clock) {
    return new Remediator(
        new KmsKeyPolicies(r -> clients.kms(r, own()), Remediator.DEFAULT_WRITE_TIMEOUT),
        backups,
        clock);
  }

  /** Backups in {@code bucket} ({@code null}: a store that only reads, from any bucket). */
  public BackupStore s3Backups(String bucket) {
    return new S3BackupStore(clients.s3(region, own()), bucket);
  }

  /** The baseline in SSM parameter {@code name} ({@code null}: the default one), read on demand. */
  public Supplier<BaselineSource.Lookup> baseline(String name) {
    return () ->
        BaselineSource.fromSsm(
            clients.ssm(region, own()), name, "BASELINE_PARAMETER_NAME", "the remediation role");
  }

  private AwsCredentialsProvider own() {
    return clients.ownCredentials();
  }
}
