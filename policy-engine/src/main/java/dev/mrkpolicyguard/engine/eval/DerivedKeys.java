package dev.mrkpolicyguard.engine.eval;

import java.util.List;
import java.util.Set;

/**
 * Condition keys whose value follows from who calls and which key is called, rather than from the
 * request's other content (IAM User Guide, "AWS global condition context keys"; KMS Developer
 * Guide, "kms:CallerAccount").
 */
public final class DerivedKeys {
  /** The derived keys, lower case. */
  public static final Set<String> NAMES =
      Set.of(
          "aws:principalarn",
          "aws:principalaccount",
          "kms:calleraccount",
          "aws:principaltype",
          "aws:principalservicename",
          "aws:principalisawsservice",
          "aws:requestedregion");

  private DerivedKeys() {}

  /** Whether {@code normalizedKey} is derived from the caller or the key. */
  public static boolean isDerived(String normalizedKey) {
    return NAMES.contains(normalizedKey);
  }

  /** The value of a derived key for this caller and key, or {@code null} when it is absent. */
  public static List<String> value(String normalizedKey, Caller caller, KeyContext key) {
    if (normalizedKey.equals("aws:requestedregion")) {
      return List.of(key.region());
    }
    if (caller instanceof Caller.Iam iam) {
      return switch (normalizedKey) {
        case "aws:principalarn" -> List.of(iam.principalArn());
        case "aws:principalaccount", "kms:calleraccount" -> List.of(iam.accountId());
        case "aws:principaltype" -> List.of(iam.principalType());
        case "aws:principalisawsservice" -> List.of("false");
        default -> null;
      };
    }
    if (caller instanceof Caller.Service service) {
      return switch (normalizedKey) {
        case "aws:principalservicename" -> List.of(service.name());
        case "aws:principalisawsservice" -> List.of("true");
        default -> null;
      };
    }
    if (caller instanceof Caller.Anonymous && normalizedKey.equals("aws:principaltype")) {
      return List.of("Anonymous");
    }
    return null;
  }
}
