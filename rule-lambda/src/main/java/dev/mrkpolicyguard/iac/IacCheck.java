package dev.mrkpolicyguard.iac;

import dev.mrkpolicyguard.engine.eval.KeyContext;
import dev.mrkpolicyguard.engine.rule.Baseline;
import dev.mrkpolicyguard.engine.rule.Compliance;
import dev.mrkpolicyguard.engine.rule.KeyDecider;
import dev.mrkpolicyguard.engine.rule.KeyEvaluation;
import dev.mrkpolicyguard.engine.rule.KeyFacts;
import dev.mrkpolicyguard.engine.rule.KeyRole;
import dev.mrkpolicyguard.engine.rule.PolicyFact;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Judges the multi-Region key resources of templates and plans before they are deployed: pairs each
 * replica with its primary (in the inputs, or outside them through a {@link PrimarySource}), and
 * runs the rule's decision ({@link KeyDecider}) on the planned policies, each on its own key. Pure:
 * no AWS calls beyond those the source makes.
 */
public final class IacCheck {
  /**
   * The account that {@code AWS::AccountId} stands for when the inputs do not say: a value no real
   * account has, replaced by the account once it is known.
   */
  static final String UNKNOWN_ACCOUNT = "000000000000";

  /** The key ID given to keys not yet created: replicas share their primary's key ID. */
  static final String NEW_KEY_ID = "mrk-00000000000000000000000000000000";

  /** At most this many accounts named in the policies are tried when the account is unknown. */
  static final int MAX_ACCOUNTS = 8;

  private static final Pattern ACCOUNT = Pattern.compile("(?<![0-9])[0-9]{12}(?![0-9])");

  private final KeyDecider decider;
  private final Baseline baseline;
  private final PrimarySource outside;

  /**
   * The decisions of this check by their facts: resources with the same planned policies in the
   * same Regions are decided once (a template often repeats one policy for many keys).
   */
  private final Map<KeyFacts, CompletableFuture<KeyEvaluation>> decided = new ConcurrentHashMap<>();

  /**
   * @param decider the rule's decider
   * @param baseline the baseline every key is checked against
   * @param outside the policies of primaries that are not in the inputs
   */
  public IacCheck(KeyDecider decider, Baseline baseline, PrimarySource outside) {
    this.decider = Objects.requireNonNull(decider, "decider");
    this.baseline = Objects.requireNonNull(baseline, "baseline");
    this.outside = Objects.requireNonNull(outside, "outside");
  }

  /** Judges {@code resources}, read from {@code inputs}. */
  public IacReport check(List<String> inputs, List<IacResource> resources) {
    Map<String, IacResource> byId = new LinkedHashMap<>();
    resources.forEach(r -> byId.put(r.id(), r));
    // Keys are judged independently (the decider is thread-safe), so a large template uses
    // every core; the report keeps the input order.
    List<IacReport.Checked> checked =
        resources.parallelStream()
            .map(resource -> new IacReport.Checked(resource, judge(resource, byId)))
            .toList();
    return new IacReport(inputs, checked);
  }

  private IacReport.Outcome judge(IacResource resource, Map<String, IacResource> byId) {
    if (resource.region() == null) {
      return new IacReport.Outcome.NotJudged(
          IacCode.REGION_UNKNOWN,
          "the Region it will be created in is not in the input; give --region");
    }
    if (resource.policy() instanceof PlannedPolicy.NotKnown unknown) {
      return new IacReport.Outcome.NotJudged(unknown.code(), "its key policy: " + unknown.reason());
    }
    return resource.replica() ? replica(resource, byId) : primary(resource);
  }

  private IacReport.Outcome primary(IacResource resource) {
    String account = Objects.requireNonNullElse(resource.accountId(), UNKNOWN_ACCOUNT);
    String arn = arn(resource.region(), account);
    return judged(
        resource,
        new Side(arn, resource.policy(), resource.keyUsage(), resource.keySpec()),
        null,
        null);
  }

