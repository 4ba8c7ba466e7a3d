package dev.mrkpolicyguard.reconcile;

import dev.mrkpolicyguard.core.AwsCallFailed;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Keeps the rule alias's resource policy in step with the organisation (central layout,
 * docs/deploy.md): lists the accounts, reads the policy, plans with {@link PermissionPlan}, removes
 * then adds. Idempotent: a second run with nothing changed plans nothing. A failure to list the
 * accounts or read the policy changes nothing.
 */
public final class Reconciler {
  private final AccountDirectory directory;
  private final AliasPolicy policy;
  private final String aliasArn;
  private final int limitBytes;
  private final Optional<PackCheck> pack;

  /**
   * The organization pack to check after the permissions, if any: its name, the Region of its
   * re-put command and its template's S3 URI ("" when unknown).
   */
  public record PackCheck(OrganizationPack port, String name, String region, String templateS3Uri) {
    public PackCheck {
      Objects.requireNonNull(port, "port");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(region, "region");
      Objects.requireNonNull(templateS3Uri, "templateS3Uri");
    }
  }

  public Reconciler(
      AccountDirectory directory, AliasPolicy policy, String aliasArn, int limitBytes) {
    this(directory, policy, aliasArn, limitBytes, Optional.empty());
  }

  public Reconciler(
      AccountDirectory directory,
      AliasPolicy policy,
      String aliasArn,
      int limitBytes,
      Optional<PackCheck> pack) {
    this.directory = Objects.requireNonNull(directory, "directory");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.aliasArn = Objects.requireNonNull(aliasArn, "aliasArn");
    this.limitBytes = limitBytes;
    this.pack = Objects.requireNonNull(pack, "pack");
  }

  public ReconcileReport run() {
    List<OrgAccount> accounts;
    try {
      accounts = directory.accounts();
    } catch (AwsCallFailed e) {
      return ReconcileReport.failed("ListAccounts: " + e.describe());
    }
    if (accounts.isEmpty()) {
      return ReconcileReport.failed("ListAccounts: no account listed; nothing changed");
    }
    ResourcePolicy current;
    try {
      Optional<String> text = policy.read();
      current = text.map(ResourcePolicy::parse).orElse(ResourcePolicy.none());
    } catch (AwsCallFailed e) {
      return ReconcileReport.failed("GetPolicy: " + e.describe());
    } catch (IllegalArgumentException e) {
      return ReconcileReport.failed("GetPolicy: " + e.getMessage());
    }
    PermissionPlan plan = PermissionPlan.of(accounts, current, aliasArn, limitBytes);
    int active = (int) accounts.stream().filter(OrgAccount::active).count();

    List<String> failures = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    for (String sid : plan.remove()) {
      try {
        AliasPolicy.Removed answer = policy.remove(sid);
        if (answer instanceof AliasPolicy.Removed.Failed f) {
          failures.add("RemovePermission " + sid + ": " + f.code() + ": " + f.message());
        } else {
          removed.add(sid);
        }
      } catch (AwsCallFailed e) {
        failures.add("RemovePermission " + sid + ": " + e.describe());
      }
    }
    List<String> added = new ArrayList<>();
    List<String> leftOut = new ArrayList<>(plan.leftOut());
    List<String> toAdd = plan.add();
    for (int i = 0; i < toAdd.size(); i++) {
      String account = toAdd.get(i);
      String sid = PermissionPlan.statementId(account);
      AliasPolicy.Added answer;
      try {
        answer = policy.add(sid, account);
      } catch (AwsCallFailed e) {
        failures.add("AddPermission " + sid + ": " + e.describe());
        continue;
      }
      if (answer instanceof AliasPolicy.Added.TooLarge) {
        // The estimate was short of Lambda's count: this one and the rest are left out.
        List<String> rest = new ArrayList<>(toAdd.subList(i, toAdd.size()));
        rest.addAll(leftOut);
        leftOut = rest;
        break;
      }
      if (answer instanceof AliasPolicy.Added.Failed f) {
        failures.add("AddPermission " + sid + ": " + f.code() + ": " + f.message());
        if (f.code().equals("ResourceNotFoundException")) {
          // No such function or alias: every other addition would fail the same way.
          break;
        }
      } else {
        added.add(account);
      }
    }
    List<String> packFailed = new ArrayList<>();
    String rePut = "";
    if (pack.isPresent()) {
      PackCheck check = pack.get();
      try {
        for (OrganizationPack.Member m : check.port().members(check.name())) {
          if (m.failed()) {
            packFailed.add(
                m.account()
                    + " "
                    + m.status()
                    + (m.errorCode().isEmpty() ? "" : " " + m.errorCode())
                    + (m.errorMessage().isEmpty() ? "" : ": " + m.errorMessage()));
          }
        }
        if (!packFailed.isEmpty()) {
          rePut =
              PackRePut.command(
                  check.region(), check.port().definition(check.name()), check.templateS3Uri());
        }
      } catch (AwsCallFailed e) {
        failures.add("organization pack " + check.name() + ": " + e.describe());
      }
    }
    return new ReconcileReport(
        active,
        added,
        removed,
        leftOut,
        plan.blocked(),
        failures,
        plan.bytesAfter(),
        packFailed,
        rePut);
  }
}
