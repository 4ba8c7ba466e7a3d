package dev.mrkpolicyguard.core;

import dev.mrkpolicyguard.engine.rule.Compliance;
import dev.mrkpolicyguard.engine.rule.Finding;
import dev.mrkpolicyguard.engine.rule.FindingCode;
import dev.mrkpolicyguard.engine.rule.KeyEvaluation;
import dev.mrkpolicyguard.engine.rule.PolicyFact;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A KMS read (DescribeKey or GetKeyPolicy) that still failed after the SDK's retries, and the one
 * error policy the Config rule and the live audit both apply to it (docs/config-rule.md, "Facts").
 *
 * <ul>
 *   <li><b>Unreadable</b>: KMS answered {@code AccessDeniedException} or {@code NotFoundException}.
 *       That is a standing fact about the key, its policy, the caller's IAM policies or an SCP;
 *       asking again does not change it. The key is judged and fails closed: NON_COMPLIANT with
 *       {@code KEY_UNREADABLE} (DescribeKey), {@code POLICY_UNREADABLE} or {@code
 *       PRIMARY_POLICY_UNREADABLE} (GetKeyPolicy), and the annotation names the permission.
 *   <li><b>Not evaluated</b>: anything else (throttling, 5xx, {@code KMSInternalException}, {@code
 *       DependencyTimeoutException}, a network error, expired or invalid credentials, a code not
 *       listed here). It says nothing about the key, so posting NON_COMPLIANT would be a false
 *       alarm: the key is not judged this time, and is counted and logged as not evaluated.
 * </ul>
 *
 * @param operation the KMS operation, e.g. {@code DescribeKey}
 * @param code the AWS error code, or the SDK exception's simple name when AWS did not answer
 * @param message the error message as AWS (or the SDK) gave it
 */
public record ReadFailure(String operation, String code, String message) {
  /** The error codes that make a key unreadable rather than not evaluated. */
  public static final Set<String> UNREADABLE_CODES =
      Set.of("AccessDeniedException", "NotFoundException");

  private static final String DETAILS = ". Details: log key ";

  public ReadFailure {
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
  }

  /** Whether {@code code} makes a key unreadable (judged, fails closed), not just unevaluated. */
  public static boolean isUnreadableCode(String code) {
    return UNREADABLE_CODES.contains(code);
  }

  /** Why a read failed, as a closed set of stable reasons. */
  public enum Reason {
    /** {@code AccessDeniedException}: the key policy, an IAM policy or an SCP denies the call. */
    ACCESS_DENIED,
    /** {@code NotFoundException}: no such key for these credentials. */
    NOT_FOUND,
    /** Throttled on every attempt the retry strategy allowed. */
    THROTTLED,
    /** Anything else: a 5xx, a network error, a timeout, credentials, an unlisted code. */
    OTHER
  }

  private static final Set<String> THROTTLING_CODES =
      Set.of(
          "ThrottlingException",
          "Throttling",
          "TooManyRequestsException",
          "RequestLimitExceeded",
          "RequestThrottled",
          "RequestThrottledException",
          "SlowDown");

  /** The stable reason of this failure; only the first two make a key unreadable. */
  public Reason reason() {
    return switch (code) {
      case "AccessDeniedException" -> Reason.ACCESS_DENIED;
      case "NotFoundException" -> Reason.NOT_FOUND;
      default -> THROTTLING_CODES.contains(code) ? Reason.THROTTLED : Reason.OTHER;
    };
  }

  /** Whether this failure makes the key unreadable (see the class comment). */
  public boolean unreadable() {
    return isUnreadableCode(code);
  }

  /**
   * What failed and what to check, in words. For a denial: the permission the key policy does not
   * give the rule's role, and that an SCP fencing Regions has the same effect. Kept short enough
   * that the annotation keeps it whole; AWS's own message comes last.
   */
  public String explanation() {
    String action = "kms:" + operation;
    return switch (code) {
      case "AccessDeniedException" ->
          action
              + " denied to the rule's role; the key policy must allow it (or delegate to IAM),"
              + " and an SCP fencing Regions can also deny it. AWS: "
              + message;
      case "NotFoundException" ->
          action
              + " found no such key (NotFoundException); it may be gone, or the caller is in"
              + " another account or partition. AWS: "
              + message;
      default -> action + " still failed after retries (" + code + "): " + message;
    };
  }

  /** The policy fact for a failed GetKeyPolicy: why the policy could not be read. */
  public PolicyFact.Unreadable policyFact() {
    return new PolicyFact.Unreadable(code, explanation());
  }

  /**
   * The rule's decision for a key whose DescribeKey was {@linkplain #unreadable() unreadable}:
   * NON_COMPLIANT with {@code KEY_UNREADABLE}, annotated as the engine annotates its findings (the
   * summary first, then the key id to look up in the log).
   */
  public KeyEvaluation keyEvaluation(String keyArn) {
    if (!unreadable()) {
      throw new IllegalStateException("not an unreadable key but a failure to retry: " + this);
    }
    String summary = "Cannot read this key: " + explanation();
    String keyId = KeyArn.parse(keyArn).map(KeyArn::keyId).orElse(keyArn);
    return new KeyEvaluation(
        keyArn,
        Compliance.NON_COMPLIANT,
        List.of(new Finding(FindingCode.KEY_UNREADABLE, summary, List.of())),
        annotation(summary, keyId));
  }

  /** The 256-character annotation of a single finding without witnesses. */
  static String annotation(String summary, String keyId) {
    String suffix = DETAILS + keyId;
    String head = summary.endsWith(".") ? summary.substring(0, summary.length() - 1) : summary;
    int room = KeyEvaluation.MAX_ANNOTATION - suffix.length();
    if (room < 20) {
      suffix = "";
      room = KeyEvaluation.MAX_ANNOTATION;
    }
    return (head.length() > room ? head.substring(0, room - 3) + "..." : head) + suffix;
  }
}