  private IacReport.Outcome replica(IacResource resource, Map<String, IacResource> byId) {
    PrimaryLink link = resource.primary();
    if (link instanceof PrimaryLink.NotKnown unknown) {
      return new IacReport.Outcome.NotJudged(
          unknown.code(), "its PrimaryKeyArn: " + unknown.reason());
    }
    if (link instanceof PrimaryLink.InInputs in) {
      IacResource primary = find(byId, in.resourceId());
      if (primary == null || primary.replica()) {
        return new IacReport.Outcome.NotJudged(
            IacCode.PRIMARY_NOT_IN_INPUTS,
            "its primary " + in.resourceId() + " is not a multi-Region key among the inputs");
      }
      if (primary.region() == null) {
        return new IacReport.Outcome.NotJudged(
            IacCode.REGION_UNKNOWN,
            "the Region of its primary " + primary.name() + " is not in the input; give --region");
      }
      if (primary.policy() instanceof PlannedPolicy.NotKnown unknown) {
        return new IacReport.Outcome.NotJudged(
            unknown.code(),
            "the key policy of its primary " + primary.name() + ": " + unknown.reason());
      }
      String account =
          resource.accountId() != null
              ? resource.accountId()
              : Objects.requireNonNullElse(primary.accountId(), UNKNOWN_ACCOUNT);
      Side side =
          new Side(
              arn(primary.region(), account),
              primary.policy(),
              primary.keyUsage(),
              primary.keySpec());
      return judged(resource, side, primary.name(), null);
    }
    String arn = ((PrimaryLink.ByArn) link).arn();
    PrimarySource.Primary read = outside.read(arn);
    if (read == null) {
      return new IacReport.Outcome.NotJudged(
          IacCode.PRIMARY_NOT_IN_INPUTS,
          "its primary "
              + arn
              + " is not among the inputs; give its policy with --primary-policy FILE, or"
              + " --live to read it from AWS");
    }
    if (!(read.policy() instanceof PolicyFact.Known known)) {
      String why =
          read.policy() instanceof PolicyFact.Unreadable u ? u.message() : "no policy was read";
      return new IacReport.Outcome.NotJudged(
          IacCode.PRIMARY_POLICY_UNREADABLE, "the policy of its primary " + arn + ": " + why);
    }
    Side side =
        new Side(arn, new PlannedPolicy.Given(known.json()), read.keyUsage(), read.keySpec());
    return judged(resource, side, arn, "primary policy from " + read.source());
  }

  /**
   * The resource {@code id} names: exactly, or by the end of its path ({@code primary.yaml#Key} for
   * {@code templates/primary.yaml#Key}) when only one resource ends so.
   */
  private static IacResource find(Map<String, IacResource> byId, String id) {
    IacResource exact = byId.get(id);
    if (exact != null) {
      return exact;
    }
    List<IacResource> ending =
        byId.values().stream()
            .filter(r -> r.id().endsWith("/" + id) || r.id().endsWith("\\" + id))
            .toList();
    return ending.size() == 1 ? ending.get(0) : null;
  }

  /** A primary key as it will be: its ARN, its planned policy, its usage and spec. */
  private record Side(String arn, PlannedPolicy policy, String keyUsage, String keySpec) {}

  /**
   * Decides {@code resource} (a replica of {@code primary}, or itself a primary when {@code
   * primaryName} is null), once per account it may be in when the account is unknown.
   */
  private IacReport.Outcome judged(
      IacResource resource, Side primary, String primaryName, String note) {
    List<String> notes = new ArrayList<>();
    if (note != null) {
      notes.add(note);
    }
    if (resource.replica() && resource.policy() instanceof PlannedPolicy.KmsDefault) {
      notes.add(
          "no policy is given, so KMS gives the replica the default key policy (the account,"
              + " through IAM); that is what is compared");
    }
    KeyContext primaryKey = new KeyContext(primary.arn());
    String usage = resource.replica() ? primary.keyUsage() : resource.keyUsage();
    String spec = resource.replica() ? primary.keySpec() : resource.keySpec();
    List<String> accounts = List.of(primaryKey.accountId());
    if (primaryKey.accountId().equals(UNKNOWN_ACCOUNT)) {
      accounts = candidates(resource, primary, primaryKey.partition());
      if (accounts == null) {
        return new IacReport.Outcome.NotJudged(
            IacCode.ACCOUNT_UNKNOWN,
            "the account is not in the input and the policies name more than "
                + MAX_ACCOUNTS
                + " accounts; give --account");
      }
      notes.add(
          "the account is not in the input (give --account): "
              + UNKNOWN_ACCOUNT
              + " stands for it"
              + (accounts.size() > 1
                  ? ", and the keys are judged as if in each account the policies name too"
                  : ""));
    }
    KeyEvaluation chosen = null;
    for (String account : accounts) {
      KeyEvaluation evaluation = decide(facts(resource, primary, account, usage, spec));
      if (chosen == null || evaluation.compliance() == Compliance.NON_COMPLIANT) {
        chosen = evaluation;
      }
      if (evaluation.compliance() == Compliance.NON_COMPLIANT) {
        if (accounts.size() > 1 && !account.equals(UNKNOWN_ACCOUNT)) {
          notes.add("the findings are for a deployment into account " + account);
        }
        break;
      }
    }
    return new IacReport.Outcome.Judged(chosen, primaryName, notes);
  }

