package dev.mrkpolicyguard.remediation;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How the remediation function runs in one Lambda container.
 *
 * @param region the function's Region (AWS_REGION): key IDs without an ARN, the bucket, SSM
 * @param backupBucket BACKUP_BUCKET: where policies are saved before they are overwritten; without
 *     it only dry runs and no-change runs are done
 * @param baselineParameterName BASELINE_PARAMETER_NAME: SSM parameter with the baseline, or null
 *     for the default baseline
 * @param clock the time of backups
 * @param writeTimeout how long one PutKeyPolicy attempt may take; one that takes longer is not
 *     retried, and what is in force is read back instead
 */
public record RemediationSettings(
    String region,
    String backupBucket,
    String baselineParameterName,
    Clock clock,
    Duration writeTimeout) {
  public RemediationSettings {
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(writeTimeout, "writeTimeout");
    backupBucket = blankToNull(backupBucket);
    baselineParameterName = blankToNull(baselineParameterName);
  }

  /**
   * Settings whose PutKeyPolicy attempts time out after {@link Remediator#DEFAULT_WRITE_TIMEOUT}.
   */
  public RemediationSettings(
      String region, String backupBucket, String baselineParameterName, Clock clock) {
    this(region, backupBucket, baselineParameterName, clock, Remediator.DEFAULT_WRITE_TIMEOUT);
  }

  /** The settings in the function's environment variables. */
  public static RemediationSettings fromEnvironment(Map<String, String> env) {
    String region = env.get("AWS_REGION");
    if (region == null || region.isEmpty()) {
      throw new IllegalStateException("AWS_REGION is not set; Lambda sets it for every function");
    }
    return new RemediationSettings(
        region, env.get("BACKUP_BUCKET"), env.get("BASELINE_PARAMETER_NAME"), Clock.systemUTC());
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
