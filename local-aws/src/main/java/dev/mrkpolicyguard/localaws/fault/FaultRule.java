package dev.mrkpolicyguard.localaws.fault;

import java.time.Duration;
import java.util.Objects;

/**
 * One fault: which calls it matches (service, operation, optional Region and resource) and what it
 * does to a share of them.
 *
 * @param service service name such as {@code kms}, or {@code *}
 * @param operation operation name such as {@code GetKeyPolicy}, or {@code *}
 * @param region Region to match, or null for every Region
 * @param resource resource to match (KMS key ID/ARN/alias, SSM parameter name, S3 key), or null
 * @param share probability in [0, 1] that a matching call is affected
 * @param after whether the fault strikes after the operation ran, so that its effect is kept and
 *     only the answer is delayed or replaced by the error: a write whose response times out or
 *     fails with a 5xx although it was applied
 */
public record FaultRule(
    String service,
    String operation,
    String region,
    String resource,
    double share,
    FaultEffect effect,
    boolean after) {

  public FaultRule {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(effect, "effect");
    if (!(share >= 0.0 && share <= 1.0)) {
      throw new IllegalArgumentException("share must be within [0, 1], got " + share);
    }
  }

  /** A fault that strikes before the operation runs (the operation then does not run). */
  public FaultRule(
      String service,
      String operation,
      String region,
      String resource,
      double share,
      FaultEffect effect) {
    this(service, operation, region, resource, share, effect, false);
  }

  public static FaultRule throttle(String service, String operation, double share) {
    return new FaultRule(service, operation, null, null, share, new FaultEffect.Throttle());
  }

  public static FaultRule serverError(String service, String operation, int status, double share) {
    return new FaultRule(
        service, operation, null, null, share, new FaultEffect.ServerError(status));
  }

  public static FaultRule latency(String service, String operation, Duration fixed) {
    return new FaultRule(
        service, operation, null, null, 1.0, new FaultEffect.Latency(fixed, fixed));
  }

  public static FaultRule latency(String service, String operation, Duration min, Duration max) {
    return new FaultRule(service, operation, null, null, 1.0, new FaultEffect.Latency(min, max));
  }

  /** A hard error for every call of the operation that names this resource. */
  public static FaultRule errorFor(String service, String operation, String resource, String code) {
    return new FaultRule(
        service,
        operation,
        null,
        resource,
        1.0,
        new FaultEffect.Error(code, 400, "Injected fault: " + code + " for " + resource));
  }

  /** Parses the command-line form; see {@link FaultSpec}. */
  public static FaultRule parse(String spec) {
    return FaultSpec.parse(spec);
  }

  public FaultRule inRegion(String onlyRegion) {
    return new FaultRule(service, operation, onlyRegion, resource, share, effect, after);
  }

  /** This fault, striking after the operation ran: the operation's effect stays. */
  public FaultRule afterOperation() {
    return new FaultRule(service, operation, region, resource, share, effect, true);
  }

  boolean matches(String callService, String callOperation, String callRegion, String target) {
    return wildcardEquals(service, callService)
        && wildcardEquals(operation, callOperation)
        && (region == null || region.equals(callRegion))
        && (resource == null || resourceMatches(target));
  }

  private boolean resourceMatches(String target) {
    // A key can be named by ID or ARN; a rule naming the ID also matches the ARN that ends in it.
    return target != null && (target.equals(resource) || target.endsWith("/" + resource));
  }

  private static boolean wildcardEquals(String pattern, String value) {
    return pattern.equals("*") || pattern.equals(value);
  }
}