  /** {@code facts} decided, once per check for the same facts; the first asker decides. */
  private KeyEvaluation decide(KeyFacts facts) {
    CompletableFuture<KeyEvaluation> mine = new CompletableFuture<>();
    CompletableFuture<KeyEvaluation> first = decided.putIfAbsent(facts, mine);
    if (first != null) {
      return first.join();
    }
    try {
      mine.complete(decider.decide(facts, baseline));
    } catch (RuntimeException | Error e) {
      mine.completeExceptionally(e);
      throw e;
    }
    return mine.join();
  }

  private KeyFacts facts(
      IacResource resource, Side primary, String account, String usage, String spec) {
    String primaryArn = withAccount(primary.arn(), account);
    String partition = new KeyContext(primaryArn).partition();
    String primaryText = text(primary.policy(), partition, account);
    if (!resource.replica()) {
      return new KeyFacts(
              primaryArn,
              KeyRole.PRIMARY,
              primaryArn,
              false,
              "Enabled",
              new PolicyFact.Known(primaryText),
              new PolicyFact.NotNeeded())
          .withUsage(usage, spec);
    }
    String replicaArn = new KeyContext(primaryArn).inRegion(resource.region()).keyArn();
    return new KeyFacts(
            replicaArn,
            KeyRole.REPLICA,
            primaryArn,
            false,
            "Enabled",
            new PolicyFact.Known(text(resource.policy(), partition, account)),
            new PolicyFact.Known(primaryText))
        .withUsage(usage, spec);
  }

  /**
   * The accounts to judge in when the account is unknown: every account the policies name (one of
   * them may be the key's own) and one they do not, or {@code null} when there are too many.
   */
  private static List<String> candidates(IacResource resource, Side primary, String partition) {
    Set<String> named = new LinkedHashSet<>();
    for (PlannedPolicy policy : List.of(primary.policy(), resource.policy())) {
      Matcher m = ACCOUNT.matcher(text(policy, partition, UNKNOWN_ACCOUNT));
      while (m.find()) {
        if (!m.group().equals(UNKNOWN_ACCOUNT)) {
          named.add(m.group());
        }
      }
    }
    if (named.size() > MAX_ACCOUNTS) {
      return null;
    }
    List<String> accounts = new ArrayList<>();
    accounts.add(UNKNOWN_ACCOUNT);
    accounts.addAll(named);
    return accounts;
  }

  private static String text(PlannedPolicy policy, String partition, String account) {
    String text =
        policy instanceof PlannedPolicy.Given given
            ? given.json()
            : PlannedPolicy.defaultPolicy(partition, UNKNOWN_ACCOUNT);
    return text.replace(UNKNOWN_ACCOUNT, account);
  }

  private static String withAccount(String arn, String account) {
    return arn.replace(":" + UNKNOWN_ACCOUNT + ":", ":" + account + ":");
  }

  private static String arn(String region, String account) {
    return "arn:"
        + Intrinsics.partition(region)
        + ":kms:"
        + region
        + ":"
        + account
        + ":key/"
        + NEW_KEY_ID;
  }
}
