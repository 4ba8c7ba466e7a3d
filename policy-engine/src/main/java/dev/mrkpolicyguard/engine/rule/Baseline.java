package dev.mrkpolicyguard.engine.rule;

import dev.mrkpolicyguard.engine.eval.KeyContext;
import dev.mrkpolicyguard.engine.parse.ParseResult;
import dev.mrkpolicyguard.engine.parse.PolicyParser;
import dev.mrkpolicyguard.engine.policy.Effect;
import dev.mrkpolicyguard.engine.policy.KeyPolicy;
import dev.mrkpolicyguard.engine.policy.PrincipalAtom;
import dev.mrkpolicyguard.engine.policy.PrincipalSpec;
import dev.mrkpolicyguard.engine.policy.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The organisation's declared baseline for key policies (format in docs/baseline.md): a floor of
 * access every key policy must grant, and ceilings no key policy may exceed. Statements may use the
 * placeholders {@code ${AccountId}}, {@code ${Region}} and {@code ${KeyArn}}, filled in per key.
 *
 * @param floorStatements JSON statements every key policy must grant (may be empty)
 * @param ceilingStatements JSON statements no key policy may exceed (empty: no explicit ceiling)
 * @param allowedAccounts accounts whose principals may be granted access ({@code ${AccountId}}
 *     allowed); empty means no account restriction
 * @param forbidPublicAccess whether identities of accounts the policy does not name must get
 *     nothing (every KMS request is signed, so "public" means any account's identity whose own IAM
 *     policies allow the call: KMS Developer Guide, "Determining access to AWS KMS keys")
 */
