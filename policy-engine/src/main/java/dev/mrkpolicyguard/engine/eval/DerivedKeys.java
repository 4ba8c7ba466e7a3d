package dev.mrkpolicyguard.engine.eval;

import java.util.List;
import java.util.Set;

/**
 * Condition keys whose value follows from who calls and which key is called, rather than from the
 * request's other content (IAM User Guide, "AWS global condition context keys"; KMS Developer
 * Guide, "kms:CallerAccount", "kms:MultiRegion", "kms:MultiRegionKeyType", "kms:KeySpec",
 * "kms:KeyUsage").
 */
public final class DerivedKeys {
  /** The keys derived for every key, lower case. */
  public static final Set<String> NAMES =
      Set.of(
          "aws:principalarn",
          "aws:principalaccount",
          "kms:calleraccount",
          "aws:principaltype",
          "aws:principalservicename",
          "aws:principalisawsservice",
          "aws:requestedregion",
          "aws:securetransport",
          "kms:multiregion",
          "aws:username");

  /** Keys that are facts of the key, derived where the key's description is known. */
  public static final Set<String> KEY_FACTS =
      Set.of("kms:multiregionkeytype", "kms:keyusage", "kms:keyspec");

  private DerivedKeys() {}

  /** Whether {@code normalizedKey} is derived from the caller or the key, for any key. */
  public static boolean isDerived(String normalizedKey) {
    return NAMES.contains(normalizedKey);
  }

  /**
   * Whether {@code normalizedKey} is derived from the caller or from what is known of {@code key}.
   */
  public static boolean isDerived(String normalizedKey, KeyContext key) {
    if (NAMES.contains(normalizedKey)) {
      return true;
    }
    return switch (normalizedKey) {
      case "kms:multiregionkeytype" -> key.multiRegionKeyType().isPresent() || !key.multiRegion();
      case "kms:keyusage" -> key.keyUsage().isPresent();
      case "kms:keyspec" -> key.keySpec().isPresent();
      default -> false;
    };
  }

  /**
   * Whether {@code normalizedKey} is never in a request from {@code caller}: the organization and
   * tag keys of the principal exist only for IAM principals, never for a service principal or a
   * federated web identity (IAM User Guide, global condition keys: "aws:PrincipalOrgID",
   * "aws:PrincipalTag").
   */
  public static boolean absentFor(String normalizedKey, Caller caller) {
    if (caller instanceof Caller.Iam) {
      return false;
    }
    return normalizedKey.equals("aws:principalorgid")
        || normalizedKey.equals("aws:principalorgpaths")
        || normalizedKey.startsWith("aws:principaltag/");
  }

  /** The value of a derived key for this caller and key, or {@code null} when it is absent. */
  public static List<String> value(String normalizedKey, Caller caller, KeyContext key) {
    switch (normalizedKey) {
      case "aws:requestedregion":
        return List.of(key.region());
      case "aws:securetransport":
        // KMS endpoints accept HTTPS only (KMS API Reference, "Welcome").
        return List.of("true");
      case "kms:multiregion":
        return List.of(key.multiRegion() ? "true" : "false");
      case "kms:multiregionkeytype":
        return key.multiRegion() ? key.multiRegionKeyType().map(List::of).orElse(null) : null;
      case "kms:keyusage":
        return key.keyUsage().map(List::of).orElse(null);
      case "kms:keyspec":
        return key.keySpec().map(List::of).orElse(null);
      default:
        break;
    }
    if (caller instanceof Caller.Iam iam) {
      return switch (normalizedKey) {
        case "aws:principalarn" -> List.of(iam.principalArn());
        case "aws:principalaccount", "kms:calleraccount" -> List.of(iam.accountId());
        case "aws:principaltype" -> List.of(iam.principalType());
        case "aws:principalisawsservice" -> List.of("false");
        // An IAM user's friendly name, whatever its path; no other caller has one.
        case "aws:username" -> iam.principalType().equals("User") ? List.of(iam.name()) : null;
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
