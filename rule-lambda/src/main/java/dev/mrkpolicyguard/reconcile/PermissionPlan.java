package dev.mrkpolicyguard.reconcile;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the reconcile changes in the rule alias's resource policy, decided from the organisation's
 * accounts and the policy alone:
 *
 * <ul>
 *   <li>add {@code config-<account>} ({@code config.amazonaws.com}, {@code lambda:InvokeFunction},
 *       {@code SourceAccount=<account>}) for each ACTIVE account that no statement covers yet;
 *   <li>remove only statements named {@code config-<12 digits>} whose account is not ACTIVE
 *       (closed, suspended, or no longer listed); every other statement is left as it is;
 *   <li>stay within Lambda's 20 KB limit on the policy: removals first, then additions in account
 *       order while the policy stays within {@code limitBytes}; once one does not fit, none of the
 *       rest is added and they are {@link #leftOut()}.
 * </ul>
 *
 * @param add accounts to add a statement for, in the order to add them
 * @param remove statement ids to remove
 * @param leftOut ACTIVE accounts without a statement that would not fit
 * @param blocked ACTIVE accounts whose {@code config-<account>} id is taken by a statement that
 *     does not cover them (left alone: the reconcile never changes a statement it did not write)
 * @param covered ACTIVE accounts already covered by some statement
 * @param bytesAfter the policy's estimated size once the plan is carried out
 */
public record PermissionPlan(
    List<String> add,
    List<String> remove,
    List<String> leftOut,
    List<String> blocked,
    int covered,
    int bytesAfter) {
  /** Lambda quotas: "Function resource-based policy: 20 KB" (not adjustable). */
  public static final int POLICY_LIMIT_BYTES = 20 * 1024;

  /** Statement ids the reconcile owns: the project prefix and an account id, nothing else. */
  public static final String PREFIX = "config-";

  private static final Pattern OWNED = Pattern.compile("^config-(\\d{12})$");

  public PermissionPlan {
    add = List.copyOf(add);
    remove = List.copyOf(remove);
    leftOut = List.copyOf(leftOut);
    blocked = List.copyOf(blocked);
  }

  /** The statement id of {@code account}'s permission. */
  public static String statementId(String account) {
    return PREFIX + account;
  }

  /** The account of a statement id the reconcile owns, or null for any other id. */
  public static String ownedAccount(String sid) {
    Matcher m = OWNED.matcher(sid);
    return m.matches() ? m.group(1) : null;
  }

  /** Whether the plan changes nothing. */
  public boolean empty() {
    return add.isEmpty() && remove.isEmpty();
  }

  /**
   * Plans the changes.
   *
   * @param accounts every account ListAccounts gave, in any state; must not be empty (an
   *     organisation has at least its management account, so an empty list is never taken to mean
   *     "remove everything")
   * @param aliasArn the alias's ARN, the statements' Resource (it counts toward their size)
   */
  public static PermissionPlan of(
      List<OrgAccount> accounts, ResourcePolicy policy, String aliasArn, int limitBytes) {
    Objects.requireNonNull(aliasArn, "aliasArn");
    if (accounts.isEmpty()) {
      throw new IllegalArgumentException(
          "ListAccounts gave no account; the reconcile changes nothing on an empty organisation");
    }
    Set<String> active = new TreeSet<>();
    accounts.stream().filter(OrgAccount::active).map(OrgAccount::id).forEach(active::add);

    List<String> remove = new ArrayList<>();
    int bytes = policy.bytes() == 0 ? ResourcePolicy.EMPTY_BYTES : policy.bytes();
    int count = policy.statements().size();
    Set<String> coveredAccounts = new HashSet<>();
    Set<String> takenIds = new HashSet<>();
    for (ResourcePolicy.Statement s : policy.statements()) {
      String owned = ownedAccount(s.sid());
      if (owned != null && !active.contains(owned)) {
        remove.add(s.sid());
        bytes -= s.bytes() + (count > 1 ? 1 : 0);
        count--;
        continue;
      }
      takenIds.add(s.sid());
      if (s.configInvoke() && s.sourceAccount().isPresent()) {
        coveredAccounts.add(s.sourceAccount().get());
      }
    }

    List<String> add = new ArrayList<>();
    List<String> leftOut = new ArrayList<>();
    List<String> blocked = new ArrayList<>();
    int covered = 0;
    boolean full = false;
    for (String account : active) {
      if (coveredAccounts.contains(account)) {
        covered++;
        continue;
      }
      if (takenIds.contains(statementId(account))) {
        blocked.add(account);
        continue;
      }
      int cost = statementBytes(account, aliasArn) + (count > 0 ? 1 : 0);
      if (full || bytes + cost > limitBytes) {
        full = true;
        leftOut.add(account);
        continue;
      }
      add.add(account);
      bytes += cost;
      count++;
    }
    return new PermissionPlan(add, remove, leftOut, blocked, covered, bytes);
  }

  /** The length of the statement Lambda stores for {@code account}'s permission. */
  static int statementBytes(String account, String aliasArn) {
    String statement =
        "{\"Sid\":\""
            + statementId(account)
            + "\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":\""
            + ResourcePolicy.CONFIG
            + "\"},\"Action\":\"lambda:InvokeFunction\",\"Resource\":\""
            + aliasArn
            + "\",\"Condition\":{\"StringEquals\":{\"AWS:SourceAccount\":\""
            + account
            + "\"}}}";
    return statement.getBytes(StandardCharsets.UTF_8).length;
  }
}