public record Baseline(
    List<String> floorStatements,
    List<String> ceilingStatements,
    List<String> allowedAccounts,
    boolean forbidPublicAccess) {
  /** The baseline used when none is configured: no public access, nothing else. */
  public static final Baseline DEFAULT = new Baseline(List.of(), List.of(), List.of(), true);

  public Baseline {
    floorStatements = List.copyOf(floorStatements);
    ceilingStatements = List.copyOf(ceilingStatements);
    allowedAccounts = List.copyOf(allowedAccounts);
  }

  /**
   * A ceiling with the name findings use for it.
   *
   * @param publicAccess true for the no-public-access ceiling, whose policy depends on the policy
   *     checked ({@link #publicAccessCeiling}); {@code policy} is then a placeholder
   */
  public record Ceiling(String name, KeyPolicy policy, boolean publicAccess) {
    public Ceiling {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(policy, "policy");
    }
  }

  /** The floor policy for {@code key}, or {@code null} when the baseline has no floor. */
  public KeyPolicy floor(KeyContext key) {
    return floorStatements.isEmpty() ? null : policy(floorStatements, key);
  }

  /** The ceilings that apply to {@code key}. */
  public List<Ceiling> ceilings(KeyContext key) {
    List<Ceiling> out = new ArrayList<>();
    if (!ceilingStatements.isEmpty()) {
      out.add(new Ceiling("ceiling", policy(ceilingStatements, key), false));
    }
    String services =
        "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"*\","
            + "\"Condition\":{\"Bool\":{\"aws:PrincipalIsAWSService\":\"true\"}}}";
    if (!allowedAccounts.isEmpty()) {
      StringBuilder accounts = new StringBuilder();
      for (String account : allowedAccounts) {
        accounts.append(accounts.length() == 0 ? "" : ",").append('"').append(account).append('"');
      }
      String inAccounts =
          "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"*\","
              + "\"Condition\":{\"StringEquals\":{\"aws:PrincipalAccount\":["
              + accounts
              + "]}}}";
      out.add(new Ceiling("allowedAccounts", policy(List.of(inAccounts, services), key), false));
    }
    if (forbidPublicAccess) {
      String authenticated =
          "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"*\","
              + "\"Condition\":{\"Null\":{\"aws:PrincipalAccount\":\"false\"}}}";
      out.add(
          new Ceiling("forbidPublicAccess", policy(List.of(authenticated, services), key), true));
    }
    return out;
  }

  /**
   * The no-public-access ceiling for {@code checked} on {@code key}: everything for identities of
   * the key's account and of every account the policy names (principals, account and principal ARN
   * conditions), for AWS services, and for callers restricted to an organization ({@code
   * aws:PrincipalOrgID} or {@code aws:PrincipalOrgPaths} present). A grant reaching any other
   * account exceeds it.
   */
  public static KeyPolicy publicAccessCeiling(KeyContext key, KeyPolicy checked) {
    java.util.Set<String> accounts = new java.util.TreeSet<>();
    accounts.add(key.accountId());
    java.util.regex.Pattern account =
        java.util.regex.Pattern.compile("(?<![0-9])[0-9]{12}(?![0-9])");
    for (Statement statement : checked.statements()) {
      for (PrincipalAtom atom : statement.principal().atoms()) {
        if (atom instanceof PrincipalAtom.Account a) {
          accounts.add(a.accountId());
        } else if (atom instanceof PrincipalAtom.Iam iam) {
          accounts.add(iam.accountId());
        }
      }
      for (dev.mrkpolicyguard.engine.policy.Condition condition : statement.conditions()) {
        String k = condition.normalizedKey();
        if (k.equals("aws:principalaccount")
            || k.equals("kms:calleraccount")
            || k.equals("aws:principalarn")) {
          for (String value : condition.values()) {
            java.util.regex.Matcher m = account.matcher(value);
            while (m.find()) {
              accounts.add(m.group());
            }
          }
        }
      }
    }
    StringBuilder list = new StringBuilder();
    for (String a : accounts) {
      list.append(list.length() == 0 ? "" : ",").append('"').append(a).append('"');
    }
    String named =
        "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"*\","
            + "\"Condition\":{\"StringEquals\":{\"aws:PrincipalAccount\":["
            + list
            + "]}}}";
    String services =
        "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"*\","
            + "\"Condition\":{\"Bool\":{\"aws:PrincipalIsAWSService\":\"true\"}}}";
    String organization =
        "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"*\","
            + "\"Condition\":{\"Null\":{\"aws:PrincipalOrgID\":\"false\"}}}";
    String paths =
        "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"*\","
            + "\"Condition\":{\"Null\":{\"aws:PrincipalOrgPaths\":\"false\"}}}";
    return policy(List.of(named, services, organization, paths), key);
  }

  /** Fills in the placeholders of {@code text} for {@code key}. */
  static String resolve(String text, KeyContext key) {
    return text.replace("${AccountId}", key.accountId())
        .replace("${Region}", key.region())
        .replace("${KeyArn}", key.keyArn());
  }

  /**
   * The statements of {@code checked} that can grant beyond its {@link #publicAccessCeiling}: every
   * Deny, and the Allow statements that name anyone, a federated provider, a canonical user, a
   * unique id, or use {@code NotPrincipal}. An Allow that names only accounts and IAM principals
   * (whose accounts the ceiling allows by construction, since it lists every account the policy
   * names) and AWS services (which the ceiling allows) grants nothing the ceiling denies, so a
   * request beyond the ceiling is allowed by {@code checked} exactly when it is allowed by these
   * statements. Checking these alone gives the same differences over a smaller request space;
   * {@code null} when no Allow is left, so nothing can exceed the ceiling.
   */
  public static KeyPolicy beyondNamedAccounts(KeyPolicy checked) {
    List<Statement> kept = new ArrayList<>();
    boolean allows = false;
    for (Statement statement : checked.statements()) {
      boolean allow = statement.effect() == Effect.ALLOW;
      if (allow && withinNamedAccounts(statement.principal())) {
        continue;
      }
      allows |= allow;
      kept.add(statement);
    }
    if (!allows) {
      return null;
    }
    return kept.size() == checked.statements().size()
        ? checked
        : new KeyPolicy(checked.version(), checked.id(), kept);
  }

  private static boolean withinNamedAccounts(PrincipalSpec principal) {
    if (principal.negated() || principal.atoms().isEmpty()) {
      return false;
    }
    for (PrincipalAtom atom : principal.atoms()) {
      boolean named =
          atom instanceof PrincipalAtom.Account a
              ? isAccountId(a.accountId())
              : atom instanceof PrincipalAtom.Iam iam
                  ? isAccountId(iam.accountId())
                  : atom instanceof PrincipalAtom.Service;
      if (!named) {
        return false;
      }
    }
    return true;
  }

  private static boolean isAccountId(String text) {
    return text.length() == 12 && text.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  private static KeyPolicy policy(List<String> statements, KeyContext key) {
    String json =
        "{\"Version\":\"2012-10-17\",\"Statement\":["
            + resolve(String.join(",", statements), key)
            + "]}";
    ParseResult result = new PolicyParser().parse(json);
    if (result instanceof ParseResult.Invalid invalid) {
      // BaselineParser validated the statements with placeholders filled in; a failure here means
      // a placeholder value itself broke them, which is a bug worth stopping for.
      throw new IllegalStateException(
          "baseline statements invalid for " + key + ": " + invalid.describe());
    }
    return ((ParseResult.Parsed) result).policy();
  }
}
